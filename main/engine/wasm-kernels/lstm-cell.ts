/**
 * The element-wise part of one LSTM step, forward and backward, as two wasm kernels written as
 * loops over the backend's memory. TF.js runs the same step as about 15 forward and 30 backward
 * kernels (split, three gate activations, two tanh, products, sums, and the clones the gradient
 * tape keeps of each); at the sizes of a small recurrent model that bookkeeping, not arithmetic,
 * is what a training step costs. The products with the kernels stay XNNPACK matrix products
 * (../fused-lstm.ts). Checked against TF.js's own LSTM on the cpu backend in
 * test/unit/engine/fused-lstm.test.ts.
 *
 * Layout, as Keras and TF.js: z = x·W + h·U + b is [batch, 4·units] with the gates i, f, c (the
 * candidate, "g" here), o in that order.
 */
import type * as TF from '@tensorflow/tfjs';
import { float32OutputViews } from './heap.js';
import type { Tf } from './compose.js';

export const LSTM_CELL = 'LayerbenchLstmCell';
export const LSTM_CELL_GRAD = 'LayerbenchLstmCellGrad';

/** The gate activations TF.js's LSTM offers that these kernels compute (its hard sigmoid: clip(0.2x + 0.5, 0, 1)). */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

export interface LstmCellAttrs {
  recurrentActivation: GateActivation;
}

/** Runs one of wasm's own unary kernels on the backend directly (no engine, no tape); the caller frees the result. */
function wasmKernel(tf: Tf, name: string, x: TF.TensorInfo, backend: object): TF.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`the wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs: { x }, backend, attrs: {} }) as TF.TensorInfo;
}

function free(backend: object, info: TF.TensorInfo): void {
  (backend as TF.KernelBackend).disposeData(info.dataId);
}

/** TF.js's hard sigmoid, clip(0.2x + 0.5, 0, 1). */
function hardSigmoid(z: number): number {
  return Math.min(1, Math.max(0, 0.2 * z + 0.5));
}

/** The gate's derivative from its output a: σ' = a(1 − a); the hard sigmoid's 0.2, or 0 where it is clipped. */
function slope(a: number, hard: boolean): number {
  return hard ? (a > 0 && a < 1 ? 0.2 : 0) : a * (1 - a);
}

/**
 * Inputs z [batch, 4u] and, unless this is the first step from a zero state, cPrev [batch, u].
 * Outputs h [batch, u], c [batch, u], the activated gates [batch, 4u] and tanh(c) [batch, u]
 * (what the gradient needs). The transcendental functions go through wasm's own Sigmoid, which
 * XNNPACK vectorises (24 µs for J1's 72×200 gates, where wasm's scalar Tanh takes 190 µs and a
 * JavaScript Math.exp per element about as long): tanh(x) = 2σ(2x) − 1, so the candidate quarter
 * of z is doubled before the one Sigmoid over all four gates, and c is doubled for a second one.
 * The loops only pick and combine.
 */
export function lstmCellConfig(tf: Tf): TF.KernelConfig {
  return {
    kernelName: LSTM_CELL,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { z, cPrev } = inputs as { z: TF.TensorInfo; cPrev?: TF.TensorInfo };
      const hard = (attrs as unknown as LstmCellAttrs).recurrentActivation === 'hardSigmoid';
      const [batch, width] = z.shape as [number, number];
      const u = width / 4;
      // Views are taken after each allocation: growing the wasm memory detaches earlier ones.
      const scaled = float32OutputViews(backend, [[batch, width]], [z]);
      const [zs] = scaled.outValues as [Float32Array];
      const [zv] = scaled.inValues as [Float32Array];
      for (let b = 0; b < batch; b++) {
        const row = b * width;
        for (let j = 0; j < width; j++) zs[row + j] = j >= 2 * u && j < 3 * u ? 2 * zv[row + j]! : zv[row + j]!;
      }
      const sig = wasmKernel(tf, 'Sigmoid', scaled.outs[0]!, backend);
      free(backend, scaled.outs[0]!);
      const step1 = float32OutputViews(backend, [[batch, u], [batch, u], [batch, width], [batch, u]], [z, sig, ...(cPrev ? [cPrev] : [])]);
      const [, c, gates, c2] = step1.outValues as [Float32Array, Float32Array, Float32Array, Float32Array];
      const [zIn, sv] = step1.inValues as [Float32Array, Float32Array];
      const cp = cPrev ? step1.inValues[2] : undefined;
      for (let b = 0; b < batch; b++) {
        const row = b * width;
        for (let j = 0; j < u; j++) {
          const i = hard ? hardSigmoid(zIn[row + j]!) : sv[row + j]!;
          const f = hard ? hardSigmoid(zIn[row + u + j]!) : sv[row + u + j]!;
          const g = 2 * sv[row + 2 * u + j]! - 1;
          const o = hard ? hardSigmoid(zIn[row + 3 * u + j]!) : sv[row + 3 * u + j]!;
          const k = b * u + j;
          const cell = (cp ? f * cp[k]! : 0) + i * g;
          c[k] = cell;
          c2[k] = 2 * cell;
          gates[row + j] = i;
          gates[row + u + j] = f;
          gates[row + 2 * u + j] = g;
          gates[row + 3 * u + j] = o;
        }
      }
      free(backend, sig);
      const [hOut, cOut, gatesOut, c2Out] = step1.outs as [TF.TensorInfo, TF.TensorInfo, TF.TensorInfo, TF.TensorInfo];
      const sc = wasmKernel(tf, 'Sigmoid', c2Out, backend);
      free(backend, c2Out);
      const step2 = float32OutputViews(backend, [[batch, u]], [hOut, gatesOut, sc]);
      const [tc] = step2.outValues as [Float32Array];
      const [h, gv, scv] = step2.inValues as [Float32Array, Float32Array, Float32Array];
      for (let b = 0; b < batch; b++) {
        for (let j = 0; j < u; j++) {
          const k = b * u + j;
          const t = 2 * scv[k]! - 1;
          tc[k] = t;
          h[k] = gv[b * width + 3 * u + j]! * t;
        }
      }
      free(backend, sc);
      return [hOut, cOut, gatesOut, step2.outs[0]!];
    },
  };
}

/**
 * Inputs gates [batch, 4u] and tanh(c) [batch, u] of the step, dh [batch, u] (from the output and
 * the next step), and optionally cPrev (absent for a first step from zero) and dc (absent for the
 * last step). Outputs dz [batch, 4u] and dcPrev [batch, u].
 */
export function lstmCellGradConfig(): TF.KernelConfig {
  return {
    kernelName: LSTM_CELL_GRAD,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { gates, tanhC, dh, cPrev, dc } = inputs as Record<'gates' | 'tanhC' | 'dh', TF.TensorInfo> & { cPrev?: TF.TensorInfo; dc?: TF.TensorInfo };
      const hard = (attrs as unknown as LstmCellAttrs).recurrentActivation === 'hardSigmoid';
      const [batch, width] = gates.shape as [number, number];
      const u = width / 4;
      const given = [gates, tanhC, dh, ...(cPrev ? [cPrev] : []), ...(dc ? [dc] : [])];
      const { outs, outValues, inValues } = float32OutputViews(backend, [[batch, width], [batch, u]], given);
      const [dz, dcPrev] = outValues as [Float32Array, Float32Array];
      const [gv, tcv, dhv] = inValues as [Float32Array, Float32Array, Float32Array];
      const cpv = cPrev ? inValues[3] : undefined;
      const dcv = dc ? inValues[cPrev ? 4 : 3] : undefined;
      for (let b = 0; b < batch; b++) {
        const row = b * width;
        for (let j = 0; j < u; j++) {
          const k = b * u + j;
          const i = gv[row + j]!;
          const f = gv[row + u + j]!;
          const g = gv[row + 2 * u + j]!;
          const o = gv[row + 3 * u + j]!;
          const tc = tcv[k]!;
          const d = dhv[k]!;
          const dcell = (dcv ? dcv[k]! : 0) + d * o * (1 - tc * tc);
          dz[row + j] = dcell * g * slope(i, hard);
          dz[row + u + j] = cpv ? dcell * cpv[k]! * slope(f, hard) : 0;
          dz[row + 2 * u + j] = dcell * i * (1 - g * g);
          dz[row + 3 * u + j] = d * tc * slope(o, hard);
          dcPrev[k] = dcell * f;
        }
      }
      return outs;
    },
  };
}
