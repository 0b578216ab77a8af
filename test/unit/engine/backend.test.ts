import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { loadBackend, NOT_INSTALLED, probeBackends, type ModuleLoader } from '../../../main/engine/backend.js';
import { AppError } from '../../../shared/errors.js';

const GPU = '@tensorflow/tfjs-node-gpu';
const NATIVE = '@tensorflow/tfjs-node';
const CUDA_ERROR = 'libcudart.so.11.0: cannot open shared object file: No such file or directory';

/** How Node reports an import of a package that is not there. */
function missing(name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /app/main/engine/backend.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** Stands in for a working tfjs-node: the tfjs API, with 'tensorflow' as the backend it activates. */
function fakeTfjsNode(): typeof tf {
  let active = '';
  return {
    ...tf,
    setBackend: async (name: string) => {
      active = name;
      return name === 'tensorflow';
    },
    getBackend: () => active,
    ready: async () => {},
  };
}

function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

function loaderOf(modules: Record<string, () => unknown>): ModuleLoader {
  return async (name) => {
    const make = modules[name];
    if (!make) throw missing(name);
    return make();
  };
}

describe('loadBackend', () => {
  it('keeps the CUDA loader error and falls to native CPU TensorFlow', async () => {
    const fake = fakeTfjsNode();
    const loader = loaderOf({
      [GPU]: () => {
        throw new Error(`${CUDA_ERROR}\n    at Module._extensions..node (node:internal/modules/cjs/loader:1460:18)`);
      },
      [NATIVE]: () => fake,
    });
    const { tf: got, info } = await loadBackend('auto', loader);
    expect(got).toBe(fake);
    expect(info.name).toBe('tensorflow');
    expect(info.device).toBe('CPU (native TensorFlow)');
    expect(info.attempts).toEqual([
      { name: 'tensorflow-gpu', ok: false, reason: CUDA_ERROR },
      { name: 'tensorflow', ok: true },
    ]);
  });

  it('takes the namespace from `default` when a CommonJS package exposes it there', async () => {
    const fake = fakeTfjsNode();
    const { tf: got, info } = await loadBackend('tensorflow', loaderOf({ [NATIVE]: () => ({ default: fake }) }));
    expect(got).toBe(fake);
    expect(info.attempts).toEqual([{ name: 'tensorflow', ok: true }]);
  });

  it('says a missing native package is not installed and falls to wasm', async () => {
    const { tf: got, info } = await loadBackend('auto', loaderOf({}));
    expect(info.name).toBe('wasm');
    expect(info.attempts.map((a) => [a.name, a.ok, a.reason])).toEqual([
      ['tensorflow-gpu', false, NOT_INSTALLED],
      ['tensorflow', false, NOT_INSTALLED],
      ['wasm', true, undefined],
    ]);
    expect(got.getBackend()).toBe('wasm');
  });

  it('keeps the real message when a dependency of the native package is missing', async () => {
    const loader = loaderOf({ [NATIVE]: () => Promise.reject(missing('@tensorflow/tfjs')) });
    const err = await loadBackend('tensorflow', loader).catch((e: unknown) => e);
    expect((err as AppError).message).toBe(
      "tensorflow backend could not be loaded: Cannot find package '@tensorflow/tfjs' imported from /app/main/engine/backend.js",
    );
  });

  it('a forced backend that fails throws BACKEND_UNAVAILABLE with the reason', async () => {
    const loader = loaderOf({
      [NATIVE]: () => {
        throw new Error('/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34\' not found');
      },
    });
    const err = await loadBackend('tensorflow', loader).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as AppError).message).toBe("tensorflow backend could not be loaded: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found");
    expect((err as AppError).details?.attempts).toEqual([{ name: 'tensorflow', ok: false, reason: "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' not found" }]);
  });

  it('a forced GPU backend that is not installed says so', async () => {
    const err = await loadBackend('tensorflow-gpu', loaderOf({})).catch((e: unknown) => e);
    expect((err as AppError).code).toBe('BACKEND_UNAVAILABLE');
    expect((err as AppError).message).toBe(`tensorflow-gpu backend could not be loaded: ${NOT_INSTALLED}`);
  });

  it('rejects a module that is not TF.js', async () => {
    const err = await loadBackend('tensorflow', loaderOf({ [NATIVE]: () => ({ version: '1' }) })).catch((e: unknown) => e);
    expect((err as AppError).message).toBe(`tensorflow backend could not be loaded: '${NATIVE}' loaded but does not export the TensorFlow.js API`);
  });

  it('lets TensorFlow grow its GPU memory unless the user set TF_FORCE_GPU_ALLOW_GROWTH', async () => {
    const before = process.env['TF_FORCE_GPU_ALLOW_GROWTH'];
    try {
      let seen: string | undefined;
      const loader = loaderOf({
        [GPU]: () => {
          seen = process.env['TF_FORCE_GPU_ALLOW_GROWTH'];
          throw new Error(CUDA_ERROR);
        },
        [NATIVE]: () => fakeTfjsNode(),
      });
      delete process.env['TF_FORCE_GPU_ALLOW_GROWTH'];
      await loadBackend('auto', loader);
      expect(seen).toBe('true');
      process.env['TF_FORCE_GPU_ALLOW_GROWTH'] = 'false';
      await loadBackend('auto', loader);
      expect(seen).toBe('false');
    } finally {
      if (before === undefined) delete process.env['TF_FORCE_GPU_ALLOW_GROWTH'];
      else process.env['TF_FORCE_GPU_ALLOW_GROWTH'] = before;
    }
  });

  it('a GPU package that loads is chosen first, with a GPU device', async () => {
    const fake = fakeTfjsNode();
    const { tf: got, info } = await loadBackend('auto', loaderOf({ [GPU]: () => fake, [NATIVE]: () => fakeTfjsNode() }));
    expect(got).toBe(fake);
    expect(info.name).toBe('tensorflow-gpu');
    expect(info.device).toMatch(/^GPU \(.+\)$/);
    expect(info.attempts).toEqual([{ name: 'tensorflow-gpu', ok: true }]);
  });

  it('loads the real wasm backend in Node', async () => {
    const { tf: got, info } = await loadBackend('wasm');
    expect(got.getBackend()).toBe('wasm');
    // One wasm thread: the native kernels use the cores (test/unit/engine/native-kernels.test.ts).
    expect(info.device).toMatch(/^CPU \(WebAssembly, SIMD: (yes|no), threads: 1; native kernels: onnxruntime [\d.]+, threads: \d+\)$/);
    expect(Array.from(got.tidy(() => got.add(got.tensor1d([1, 2]), 1).dataSync()))).toEqual([2, 3]);
  });

  it('loads the real cpu backend', async () => {
    const { tf: got, info } = await loadBackend('cpu');
    expect(got.getBackend()).toBe('cpu');
    expect(info).toEqual({ name: 'cpu', device: 'CPU (JavaScript)', attempts: [{ name: 'cpu', ok: true }] });
  });

  it('keeps the reason TF.js logs when a loaded backend fails to initialise', async () => {
    const fake = {
      ...fakeTfjsNode(),
      setBackend: async (name: string) => {
        // What tfjs-core's engine does when a backend factory throws.
        console.warn(`Initialization of backend ${name} failed`);
        console.warn('Error: CUDA driver version is insufficient for CUDA runtime version\n    at new NodeJSKernelBackend');
        return false;
      },
    };
    const err = await loadBackend('tensorflow-gpu', loaderOf({ [GPU]: () => fake })).catch((e: unknown) => e);
    expect((err as AppError).message).toBe('tensorflow-gpu backend could not be loaded: CUDA driver version is insufficient for CUDA runtime version');
  });

  it.skipIf(installed(GPU) || installed(NATIVE))('probeBackends with the real import finds the native packages absent here and picks wasm', async () => {
    const info = await probeBackends();
    expect(info.name).toBe('wasm');
    expect(info.attempts.slice(0, 2)).toEqual([
      { name: 'tensorflow-gpu', ok: false, reason: NOT_INSTALLED },
      { name: 'tensorflow', ok: false, reason: NOT_INSTALLED },
    ]);
  });
});
