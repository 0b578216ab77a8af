/** Running generated model_torch.py files in Debian's python3-torch, for the Python export tests. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { npzBytes, readNpyFloat32 } from '../../../main/export/python/npy.js';
import type { SampleInput } from './fixtures.js';

export { sampleInputs, type SampleInput } from './fixtures.js';

const run = promisify(execFile);

/** Debian's interpreter: the pyenv python3 on PATH has no torch. */
export const PYTHON = '/usr/bin/python3';

/** Why the torch tests cannot run here, or null when /usr/bin/python3 imports torch and numpy. */
export async function torchMissing(): Promise<string | null> {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist (install Debian's python3-torch)`;
  try {
    await run(PYTHON, ['-c', 'import torch, numpy'], { timeout: 60_000 });
    return null;
  } catch (e) {
    return `${PYTHON} cannot import torch and numpy (install Debian's python3-torch): ${(e as Error).message.split('\n').slice(-2).join(' ')}`;
  }
}

export async function writeInputs(dir: string, inputs: SampleInput[]): Promise<void> {
  await writeFile(path.join(dir, 'inputs.npz'), npzBytes(inputs.map((i) => ({ key: i.name, values: i.values, shape: i.shape }))));
}

/**
 * Runs every folder's model_torch.py on its inputs.npz in one Python process (importing torch
 * once): each folder gets out/<output>.npy, or error.txt with the traceback.
 */
const DRIVER = String.raw`
import importlib.util, os, sys, traceback
import numpy as np, torch
torch.set_num_threads(1)
for k, d in enumerate(sys.argv[1:]):
    try:
        spec = importlib.util.spec_from_file_location('model_%d' % k, os.path.join(d, 'model_torch.py'))
        m = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(m)
        model = m.load_weights(m.build_model()).eval()
        with np.load(os.path.join(d, 'inputs.npz')) as npz:
            xs = [torch.from_numpy(npz[i['name']].copy()) for i in m.INPUTS]
        with torch.no_grad():
            ys = model(*xs)
        ys = ys if isinstance(ys, tuple) else (ys,)
        os.makedirs(os.path.join(d, 'out'), exist_ok=True)
        for name, y in zip(m.OUTPUTS, ys):
            np.save(os.path.join(d, 'out', name + '.npy'), y.numpy().astype(np.float32))
    except Exception:
        open(os.path.join(d, 'error.txt'), 'w').write(traceback.format_exc())
`;

export async function runModels(dirs: string[]): Promise<void> {
  await run(PYTHON, ['-c', DRIVER, ...dirs], { timeout: 300_000, maxBuffer: 1 << 24 });
}

/** A folder's outputs from runModels, or its Python traceback as an Error. */
export async function readOutputs(dir: string, names: string[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  if (existsSync(path.join(dir, 'error.txt'))) throw new Error(`model_torch.py failed in ${dir}:\n${await readFile(path.join(dir, 'error.txt'), 'utf8')}`);
  await mkdir(path.join(dir, 'out'), { recursive: true });
  return Promise.all(names.map(async (n) => readNpyFloat32(new Uint8Array(await readFile(path.join(dir, 'out', `${n}.npy`))))));
}
