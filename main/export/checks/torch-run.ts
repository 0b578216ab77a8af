/**
 * Runs an exported model_torch.py on the sample inputs when a Python with torch is available to
 * the app: LAYERBENCH_PYTHON, else Debian's /usr/bin/python3, else python3 on PATH.
 */
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ParityTensor } from '../../jobs/messages.js';
import { npzBytes, readNpyFloat32 } from '../python/npy.js';

const run = promisify(execFile);

/** The first interpreter that imports torch and numpy, or null with why none does. */
export async function findTorchPython(): Promise<{ python: string } | { python: null; why: string }> {
  const candidates = [process.env['LAYERBENCH_PYTHON'], '/usr/bin/python3', 'python3'].filter((p): p is string => Boolean(p));
  for (const python of [...new Set(candidates)]) {
    try {
      await run(python, ['-c', 'import torch, numpy'], { timeout: 60_000 });
      return { python };
    } catch {
      // Not this one: try the next.
    }
  }
  return { python: null, why: `no Python that imports torch and numpy was found (tried ${[...new Set(candidates)].join(', ')}; set LAYERBENCH_PYTHON to choose one)` };
}

export async function runTorchModel(python: string, dir: string, inputs: ParityTensor[], outputNames: string[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'layerbench-torch-'));
  try {
    const inputFile = path.join(tmp, 'inputs.npz');
    await fsp.writeFile(inputFile, npzBytes(inputs.map((i) => ({ key: i.name, values: i.values, shape: i.shape }))));
    const out = path.join(tmp, 'out');
    await run(python, [path.join(dir, 'model_torch.py'), '--inputs', inputFile, '--outputs', out], { timeout: 180_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    return Promise.all(outputNames.map(async (n) => readNpyFloat32(new Uint8Array(await fsp.readFile(path.join(out, `${n}.npy`))))));
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}
