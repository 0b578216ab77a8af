/**
 * Shapes and checks shared by the tests of the wasm backend's own kernels
 * (test/unit/engine/wasm-kernels.test.ts) and of the native kernels that replace some of them
 * (test/unit/engine/native-kernels.test.ts): each result is computed on cpu and on wasm from the
 * same numbers, and may differ by at most 1e-4 of the largest cpu value.
 */
import { expect } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { onBackend, seededValues } from './backends.js';

type Tf = typeof TF;

export type Pad = 'same' | 'valid' | number | TF.backend_util.ExplicitPadding;
export type Shape4 = [number, number, number, number];
export type Pair = [number, number] | number;

export const values = (shape: readonly number[], seed: number): Float32Array => seededValues(shape, seed);

/** max |cpu − wasm| / max |cpu|, per output. */
export function relativeErrors(cpu: Float32Array[], wasm: Float32Array[]): number[] {
  return cpu.map((c, i) => {
    const w = wasm[i]!;
    expect(w.length).toBe(c.length);
    let scale = 0;
    let err = 0;
    c.forEach((v, j) => {
      scale = Math.max(scale, Math.abs(v));
      err = Math.max(err, Math.abs(v - w[j]!));
    });
    expect(scale).toBeGreaterThan(0);
    return err / scale;
  });
}

export async function expectSameOnBoth(tf: Tf, f: () => TF.Tensor[]): Promise<void> {
  const cpu = await onBackend(tf, 'cpu', f);
  const wasm = await onBackend(tf, 'wasm', f);
  for (const e of relativeErrors(cpu, wasm)) expect(e).toBeLessThanOrEqual(1e-4);
}

/** Gradients of Σ conv(x, w) · r with respect to x and w, r fixed, so dy is not all ones. */
export function convGrads(
  tf: Tf,
  op: (x: TF.Tensor4D, w: TF.Tensor4D) => TF.Tensor4D,
  xShape: Shape4,
  wShape: Shape4,
): () => TF.Tensor[] {
  return () => {
    const x = tf.tensor4d(values(xShape, 1), xShape);
    const w = tf.tensor4d(values(wShape, 2), wShape);
    const outShape = op(x, w).shape;
    const r = tf.tensor(values(outShape, 3), outShape);
    return tf.grads((a: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(op(a as TF.Tensor4D, b as TF.Tensor4D), r)))([x, w]);
  };
}

export const EXPLICIT: TF.backend_util.ExplicitPadding = [
  [0, 0],
  [1, 2],
  [0, 3],
  [0, 0],
];

// name, x [n, h, w, cin], filter [kh, kw, cin, cout], strides, padding
export const CONV2D_CASES: [string, Shape4, Shape4, Pair, Pad][] = [
  ['3x3 same', [2, 7, 9, 3], [3, 3, 3, 4], 1, 'same'],
  ['3x3 valid', [2, 7, 9, 3], [3, 3, 3, 4], 1, 'valid'],
  ['5x5 stride 2 same', [3, 8, 8, 2], [5, 5, 2, 6], 2, 'same'],
  ['3x2 strides (2, 3) valid, unread last rows', [2, 9, 7, 3], [3, 2, 3, 5], [2, 3], 'valid'],
  ['2x2 stride 3 same (wasm loops for dx)', [1, 6, 7, 4], [2, 2, 4, 3], 3, 'same'],
  ['explicit asymmetric padding', [2, 6, 7, 2], [3, 3, 2, 2], 1, EXPLICIT],
  ['numeric padding 1, stride 2', [2, 7, 8, 3], [3, 3, 3, 2], 2, 1],
  ['kernel as large as the input', [4, 5, 5, 1], [5, 5, 1, 8], 1, 'same'],
  ['1x1', [1, 10, 3, 2], [1, 1, 2, 3], 1, 'valid'],
  ['J2-like 5x5 same', [6, 14, 14, 8], [5, 5, 8, 16], 1, 'same'],
  ['one output row (Conv1D-like)', [3, 1, 12, 4], [1, 3, 4, 5], [1, 2], 'same'],
];

// a, b, transposeA, transposeB: shapes as passed to matMul. Up to SMALL_PRODUCT_MACS
// multiply-adds a product runs in small-mat-mul.ts's loop, above it through XNNPACK.
export const PRODUCTS: [string, number[], number[], boolean, boolean][] = [
  ['plain', [5, 7], [7, 3], false, false],
  ['Aᵀ·B with one column (a Dense(1) dW)', [72, 50], [72, 1], true, false],
  ['one batch of rank 3, A·Bᵀ', [1, 5, 7], [1, 6, 7], false, true],
  ['Aᵀ·B above the loop size (XNNPACK)', [72, 50], [72, 200], true, false],
  ['A·Bᵀ above the loop size (XNNPACK)', [72, 200], [50, 200], false, true],
  ['Aᵀ·Bᵀ above the loop size (XNNPACK)', [40, 30], [50, 40], true, true],
  ['Aᵀ·B (a Dense dW)', [50, 31], [50, 12], true, false],
  ['A·Bᵀ with a large B (a Dense dx)', [4, 16], [64, 16], false, true],
  ['A·Bᵀ with a large A', [64, 16], [4, 16], false, true],
  ['Aᵀ·Bᵀ', [9, 5], [6, 9], true, true],
  ['A·B with a B much larger than A (a Dense forward: swapped, (Bᵀ·Aᵀ)ᵀ)', [3, 120], [120, 160], false, false],
  ['two batches (the wasm loops)', [3, 4, 5], [3, 6, 5], false, true],
];

// TF.js has no gradient for broadcast products, so only the products themselves.
export const BROADCAST: [string, number[], number[], boolean, boolean][] = [
  ['a batch times one matrix', [3, 4, 5], [5, 6], false, false],
  ['a transposed batch times one transposed matrix', [2, 3, 5, 4], [6, 5], true, true],
  ['a batch times a [1, n, k] transposed', [3, 4, 5], [1, 6, 5], false, true],
  ['one transposed matrix, rank 2, times a [1, k, n]', [5, 4], [1, 5, 6], true, false],
];

// x, window, stride, padding. ReLU-like inputs: many zeros, so windows with ties and windows of zeros only.
export const MAX_POOL_CASES: [string, Shape4, number, number, 'valid' | 'same'][] = [
  ['2×2, stride 2, valid (J2)', [2, 8, 8, 3], 2, 2, 'valid'],
  ['2×2, stride 2, odd size', [1, 7, 9, 2], 2, 2, 'valid'],
  ['2×2, stride 2, same, odd size (padded windows)', [2, 7, 9, 2], 2, 2, 'same'],
  ['3×3, stride 3, valid', [1, 10, 9, 4], 3, 3, 'valid'],
  ['3×3, stride 2, same (overlapping)', [2, 7, 7, 2], 3, 2, 'same'],
  ['2×2, stride 1, same (overlapping)', [1, 6, 6, 2], 2, 1, 'same'],
];

/** The gradient of Σ maxPool(relu(x)) · r with respect to x. */
export function maxPoolGrads(tf: Tf, shape: Shape4, size: number, stride: number, pad: 'valid' | 'same'): () => TF.Tensor[] {
  return () => {
    const x = tf.relu(tf.tensor(values(shape, 14), shape)) as TF.Tensor4D;
    const y = tf.maxPool(x, size, stride, pad);
    const r = tf.tensor(values(y.shape, 15), y.shape);
    return tf.grads((a: TF.Tensor) => tf.sum(tf.mul(tf.maxPool(a as TF.Tensor4D, size, stride, pad), r)))([x]);
  };
}
