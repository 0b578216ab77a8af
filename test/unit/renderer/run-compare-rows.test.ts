/** The comparison's result rows: values as shown and which run is marked best. */
import { describe, expect, it } from 'vitest';
import { resultRows } from '../../../renderer/src/components/RunCompare/rows.js';
import type { ComparedRun, RunComparison } from '../../../shared/runs.js';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/training.js';

function run(id: string, finalLogs: Record<string, number>, best?: ComparedRun['best'], samplesPerSec?: number): ComparedRun {
  return {
    summary: { id, name: id, datasetId: 'd', status: 'completed', settings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 5 }, epochsDone: 5, startedAt: 't', hasWeights: true, finalLogs, ...(samplesPerSec ? { samplesPerSec } : {}) },
    datasetName: 'd',
    epochs: [],
    ...(best ? { best } : {}),
  };
}

const comparison = (runs: ComparedRun[]): RunComparison => ({ runs, settings: [], metricKeys: ['loss', 'val_loss', 'accuracy', 'val_accuracy'] });

describe('resultRows', () => {
  it('marks the lowest loss and the highest accuracy', () => {
    const rows = resultRows(
      comparison([run('a', { loss: 0.5, val_loss: 0.7, accuracy: 0.8, lr: 0.1 }, undefined, 1200), run('b', { loss: 0.3, val_loss: 0.9, accuracy: 0.9 }, undefined, 800)]),
    );
    const by = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(Object.keys(by)).toEqual(['Status', 'Final loss', 'Final val loss', 'Final accuracy', 'Best epoch', 'Samples/s']);
    expect(by['Final loss']).toEqual({ label: 'Final loss', values: ['0.5', '0.3'], best: 1 });
    expect(by['Final val loss']!.best).toBe(0);
    expect(by['Final accuracy']!.best).toBe(1);
    expect(by['Samples/s']).toEqual({ label: 'Samples/s', values: ['1,200', '800'], best: 0 });
    expect(by['Status']!.values).toEqual(['completed · 5/5 epochs', 'completed · 5/5 epochs']);
  });

  it('marks no best where values tie, are missing, or were judged by different keys', () => {
    const rows = resultRows(
      comparison([
        run('a', { loss: 0.5 }, { key: 'val_loss', value: 0.4, epoch: 2, logs: {} }),
        run('b', { loss: 0.5, val_loss: 0.2 }, { key: 'loss', value: 0.1, epoch: 0, logs: {} }),
      ]),
    );
    const by = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(by['Final loss']!.best).toBeUndefined();
    expect(by['Final val loss']).toEqual({ label: 'Final val loss', values: ['–', '0.2'] });
    expect(by['Best epoch']).toEqual({ label: 'Best epoch', values: ['val loss 0.4 at epoch 3', 'loss 0.1 at epoch 1'] });
  });
});
