/**
 * One Adam update of one variable as a single wasm kernel (a loop over the backend's memory).
 * TF.js's Adam spends 14 kernels per variable per step (and makes a tensor of every scalar it
 * multiplies by); for a small model that is a large part of the step (../fused-optimizers.ts).
 * The arithmetic and its order are TF.js's:
 *   m' = m·β₁ + g·(1 − β₁),  v' = v·β₂ + g²·(1 − β₂),
 *   value' = value − lr · (m' / c₁) / (√(v' / c₂) + ε),  c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
 */
import type * as TF from '@tensorflow/tfjs';
import { float32OutputViews } from './heap.js';

export const ADAM_UPDATE = 'LayerbenchAdamUpdate';

export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ for this step t (1-based). */
  correction1: number;
  correction2: number;
}

/** Inputs value, m, v, gradient (same shape); outputs the new value, m and v. */
export function adamUpdateConfig(): TF.KernelConfig {
  return {
    kernelName: ADAM_UPDATE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TF.TensorInfo>;
      const a = attrs as unknown as AdamUpdateAttrs;
      const shape = value.shape;
      const { outs, outValues, inValues } = float32OutputViews(backend, [shape, shape, shape], [value, m, v, gradient]);
      const [newValue, newM, newV] = outValues as [Float32Array, Float32Array, Float32Array];
      const [x, mv, vv, g] = inValues as [Float32Array, Float32Array, Float32Array, Float32Array];
      // The constants as the float32 scalars TF.js multiplies by.
      const beta1 = Math.fround(a.beta1);
      const beta2 = Math.fround(a.beta2);
      const keep1 = Math.fround(1 - a.beta1);
      const keep2 = Math.fround(1 - a.beta2);
      const epsilon = Math.fround(a.epsilon);
      const step = Math.fround(-a.learningRate);
      const { correction1, correction2 } = a;
      for (let i = 0; i < x.length; i++) {
        const gi = g[i]!;
        const m1 = Math.fround(Math.fround(mv[i]! * beta1) + Math.fround(gi * keep1));
        const v1 = Math.fround(Math.fround(vv[i]! * beta2) + Math.fround(Math.fround(gi * gi) * keep2));
        newM[i] = m1;
        newV[i] = v1;
        const denominator = Math.fround(Math.fround(Math.sqrt(Math.fround(v1 / correction2))) + epsilon);
        newValue[i] = Math.fround(Math.fround(Math.fround(m1 / correction1) / denominator) * step) + x[i]!;
      }
      return outs;
    },
  };
}
