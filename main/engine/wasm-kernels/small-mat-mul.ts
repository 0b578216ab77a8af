/**
 * Products too small for XNNPACK to pay off, as one loop over the backend's memory. TF.js's wasm
 * BatchMatMul hands XNNPACK the right-hand matrix to repack on every call; for a Dense(1) head's
 * gradients (a 72×50 by 72×1 product, 3,600 multiply-adds) that setup costs 50–170 µs where the
 * arithmetic is a few µs. Which products count as small is measured, not guessed: see
 * SMALL_PRODUCT_MACS.
 */
import type * as TF from '@tensorflow/tfjs';
import { float32Views } from './heap.js';

/**
 * Up to this many multiply-adds a product runs here. At 16k the loop (about 1 ns per
 * multiply-add on the bench machine) and XNNPACK with its setup (about 30 µs for J1's 8×72×200
 * kernel gradient, 115k) cross over.
 */
export const SMALL_PRODUCT_MACS = 16_384;

/** op(A)·op(B) for one pair of 2-D matrices (any leading 1-sized batch axes), out [m, n]. */
export function smallMatMul(backend: object, a: TF.TensorInfo, b: TF.TensorInfo, transposeA: boolean, transposeB: boolean, outShape: number[]): TF.TensorInfo {
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? ac : ar;
  const k = transposeA ? ar : ac;
  const n = transposeB ? br : bc;
  const { out, outValues: c, inValues } = float32Views(backend, outShape, [a, b]);
  const [av, bv] = inValues as [Float32Array, Float32Array];
  // Strides of op(A)[i][p] and op(B)[p][j] in the stored row-major matrices.
  const aRow = transposeA ? 1 : ac;
  const aCol = transposeA ? ac : 1;
  const bRow = transposeB ? 1 : bc;
  const bCol = transposeB ? bc : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      let ai = i * aRow;
      let bj = j * bCol;
      for (let p = 0; p < k; p++) {
        sum += av[ai]! * bv[bj]!;
        ai += aCol;
        bj += bRow;
      }
      c[i * n + j] = sum;
    }
  }
  return out;
}
