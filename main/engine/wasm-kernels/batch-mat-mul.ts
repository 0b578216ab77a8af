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

/**
 * One plain product, choosing between op(A)·op(B) and (op(B)ᵀ·op(A)ᵀ)ᵀ by the values to copy:
 * the transposes to make plus the right operand, which XNNPACK repacks on every call.
 */
function product2d(tf: Tf, a: TF.Tensor2D, b: TF.Tensor2D, transposeA: boolean, transposeB: boolean): TF.Tensor {
  const m = transposeA ? a.shape[1] : a.shape[0];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const direct = (transposeA ? a.size : 0) + (transposeB ? b.size : 0) + b.size;
  const swapped = (transposeA ? 0 : a.size) + (transposeB ? 0 : b.size) + m * n + a.size;
  if (direct <= swapped) return tf.matMul(transposeA ? tf.transpose(a) : a, transposeB ? tf.transpose(b) : b);
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
      if (!float || plain || batchB > 1) return original.kernelFunc(args);
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
