/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (TF.js 4.22 has none). As for a full convolution
 * the filter gradient is a convolution with dy as the filter, here a depthwise one: every
 * (channel, sample) pair becomes a channel of one image, x → [1, H, W, C·N], dy → a filter
 * [Hout, Wout, C·N, M], with stride and dilation swapped; the N per-sample results are summed.
 */
import type * as TF from '@tensorflow/tfjs';
import { composeKernel, type Tf } from './compose.js';
import { axisWindow, cropForConv } from './geometry.js';

export function depthwiseFilterGradient(tf: Tf, x: TF.Tensor4D, dy: TF.Tensor4D, info: TF.backend_util.Conv2DInfo): TF.Tensor4D {
  const [kh, kw, channels, multiplier] = info.filterShape;
  const [n, h, w] = x.shape;
  const [, outH, outW] = dy.shape;
  const rows = axisWindow(-info.padInfo.top, (kh - 1) * info.dilationHeight + (outH - 1) * info.strideHeight + 1, h);
  const cols = axisWindow(-info.padInfo.left, (kw - 1) * info.dilationWidth + (outW - 1) * info.strideWidth + 1, w);
  const image: TF.Tensor4D = tf.reshape(tf.transpose(x, [1, 2, 3, 0]), [1, h, w, channels * n]);
  const view = cropForConv(tf, image, rows, cols);
  if (!view) return tf.zeros([kh, kw, channels, multiplier]);
  const asFilter: TF.Tensor4D = tf.reshape(tf.transpose(tf.reshape(dy, [n, outH, outW, channels, multiplier]), [1, 2, 3, 0, 4]), [
    outH,
    outW,
    channels * n,
    multiplier,
  ]);
  const perSample = tf.depthwiseConv2d(
    view.input,
    asFilter,
    [info.dilationHeight, info.dilationWidth],
    view.pad,
    'NHWC',
    [info.strideHeight, info.strideWidth],
  );
  return tf.sum(tf.reshape(perSample, [kh, kw, channels, n, multiplier]), 3);
}

export function depthwiseBackpropFilterConfig(tf: Tf): TF.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as TF.DepthwiseConv2dNativeBackpropFilterInputs;
      const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as TF.DepthwiseConv2dNativeBackpropFilterAttrs;
      const info = tf.backend_util.computeConv2DInfo(x!.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
      return composeKernel(tf, backend, [x!, dy!], (xt, d) => depthwiseFilterGradient(tf, xt as TF.Tensor4D, d as TF.Tensor4D, info));
    },
  };
}
