/**
 * The Python export folder: written whole (scripts, weights, Keras files, .npy dataset), refused
 * by name for layers it cannot write, model_keras.py at least compiles (no Keras here), and
 * train.py trains one epoch under `torchrun --nproc_per_node=2` (gloo on CPU), rank 0 writing a
 * checkpoint with a finite loss.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { writePythonExport, type TabularExport } from '../../../main/export/python/index.js';
import { readNpyFloat32 } from '../../../main/export/python/npy.js';
import { buildTemplate } from '../../../shared/templates.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { mulberry32 } from '../../../shared/random.js';
import { AppError } from '../../../shared/errors.js';
import { randomModel, randomValues } from './fixtures.js';
import { PYTHON, torchMissing } from './python-helpers.js';

const run = promisify(execFile);
const missing = await torchMissing();
const TORCHRUN = '/usr/bin/torchrun';
if (missing) console.warn(`Skipping the PyTorch training tests: ${missing}`);

const SETTINGS = { optimizer: 'adam', learningRate: 0.001, loss: 'meanAbsoluteError', batchSize: 16, epochs: 3, seed: 5 } as const;

/** A J1-shaped dataset of n samples, (1, 8) features, one target, split 60/20/20. */
function arrays(n: number): TabularExport {
  const random = mulberry32(9);
  const split = (count: number) => ({ xs: [randomValues(count * 8, random)], y: randomValues(count, random), count, rowIndex: Int32Array.from({ length: count }, (_, i) => i) });
  return {
    inputs: [{ name: 'input', shape: [1, 8], dataIndex: 0 }],
    outputUnits: 1,
    splits: { train: split(n * 0.6), validation: split(n * 0.2), test: split(n * 0.2) },
    task: 'regression',
    target: 'pm2.5',
    preprocessing: { target: { column: 'pm2.5' } },
  };
}

let tf: Tf;
let dir: string;
let files: string[];
beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
  dir = await mkdtemp(path.join(os.tmpdir(), 'lb-python-'));
  const graph = buildTemplate('j1-lstm');
  const { model, artifacts } = await randomModel(tf, graph, 3);
  model.dispose();
  ({ files } = await writePythonExport(dir, { name: 'pm25', title: 'J1 run', graph, artifacts, settings: SETTINGS, data: arrays(200) }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the Python export folder', () => {
  it('holds the scripts, torch weights, the Keras export and the dataset arrays', async () => {
    const names = files.map((f) => path.relative(dir, f)).sort();
    expect(names).toEqual(
      ['README.txt', 'data/dataset.json', 'data/rows.npy', 'data/split.npy', 'data/x0_input.npy', 'data/y.npy', 'keras/pm25.h5', 'keras/pm25.keras', 'model_keras.py', 'model_torch.py', 'train.py', 'weights.npz'].sort(),
    );
    const x = readNpyFloat32(new Uint8Array(await readFile(path.join(dir, 'data/x0_input.npy'))));
    expect(x.shape).toEqual([200, 1, 8]);
    const meta = JSON.parse(await readFile(path.join(dir, 'data/dataset.json'), 'utf8'));
    expect(meta.counts).toEqual({ train: 120, validation: 40, test: 40 });
    expect(await readFile(path.join(dir, 'README.txt'), 'utf8')).toMatch(/torchrun --nproc_per_node=2 train.py/);
  });

  it('refuses a model with a layer it cannot write, naming it, before writing anything', async () => {
    const graph: ModelGraph = {
      version: 1,
      nodes: [
        { id: 'i', type: 'Input', name: 'words', config: { shape: [5] } },
        { id: 'e', type: 'Embedding', name: 'embed', config: { input_dim: 10, output_dim: 4, mask_zero: true } },
        { id: 'f', type: 'Flatten', name: 'flat', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'i', target: 'e' },
        { id: 'e2', source: 'e', target: 'f' },
      ],
    };
    const { model, artifacts } = await randomModel(tf, graph, 1);
    model.dispose();
    const out = path.join(dir, 'refused');
    const error = await writePythonExport(out, { name: 'm', title: 'm', graph, artifacts, settings: SETTINGS }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('EXPORT_UNSUPPORTED');
    expect((error as AppError).message).toMatch(/Embedding 'embed': mask_zero/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.skipIf(missing !== null)('the Python scripts run', () => {
  it('model_keras.py and train.py compile (Keras itself is not installed here, so model_keras.py is not run)', async () => {
    await run(PYTHON, ['-m', 'py_compile', path.join(dir, 'model_keras.py'), path.join(dir, 'train.py'), path.join(dir, 'model_torch.py')]);
  });

  it.skipIf(!existsSync(TORCHRUN))('train.py trains one epoch with torchrun on 2 processes (gloo) and rank 0 writes a checkpoint', async () => {
    const env = { ...process.env, OMP_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
    // Debian's torch 1.13 on Python 3.11 cannot parse torchrun's default --redirects/--tee of 0
    // (an IntFlag change in 3.11); 1 (stdout) works, and tee prefixes each line with [default<rank>]:.
    const { stdout } = await run(TORCHRUN, ['--nproc_per_node=2', '--master_port=29517', '--redirects', '1', '--tee', '1', path.join(dir, 'train.py'), '--epochs', '1'], { env, timeout: 120_000 });
    const lines = stdout.split('\n').map((l) => l.replace(/^\[default\d+\]:/, ''));
    expect(lines).toContain('training on 120 samples, 2 process(es), cpu');
    const epochs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { epoch: number; loss: number });
    expect(epochs.map((e) => e.epoch)).toEqual([1]);
    const checkpoint = path.join(dir, 'checkpoints', 'checkpoint.pt');
    expect(await readdir(path.dirname(checkpoint))).toEqual(['checkpoint.pt']);
    const read = await run(PYTHON, ['-c', `import json, math, torch; c = torch.load(${JSON.stringify(checkpoint)}); print(json.dumps({'epoch': c['epoch'], 'world': c['world_size'], 'finite': math.isfinite(c['loss']), 'loss': c['loss'], 'keys': len(c['model'])}))`]);
    const c = JSON.parse(read.stdout) as { epoch: number; world: number; finite: boolean; loss: number; keys: number };
    expect(c).toMatchObject({ epoch: 1, world: 2, finite: true });
    expect(c.loss).toBeGreaterThan(0);
    expect(c.loss).toBeCloseTo(epochs[0]!.loss, 6);
    expect(c.keys).toBeGreaterThan(0);
  }, 150_000);
});
