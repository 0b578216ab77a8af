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
      { cwd: ROOT, env: { ...process.env, LAYERBENCH_WASM_THREADS: threads }, timeout: 45_000 },
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
    expect(one.out.device).toContain('threads: 1');
    expect(two.out.device).toContain('threads: 2');
    two.out.product.forEach((v, i) => expect(v).toBeCloseTo(one.out.product[i]!, 4));
    expect(two.out.productSum).toBeCloseTo(one.out.productSum, 2);
    expect(two.out.convSum).toBeCloseTo(one.out.convSum, 2);
    // execFile's 45 s timeout would have failed it had the pool kept the process alive.
    expect(two.ms).toBeLessThan(45_000);
  });
});
