/**
 * The Python export of an image classifier: data/ holds the images exactly as training decoded
 * them (the decode cache's bytes, uint8 [N, 28, 28, 1]), one-hot classes, splits, item ids and
 * names; train.py's dataset gives each sample as the app's training loop does (byte / 255,
 * float32); and `torchrun --nproc_per_node=2` trains one epoch on it. The images are generated
 * Fashion-MNIST-like 28×28 grey PNGs, decoded by the app's own prepareTrainingImages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { loadBackend } from '../../../main/engine/backend.js';
import { prepareTrainingImages, type PreparedSplit, type TrainingImage } from '../../../main/importers/images/training-data.js';
import { writePythonExport } from '../../../main/export/python/index.js';
import { imagePreprocessing } from '../../../main/export/metadata.js';
import { buildTemplate } from '../../../shared/templates.js';
import { mulberry32 } from '../../../shared/random.js';
import type { Split } from '../../../shared/images.js';
import { randomModel } from './fixtures.js';
import { PYTHON, torchMissing } from './python-helpers.js';

const run = promisify(execFile);
const missing = await torchMissing();
const TORCHRUN = '/usr/bin/torchrun';
if (missing) console.warn(`Skipping the PyTorch image-classifier export tests: ${missing}`);

const CLASSES = ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const SETTINGS = { optimizer: 'sgd', learningRate: 0.05, loss: 'categoricalCrossentropy', batchSize: 8, epochs: 2, seed: 4 } as const;
const SPLIT_OF = (i: number): Split => (i % 10 < 7 ? 'train' : i % 10 < 8 ? 'validation' : 'test');

let root: string;
let dir: string;
let prepared: Record<Split, PreparedSplit | undefined>;
let images: TrainingImage[];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'lb-python-img-'));
  const media = path.join(root, 'media');
  await mkdir(media);
  const random = mulberry32(5);
  images = [];
  // 40 grey 28×28 images: a bar whose height says the class, on noise.
  for (let i = 0; i < 40; i++) {
    const label = i % CLASSES.length;
    const px = Buffer.alloc(28 * 28);
    for (let p = 0; p < px.length; p++) px[p] = Math.floor(random() * 60);
    for (let y = 2; y < 4 + label * 2; y++) for (let x = 8; x < 20; x++) px[y * 28 + x] = 200 + Math.floor(random() * 55);
    const file = path.join(media, `img-${i}.png`);
    await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(file);
    images.push({ id: 100 + i, file, relPath: `${CLASSES[label]}/img-${i}.png`, label, split: SPLIT_OF(i) });
  }
  prepared = await prepareTrainingImages({ cacheDir: path.join(root, 'cache'), datasetId: 'ds', shape: { height: 28, width: 28, channels: 1 }, classes: CLASSES, images, splits: ['train', 'validation', 'test'] });
  const tf = (await loadBackend('cpu')).tf;
  const graph = buildTemplate('image-small');
  const { model, artifacts } = await randomModel(tf, graph, 6);
  model.dispose();
  dir = path.join(root, 'export');
  await writePythonExport(dir, {
    name: 'fashion',
    title: 'Fashion run',
    graph,
    artifacts,
    settings: SETTINGS,
    imageData: {
      input: { name: 'input', shape: [28, 28, 1] },
      classes: CLASSES,
      splits: { train: prepared.train!, validation: prepared.validation!, test: prepared.test! },
      names: new Map(images.map((i) => [i.id, i.relPath])),
      preprocessing: imagePreprocessing([28, 28, 1]),
    },
  });
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The .npy file's header dict and the bytes after it. */
async function readNpy(file: string): Promise<{ header: string; data: Buffer }> {
  const bytes = await readFile(file);
  const length = bytes.readUInt16LE(8);
  return { header: bytes.subarray(10, 10 + length).toString('latin1'), data: bytes.subarray(10 + length) };
}

describe('the Python export of an image classifier', () => {
  it('writes the decoded images as uint8 (N, 28, 28, 1), byte for byte as training decoded them, with one-hot classes, splits, ids and names', async () => {
    const x = await readNpy(path.join(dir, 'data', 'x0_input.npy'));
    expect(x.header).toMatch(/'descr': '\|u1', 'fortran_order': False, 'shape': \(40, 28, 28, 1\)/);
    const cache = Buffer.concat(await Promise.all((['train', 'validation', 'test'] as const).map((s) => readFile(prepared[s]!.file))));
    expect(x.data.equals(cache)).toBe(true);
    const y = await readNpy(path.join(dir, 'data', 'y.npy'));
    expect(y.header).toMatch(/'descr': '<f4'.*'shape': \(40, 10\)/);
    const onehot = new Float32Array(y.data.buffer.slice(y.data.byteOffset, y.data.byteOffset + y.data.byteLength));
    const order = (['train', 'validation', 'test'] as const).flatMap((s) => prepared[s]!.itemIds);
    order.forEach((id, k) => {
      const label = images.find((i) => i.id === id)!.label;
      expect(Array.from(onehot.subarray(k * 10, k * 10 + 10))).toEqual(CLASSES.map((_, c) => (c === label ? 1 : 0)));
    });
    const split = await readNpy(path.join(dir, 'data', 'split.npy'));
    expect([...split.data]).toEqual([...Array(28).fill(0), ...Array(4).fill(1), ...Array(8).fill(2)]);
    const items = await readNpy(path.join(dir, 'data', 'items.npy'));
    expect(Array.from(new Int32Array(items.data.buffer.slice(items.data.byteOffset, items.data.byteOffset + items.data.byteLength)))).toEqual(order);
    const names = JSON.parse(await readFile(path.join(dir, 'data', 'files.json'), 'utf8')) as string[];
    expect(names[0]).toBe(images.find((i) => i.id === order[0])!.relPath);
    const meta = JSON.parse(await readFile(path.join(dir, 'data', 'dataset.json'), 'utf8'));
    expect(meta).toMatchObject({ task: 'classification', kind: 'images', classes: CLASSES, counts: { train: 28, validation: 4, test: 8 }, inputs: [{ dtype: 'uint8', divide_by: 255, shape: [28, 28, 1] }] });
    expect(await readFile(path.join(dir, 'README.txt'), 'utf8')).toMatch(/the images as training decoded them: x0_\*\.npy uint8/);
  });
});

describe.skipIf(missing !== null)('the image classifier export in PyTorch', () => {
  it("train.py's dataset gives each sample as the app's training loop feeds it (byte / 255 as float32) with its one-hot class", async () => {
    const code = `import sys, json; sys.path.insert(0, sys.argv[1]); import train
s = train.ArraySplit(sys.argv[2], 'test')
x, y = s[3]
print(json.dumps({'n': len(s), 'dtype': str(x.dtype), 'shape': list(x.shape), 'x': x.ravel().tolist(), 'y': y.tolist()}))`;
    const { stdout } = await run(PYTHON, ['-c', code, dir, path.join(dir, 'data')], { timeout: 60_000, maxBuffer: 1 << 24 });
    const got = JSON.parse(stdout) as { n: number; dtype: string; shape: number[]; x: number[]; y: number[] };
    expect(got).toMatchObject({ n: 8, dtype: 'torch.float32', shape: [28, 28, 1] });
    const bytes = (await readFile(prepared.test!.file)).subarray(3 * 784, 4 * 784);
    // As main/engine/train-step.ts gathers a batch: Float32Array of byte / 255.
    expect(got.x).toEqual(Array.from(Float32Array.from(bytes, (v) => v / 255)));
    const label = images.find((i) => i.id === prepared.test!.itemIds[3])!.label;
    expect(got.y.indexOf(1)).toBe(label);
  });

  it('model_keras.py and train.py compile (Keras is not installed here)', async () => {
    await run(PYTHON, ['-m', 'py_compile', path.join(dir, 'model_keras.py'), path.join(dir, 'train.py')]);
  });

  it.skipIf(!existsSync(TORCHRUN))('train.py trains one epoch on the exported images with torchrun on 2 processes', async () => {
    const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
    // --redirects 1 --tee 1: Debian's torch 1.13 on Python 3.11 cannot parse the default of 0 (see python-train.test.ts).
    const { stdout } = await run(TORCHRUN, ['--nproc_per_node=2', '--master_port=29529', '--redirects', '1', '--tee', '1', path.join(dir, 'train.py'), '--epochs', '1'], { env, timeout: 150_000 });
    const lines = stdout.split('\n').map((l) => l.replace(/^\[default\d+\]:/, ''));
    expect(lines).toContain('training on 28 samples, 2 process(es), cpu');
    const epochs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { epoch: number; loss: number; val_loss: number });
    expect(epochs.map((e) => e.epoch)).toEqual([1]);
    // Ten classes from random weights: the cross-entropy starts near ln 10.
    expect(epochs[0]!.loss).toBeGreaterThan(1);
    expect(epochs[0]!.loss).toBeLessThan(5);
    expect(Number.isFinite(epochs[0]!.val_loss)).toBe(true);
  }, 180_000);
});
