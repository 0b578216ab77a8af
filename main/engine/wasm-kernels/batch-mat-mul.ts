/**
 * BatchMatMul for wasm. TF.js 4.22 sends a product to XNNPACK only when neither side is
 * transposed and there is one matrix per side; everything else runs through plain loops, 10 to 40
 * times slower. Every gradient of a Dense or recurrent layer is such a product (dW = xᵀ·dy,
 * dx = dy·Wᵀ), so this kernel makes the transposes explicit (a wasm Transpose is a fast copy) and
 * hands XNNPACK a plain product. A batch of matrices times one shared matrix becomes one tall
 * product; other batched products keep the original kernel. Tiny products skip XNNPACK
 * altogether (./small-mat-mul.ts).
 */
import type * as TF from '@tensorflow/tfjs';
import { composeKernel, type Tf } from './compose.js';
import { SMALL_PRODUCT_MACS, smallMatMul } from './small-mat-mul.js';

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** XNNPACK’s transposing repack of B, per value, in wasm Transposes of one value (measured, see swapIsCheaper). */
const PACK_COST = 3;

/**
 * Whether op(A)·op(B) is cheaper as (op(B)ᵀ·op(A)ᵀ)ᵀ, counting the values to copy: the transposes
 * to make, and the right operand, which XNNPACK repacks on every call (TF.js hands it B as
 * [K, N], so the packing transposes it: measured at about 3× the time of a wasm Transpose of the
 * same size). For a Dense layer's forward product, x·W with W of 3136×1024, the swap costs one
 * transpose of W and saves the slow repacking of it.
 */
export function swapIsCheaper(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): boolean {
  const aSize = aShape[0]! * aShape[1]!;
  const bSize = bShape[0]! * bShape[1]!;
  const m = transposeA ? aShape[1]! : aShape[0]!;
  const n = transposeB ? bShape[0]! : bShape[1]!;
  const direct = (transposeA ? aSize : 0) + (transposeB ? bSize : 0) + PACK_COST * bSize;
  const swapped = (transposeA ? 0 : aSize) + (transposeB ? 0 : bSize) + m * n + PACK_COST * aSize;
  return swapped < direct;
}

/** One plain product, op(A)·op(B) or (op(B)ᵀ·op(A)ᵀ)ᵀ, whichever copies less (swapIsCheaper). */
function product2d(tf: Tf, a: TF.Tensor2D, b: TF.Tensor2D, transposeA: boolean, transposeB: boolean): TF.Tensor {
  if (!swapIsCheaper(a.shape, b.shape, transposeA, transposeB)) return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
  return tf.transpose(tf.matMul(transposeB ? b : tf.transpose(b), transposeA ? a : tf.transpose(a)));
}

export function batchMatMulConfig(tf: Tf, original: TF.KernelConfig): TF.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: 'wasm',
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { a, b } = inputs as TF.BatchMatMulInputs;
      const { transposeA, transposeB } = attrs as unknown as TF.BatchMatMulAttrs;
      const batchA = size(a!.shape.slice(0, -2));
      const batchB = size(b!.shape.slice(0, -2));
      const float = a!.dtype === 'float32' && b!.dtype === 'float32';
      if (float && batchA === 1 && batchB === 1) {
        const [ar, ac] = a!.shape.slice(-2) as [number, number];
        const n = transposeB ? b!.shape.at(-2)! : b!.shape.at(-1)!;
        const [m, k] = transposeA ? [ac, ar] : [ar, ac];
        if (m * n * k <= SMALL_PRODUCT_MACS) {
          const outer = tf.backend_util.assertAndGetBroadcastShape(a!.shape.slice(0, -2), b!.shape.slice(0, -2));
          return smallMatMul(backend, a!, b!, transposeA, transposeB, [...outer, m, n]);
        }
      }
      // XNNPACK already runs it, or it is a product of batches, which only the loops handle.
      const plain = !transposeA && !transposeB && batchA === 1 && batchB === 1;
      const direct = plain && !swapIsCheaper(a!.shape.slice(-2), b!.shape.slice(-2), false, false);
      if (!float || direct || batchB > 1) return original.kernelFunc(args);
      return composeKernel(tf, backend, [a!, b!], (at, bt) => {
        const outer = tf.backend_util.assertAndGetBroadcastShape(at.shape.slice(0, -2), bt.shape.slice(0, -2));
        const [ar, ac] = at.shape.slice(-2) as [number, number];
        const [br, bc] = bt.shape.slice(-2) as [number, number];
        const b2: TF.Tensor2D = tf.reshape(bt, [br, bc]);
        if (batchA === 1) {
          const c = product2d(tf, tf.reshape(at, [ar, ac]), b2, transposeA, transposeB);
          return tf.reshape(c, [...outer, ...c.shape]);
        }
        // Many matrices times one: stack them into one tall matrix.
        const a3: TF.Tensor3D = tf.reshape(at, [batchA, ar, ac]);
        const [m, k] = transposeA ? [ac, ar] : [ar, ac];
        const rows = tf.reshape(transposeA ? tf.transpose(a3, [0, 2, 1]) : a3, [batchA * m, k]) as TF.Tensor2D;
        const c = product2d(tf, rows, b2, false, transposeB);
        return tf.reshape(c, [...outer, m, c.shape[1]!]);
      });
    },
  };
}
