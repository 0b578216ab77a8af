/**
 * Conv2DBackpropInput for wasm. TF.js 4.22 has one, but as plain loops that run about 8 times
 * slower than XNNPACK's convolution, so it is replaced: dx is a stride-1 convolution of dy (spread
 * out by the forward stride) with the filter flipped in space and its channels swapped. With a
 * stride s that convolution also multiplies the s² − 1 zeros of each spread cell, which still beats
 * the loops for s = 2; from s = 3 on (and for NCHW) the original kernel runs.
 */
import type * as TF from '@tensorflow/tfjs';
import { composeKernel, type Tf } from './compose.js';
import { axisWindow, cropForConv, dilateRows } from './geometry.js';

/** Up to this stride the spread-out convolution is faster than the wasm loops (measured). */
export const MAX_SPREAD_STRIDE = 2;

/**
 * dy spread by the strides and cropped/padded so that a stride-1 convolution with the flipped
 * filter (dilated as in the forward pass) gives dx. Null when no dy value reaches x.
 */
export function spreadGradient(
  tf: Tf,
  dy: TF.Tensor4D,
  info: TF.backend_util.Conv2DInfo,
): ReturnType<typeof cropForConv> {
  const spread = dilateRows(tf, dy, info.strideHeight, info.strideWidth);
  // dx[i] = Σ_k spread[i + pad − k·d]·w[k]: read from pad − (K − 1)·d, in + (K − 1)·d positions.
  const reachH = (info.filterHeight - 1) * info.dilationHeight;
  const reachW = (info.filterWidth - 1) * info.dilationWidth;
  const rows = axisWindow(info.padInfo.top - reachH, info.inHeight + reachH, spread.shape[1]);
  const cols = axisWindow(info.padInfo.left - reachW, info.inWidth + reachW, spread.shape[2]);
  return cropForConv(tf, spread, rows, cols);
}

export function inputGradient(tf: Tf, dy: TF.Tensor4D, filter: TF.Tensor4D, info: TF.backend_util.Conv2DInfo): TF.Tensor4D {
  const view = spreadGradient(tf, dy, info);
  if (!view) return tf.zeros(info.inShape);
  return tf.conv2d(view.input, flippedFilter(tf, filter), 1, view.pad);
}

/**
 * The filter [kh, kw, in, out] flipped in space with its channels swapped, [kh, kw, out, in], in
 * one loop. wasm's Reverse (then a Transpose) took 1.6–3 ms for J2's 5×5×32×64 filter, a serial
 * part of every step; this takes about 0.1 ms.
 */
export function flippedFilter(tf: Tf, filter: TF.Tensor4D): TF.Tensor4D {
  const [kh, kw, ci, co] = filter.shape;
  const w = filter.dataSync() as Float32Array;
  const out = new Float32Array(w.length);
  for (let h = 0; h < kh; h++)
    for (let x = 0; x < kw; x++) {
      const from = ((kh - 1 - h) * kw + (kw - 1 - x)) * ci * co;
      const to = (h * kw + x) * co * ci;
      for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) out[to + o * ci + i] = w[from + i * co + o]!;
    }
  return tf.tensor4d(out, [kh, kw, co, ci]);
}

export function conv2DBackpropInputConfig(tf: Tf, original: TF.KernelConfig | undefined): TF.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'wasm',
    setupFunc: original?.setupFunc,
    disposeFunc: original?.disposeFunc,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args;
      const { dy, filter } = inputs as TF.Conv2DBackpropInputInputs;
      const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as TF.Conv2DBackpropInputAttrs;
      const info = tf.backend_util.computeConv2DInfo(inputShape, filter!.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
      const spreadable = dataFormat === 'NHWC' && Math.max(info.strideHeight, info.strideWidth) <= MAX_SPREAD_STRIDE;
      if (!spreadable && original) return original.kernelFunc(args);
      if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropInput on wasm supports dataFormat 'NHWC' only; got '${dataFormat}'`);
      return composeKernel(tf, backend, [dy!, filter!], (d, f) => inputGradient(tf, d as TF.Tensor4D, f as TF.Tensor4D, info));
    },
  };
}
