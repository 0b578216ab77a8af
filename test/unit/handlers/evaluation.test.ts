/**
 * From the trainer's predictions to the stored evaluation and the gallery's pages, on a real
 * project store with a real CSV in its media folder (no model: the predictions are given).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store/project-store.js';
import { publicEvaluation, toEvaluation } from '../../../main/handlers/evaluation-results.js';
import { galleryPage } from '../../../main/handlers/evaluation-gallery.js';
import type { EvaluationOutput } from '../../../main/jobs/messages.js';
import type { ClassificationEvaluation, RegressionEvaluation } from '../../../shared/evaluation.js';
import { AppError } from '../../../shared/errors.js';
import { MAX_GALLERY_SAMPLES } from '../../../shared/evaluation-gallery.js';
import { dataset, run, tempDir } from '../store/fixtures.js';

// The fixture dataset's profile: temp, wnd_dir, pollution (3 rows); features temp and wnd_dir.
const CSV = 'temp,wnd_dir,pollution\n1,NE,10\n2,SW,\n3,NE,20\n';

function storeWithRun(): ProjectStore {
  const store = ProjectStore.create(path.join(tempDir(), 'p'));
  const d = dataset();
  fs.writeFileSync(path.join(store.mediaDir, `${d.sha256}.csv`), CSV);
  store.insertDataset(d);
  store.insertRun(run());
  return store;
}

// Three samples (data rows 0, 1, 2) of classes NE (0) and SW (1).
const output: EvaluationOutput = {
  task: 'classification',
  target: 'wnd_dir',
  classes: ['NE', 'SW'],
  actual: [0, 1, 0],
  predicted: [0, 0, 1],
  rows: [0, 1, 2],
  probabilities: [
    [0.9, 0.1],
    [0.6, 0.4],
    [0.3, 0.7],
  ],
};

function caught(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function rejected(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (e instanceof AppError) return e;
  throw new Error(`expected an AppError, got ${String(e)}`);
}

describe('toEvaluation and publicEvaluation', () => {
  it('a classification gets per-class metrics, curves from the probabilities and its gallery samples; the api sees no samples', () => {
    const stored = toEvaluation('run1', output);
    if (stored.task !== 'classification') throw new Error('expected a classification');
    expect(stored.confusion).toEqual([
      [1, 1],
      [1, 0],
    ]);
    expect(stored.perClass!.map((c) => c.support)).toEqual([2, 1]);
    expect(stored.confusedPairs).toEqual([
      { actual: 0, predicted: 1, count: 1, share: 0.5 },
      { actual: 1, predicted: 0, count: 1, share: 1 },
    ]);
    // NE scored .9 .6 .3 with positives at .9 and .3: AP = 1/2·1 + 1/2·2/3 = 5/6.
    expect(stored.curves![0]!.averagePrecision).toBeCloseTo(5 / 6, 12);
    expect(stored.gallerySamples).toBe(3);
    expect(stored.samples).toMatchObject({ topClasses: [[0, 1], [0, 1], [1, 0]], actualProb: [0.9, 0.4, 0.3] });
    const shown = publicEvaluation(stored);
    expect('samples' in shown).toBe(false);
    expect(shown).toMatchObject({ accuracy: 1 / 3, gallerySamples: 3 });
  });

  it('an evaluation saved before per-class metrics existed gets them from its confusion matrix', () => {
    const old: ClassificationEvaluation = { task: 'classification', runId: 'r', target: 't', count: 3, accuracy: 1 / 3, classes: ['a', 'b'], confusion: [[1, 1], [1, 0]] };
    const e = publicEvaluation(old) as ClassificationEvaluation;
    expect(e.perClass![0]).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(e.curves).toBeUndefined();
    const oldReg: RegressionEvaluation = { task: 'regression', runId: 'r', target: 'y', count: 4, mae: 0.625, rmse: 0.75, actual: [1, 2, 3, 4], predicted: [1.5, 2, 2, 5], rows: [0, 1, 2, 3] };
    expect((publicEvaluation(oldReg) as RegressionEvaluation).r2).toBeCloseTo(0.55, 12);
  });

  it('keeps at most MAX_GALLERY_SAMPLES samples, every mistake among them when they are few', () => {
    const n = MAX_GALLERY_SAMPLES + 5000;
    const actual = Array.from({ length: n }, () => 0);
    const predicted = actual.map((_, i) => (i === 123 ? 1 : 0));
    const stored = toEvaluation('r', { ...output, actual, predicted, rows: actual.map((_, i) => i), probabilities: actual.map(() => [0.8, 0.2]) });
    const s = (stored as { samples: { rows: number[]; predicted: number[] } }).samples;
    expect(s.rows).toHaveLength(MAX_GALLERY_SAMPLES);
    expect(s.rows[s.predicted.indexOf(1)]).toBe(123);
    expect((stored as ClassificationEvaluation).count).toBe(n);
  });

  it('a regression gets R² and a histogram of every residual; time order as the handler says', () => {
    const e = toEvaluation('r', { task: 'regression', target: 'y', actual: [1, 2, 3, 4], predicted: [1.5, 2, 2, 5], rows: [0, 1, 2, 3] }, { timeSeries: true }) as RegressionEvaluation;
    expect(e.r2).toBeCloseTo(0.55, 12);
    expect(e.residualHistogram!.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(e.timeSeries).toBe(true);
  });
});

describe('galleryPage', () => {
  it('gives a cell its rows with their input values from the CSV and their top probabilities', async () => {
    const store = storeWithRun();
    store.saveEvaluation('run1', toEvaluation('run1', output));
    const page = await galleryPage(store, { runId: 'run1', actual: 1, predicted: 0, offset: 0, limit: 10 });
    expect(page).toEqual({
      actual: 1,
      predicted: 0,
      total: 1,
      kept: 1,
      offset: 0,
      items: [
        {
          row: 1,
          values: [
            { column: 'temp', value: '2' },
            { column: 'wnd_dir', value: 'SW' },
          ],
          actual: 1,
          predicted: 0,
          top: [
            { classIndex: 0, probability: 0.6 },
            { classIndex: 1, probability: 0.4 },
          ],
          actualProbability: 0.4,
        },
      ],
    });
    // The last row of the file is read too (the pass stops after the last row it needs).
    const last = await galleryPage(store, { runId: 'run1', actual: 0, predicted: 1, offset: 0, limit: 10 });
    expect(last.items[0]!.values).toEqual([
      { column: 'temp', value: '3' },
      { column: 'wnd_dir', value: 'NE' },
    ]);
    // Past the end: an empty page that still says how many there are.
    expect(await galleryPage(store, { runId: 'run1', actual: 0, predicted: 1, offset: 5, limit: 10 })).toMatchObject({ total: 1, kept: 1, items: [] });
    store.close();
  });

  it('orders a cell most confident first and pages through it', async () => {
    const store = storeWithRun();
    const all0 = { ...output, actual: [0, 0, 0], predicted: [0, 0, 0], probabilities: [[0.6, 0.4], [0.95, 0.05], [0.8, 0.2]] };
    store.saveEvaluation('run1', toEvaluation('run1', all0));
    const p1 = await galleryPage(store, { runId: 'run1', actual: 0, predicted: 0, offset: 0, limit: 2 });
    expect(p1.items.map((i) => i.row)).toEqual([1, 2]);
    const p2 = await galleryPage(store, { runId: 'run1', actual: 0, predicted: 0, offset: 2, limit: 2 });
    expect(p2.items.map((i) => i.row)).toEqual([0]);
    store.close();
  });

  it('image items carry the image for its thumbnail', async () => {
    const store = storeWithRun();
    store.insertImageDataset(
      { id: 'img', name: 'pets', kind: 'images', sourceName: 'pets', sha256: '', bytes: 0, profile: { format: 'class-folders', imageCount: 1, problems: [], notes: [], task: 'classification' }, config: { height: 28, width: 28, channels: 1, task: 'classification' }, createdAt: '2026-01-01T00:00:00.000Z' },
      ['cat', 'dog'],
      [{ sha256: 'c'.repeat(64), ext: '.png', relPath: 'cat/1.png', width: 28, height: 28, split: 'test', classIndex: 0, frame: null, boxes: [] }],
    );
    const [image] = store.images.page({ datasetId: 'img' }, 0, 1);
    store.saveEvaluation('run1', toEvaluation('run1', { ...output, classes: ['cat', 'dog'], actual: [0], predicted: [1], rows: [0], probabilities: [[0.2, 0.8]], itemIds: [image!.id] }));
    const page = await galleryPage(store, { runId: 'run1', actual: 0, predicted: 1, offset: 0, limit: 5 });
    expect(page.items[0]!.image).toEqual({ id: image!.id, sha256: 'c'.repeat(64), ext: '.png', name: 'cat/1.png' });
    expect(page.items[0]!.values).toBeUndefined();
    store.close();
  });

  it('says what is wrong: not evaluated, a regression, a class out of range', async () => {
    const store = storeWithRun();
    expect((await rejected(galleryPage(store, { runId: 'run1', actual: 0, predicted: 0, offset: 0, limit: 5 }))).message).toBe(
      "Run 'Run run1' has not been evaluated yet; evaluate it to browse its test items.",
    );
    store.saveEvaluation('run1', toEvaluation('run1', output));
    expect((await rejected(galleryPage(store, { runId: 'run1', actual: 2, predicted: 0, offset: 0, limit: 5 }))).message).toBe(
      'actual must be a class index from 0 to 1 (NE, SW); got 2.',
    );
    store.saveEvaluation('run1', toEvaluation('run1', { task: 'regression', target: 'y', actual: [1], predicted: [1], rows: [0] }));
    expect((await rejected(galleryPage(store, { runId: 'run1', actual: 0, predicted: 0, offset: 0, limit: 5 }))).code).toBe('INVALID_REQUEST');
    expect(caught(() => store.getRun('nope')).code).toBe('NOT_FOUND');
    store.close();
  });
});
