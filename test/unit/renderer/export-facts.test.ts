/** The export report's threshold and dataset lines, as the Export view shows them. */
import { describe, it, expect } from 'vitest';
import { exportFacts } from '../../../renderer/src/lib/export-facts.js';

describe('exportFacts', () => {
  it("names an evaluated detector's threshold as the evaluation's best F1", () => {
    const f = exportFacts({ threshold: { value: 0.1234, source: 'evaluation' } });
    expect(f.threshold).toBe("Score threshold 0.12 (the run's evaluation: best F1 at IoU 0.5)");
    expect(f.thresholdIsDefault).toBe(false);
    expect(f.data).toBeNull();
  });

  it('says a default threshold is only the default and how to set it', () => {
    const f = exportFacts({ threshold: { value: 0.3, source: 'default' } });
    expect(f.threshold).toBe('Score threshold 0.30 (the default: not evaluated yet — evaluate the run to set it)');
    expect(f.thresholdIsDefault).toBe(true);
  });

  it("quotes what data/ holds, or why it was not written", () => {
    const coco = 'COCO in data/: annotations/instances_<split>.json and images/<split>/, 64 train, 16 validation, 16 test images, 130 confirmed boxes';
    expect(exportFacts({ data: { format: 'coco', summary: coco } }).data).toBe(`Dataset files: ${coco}`);
    expect(exportFacts({ data: { format: 'none', reason: 'the dataset was removed' } }).data).toBe('Dataset files: not written (the dataset was removed)');
  });

  it('has neither line for a tabular TF.js export', () => {
    expect(exportFacts({})).toEqual({ threshold: null, thresholdIsDefault: false, data: null });
  });
});
