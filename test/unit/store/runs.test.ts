/** Renaming, hiding and deleting runs in a real project file. */
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store/project-store.js';
import { dataset, evaluation, metricPoints, run, tempDir } from './fixtures.js';

const weights = { modelTopology: { a: 1 }, weightSpecs: [], weightData: new Uint8Array([1, 2, 3]) };

function project(): { store: ProjectStore; dir: string } {
  const dir = tempDir();
  const store = ProjectStore.create(dir);
  store.insertDataset(dataset());
  store.insertRun(run('r1', 'ds1', '2024-01-01T00:00:00.000Z'));
  store.insertRun(run('r2', 'ds1', '2024-01-02T00:00:00.000Z'));
  return { store, dir };
}

describe('runs in the store', () => {
  it('renames a run and keeps the name across a reopen', () => {
    const { store, dir } = project();
    store.renameRun('r1', 'Wide LSTM');
    store.close();
    const again = ProjectStore.open(dir);
    expect(again.getRun('r1').name).toBe('Wide LSTM');
    expect(again.getRun('r2').name).toBe('Run r2');
    again.close();
  });

  it('hides and shows a run; a hidden run is still listed, marked hidden', () => {
    const { store } = project();
    expect(store.listRuns().map((r) => r.hidden)).toEqual([undefined, undefined]);
    store.setRunHidden('r2', true);
    expect(store.listRuns().map((r) => [r.id, r.hidden ?? false])).toEqual([['r2', true], ['r1', false]]);
    expect(store.getRun('r2').hidden).toBe(true);
    store.setRunHidden('r2', false);
    expect(store.getRun('r2').hidden).toBeUndefined();
    store.close();
  });

  it('deletes a run with its metrics, weights, checkpoints, evaluation and prep, leaving the other run whole', () => {
    const { store } = project();
    for (const id of ['r1', 'r2']) {
      store.appendMetrics(id, metricPoints(20));
      store.saveWeights(id, weights);
      store.saveCheckpoint(id, 'best', 1, { loss: 0.5 }, weights);
      store.saveCheckpoint(id, 'last', 1, { loss: 0.5 }, weights);
      store.saveEvaluation(id, { ...evaluation, runId: id });
      store.saveRunPrep(id, { v: id });
    }
    store.deleteRun('r1');
    expect(store.listRuns().map((r) => r.id)).toEqual(['r2']);
    expect(store.getWeights('r1')).toBeNull();
    expect(store.getCheckpoint('r1', 'best')).toBeNull();
    expect(store.getCheckpoint('r1', 'last')).toBeNull();
    expect(store.getEvaluation('r1')).toBeNull();
    expect(store.getRunPrep('r1')).toBeNull();
    // The other run keeps everything.
    expect(store.getRun('r2').metrics).toHaveLength(20);
    expect(store.getWeights('r2')).not.toBeNull();
    expect(store.getCheckpoint('r2', 'best')?.epoch).toBe(1);
    expect(store.getRunPrep('r2')).toEqual({ v: 'r2' });
    store.close();
  });

  it('says NOT_FOUND for a missing run', () => {
    const { store } = project();
    expect(() => store.renameRun('x', 'n')).toThrow(expect.objectContaining({ code: 'NOT_FOUND', message: 'No run with id x' }));
    expect(() => store.setRunHidden('x', true)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => store.deleteRun('x')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    store.close();
  });
});
