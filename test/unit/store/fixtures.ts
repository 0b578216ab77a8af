/** Small, complete domain objects for the store tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { defaultDatasetConfig, type CsvProfile, type TabularDataset } from '../../../shared/dataset.js';
import type { Evaluation } from '../../../shared/evaluation.js';
import { stackToGraph, type ModelGraph } from '../../../shared/graph.js';
import { DEFAULT_TRAIN_SETTINGS, type MetricPoint, type Run } from '../../../shared/training.js';

const made: string[] = [];

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-store-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

export const profile: CsvProfile = {
  delimiter: ',',
  hasHeader: true,
  rowCount: 3,
  columns: [
    { name: 'temp', index: 0, type: 'number', missing: 0, distinct: 3, min: 1, max: 3, mean: 2, std: 0.8, histogram: [1, 1, 1] },
    { name: 'wnd_dir', index: 1, type: 'categorical', missing: 0, distinct: 2, topValues: [{ value: 'NE', count: 2 }], categories: ['NE', 'SW'] },
    { name: 'pollution', index: 2, type: 'number', missing: 1, distinct: 2, min: 10, max: 20 },
  ],
  preview: [['1', 'NE', '10'], ['2', 'SW', '']],
};

export function dataset(id = 'ds1', createdAt = '2024-01-01T00:00:00.000Z'): TabularDataset {
  return {
    id, name: `Dataset ${id}`, kind: 'tabular', sourceName: 'pollution.csv', sha256: 'ab'.repeat(32), bytes: 1234,
    profile, config: defaultDatasetConfig(profile), createdAt,
  };
}

export const graph: ModelGraph = stackToGraph([
  { type: 'Input', config: { shape: [3] } },
  { type: 'Dense', config: { units: 8, activation: 'relu' } },
  { type: 'Dense', config: { units: 1 } },
]);

export function run(id = 'run1', datasetId = 'ds1', startedAt = '2024-01-02T00:00:00.000Z'): Omit<Run, 'metrics'> {
  return {
    id, name: `Run ${id}`, datasetId, status: 'running', settings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 10 },
    graph, epochsDone: 0, startedAt, hasWeights: false,
  };
}

export function metricPoints(n: number): MetricPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: i % 10 === 9 ? 'epoch' : 'batch', epoch: Math.floor(i / 10), batch: i % 10, step: i, logs: { loss: 1 / (i + 1), mae: i * 0.5 },
  }));
}

export const evaluation: Evaluation = {
  task: 'regression', runId: 'run1', target: 'pollution', count: 3, mae: 1.5, rmse: 2.25, actual: [1, 2, 3], predicted: [1.5, 2, 2], rows: [7, 8, 9],
};
