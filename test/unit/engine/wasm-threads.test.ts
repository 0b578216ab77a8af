/**
 * The multi-threaded wasm build in Node (main/engine/wasm-threads.ts): it starts with the pool
 * asked for, gives the single-threaded results, and lets the process exit by itself. Each case is a
 * process of its own, as a trainer is: a backend is set up once per process.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../../helpers/serve.js';

interface Out {
  device: string;
  product: number[];
  productSum: number;
  convSum: number;
}

function child(threads: string): Promise<{ out: Out; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'test', 'helpers', 'wasm-threads-child.ts')],
      // Native kernels keep wasm on one thread (main/engine/backend.ts); this is the build without them.
      { cwd: ROOT, env: { ...process.env, LAYERBENCH_WASM_THREADS: threads, LAYERBENCH_NATIVE_KERNELS: '0' }, timeout: 45_000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`child with ${threads} threads failed (${err.message}): ${stderr}`));
        const line = stdout.trim().split('\n').pop() ?? '';
        resolve({ out: JSON.parse(line) as Out, ms: Date.now() - started });
      },
    );
  });
}

describe('wasm threads in Node', () => {
  it('runs on two threads with the single-threaded results, and the process ends by itself', async () => {
    const one = await child('1');
    const two = await child('2');
    expect(one.out.device).toMatch(/SIMD: (yes|no), threads: 1; native kernels off/);
    expect(two.out.device).toMatch(/SIMD: (yes|no), threads: 2; native kernels off/);
    two.out.product.forEach((v, i) => expect(v).toBeCloseTo(one.out.product[i]!, 4));
    expect(two.out.productSum).toBeCloseTo(one.out.productSum, 2);
    expect(two.out.convSum).toBeCloseTo(one.out.convSum, 2);
    // execFile's 45 s timeout would have failed it had the pool kept the process alive.
    expect(two.ms).toBeLessThan(45_000);
  });
});

describe('threads for a model', () => {
  it('gives big batches of work every core and small ones one; LAYERBENCH_WASM_THREADS wins', async () => {
    const { threadsForModel, wasmThreads, THREADS_MIN_FLOPS_PER_BATCH } = await import('../../../main/engine/backend.js');
    const { defaultWasmThreads } = await import('../../../main/engine/wasm-threads.js');
    // J1's LSTM: 23.7 kFLOP a sample, batches of 72; J2's CNN: 27.8 MFLOP a sample, batches of 50.
    expect(threadsForModel(23_700, 72)).toBe(1);
    expect(threadsForModel(27_800_000, 50)).toBe(defaultWasmThreads());
    expect(threadsForModel(THREADS_MIN_FLOPS_PER_BATCH, 1)).toBe(defaultWasmThreads());
    const before = process.env['LAYERBENCH_WASM_THREADS'];
    try {
      delete process.env['LAYERBENCH_WASM_THREADS'];
      expect(wasmThreads(2)).toBe(2);
      expect(wasmThreads()).toBe(1);
      process.env['LAYERBENCH_WASM_THREADS'] = '1';
      expect(wasmThreads(2)).toBe(1);
      process.env['LAYERBENCH_WASM_THREADS'] = 'auto';
      expect(wasmThreads(1)).toBe(defaultWasmThreads());
    } finally {
      if (before === undefined) delete process.env['LAYERBENCH_WASM_THREADS'];
      else process.env['LAYERBENCH_WASM_THREADS'] = before;
    }
  });
});
