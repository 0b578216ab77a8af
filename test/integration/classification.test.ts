/** A categorical target: the MLP template, training, and accuracy with a confusion matrix. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import { ProjectStore } from '../../main/store/index.js';
import { ROOT } from '../helpers/serve.js';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/training.js';

describe('classification', () => {
  it('trains an MLP on a categorical target and evaluates accuracy with a confusion matrix', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-cls-'));
    const csv = path.join(tmp, 'points.csv');
    // Three classes by the angle of (x, y): learnable, not trivially linear.
    const rows: string[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 1500; i++) {
      const x = rnd() * 2 - 1;
      const y = rnd() * 2 - 1;
      const a = Math.atan2(y, x);
      rows.push(`${x.toFixed(4)},${y.toFixed(4)},${a < -1 ? 'red' : a < 1.2 ? 'green' : 'blue'}`);
    }
    writeFileSync(csv, 'x,y,colour\n' + rows.join('\n') + '\n');
    const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importCsv({ path: csv });
      expect(d.profile.columns.map((c) => c.type)).toEqual(['number', 'number', 'categorical']);
      const config = structuredClone(d.config);
      for (const c of config.columns) c.role = c.name === 'colour' ? 'target' : 'feature';
      await h.datasets.configure({ id: d.id, config });
      const layout = await h.datasets.layout({ id: d.id });
      expect(layout).toMatchObject({ task: 'classification', classes: ['blue', 'green', 'red'], outputUnits: 3, inputShape: [2] });
      await h.models.fromTemplate({ template: 'mlp', datasetId: d.id });
      const run = await h.training.start({
        datasetId: d.id,
        settings: { ...DEFAULT_TRAIN_SETTINGS, loss: 'categoricalCrossentropy', metrics: ['accuracy'], learningRate: 0.01, batchSize: 32, epochs: 15, backend: 'wasm' },
      });
      const ended = await h.training.wait({ runId: run.id });
      expect(ended.status, ended.error).toBe('completed');
      const e = await h.evaluation.run({ runId: run.id });
      if (e.task !== 'classification') throw new Error('expected a classification evaluation');
      expect(e.classes).toEqual(['blue', 'green', 'red']);
      expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(e.count);
      expect(e.count).toBe(300); // 20% of 1500
      expect(e.accuracy).toBeGreaterThan(0.8);
      expect(await h.evaluation.get({ runId: run.id })).toEqual(e);

      // A run trained on a GPU, evaluated where the GPU package does not load, uses the best backend that does.
      const other = ProjectStore.open(path.join(tmp, 'p'));
      other.updateRun(run.id, { backend: { name: 'tensorflow-gpu', device: 'GPU (CUDA)', attempts: [] } });
      other.close();
      const again = await h.evaluation.run({ runId: run.id });
      expect(again).toMatchObject({ task: 'classification', count: e.count });
      if (again.task === 'classification') expect(again.accuracy).toBeCloseTo(e.accuracy, 5);

      // Early stopping with no patience on a learning rate far too high: the run ends early, the
      // store says when and why, and a reopened project still knows.
      const early = await h.training.start({
        datasetId: d.id,
        settings: {
          ...DEFAULT_TRAIN_SETTINGS,
          loss: 'categoricalCrossentropy',
          metrics: ['accuracy'],
          learningRate: 0.01,
          batchSize: 32,
          epochs: 40,
          backend: 'wasm',
          earlyStopping: { monitor: 'val_loss', patience: 0, minDelta: 10, restoreBestWeights: true },
        },
      });
      const stopped = await h.training.wait({ runId: early.id });
      expect(stopped.status, stopped.error).toBe('completed');
      expect(stopped.epochsDone).toBeLessThan(40);
      expect(stopped.earlyStopping).toMatchObject({ monitor: 'val_loss', bestEpoch: 0, stoppedEpoch: 1 });
      const reopened = ProjectStore.open(path.join(tmp, 'p'));
      expect(reopened.listRuns().find((r) => r.id === early.id)?.earlyStopping).toEqual(stopped.earlyStopping);
      reopened.close();
    } finally {
      await core.dispose();
    }
  });
});
