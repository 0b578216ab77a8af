/** The run comparison: settings rows with differences flagged, best epochs, curves' metric keys, default names. */
import { describe, expect, it } from 'vitest';
import { bestEpoch, compareRuns, epochPoints, layerSummary, nextRunNumber } from '../../../shared/runs.js';
import { stackToGraph } from '../../../shared/graph.js';
import { DEFAULT_TRAIN_SETTINGS, type MetricPoint, type RunSummary } from '../../../shared/training.js';

const graph = stackToGraph([
  { type: 'Input', config: { shape: [1, 8] } },
  { type: 'LSTM', config: { units: 50 } },
  { type: 'Dense', config: { units: 1 } },
]);

function summary(id: string, patch: Partial<RunSummary['settings']> = {}): RunSummary {
  return { id, name: `Run ${id}`, datasetId: 'd', status: 'completed', settings: { ...DEFAULT_TRAIN_SETTINGS, ...patch }, epochsDone: 3, startedAt: 't', hasWeights: true };
}

const epoch = (e: number, logs: Record<string, number>): MetricPoint => ({ kind: 'epoch', epoch: e, batch: 9, step: e * 10 + 9, logs });
const batch = (e: number, logs: Record<string, number>): MetricPoint => ({ kind: 'batch', epoch: e, batch: 0, step: e * 10, logs });

describe('compareRuns', () => {
  it('flags exactly the settings that differ', () => {
    const c = compareRuns([
      { summary: summary('1'), graph, datasetName: 'pm', metrics: [] },
      { summary: summary('2', { learningRate: 0.01, batchSize: 32 }), graph, datasetName: 'pm', metrics: [] },
    ]);
    expect(c.settings.filter((r) => r.differs).map((r) => [r.key, r.values])).toEqual([
      ['learningRate', ['0.001', '0.01']],
      ['batchSize', ['72', '32']],
    ]);
    expect(c.settings.find((r) => r.key === 'model')?.values).toEqual(['LSTM(50) → Dense(1)', 'LSTM(50) → Dense(1)']);
    expect(c.settings.find((r) => r.key === 'params')?.values[0]).toBe('11,851');
  });

  it('keeps epoch points only, finds the best epoch by val_loss, and lists metric keys loss first', () => {
    const c = compareRuns([
      {
        summary: summary('1'),
        graph,
        datasetName: 'pm',
        metrics: [batch(0, { loss: 9 }), epoch(0, { loss: 1, val_loss: 2, mae: 1, val_mae: 2, lr: 0.1 }), epoch(1, { loss: 0.5, val_loss: 1.5, mae: 0.5, val_mae: 1.4 }), epoch(2, { loss: 0.2, val_loss: 1.8, mae: 0.2, val_mae: 1.9 })],
        evaluation: { task: 'regression', rmse: 3, mae: 2, count: 10, target: 'pollution' },
      },
      { summary: summary('2'), graph, datasetName: 'pm', metrics: [epoch(0, { loss: 0.9 }), epoch(1, { loss: 0.7 })] },
    ]);
    expect(c.runs[0]!.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(c.runs[0]!.best).toMatchObject({ key: 'val_loss', value: 1.5, epoch: 1 });
    expect(c.runs[1]!.best).toMatchObject({ key: 'loss', value: 0.7, epoch: 1 });
    expect(c.runs[0]!.evaluation).toEqual({ task: 'regression', rmse: 3, mae: 2, count: 10, target: 'pollution' });
    expect(c.metricKeys).toEqual(['loss', 'val_loss', 'mae', 'val_mae']);
  });
});

describe('helpers', () => {
  it('epochPoints keeps the latest point of a repeated epoch, in epoch order', () => {
    expect(epochPoints([epoch(1, { loss: 3 }), epoch(0, { loss: 2 }), epoch(1, { loss: 1 })])).toEqual([
      { epoch: 0, logs: { loss: 2 } },
      { epoch: 1, logs: { loss: 1 } },
    ]);
  });
  it('bestEpoch skips non-finite values and has none for no epochs', () => {
    expect(bestEpoch([{ epoch: 0, logs: { loss: NaN } }, { epoch: 1, logs: { loss: 4 } }])?.epoch).toBe(1);
    expect(bestEpoch([])).toBeUndefined();
  });
  it('layerSummary reads a graph with no layers', () => {
    expect(layerSummary({ version: 1, nodes: [], edges: [] })).toBe('no layers');
  });
  it('nextRunNumber never gives two runs in the project the same default name, after deletes and renames', () => {
    expect(nextRunNumber([])).toBe(1);
    expect(nextRunNumber([{ name: 'Run 2' }])).toBe(3); // Run 1 was deleted
    expect(nextRunNumber([{ name: 'wide' }, { name: 'narrow' }])).toBe(3);
    expect(nextRunNumber([{ name: 'Run 7 (from Run 3)' }, { name: 'Run 3' }])).toBe(8);
  });
});
