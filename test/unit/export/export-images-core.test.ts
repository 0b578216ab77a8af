/**
 * Exporting an image classifier through the core, as the dialog and the CLI do: a real project,
 * class folders imported, image-small trained for an epoch on the real trainer process (wasm),
 * then the Python export holds the images as training decoded them and its report says so, and
 * layerbench.json (TF.js) and the .keras's metadata.json describe the input and the classes. And a
 * detector: synthetic shapes imported as COCO, the Grid detector trained an epoch and evaluated,
 * then exported with its training images as COCO, its head and its evaluation's threshold.
 * Uses the built trainer (dist/main/worker.js): run `npm run build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createCore, type Core } from '../../../main/core.js';
import { ROOT } from '../../helpers/serve.js';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/training.js';
import { readStoredZip } from './unzip.js';
import { writeShapesCoco } from '../../helpers/detection-data.js';
import { PYTHON, torchMissing } from './python-helpers.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const WORKER = path.join(ROOT, 'dist', 'main', 'worker.js');
const CLASSES = ['bars', 'dots', 'plain'];

let tmp: string;
let core: Core;
let run: Awaited<ReturnType<Core['handlers']['training']['wait']>>;

/** 12 grey 20×20 PNGs per class folder. */
async function folders(root: string): Promise<void> {
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (const [k, name] of CLASSES.entries()) {
    mkdirSync(path.join(root, name), { recursive: true });
    for (let n = 0; n < 12; n++) {
      const px = Buffer.alloc(20 * 20);
      for (let i = 0; i < px.length; i++) {
        const x = i % 20;
        const y = Math.floor(i / 20);
        const on = k === 0 ? x % 4 < 2 : k === 1 ? x % 5 === 0 && y % 5 === 0 : false;
        px[i] = Math.floor((on ? 200 : 40) + rnd() * 30);
      }
      await sharp(px, { raw: { width: 20, height: 20, channels: 1 } }).png().toFile(path.join(root, name, `${name}-${n}.png`));
    }
  }
}

beforeAll(async () => {
  if (!existsSync(WORKER)) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-export-img-'));
  await folders(path.join(tmp, 'images'));
  core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: WORKER });
  const h = core.handlers;
  await h.projects.create({ dir: path.join(tmp, 'p') });
  const d = await h.datasets.importImages({ path: path.join(tmp, 'images') });
  await h.models.set({ graph: await h.models.fromTemplate({ template: 'image-small', datasetId: d.id }) });
  const started = await h.training.start({ datasetId: d.id, settings: { ...DEFAULT_TRAIN_SETTINGS, loss: 'categoricalCrossentropy', metrics: ['accuracy'], optimizer: 'adam', batchSize: 8, epochs: 1, backend: 'wasm' } });
  run = await h.training.wait({ runId: started.id });
}, 180_000);
afterAll(async () => {
  await core?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!existsSync(WORKER))('exporting an image classifier through the core', () => {
  it('the Python export holds the decoded images as uint8 arrays and the report says what was exported', async () => {
    expect(run.status, run.error).toBe('completed');
    const r = await core.handlers.export.python({ runId: run.id });
    const rel = r.report.files.map((f) => f.path);
    expect(rel).toEqual(expect.arrayContaining(['data/x0_input.npy', 'data/y.npy', 'data/split.npy', 'data/items.npy', 'data/files.json', 'data/dataset.json']));
    const meta = JSON.parse(await readFile(path.join(r.dir, 'data', 'dataset.json'), 'utf8'));
    expect(meta).toMatchObject({ task: 'classification', kind: 'images', classes: CLASSES, inputs: [{ dtype: 'uint8', divide_by: 255, shape: [20, 20, 3] }] });
    expect(meta.counts.train + meta.counts.validation + meta.counts.test).toBe(36);
    // 36 images of 20×20×3 bytes (the import keeps grey PNGs as RGB) after a 128-byte header.
    expect(r.report.files.find((f) => f.path === 'data/x0_input.npy')!.bytes).toBe(128 + 36 * 1200);
    expect(r.report).toMatchObject({ task: 'classification', classes: CLASSES, data: { format: 'arrays' } });
    expect(r.report.data && 'summary' in r.report.data ? r.report.data.summary : '').toMatch(/images as training decoded them/);
    const md = await readFile(path.join(r.dir, 'EXPORT.md'), 'utf8');
    expect(md).toMatch(/Dataset files: \.npy arrays in data\/: the images as training decoded them/);
    expect(md).toMatch(/stretched to the input's height and width/);
    // Compared on the run's own test images, decoded as training decoded them.
    const torch = r.report.parity.find((p) => p.method.startsWith('model_torch.py'))!;
    expect(torch.status).not.toBe('failed');
    if (torch.status === 'passed') expect(torch).toMatchObject({ inputs: 'test split', samples: meta.counts.test });
  }, 120_000);

  it("layerbench.json and the .keras's metadata.json describe the input (stretch, / 255) and the classes", async () => {
    const t = await core.handlers.export.tfjs({ runId: run.id });
    const meta = JSON.parse(await readFile(path.join(t.dir, 'layerbench.json'), 'utf8'));
    expect(meta.image).toMatchObject({ task: 'classification', classes: CLASSES, input: { fit: 'stretch', scale: 1 / 255, height: 20, width: 20, channels: 3 } });
    const k = await core.handlers.export.keras({ runId: run.id });
    const zip = readStoredZip(new Uint8Array(await readFile(k.files.find((f) => f.endsWith('.keras'))!)));
    const kerasMeta = JSON.parse(new TextDecoder().decode(zip.get('metadata.json')!));
    expect(kerasMeta).toMatchObject({ keras_version: expect.any(String), layerbench: { task: 'classification', classes: CLASSES } });
  }, 120_000);
});

describe.skipIf(!existsSync(WORKER))('exporting a detector through the core', () => {
  it('the Python export holds its training images as COCO with their splits, the threshold its evaluation chose, and train.py trains on it', async () => {
    const dir = path.join(tmp, 'det');
    const shapes = await writeShapesCoco(path.join(dir, 'shapes'), { images: 30, size: 64, seed: 5 });
    const h = core.handlers;
    await h.projects.create({ dir: path.join(dir, 'p') });
    const d = await h.datasets.importImages({ path: shapes.dir });
    await h.models.set({ graph: await h.models.fromTemplate({ template: 'detector-grid', datasetId: d.id }) });
    const started = await h.training.start({ datasetId: d.id, settings: { ...DEFAULT_TRAIN_SETTINGS, loss: 'gridDetection', metrics: [], optimizer: 'adam', learningRate: 0.003, batchSize: 8, epochs: 1, backend: 'wasm' } });
    const trained = await h.training.wait({ runId: started.id });
    expect(trained.status, trained.error).toBe('completed');

    // Not evaluated yet: the default threshold, said to be the default.
    const before = await h.export.tfjs({ runId: trained.id });
    const unevaluated = JSON.parse(await readFile(path.join(before.dir, 'layerbench.json'), 'utf8'));
    expect(unevaluated.image).toMatchObject({ task: 'detection', classes: ['square', 'disc'], threshold: 0.3, thresholdSource: 'default', head: { kind: 'grid', rows: 4, cols: 4 } });
    expect(unevaluated.image.head.channels).toEqual(['objectness', 'cx', 'cy', 'w', 'h', 'class:square', 'class:disc']);
    expect(before.report.threshold).toEqual({ value: 0.3, source: 'default' });

    const e = await h.evaluation.run({ runId: trained.id });
    if (e.task !== 'detection') throw new Error(`expected a detection evaluation, got ${e.task}`);
    const r = await h.export.python({ runId: trained.id });
    expect(r.report).toMatchObject({ task: 'detection', classes: ['square', 'disc'], threshold: { value: e.threshold, source: 'evaluation' }, data: { format: 'coco' } });
    const counts: Record<string, number> = {};
    for (const split of ['train', 'val', 'test']) {
      const coco = JSON.parse(await readFile(path.join(r.dir, 'data', 'annotations', `instances_${split}.json`), 'utf8')) as { images: unknown[] };
      counts[split] = coco.images.length;
    }
    // The images the run was tested on (every generated image has a box, so none is left out).
    expect(counts['test']).toBe(e.count);
    expect(counts['train']! + counts['val']! + counts['test']!).toBe(30);
    const md = await readFile(path.join(r.dir, 'EXPORT.md'), 'utf8');
    expect(md).toContain(`Score threshold: ${e.threshold} (the run's evaluation: best F1 at IoU 0.5).`);
    expect(md).toMatch(/Dataset files: COCO in data\/: annotations\/instances_<split>\.json and images\/<split>\/, \d+ train, \d+ validation, \d+ test images, \d+ confirmed boxes\./);
    expect(await readFile(path.join(r.dir, 'detection_data.py'), 'utf8')).toContain(`THRESHOLD = ${e.threshold}`);
    const k = await h.export.keras({ runId: trained.id });
    const zip = readStoredZip(new Uint8Array(await readFile(k.files.find((f) => f.endsWith('.keras'))!)));
    expect(JSON.parse(new TextDecoder().decode(zip.get('metadata.json')!)).layerbench).toMatchObject({ task: 'detection', threshold: e.threshold, thresholdSource: 'evaluation' });

    const missing = await torchMissing();
    if (missing) return console.warn(`Not running the exported train.py: ${missing}`);
    const { stdout } = await promisify(execFile)(PYTHON, [path.join(r.dir, 'train.py'), '--epochs', '1'], { timeout: 120_000, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    expect(stdout).toContain(`training on ${counts['train']} samples, 1 process(es), cpu`);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ epoch: 1 });
  }, 240_000);
});
