/**
 * The native kernels (onnxruntime's CPU kernels behind the wasm backend's convolutions and
 * products) against the cpu backend, over the same shapes as the wasm kernels' own tests, plus the
 * fused forms inference uses. Each case also checks that onnxruntime ran it, not the kernel it
 * replaced.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, nativeKernelRuntime, type Tf } from '../../../main/engine/backend.js';
import { NATIVE_KERNELS, nativeKernelsActive, registerNativeKernels, unregisterNativeKernels } from '../../../main/engine/native-kernels/index.js';
import { loadNativeRuntime, MAX_SESSIONS, NATIVE_MIN_MACS, type NativeRuntime } from '../../../main/engine/native-kernels/runtime.js';
import { convFilterGradByPatches, convFilterGradBySwap, filterGradExtent, inputsOf, modelFor, outputPadding, type NativeSpec } from '../../../main/engine/native-kernels/graphs.js';
import { BROADCAST, CONV2D_CASES, PRODUCTS, convGrads, expectSameOnBoth, values, type Shape4 } from '../../helpers/kernel-cases.js';

let tf: Tf;
let runtime: NativeRuntime;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
  runtime = nativeKernelRuntime()!;
  // The tables' shapes are small; every operation goes native here, whatever its size.
  runtime.minMacs = 0;
});

/** Compares with cpu, and returns how many operations onnxruntime ran meanwhile. */
async function nativeRuns(f: () => TF.Tensor[]): Promise<number> {
  const before = runtime.runs;
  await expectSameOnBoth(tf, f);
  return runtime.runs - before;
}

describe('the wasm backend with native kernels', () => {
  it('loads onnxruntime-node and registers every native kernel', () => {
    expect(runtime).toBeDefined();
    expect(runtime.threads).toBeGreaterThanOrEqual(1);
    expect(nativeKernelsActive(tf)).toBe(true);
    expect(tf.backend()).toBeDefined();
  });

  it('names them in the device line', async () => {
    const { info } = await loadBackend('wasm');
    expect(info.device).toMatch(/threads: 1; native kernels: onnxruntime \d+\.\d+\.\d+, threads: \d+/);
  });

  it('can be removed and put back', () => {
    expect(unregisterNativeKernels(tf).sort()).toEqual([...NATIVE_KERNELS].sort());
    expect(nativeKernelsActive(tf)).toBe(false);
    expect(registerNativeKernels(tf, runtime).sort()).toEqual([...NATIVE_KERNELS].sort());
    expect(registerNativeKernels(tf, runtime)).toEqual([]);
    expect(nativeKernelsActive(tf)).toBe(true);
  });
});

describe('Conv2D and its gradients, native', () => {
  it.each(CONV2D_CASES)('%s', async (_name, xShape, wShape, strides, pad) => {
    // The forward convolution, dx and dW: three operations (the forward one twice: once alone).
    const runs = await nativeRuns(convGrads(tf, (x, w) => tf.conv2d(x, w, strides, pad), xShape, wShape));
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('dilated (forward only: TF.js has no gradient for it)', async () => {
    const runs = await nativeRuns(() => [tf.conv2d(tf.tensor4d(values([2, 11, 10, 3], 1), [2, 11, 10, 3]), tf.tensor4d(values([3, 3, 3, 4], 2), [3, 3, 3, 4]), 1, 'same', 'NHWC', [2, 3])]);
    expect(runs).toBe(1);
  });

  const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const;
  it.each(ACTIVATIONS)('FusedConv2D with a bias and %s (what predictions run)', async (activation) => {
    const xShape: Shape4 = [2, 9, 8, 3];
    const runs = await nativeRuns(() => {
      const x = tf.tensor4d(values(xShape, 1), xShape);
      const filter = tf.tensor4d(values([3, 3, 3, 5], 2), [3, 3, 3, 5]);
      const bias = tf.tensor1d(values([5], 3));
      const preluActivationWeights = activation === 'prelu' ? tf.tensor1d(values([5], 4)) : undefined;
      return [tf.fused.conv2d({ x, filter, strides: 2, pad: 'same', bias, activation, preluActivationWeights, leakyreluAlpha: 0.1 })];
    });
    expect(runs).toBe(1);
  });
});

describe('matrix products, native', () => {
  it.each(PRODUCTS)('%s and its gradients', async (_name, aShape, bShape, transposeA, transposeB) => {
    const runs = await nativeRuns(() => {
      const a = tf.tensor(values(aShape, 1), aShape);
      const b = tf.tensor(values(bShape, 2), bShape);
      const r = tf.tensor(values(tf.matMul(a, b, transposeA, transposeB).shape, 3), tf.matMul(a, b, transposeA, transposeB).shape);
      const grads = tf.grads((x: TF.Tensor, y: TF.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, transposeA, transposeB), r)))([a, b]);
      return [tf.matMul(a, b, transposeA, transposeB), ...grads];
    });
    // The product and both gradients.
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it('a large product of batches, and one with a broadcast batch', async () => {
    const runs = await nativeRuns(() => [
      tf.matMul(tf.tensor(values([4, 30, 40], 1), [4, 30, 40]), tf.tensor(values([4, 50, 40], 2), [4, 50, 40]), false, true),
      tf.matMul(tf.tensor(values([3, 40, 30], 1), [3, 40, 30]), tf.tensor(values([1, 40, 60], 2), [1, 40, 60]), true, false),
    ]);
    expect(runs).toBe(2);
  });

  it.each(BROADCAST)('%s', async (_name, aShape, bShape, transposeA, transposeB) => {
    await expectSameOnBoth(tf, () => [tf.matMul(tf.tensor(values(aShape, 1), aShape), tf.tensor(values(bShape, 2), bShape), transposeA, transposeB)]);
  });

  const FUSED: [string, number[], number[], boolean, boolean, number[], TF.fused.Activation][] = [
    ['a Dense layer: bias and ReLU', [20, 64], [64, 32], false, false, [32], 'relu'],
    ['transposed, bias as a row, sigmoid', [64, 20], [32, 64], true, true, [1, 32], 'sigmoid'],
    ['a batch of matrices, bias per column, elu', [3, 20, 64], [64, 32], false, false, [32], 'elu'],
    ['relu6 and a [m, n] bias', [20, 64], [64, 32], false, false, [20, 32], 'relu6'],
    ['leaky ReLU', [20, 64], [64, 32], false, false, [32], 'leakyrelu'],
    ['PReLU', [20, 64], [64, 32], false, false, [32], 'prelu'],
  ];
  it.each(FUSED)('_FusedMatMul: %s', async (_name, aShape, bShape, transposeA, transposeB, biasShape, activation) => {
    const runs = await nativeRuns(() => [
      tf.fused.matMul({
        a: tf.tensor(values(aShape, 1), aShape),
        b: tf.tensor(values(bShape, 2), bShape),
        transposeA,
        transposeB,
        bias: tf.tensor(values(biasShape, 3), biasShape),
        activation,
        preluActivationWeights: activation === 'prelu' ? tf.tensor1d(values([32], 4)) : undefined,
        leakyreluAlpha: 0.3,
      }),
    ]);
    expect(runs).toBe(1);
  });
});

describe('sums, native from NATIVE_SUM_MIN_VALUES values', () => {
  const SUMS: [string, number[], number | number[] | undefined, boolean, number][] = [
    ["a Conv2D's bias gradient: all axes but the channels", [8, 30, 30, 32], [0, 1, 2], false, 1],
    ['keepDims and a negative axis', [8, 30, 30, 32], [-1, 1], true, 1],
    ['every axis', [70_000], undefined, false, 1],
    ['the middle axis of a rank-3 tensor', [40, 50, 40], 1, false, 1],
    ['too small: wasm sums it', [10, 100], [0], false, 0],
  ];
  it.each(SUMS)('%s', async (_name, shape, axis, keepDims, expected) => {
    const runs = await nativeRuns(() => [tf.sum(tf.tensor(values(shape, 1), shape), axis, keepDims)]);
    expect(runs).toBe(expected);
  });
});

describe('which operations go native by default', () => {
  it(`keeps operations under NATIVE_MIN_MACS (${NATIVE_MIN_MACS}) in wasm and sends larger ones`, async () => {
    runtime.minMacs = NATIVE_MIN_MACS;
    try {
      // J1's LSTM gates, 72×58 by 58×200: 0.84 M multiply-adds.
      expect(await nativeRuns(() => [tf.matMul(tf.tensor(values([72, 58], 1), [72, 58]), tf.tensor(values([58, 200], 2), [58, 200]))])).toBe(0);
      expect(await nativeRuns(() => [tf.matMul(tf.tensor(values([100, 512], 1), [100, 512]), tf.tensor(values([512, 64], 2), [512, 64]))])).toBe(1);
      // A 3×3 convolution of 2 images of 7×9×3 into 4 channels: 13.6 k.
      expect(await nativeRuns(convGrads(tf, (x, w) => tf.conv2d(x, w, 1, 'same'), [2, 7, 9, 3], [3, 3, 3, 4]))).toBe(0);
      // J2's second convolution on 4 images: 4·14·14·64·5·5·32 = 40 M each way.
      expect(await nativeRuns(convGrads(tf, (x, w) => tf.conv2d(x, w, 1, 'same'), [4, 14, 14, 32], [5, 5, 32, 64]))).toBeGreaterThanOrEqual(3);
    } finally {
      runtime.minMacs = 0;
    }
  });
});

describe('the models and the runtime', () => {
  it('computes the transposed convolution padding, and refuses what ConvTranspose cannot do', () => {
    // x of 7, kernel 3, stride 2, valid: out 3; 2·2 + 3 = 7, nothing to add.
    expect(outputPadding(7, 3, 2, 3, 1, 0, 0)).toBe(0);
    // x of 8 gives out 3 too: one row to add at the end.
    expect(outputPadding(8, 3, 2, 3, 1, 0, 0)).toBe(1);
    // x of 10 with stride 3, kernel 2, valid: out 3 reads rows 0..7; two rows to add, below the stride.
    expect(outputPadding(10, 3, 3, 2, 1, 0, 0)).toBe(2);
    // Not a forward pass's shapes: four rows would be at least the stride.
    expect(outputPadding(12, 3, 3, 2, 1, 0, 0)).toBeNull();
  });

  it('crops x where the filter gradient never reads its last rows, and pads where it reads past them', () => {
    // x of 9, kernel 3, stride 2, valid: out 4 reads rows 0..8.
    expect(filterGradExtent(9, 4, 2, 3, 1, 0)).toEqual({ padAfter: 0, keep: 9 });
    // x of 10 with the same: row 9 is never read.
    expect(filterGradExtent(10, 4, 2, 3, 1, 0)).toEqual({ padAfter: 0, keep: 9 });
    // same padding of 1 each side on x of 5, kernel 3: rows −1..5, one past the end.
    expect(filterGradExtent(5, 5, 1, 3, 1, 1)).toEqual({ padAfter: 1, keep: 5 });
  });

  it('sums the filter gradient over groups of samples as over the whole batch, and as the swapped convolution does', () => {
    const spec: NativeSpec = { op: 'conv2dBackpropFilter', x: [5, 9, 8, 3], dy: [5, 4, 4, 4], filter: [3, 2, 3, 4], strides: [2, 2], dilations: [1, 1], pads: { top: 0, bottom: 0, left: 0, right: 0 } };
    const feeds = Object.fromEntries(inputsOf(spec).map(([name, dims], k) => [name, { data: values(dims, k + 1), dims }]));
    const perSample = 4 * 4 * 3 * 2 * 3;
    const gradient = (key: string, model: () => Uint8Array) => {
      const y = new Float32Array(3 * 2 * 3 * 4);
      runtime.run(key, model, feeds, { y: { data: y, dims: spec.filter } });
      return y;
    };
    const whole = gradient('whole', () => convFilterGradByPatches(spec));
    const swapped = gradient('swapped', () => convFilterGradBySwap(spec));
    // Groups of 2, 2 and 1 samples, and of one sample each.
    for (const maxValues of [2 * perSample, perSample]) {
      const grouped = gradient(`groups ${maxValues}`, () => convFilterGradByPatches(spec, maxValues));
      grouped.forEach((v, i) => expect(v).toBeCloseTo(whole[i]!, 4));
    }
    swapped.forEach((v, i) => expect(v).toBeCloseTo(whole[i]!, 4));
    expect(Math.max(...whole.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it('keeps at most MAX_SESSIONS sessions, closing the least recently used', () => {
    const rt = loadNativeRuntime(1).runtime!;
    try {
      const product = (n: number): number[] => {
        const spec: NativeSpec = { op: 'matMul', a: [1, n], b: [n, 2], out: [1, 2], transposeA: false, transposeB: false };
        const y = new Float32Array(2);
        rt.run(JSON.stringify(spec), () => modelFor(spec), { a: { data: new Float32Array(n).fill(1), dims: [1, n] }, b: { data: new Float32Array(2 * n).fill(2), dims: [n, 2] } }, { y: { data: y, dims: [1, 2] } });
        return Array.from(y);
      };
      for (let n = 1; n <= MAX_SESSIONS + 6; n++) expect(product(n)).toEqual([2 * n, 2 * n]);
      expect(rt.size).toBe(MAX_SESSIONS);
      // An evicted one is made again and still right.
      expect(product(1)).toEqual([2, 2]);
    } finally {
      rt.dispose();
    }
  });

  it('reports why it cannot load, and never throws', () => {
    const missing = loadNativeRuntime(2, (name) => {
      throw new Error(`Cannot find module '${name}'\nRequire stack: ...`);
    });
    expect(missing.runtime).toBeUndefined();
    expect(missing).toMatchObject({ reason: "onnxruntime-node could not be loaded: Cannot find module 'onnxruntime-node/dist/binding.js'" });
    const odd = loadNativeRuntime(2, () => ({ binding: {}, initOrt: () => {}, Tensor: class {}, version: '0' }));
    expect(odd).toMatchObject({ reason: 'onnxruntime-node loaded but has no InferenceSession binding' });
  });
});
