/**
 * The Python export of a grid detector, against the app: detection_data.py's encode_grid_target
 * gives encodeGridTarget's targets (shared/detection.ts) on awkward boxes and on a real COCO
 * export; train.py's torch grid loss gives the engine's gridDetectionLoss on the same tensors;
 * CocoGrid feeds the images as the app decodes them; and `torchrun --nproc_per_node=2` trains one
 * epoch on the exported COCO dataset (the synthetic shapes of test/helpers/detection-data.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { gridDetectionLoss } from '../../../main/engine/detection-loss.js';
import { decodeForTraining } from '../../../main/importers/images/ingest.js';
import { writePythonExport } from '../../../main/export/python/index.js';
import { detectorMetadata } from '../../../main/export/metadata.js';
import type { ExportableDataset } from '../../../main/export/dataset/index.js';
import { encodeGridTarget } from '../../../shared/detection.js';
import { imageLayout } from '../../../shared/image-layout.js';
import { buildTemplate } from '../../../shared/templates.js';
import { mulberry32 } from '../../../shared/random.js';
import type { ImageDataset } from '../../../shared/dataset.js';
import { writeShapesCoco, type ShapesDataset } from '../../helpers/detection-data.js';
import { randomModel } from './fixtures.js';
import { PYTHON, torchMissing } from './python-helpers.js';

const run = promisify(execFile);
const missing = await torchMissing();
const TORCHRUN = '/usr/bin/torchrun';
if (missing) console.warn(`Skipping the PyTorch detection export tests: ${missing}`);

const SETTINGS = { optimizer: 'adam', learningRate: 0.001, loss: 'gridDetection', batchSize: 4, epochs: 2, seed: 3 } as const;
const SIZE = 64;
/** 24 images: 16 train, 4 validation, 4 test. */
const SPLITS = (i: number) => (i < 16 ? 'train' : i < 20 ? 'validation' : 'test') as 'train' | 'validation' | 'test';

let tf: Tf;
let root: string;
let dir: string;
let shapes: ShapesDataset;
let graph: ReturnType<typeof buildTemplate>;

/** A detection dataset's layout for the template: 64×64 RGB, the shapes' two classes. */
function layoutFor(classes: string[]) {
  const d = { config: { task: 'detection', width: SIZE, height: SIZE, channels: 3 } } as unknown as ImageDataset;
  return imageLayout(d, classes);
}

beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
  root = await mkdtemp(path.join(os.tmpdir(), 'lb-python-det-'));
  shapes = await writeShapesCoco(path.join(root, 'shapes'), { images: 24, size: SIZE, seed: 11, emptyEvery: 6 });
  graph = buildTemplate('detector-grid', layoutFor(shapes.classes));
  const { model, artifacts } = await randomModel(tf, graph, 4);
  model.dispose();
  const coco: ExportableDataset = {
    classes: shapes.classes,
    images: shapes.images.map((im, i) => ({
      mediaFile: path.join(shapes.imagesDir, im.fileName),
      fileName: im.fileName,
      width: SIZE,
      height: SIZE,
      split: SPLITS(i),
      classIndex: null,
      boxes: im.boxes.map((b) => ({ classIndex: b.classIndex, x: b.x, y: b.y, w: b.w, h: b.h })),
    })),
  };
  const meta = detectorMetadata(graph, shapes.classes, null);
  dir = path.join(root, 'export');
  await writePythonExport(dir, {
    name: 'shapes',
    title: 'Shapes detector',
    graph,
    artifacts,
    settings: SETTINGS,
    coco,
    detector: { input: [SIZE, SIZE, 3], rows: meta.head.rows, cols: meta.head.cols, classes: shapes.classes, threshold: meta.threshold, thresholdSource: meta.thresholdSource },
    layerbench: { ...meta },
  });
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Runs Python code in the export folder (train.py and detection_data.py importable); returns its stdout parsed as JSON. */
async function python<T>(code: string, args: string[] = []): Promise<T> {
  const prelude = `import sys, json; sys.path.insert(0, ${JSON.stringify(dir)}); import numpy as np\n`;
  const { stdout } = await run(PYTHON, ['-c', prelude + code, ...args], { timeout: 120_000, maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: '1' } });
  return JSON.parse(stdout) as T;
}

describe('the Python export of a detector', () => {
  it('writes COCO (annotations per split, images beside them), detection_data.py, and a head the metadata describes', async () => {
    expect((await readdir(path.join(dir, 'data', 'annotations'))).sort()).toEqual(['instances_test.json', 'instances_train.json', 'instances_val.json']);
    const train = JSON.parse(await readFile(path.join(dir, 'data', 'annotations', 'instances_train.json'), 'utf8')) as { images: unknown[]; annotations: unknown[]; categories: { id: number; name: string }[] };
    expect(train.images).toHaveLength(16);
    expect(train.categories.map((c) => c.name)).toEqual(['square', 'disc']);
    expect(train.annotations).toHaveLength(shapes.images.slice(0, 16).reduce((n, im) => n + im.boxes.length, 0));
    expect(await readdir(path.join(dir, 'data', 'images', 'val'))).toHaveLength(4);
    expect(existsSync(path.join(dir, 'detection_data.py'))).toBe(true);
    const readme = await readFile(path.join(dir, 'README.txt'), 'utf8');
    expect(readme).toMatch(/COCO: annotations\/instances_<train\|val\|test>\.json/);
    expect(readme).toMatch(/threshold 0\.3, the default \(not evaluated\)/);
    const meta = detectorMetadata(graph, shapes.classes, 0.42);
    expect(meta).toMatchObject({ task: 'detection', threshold: 0.42, thresholdSource: 'evaluation', head: { kind: 'grid', rows: 4, cols: 4 } });
    expect(meta.head.channels).toEqual(['objectness', 'cx', 'cy', 'w', 'h', 'class:square', 'class:disc']);
    expect(meta.input).toMatchObject({ fit: 'stretch', scale: 1 / 255, height: SIZE, width: SIZE, channels: 3 });
  });
});

describe.skipIf(missing !== null)('the detector export in PyTorch matches the app', () => {
  it('encode_grid_target equals encodeGridTarget on clipped, tiny, shared-cell, out-of-image and unknown-class boxes', async () => {
    const random = mulberry32(21);
    const cases = Array.from({ length: 40 }, (_, k) => {
      const width = 50 + Math.floor(random() * 300);
      const height = 40 + Math.floor(random() * 300);
      const boxes = Array.from({ length: k % 7 }, () => ({
        classIndex: Math.floor(random() * 4) - (random() < 0.1 ? 2 : 0),
        box: { x: (random() * 1.4 - 0.2) * width, y: (random() * 1.4 - 0.2) * height, w: random() < 0.1 ? 0 : random() * width * 0.6, h: random() * height * 0.6 },
      }));
      return { width, height, rows: 1 + (k % 5), cols: 1 + ((k * 3) % 6), classes: 3, boxes };
    });
    // Two boxes of one area (0.0625, exact in float32) in one cell: the first is kept, a tie is not larger.
    cases.push({ width: 100, height: 100, rows: 2, cols: 2, classes: 3, boxes: [{ classIndex: 0, box: { x: 10, y: 10, w: 25, h: 25 } }, { classIndex: 1, box: { x: 12, y: 12, w: 25, h: 25 } }] });
    // Areas equal in float64 but stored as float32 (0.04 rounds down): the second then wins, in both.
    cases.push({ width: 100, height: 100, rows: 2, cols: 2, classes: 3, boxes: [{ classIndex: 0, box: { x: 10, y: 10, w: 20, h: 20 } }, { classIndex: 1, box: { x: 12, y: 12, w: 20, h: 20 } }] });
    const file = path.join(root, 'encode-cases.json');
    await writeFile(file, JSON.stringify(cases));
    const got = await python<number[][]>(
      `import detection_data as d
cases = json.load(open(sys.argv[1]))
print(json.dumps([d.encode_grid_target([(b['classIndex'], b['box']['x'], b['box']['y'], b['box']['w'], b['box']['h']) for b in c['boxes']], c['width'], c['height'], c['rows'], c['cols'], c['classes']).ravel().tolist() for c in cases]))`,
      [file],
    );
    cases.forEach((c, k) => {
      const want = Array.from(encodeGridTarget(c.boxes, c.width, c.height, c.rows, c.cols, c.classes));
      expect(got[k], `case ${k}`).toEqual(want);
    });
    expect(got.some((t) => t.some((v) => v === 1))).toBe(true);
  });

  it("train.py's grid loss equals the engine's gridDetectionLoss on the same tensors (within 1e-5)", async () => {
    const random = mulberry32(8);
    const [batch, rows, cols, depth] = [3, 4, 5, 8];
    const n = batch * rows * cols * depth;
    // Predictions anywhere in (0, 1), some at the clipping edges; targets shaped as encodeGridTarget makes them.
    const p = Float32Array.from({ length: n }, (_, i) => (i % 97 === 0 ? 0 : i % 89 === 0 ? 1 : random()));
    const t = new Float32Array(n);
    for (let cell = 0; cell < batch * rows * cols; cell++) {
      if (random() < 0.3) {
        const o = cell * depth;
        t.set([1, random(), random(), random(), random()], o);
        t[o + 5 + Math.floor(random() * (depth - 5))] = 1;
      }
    }
    const want = tf.tidy(() => tf.mean(gridDetectionLoss(tf, tf.tensor(t, [batch, rows, cols, depth]), tf.tensor(p, [batch, rows, cols, depth]))).dataSync()[0]!);
    const file = path.join(root, 'loss.json');
    await writeFile(file, JSON.stringify({ p: Array.from(p), t: Array.from(t), shape: [batch, rows, cols, depth] }));
    const got = await python<number>(
      `import torch, train
a = json.load(open(sys.argv[1]))
p = torch.tensor(a['p'], dtype=torch.float32).reshape(a['shape'])
t = torch.tensor(a['t'], dtype=torch.float32).reshape(a['shape'])
print(json.dumps(train.loss_function('gridDetection')(p, t).item()))`,
      [file],
    );
    expect(want).toBeGreaterThan(1);
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
  });

  it('CocoGrid gives each image as the app decodes it (/ 255) and its target as encodeGridTarget', async () => {
    const got = await python<{ x: number[]; y: number[]; files: string[] }[]>(
      `import detection_data as d
g = d.CocoGrid(sys.argv[1], 'test')
print(json.dumps([{'x': g[i][0].ravel().tolist(), 'y': g[i][1].ravel().tolist(), 'files': [g.items[i][0]]} for i in range(len(g))]))`,
      [path.join(dir, 'data')],
    );
    expect(got).toHaveLength(4);
    for (const [k, sample] of got.entries()) {
      const im = shapes.images[20 + k]!;
      expect(path.basename(sample.files[0]!)).toBe(im.fileName);
      const pixels = await decodeForTraining(path.join(shapes.imagesDir, im.fileName), { width: SIZE, height: SIZE, channels: 3 });
      const x = Float32Array.from(pixels, (v) => v / 255);
      expect(sample.x).toEqual(Array.from(x));
      expect(sample.y).toEqual(Array.from(encodeGridTarget(im.boxes.map((b) => ({ classIndex: b.classIndex, box: b })), SIZE, SIZE, 4, 4, 2)));
    }
  });

  it('load_image applies EXIF orientation and stretches to the Input as the app does (Pillow LANCZOS vs sharp lanczos3: close, not equal)', async () => {
    // 48 wide × 32 high, bright in the left third only, stored with EXIF orientation 6 (shown rotated 90° clockwise: 32 × 48, bright on top).
    const px = Buffer.alloc(48 * 32 * 3);
    for (let y = 0; y < 32; y++) for (let x = 0; x < 48; x++) for (let c = 0; c < 3; c++) px[(y * 48 + x) * 3 + c] = x < 16 ? 230 : 20 + ((x * 7 + y * 3 + c * 11) % 40);
    const file = path.join(root, 'rotated.jpg');
    await sharp(px, { raw: { width: 48, height: 32, channels: 3 } }).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toFile(file);
    const got = await python<number[]>(`import detection_data as d\nprint(json.dumps(d.load_image(sys.argv[1], (40, 24, 3)).ravel().tolist()))`, [file]);
    const app = Float32Array.from(await decodeForTraining(file, { width: 24, height: 40, channels: 3 }), (v) => v / 255);
    const meanDiff = (a: ArrayLike<number>) => Array.from(a).reduce((n, v, i) => n + Math.abs(v - app[i]!), 0) / app.length;
    expect(got).toHaveLength(app.length);
    // Measured: 0.0002 on average, at most 2/255.
    expect(meanDiff(got)).toBeLessThan(0.005);
    // The same pixels without the rotation are far off: the check above sees orientation.
    const unrotated = await python<number[]>(
      `from PIL import Image\nim = Image.open(sys.argv[1]).convert('RGB').resize((24, 40), Image.LANCZOS)\nprint(json.dumps((np.asarray(im, np.float32) / 255).ravel().tolist()))`,
      [file],
    );
    expect(meanDiff(unrotated)).toBeGreaterThan(0.1);
  });

  it('model_keras.py, train.py and detection_data.py compile (Keras is not installed here)', async () => {
    await run(PYTHON, ['-m', 'py_compile', ...['model_keras.py', 'train.py', 'detection_data.py', 'model_torch.py'].map((f) => path.join(dir, f))]);
  });

  it.skipIf(!existsSync(TORCHRUN))('train.py trains one epoch on the exported COCO with torchrun on 2 processes', async () => {
    const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
    // --redirects 1 --tee 1: Debian's torch 1.13 on Python 3.11 cannot parse the default of 0 (see python-train.test.ts).
    const { stdout } = await run(TORCHRUN, ['--nproc_per_node=2', '--master_port=29523', '--redirects', '1', '--tee', '1', path.join(dir, 'train.py'), '--epochs', '1'], { env, timeout: 150_000 });
    const lines = stdout.split('\n').map((l) => l.replace(/^\[default\d+\]:/, ''));
    expect(lines).toContain('training on 16 samples, 2 process(es), cpu');
    const epochs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { epoch: number; loss: number; val_loss: number | null });
    expect(epochs).toHaveLength(1);
    expect(epochs[0]!.epoch).toBe(1);
    expect(Number.isFinite(epochs[0]!.loss) && epochs[0]!.loss > 0).toBe(true);
    expect(Number.isFinite(epochs[0]!.val_loss) && epochs[0]!.val_loss! > 0).toBe(true);
    const c = await python<{ epoch: number; world: number }>(`import torch; c = torch.load(sys.argv[1]); print(json.dumps({'epoch': c['epoch'], 'world': c['world_size']}))`, [path.join(dir, 'checkpoints', 'checkpoint.pt')]);
    expect(c).toEqual({ epoch: 1, world: 2 });
  }, 180_000);
});
