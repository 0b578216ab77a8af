/**
 * Training image classifiers through the core, on the real trainer process and the wasm backend:
 * a generated class-folder dataset (resized to an edited Input shape, one image that no longer
 * decodes skipped by name, the decoded images reused from the cache until a label changes), a
 * subset of the real Fashion-MNIST IDX files, and the datasets and models it must refuse.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { createCore, type Core } from '../../main/core.js';
import { ROOT } from '../helpers/serve.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../shared/training.js';
import type { TrainingPreparing } from '../../shared/api/training.js';
import type { ModelGraph } from '../../shared/graph.js';

const FASHION = '/usr/share/datasets/fashion-mnist';

function makeCore(tmp: string): Core {
  return createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
}

const SETTINGS: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, loss: 'categoricalCrossentropy', metrics: ['accuracy'], optimizer: 'adam', learningRate: 0.01, batchSize: 16, backend: 'wasm' };

/** A seeded stream, so the generated images are the same on every run. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
}

/** 32×32 RGB PNGs in three class folders: horizontal stripes, vertical stripes, one bright square; colours and phases vary. */
async function patterns(root: string, perClass: number): Promise<void> {
  const rnd = random(11);
  const kinds = ['horizontal', 'vertical', 'square'] as const;
  for (const kind of kinds) {
    mkdirSync(path.join(root, kind), { recursive: true });
    for (let n = 0; n < perClass; n++) {
      const px = Buffer.alloc(32 * 32 * 3);
      const phase = Math.floor(rnd() * 8);
      const colour = [80 + rnd() * 175, 80 + rnd() * 175, 80 + rnd() * 175];
      const sx = Math.floor(rnd() * 20);
      const sy = Math.floor(rnd() * 20);
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const on = kind === 'horizontal' ? (y + phase) % 8 < 4 : kind === 'vertical' ? (x + phase) % 8 < 4 : x >= sx && x < sx + 12 && y >= sy && y < sy + 12;
          for (let c = 0; c < 3; c++) px[(y * 32 + x) * 3 + c] = Math.min(255, Math.max(0, (on ? colour[c]! : 30) + (rnd() - 0.5) * 40));
        }
      await sharp(px, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(path.join(root, kind, `${kind}-${n}.png`));
    }
  }
}

function withInputShape(graph: ModelGraph, shape: number[]): ModelGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.type === 'Input' ? { ...n, config: { ...n.config, shape } } : n)) };
}

function cacheFiles(project: string, datasetId: string, shape: string): Map<string, number> {
  const dir = path.join(project, 'cache', 'images', datasetId, shape);
  return new Map(readdirSync(dir).map((f) => [f, statSync(path.join(dir, f)).mtimeMs]));
}

describe('image classification training', () => {
  it('trains a small CNN on class folders at an edited input size, skips an image that no longer decodes, and reuses the decoded images until a label changes', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-imgtrain-'));
    await patterns(path.join(tmp, 'shapes'), 40);
    const project = path.join(tmp, 'p');
    const core = makeCore(tmp);
    const h = core.handlers;
    const preparing: TrainingPreparing[] = [];
    core.onEvent((e, p) => e === 'training.preparing' && preparing.push(p as TrainingPreparing));
    try {
      await h.projects.create({ dir: project });
      const d = await h.datasets.importImages({ path: path.join(tmp, 'shapes') });
      const layout = await h.datasets.layout({ id: d.id });
      expect(layout).toMatchObject({ task: 'classification', classes: ['horizontal', 'square', 'vertical'], outputUnits: 3, inputShape: [32, 32, 3] });

      // The template is sized to the images; the user halves the Input, and the images are resized to it.
      const template = await h.models.fromTemplate({ template: 'image-small', datasetId: d.id });
      expect(template.nodes[0]!.config['shape']).toEqual([32, 32, 3]);
      expect(template.nodes.at(-1)!.config).toMatchObject({ units: 3, activation: 'softmax' });
      await h.models.set({ graph: withInputShape(template, [16, 16, 3]) });

      // One image's stored file is damaged after the import: training names it and goes on without it.
      const page = await h.labels.items({ filter: { datasetId: d.id, sort: 'name' }, offset: 0, limit: 1 });
      const broken = page.items[0]!;
      writeFileSync(path.join(project, 'media', `${broken.sha256}${broken.ext}`), 'not a PNG any more');

      const run = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 12 } });
      const ended = await h.training.wait({ runId: run.id });
      expect(ended.status, ended.error).toBe('completed');
      const last = preparing.filter((p) => p.runId === run.id).at(-1)!;
      expect(last).toMatchObject({ done: true, total: 120, images: 120, skipped: 1 });
      expect(last.skippedFiles[0]).toContain(broken.relPath);
      expect(ended.finalLogs?.['acc'] ?? ended.finalLogs?.['accuracy']).toBeGreaterThan(0.8);

      const e = await h.evaluation.run({ runId: run.id });
      if (e.task !== 'classification') throw new Error(`expected a classification evaluation, got ${e.task}`);
      expect(e.classes).toEqual(['horizontal', 'square', 'vertical']);
      // 120 images, 20 % test by class (8 each), less the broken one if it drew the test split.
      expect(e.count).toBeGreaterThanOrEqual(23);
      expect(e.confusion.flat().reduce((a, b) => a + b, 0)).toBe(e.count);
      expect(e.accuracy).toBeGreaterThan(0.8);

      // A second run decodes nothing: every split comes from the cache, whose files are untouched.
      const before = cacheFiles(project, d.id, '16x16x3');
      expect([...before.keys()].filter((f) => f.endsWith('.u8'))).toHaveLength(3);
      const again = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1 } });
      expect((await h.training.wait({ runId: again.id })).status).toBe('completed');
      expect(preparing.filter((p) => p.runId === again.id).at(-1)).toMatchObject({ done: true, total: 0, skipped: 1 });
      expect(cacheFiles(project, d.id, '16x16x3')).toEqual(before);

      // Relabelling one image changes its split's key: that split alone is decoded again, the old file removed.
      const classes = await h.labels.classes({ datasetId: d.id });
      const item = (await h.labels.items({ filter: { datasetId: d.id, sort: 'name' }, offset: 0, limit: 2 })).items[1]!;
      await h.labels.apply({ datasetId: d.id, op: { kind: 'setClass', items: [{ itemId: item.id, classId: classes.find((c) => c.id !== item.classId)!.id }] } });
      const third = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1 } });
      expect((await h.training.wait({ runId: third.id })).status).toBe('completed');
      const redone = preparing.filter((p) => p.runId === third.id).at(-1)!;
      expect(redone.total).toBeGreaterThan(0);
      expect(redone.total).toBeLessThan(120);
      const after = cacheFiles(project, d.id, '16x16x3');
      expect([...after.keys()].filter((f) => f.endsWith('.u8'))).toHaveLength(3);
      expect([...after.keys()].filter((f) => before.has(f))).toHaveLength(4); // two splits' .u8 + .json kept
    } finally {
      await core.dispose();
    }
  }, 240_000);

  it('refuses an unlabelled dataset, a dataset of one class and a model whose input is not an image, saying why', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-imgtrain-bad-'));
    const plain = path.join(tmp, 'plain');
    mkdirSync(plain);
    for (let i = 0; i < 4; i++) await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i * 60, g: 0, b: 0 } } }).png().toFile(path.join(plain, `img-${i}.png`));
    const core = makeCore(tmp);
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importImages({ path: plain });
      await h.models.fromTemplate({ template: 'image-small', datasetId: d.id });
      await expect(h.datasets.layout({ id: d.id })).rejects.toThrow(/has no image with a class \(4 images\).*Label view/);
      await expect(h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1 } })).rejects.toMatchObject({ code: 'LABEL_INVALID' });

      const cls = await h.labels.addClass({ datasetId: d.id, name: 'red' });
      const items = (await h.labels.items({ filter: { datasetId: d.id }, offset: 0, limit: 10 })).items;
      await h.labels.apply({ datasetId: d.id, op: { kind: 'setClass', items: items.map((i) => ({ itemId: i.id, classId: cls.id })) } });
      await expect(h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1 } })).rejects.toThrow(/one class only \('red', 4 images\).*at least two classes/);

      const other = await h.labels.addClass({ datasetId: d.id, name: 'dark' });
      await h.labels.apply({ datasetId: d.id, op: { kind: 'setClass', items: [{ itemId: items[0]!.id, classId: other.id }] } });
      // J1's MLP without a dataset to size it takes rows of (1, 8) features.
      await h.models.fromTemplate({ template: 'mlp' });
      await expect(h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1 } })).rejects.toThrow(
        /input 'input' takes \(batch, 1, 8\), but this dataset feeds images as \(height, width, channels\)/,
      );
    } finally {
      await core.dispose();
    }
  }, 60_000);

  it('trains on a subset of the real Fashion-MNIST IDX files well above chance', async (ctx) => {
    if (!existsSync(path.join(FASHION, 'train-images-idx3-ubyte.gz')))
      return ctx.skip(`${FASHION} is missing: install the Debian package dataset-fashion-mnist to run this test`);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-fashion-'));
    // The first 3,000 training and 600 test images, as IDX files of their own (the folder name gives the class names).
    const src = path.join(tmp, 'fashion-subset');
    mkdirSync(src);
    const subset = (name: string, headerBytes: number, itemBytes: number, n: number) => {
      const all = gunzipSync(readFileSync(path.join(FASHION, name)));
      const out = Buffer.from(all.subarray(0, headerBytes + n * itemBytes));
      out.writeUInt32BE(n, 4);
      writeFileSync(path.join(src, name), gzipSync(out));
    };
    subset('train-images-idx3-ubyte.gz', 16, 784, 3000);
    subset('train-labels-idx1-ubyte.gz', 8, 1, 3000);
    subset('t10k-images-idx3-ubyte.gz', 16, 784, 600);
    subset('t10k-labels-idx1-ubyte.gz', 8, 1, 600);
    const core = makeCore(tmp);
    const h = core.handlers;
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importImages({ path: src });
      const layout = await h.datasets.layout({ id: d.id });
      expect(layout).toMatchObject({ inputShape: [28, 28, 1], outputUnits: 10, classes: expect.arrayContaining(['T-shirt/top', 'Ankle boot']) });
      await h.models.fromTemplate({ template: 'image-small', datasetId: d.id });

      // Stopped while its 3,600 images are being decoded: the run says so, and no half-written file is left.
      const preparing: TrainingPreparing[] = [];
      core.onEvent((e, p) => e === 'training.preparing' && preparing.push(p as TrainingPreparing));
      const early = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, epochs: 1 } });
      await expect.poll(() => preparing.length).toBeGreaterThan(0);
      await h.training.stop({ runId: early.id });
      const stopped = await h.training.wait({ runId: early.id });
      expect(stopped).toMatchObject({ status: 'stopped', error: 'Stopped while its images were being prepared; nothing was trained.' });
      const cache = path.join(tmp, 'p', 'cache', 'images', d.id, '28x28x1');
      expect(readdirSync(cache).filter((f) => f.endsWith('.partial'))).toEqual([]);

      const run = await h.training.start({ datasetId: d.id, settings: { ...SETTINGS, batchSize: 50, epochs: 4 } });
      const ended = await h.training.wait({ runId: run.id });
      expect(ended.status, ended.error).toBe('completed');
      const e = await h.evaluation.run({ runId: run.id });
      if (e.task !== 'classification') throw new Error(`expected a classification evaluation, got ${e.task}`);
      // IDX gives the split: the t10k images are the test split.
      expect(e.count).toBe(600);
      expect(e.classes).toHaveLength(10);
      // Chance is 10 %.
      expect(e.accuracy).toBeGreaterThan(0.55);

      // Removing the dataset removes its decoded images too.
      await h.datasets.remove({ id: d.id });
      expect(existsSync(path.join(tmp, 'p', 'cache', 'images', d.id))).toBe(false);
    } finally {
      await core.dispose();
    }
  }, 240_000);
});
