/**
 * One SGD-with-momentum update of one variable as a single wasm kernel. TF.js's MomentumOptimizer
 * runs two multiplications and two additions per variable, each a pass over the whole variable;
 * for J2's Dense(3136→1024) kernel that is four passes over 13 MB a step (../fused-optimizers.ts).
 * The arithmetic and its order are TF.js's, with c = −learning rate:
 *   acc' = m·acc + g,  value' = c·acc' + value   (Nesterov: value' = c·(g + acc'·m) + value).
 */
import type * as TF from '@tensorflow/tfjs';
import { float32OutputViews } from './heap.js';

export const MOMENTUM_UPDATE = 'LayerbenchMomentumUpdate';

export interface MomentumUpdateAttrs {
  learningRate: number;
  momentum: number;
  nesterov: boolean;
}

/** Inputs value, accumulation, gradient (same shape); outputs the new value and accumulation. */
export function momentumUpdateConfig(): TF.KernelConfig {
  return {
    kernelName: MOMENTUM_UPDATE,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { value, accumulation, gradient } = inputs as Record<'value' | 'accumulation' | 'gradient', TF.TensorInfo>;
      const a = attrs as unknown as MomentumUpdateAttrs;
      const shape = value.shape;
      const { outs, outValues, inValues } = float32OutputViews(backend, [shape, shape], [value, accumulation, gradient]);
      const [newValue, newAcc] = outValues as [Float32Array, Float32Array];
      const [x, acc, g] = inValues as [Float32Array, Float32Array, Float32Array];
      // The float32 scalars TF.js multiplies by.
      const m = Math.fround(a.momentum);
      const c = Math.fround(-a.learningRate);
      if (a.nesterov) {
        for (let i = 0; i < x.length; i++) {
          const gi = g[i]!;
          const acc1 = Math.fround(Math.fround(m * acc[i]!) + gi);
          newAcc[i] = acc1;
          newValue[i] = Math.fround(c * Math.fround(gi + Math.fround(acc1 * m))) + x[i]!;
        }
      } else {
        for (let i = 0; i < x.length; i++) {
          const acc1 = Math.fround(Math.fround(m * acc[i]!) + g[i]!);
          newAcc[i] = acc1;
          newValue[i] = Math.fround(c * acc1) + x[i]!;
        }
      }
      return outs;
    },
  };
}
