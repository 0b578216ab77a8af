/**
 * Runs and try-it against a real project: real SQLite, real trainer processes, TF.js on wasm.
 * A row pasted into try-it predicts what evaluation predicted for that row; runs are renamed,
 * hidden, compared and deleted (never while they train).
 */
import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import { ProjectStore } from '../../main/store/index.js';
import { ROOT } from '../helpers/serve.js';
import { DEFAULT_TRAIN_SETTINGS, type RunSummary } from '../../shared/training.js';
import { dispatch } from '../../shared/api/dispatch.js';

const WORKER = path.join(ROOT, 'dist', 'main', 'worker.js');
const ROWS = 400;
const TRAIN_ROWS = 300;
/** A data row (0-based) whose temp cell is empty: training fills it with the train mean, and so must try-it. */
const MISSING_ROW = 350;

/** An hourly series: load follows temp, the wind direction and its own last value. */
function seriesCsv(file: string): string[] {
  const lines = ['hour,temp,wind,load'];
  let load = 10;
  let seed = 11;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let r = 0; r < ROWS; r++) {
    const temp = 10 + 8 * Math.sin(r / 12) + rnd();
    const wind = ['NE', 'SW', 'cv'][r % 3]!;
    load = 0.6 * load + 0.5 * temp + (wind === 'NE' ? 2 : 0) + rnd();
    lines.push(`${r % 24},${r === MISSING_ROW ? '' : temp.toFixed(3)},${wind},${load.toFixed(3)}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  return lines;
}

describe('runs and try-it', () => {
  it('predicts pasted rows as evaluation did; renames, hides, compares and deletes runs', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-runs-'));
    const csv = path.join(tmp, 'load.csv');
    const lines = seriesCsv(csv);
    const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: WORKER });
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importCsv({ path: csv });
      if (d.kind !== 'tabular') throw new Error('expected a table');
      const config = structuredClone(d.config);
      for (const c of config.columns) c.role = c.name === 'load' ? 'target' : 'feature';
      Object.assign(config, { lookback: 3, horizon: 1, targetAsInput: true, split: { kind: 'chronological', trainRows: TRAIN_ROWS, validationFraction: 0.1 } });
      await h.datasets.configure({ id: d.id, config });
      await h.models.fromTemplate({ template: 'j1-lstm', datasetId: d.id });
      const settings = { ...DEFAULT_TRAIN_SETTINGS, batchSize: 32, epochs: 3, backend: 'wasm' as const, learningRate: 0.01 };
      const a = await h.training.start({ datasetId: d.id, settings });
      expect((await h.training.wait({ runId: a.id })).status).toBe('completed');
      const b = await h.training.start({ datasetId: d.id, settings: { ...settings, learningRate: 0.001, epochs: 2 } });
      expect((await h.training.wait({ runId: b.id })).status).toBe('completed');

      // The form: the features and, with the target as an input, its own past value; a window of 3 rows.
      const form = await h.tryit.form({ runId: a.id });
      if (form.kind !== 'table') throw new Error(`expected a table form: ${JSON.stringify(form)}`);
      expect(form).toMatchObject({ task: 'regression', target: 'load', steps: 3, horizon: 1, fileColumns: ['hour', 'temp', 'wind', 'load'] });
      expect(form.columns.map((c) => [c.name, c.kind, c.isTarget ?? false])).toEqual([
        ['hour', 'number', false],
        ['temp', 'number', false],
        ['wind', 'category', false],
        ['load', 'number', true],
      ]);
      expect(form.columns[2]!.categories).toEqual(['NE', 'SW', 'cv']);

      // Paste the window (with the file's header) that evaluation predicted a test row from.
      const e = await h.evaluation.run({ runId: a.id });
      if (e.task !== 'regression') throw new Error('expected a regression evaluation');
      const rows = e.rows as number[];
      for (const target of [TRAIN_ROWS + 5, MISSING_ROW + 1]) {
        const i = rows.indexOf(target);
        expect(i).toBeGreaterThanOrEqual(0);
        // Horizon 1: the window is the 3 rows ending one row before the target row (data rows are lines[1 + r]).
        const window = [target - 3, target - 2, target - 1].map((r) => lines[1 + r]!);
        const p = await h.tryit.predict({ runId: a.id, csv: [lines[0]!, ...window].join('\n') });
        expect(p.task).toBe('regression');
        expect(p.value!).toBeCloseTo(e.predicted[i]!, 3);
        expect(Math.abs(p.value! - e.predicted[i]!)).toBeLessThan(1e-4 * Math.max(1, Math.abs(e.predicted[i]!)));
        expect(p.filled).toEqual(target === MISSING_ROW + 1 ? ['temp'] : []);
      }
      // Bad cells are named before any trainer starts.
      await expect(h.tryit.predict({ runId: a.id, rows: [['1', 'hot', 'NE', '2'], ['1', '3', 'NE', '2'], ['1', '3', 'NE', '2']] })).rejects.toThrow(
        "Column 'temp' (row 1 of 3): expected a number but found 'hot'.",
      );
      await expect(h.tryit.predict({ runId: a.id, rows: [['1', '3', 'NE', '2']] })).rejects.toThrow("Expected 3 rows (the run's window) of values but received 1.");

      // Rename, hide, compare.
      // Through dispatch, as both transports call it: the name is trimmed, an empty one refused.
      expect(((await dispatch(h, 'runs.rename', { runId: a.id, name: '  fast lr  ' })) as RunSummary).name).toBe('fast lr');
      await expect(dispatch(h, 'runs.rename', { runId: a.id, name: '   ' })).rejects.toThrow('name: a run name cannot be empty');
      await expect(dispatch(h, 'runs.compare', { runIds: [a.id] })).rejects.toThrow('pick at least 2 runs to compare');
      await expect(dispatch(h, 'runs.compare', { runIds: [a.id, a.id] })).rejects.toThrow('each run can be picked once');
      expect((await h.runs.hide({ runId: b.id, hidden: true })).hidden).toBe(true);
      expect((await h.training.list({})).map((r) => [r.name, r.hidden ?? false])).toEqual([
        ['Run 2', true],
        ['fast lr', false],
      ]);
      const c = await h.runs.compare({ runIds: [a.id, b.id] });
      expect(c.runs.map((r) => [r.summary.name, r.epochs.length, r.datasetName])).toEqual([
        ['fast lr', 3, 'load'],
        ['Run 2', 2, 'load'],
      ]);
      expect(c.settings.filter((s) => s.differs).map((s) => s.key)).toEqual(['learningRate', 'epochs']);
      expect(c.runs[0]!.evaluation).toMatchObject({ task: 'regression', rmse: e.rmse });
      expect(c.runs[0]!.best?.key).toBe('val_loss');
      expect(c.metricKeys.slice(0, 2)).toEqual(['loss', 'val_loss']);

      // A run that is training cannot be deleted; once stopped it can, with everything it kept.
      const long = await h.training.start({ datasetId: d.id, settings: { ...settings, epochs: 5000 } });
      expect(long.name).toBe('Run 3');
      await expect(h.runs.remove({ runId: long.id })).rejects.toMatchObject({ code: 'BUSY', message: expect.stringContaining('stop it before deleting it') });
      await h.training.stop({ runId: long.id });
      await h.training.wait({ runId: long.id });
      await h.runs.remove({ runId: a.id });
      await expect(h.training.get({ runId: a.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(h.tryit.form({ runId: a.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const store = ProjectStore.open(path.join(tmp, 'p'));
      expect([store.getWeights(a.id), store.getCheckpoint(a.id, 'best'), store.getEvaluation(a.id), store.getRunPrep(a.id)]).toEqual([null, null, null, null]);
      expect(store.getWeights(b.id)).not.toBeNull();
      store.close();
      // The next default name is past every existing one, not the count of runs.
      await h.runs.remove({ runId: long.id });
      const next = await h.training.start({ datasetId: d.id, settings: { ...settings, epochs: 1 } });
      expect(next.name).toBe('Run 3');
      await h.training.wait({ runId: next.id });
    } finally {
      await core.dispose();
    }
  });

  it('gives classification probabilities, most likely first', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-try-cls-'));
    const csv = path.join(tmp, 'points.csv');
    const rows = ['x,y,shape,colour'];
    for (let i = 0; i < 300; i++) {
      const x = ((i * 37) % 100) / 50 - 1;
      const y = ((i * 61) % 100) / 50 - 1;
      rows.push(`${x},${y},${i % 2 ? 'round' : 'square'},${x > 0.3 ? 'red' : y > 0 ? 'green' : 'blue'}`);
    }
    writeFileSync(csv, rows.join('\n') + '\n');
    const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: WORKER });
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importCsv({ path: csv });
      if (d.kind !== 'tabular') throw new Error('expected a table');
      const config = structuredClone(d.config);
      for (const c of config.columns) c.role = c.name === 'colour' ? 'target' : 'feature';
      await h.datasets.configure({ id: d.id, config });
      await h.models.fromTemplate({ template: 'mlp', datasetId: d.id });
      const run = await h.training.start({
        datasetId: d.id,
        settings: { ...DEFAULT_TRAIN_SETTINGS, loss: 'categoricalCrossentropy', metrics: ['accuracy'], learningRate: 0.01, batchSize: 32, epochs: 20, backend: 'wasm' },
      });
      expect((await h.training.wait({ runId: run.id })).status).toBe('completed');
      const form = await h.tryit.form({ runId: run.id });
      expect(form).toMatchObject({ kind: 'table', task: 'classification', classes: ['blue', 'green', 'red'], steps: 1 });
      // A whole row of the file, header-less: the columns are picked by position, the target ignored.
      const p = await h.tryit.predict({ runId: run.id, csv: '0.9,-0.8,round,?' });
      const probs = p.probabilities!;
      expect(probs.map((q) => q.label).sort()).toEqual(['blue', 'green', 'red']);
      expect(probs.reduce((s, q) => s + q.p, 0)).toBeCloseTo(1, 5);
      expect(probs.map((q) => q.p)).toEqual([...probs.map((q) => q.p)].sort((x, y) => y - x));
      expect(probs[0]!.label).toBe('red');
      await expect(h.tryit.predict({ runId: run.id, rows: [['0', '0', 'oval']] })).rejects.toThrow(
        "Column 'shape': 'oval' is not a value the run trained on; expected one of round, square.",
      );
    } finally {
      await core.dispose();
    }
  });

  it('classifies dropped images as evaluation classified them, and names a file that is not an image', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-try-img-'));
    // 16×16 RGB: a bright square on the left or on the right.
    let seed = 3;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const image = (side: 'left' | 'right') => {
      const px = Buffer.alloc(16 * 16 * 3);
      for (let y = 0; y < 16; y++)
        for (let x = 0; x < 16; x++) for (let c = 0; c < 3; c++) px[(y * 16 + x) * 3 + c] = ((side === 'left' ? x < 8 : x >= 8) ? 220 : 30) + Math.floor(rnd() * 30);
      return sharp(px, { raw: { width: 16, height: 16, channels: 3 } }).png().toBuffer();
    };
    for (const side of ['left', 'right'] as const) {
      mkdirSync(path.join(tmp, 'sides', side), { recursive: true });
      for (let n = 0; n < 30; n++) writeFileSync(path.join(tmp, 'sides', side, `${n}.png`), await image(side));
    }
    const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: WORKER });
    const h = core.handlers;
    try {
      const project = path.join(tmp, 'p');
      await h.projects.create({ dir: project });
      const d = await h.datasets.importImages({ path: path.join(tmp, 'sides') });
      await h.models.fromTemplate({ template: 'image-small', datasetId: d.id });
      const run = await h.training.start({
        datasetId: d.id,
        settings: { ...DEFAULT_TRAIN_SETTINGS, loss: 'categoricalCrossentropy', metrics: ['accuracy'], learningRate: 0.01, batchSize: 8, epochs: 8, backend: 'wasm' },
      });
      const ended = await h.training.wait({ runId: run.id });
      expect(ended.status, ended.error).toBe('completed');
      const form = await h.tryit.form({ runId: run.id });
      expect(form).toMatchObject({ kind: 'images', shape: [16, 16, 3], classes: ['left', 'right'] });
      await expect(h.tryit.predict({ runId: run.id, csv: '1,2' })).rejects.toThrow('classifies images; give it images, not rows of a table.');

      // A test image, as the evaluation's gallery shows it: the same probabilities from try-it.
      const e = await h.evaluation.run({ runId: run.id });
      if (e.task !== 'classification') throw new Error('expected a classification evaluation');
      const page = await h.evaluation.items({ runId: run.id, actual: 0, predicted: e.confusion[0]![0]! > 0 ? 0 : 1, offset: 0, limit: 1 });
      const item = page.items[0]!;
      const bytes = readFileSync(path.join(project, 'media', `${item.image!.sha256}${item.image!.ext}`));
      const results = await h.tryit.predictImages({
        runId: run.id,
        images: [
          { name: 'test.png', data: bytes.toString('base64') },
          { name: 'fresh-right.png', data: (await image('right')).toString('base64') },
          { name: 'notes.txt', data: Buffer.from('not an image').toString('base64') },
        ],
      });
      expect(results.map((r) => r.name)).toEqual(['test.png', 'fresh-right.png', 'notes.txt']);
      const top = results[0]!.probabilities![0]!;
      expect(top.label).toBe(e.classes[item.top[0]!.classIndex]);
      expect(Math.abs(top.p - item.top[0]!.probability)).toBeLessThan(1e-4);
      expect(results[1]!.probabilities![0]!.label).toBe('right');
      expect(results[1]!.probabilities!.reduce((n, q) => n + q.p, 0)).toBeCloseTo(1, 5);
      expect(results[2]).toEqual({ name: 'notes.txt', error: expect.stringMatching(/^notes\.txt could not be read as an image \(.+\)\.$/) });
    } finally {
      await core.dispose();
    }
  });
});
