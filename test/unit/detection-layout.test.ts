/** How a detection dataset feeds a detector: its layout, the Grid detector template sized to it, and the model-fit refusals. */
import { describe, expect, it } from 'vitest';
import { imageDetectionProblem, imageLayout, imageTask } from '../../shared/image-layout.js';
import { modelDataFit } from '../../shared/model-fit.js';
import { buildTemplate } from '../../shared/templates.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import type { ImageDataset } from '../../shared/dataset.js';
import type { ImageDatasetStats } from '../../shared/images.js';
import type { ModelGraph } from '../../shared/graph.js';

function dataset(height: number, width: number): ImageDataset {
  return {
    id: 'd', name: 'people', kind: 'images', sourceName: 'people', sha256: '', bytes: 0, createdAt: '',
    profile: { format: 'coco', imageCount: 10, problems: [], notes: [], task: 'detection' },
    config: { height, width, channels: 3, task: 'detection' },
  };
}

const fit = (graph: ModelGraph, d: ImageDataset, loss: 'gridDetection' | 'meanSquaredError' = 'gridDetection') => {
  const l = imageLayout(d, ['square', 'disc']);
  return modelDataFit(graph, { inputs: l.inputs, outputUnits: l.outputUnits, task: l.task as 'detection' }, loss).problems.map((p) => p.message);
};

describe('detection layout', () => {
  it('starts at 128×128 for large photos and at the images’ own size, a multiple of 16, when smaller', () => {
    const big = imageLayout(dataset(480, 640), ['person']);
    expect(big).toMatchObject({ task: 'detection', classes: ['person'], outputUnits: 6, inputShape: [128, 128, 3] });
    expect(imageLayout(dataset(64, 64), ['a', 'b']).inputShape).toEqual([64, 64, 3]);
    expect(imageLayout(dataset(100, 40), ['a']).inputShape).toEqual([96, 48, 3]);
  });

  it('sizes the Grid detector to the dataset: stride 16, 5 + C sigmoid channels per cell, and it fits', () => {
    const d = dataset(64, 64);
    const graph = buildTemplate('detector-grid', imageLayout(d, ['square', 'disc']));
    const a = analyzeGraph(graph);
    expect(a.valid).toBe(true);
    expect(a.nodes[a.outputs[0]!]!.outputShape).toEqual([null, 4, 4, 7]);
    expect(graph.nodes.some((n) => n.type === 'BatchNormalization')).toBe(false);
    expect(fit(graph, d)).toEqual([]);
  });

  it('refuses a model whose output is not (rows, cols, 5 + C), another loss, and a non-sigmoid head, saying what it needs', () => {
    const d = dataset(64, 64);
    const graph = buildTemplate('detector-grid', imageLayout(d, ['square', 'disc']));
    const head = graph.nodes.at(-1)!;
    const wrongDepth = { ...graph, nodes: graph.nodes.map((n) => (n === head ? { ...n, config: { ...n.config, filters: 6 } } : n)) };
    expect(fit(wrongDepth, d)).toEqual(["A detector's last layer must output (rows, cols, 5 + 2 classes) = (rows, cols, 7); this one outputs (4, 4, 6)"]);
    const classifier = buildTemplate('image-small', { ...imageLayout(d, ['square', 'disc']), task: 'classification', outputUnits: 2 });
    expect(fit(classifier, d)[0]).toMatch(/^A detector's last layer must output \(rows, cols, 5 \+ 2 classes\) = \(rows, cols, 7\); this one outputs \(\d+\)$/);
    expect(fit(graph, d, 'meanSquaredError')).toEqual(['A detector trains with the grid detection loss; this run asks for meanSquaredError']);
    const relu = { ...graph, nodes: graph.nodes.map((n) => (n === head ? { ...n, config: { ...n.config, activation: 'relu' } } : n)) };
    expect(fit(relu, d)[0]).toMatch(/grid values are fractions \(0–1\), but '.*' ends with 'relu'/);
  });

  const stats = (boxes: number, images = 0): ImageDatasetStats => ({
    images: 20, labelled: 0, unlabelled: 20, proposals: 7, bySplit: { train: 0, validation: 0, test: 0, none: 20 },
    classes: [{ classId: 1, name: 'person', color: '', images, boxes }], boxesPerImage: [], boxSizes: { small: 0, medium: 0, large: 0, huge: 0 },
  });

  it('names what to do when no box is confirmed yet (proposals do not count), and how to train either when nothing is labelled', () => {
    expect(imageDetectionProblem('people', stats(0))).toBe(
      "Dataset 'people' has no image with a class (20 images, 7 proposals) and no confirmed box: give images a class in the Label view to train a classifier, " +
        'or draw boxes, or accept proposed ones, in the Label view to train a detector (proposals are not used until they are confirmed).',
    );
    expect(imageDetectionProblem('people', stats(0, 4))).toBe(
      "Dataset 'people' has no confirmed box (20 images, 7 proposals): draw boxes, or accept proposed ones, in the Label view to train a detector (proposals are not used until they are confirmed).",
    );
    expect(imageDetectionProblem('people', stats(3))).toBeNull();
  });

  it('trains what the labels say: classes only → a classifier, boxes only → a detector, both or neither → what the import found', () => {
    const classified = { ...dataset(64, 64), config: { ...dataset(64, 64).config, task: 'classification' as const } };
    expect(imageTask(dataset(64, 64), stats(0, 5))).toBe('classification');
    expect(imageTask(classified, stats(5, 0))).toBe('detection');
    expect(imageTask(dataset(64, 64), stats(5, 5))).toBe('detection');
    expect(imageTask(classified, stats(5, 5))).toBe('classification');
    expect(imageTask(dataset(64, 64), stats(0, 0))).toBe('detection');
    expect(imageLayout(dataset(64, 64), ['a', 'b'], 'classification')).toMatchObject({ task: 'classification', outputUnits: 2 });
  });
});
