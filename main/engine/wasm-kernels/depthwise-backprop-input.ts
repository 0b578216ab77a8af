/**
 * DepthwiseConv2dNativeBackpropInput for wasm (TF.js 4.22 has none): as for a full convolution,
 * dx is a stride-1 depthwise convolution of dy (spread out by the forward stride) with the filter
 * flipped in space. Each of the C·M output channels of the forward pass gets its own filter here,
 * and the M results that belong to one input channel are summed.
 */
import type * as TF from '@tensorflow/tfjs';
import { composeKernel, type Tf } from './compose.js';
import { spreadGradient } from './conv2d-backprop-input.js';

export function depthwiseInputGradient(tf: Tf, dy: TF.Tensor4D, filter: TF.Tensor4D, info: TF.backend_util.Conv2DInfo): TF.Tensor4D {
  const [kh, kw, channels, multiplier] = filter.shape;
  const view = spreadGradient(tf, dy, info);
  if (!view) return tf.zeros(info.inShape);
  // [kh, kw, C, M] → one filter per dy channel c·M + m, the order the forward pass wrote them in.
  const flipped: TF.Tensor4D = tf.reshape(tf.reverse(filter, [0, 1]), [kh, kw, channels * multiplier, 1]);
  const perChannel = tf.depthwiseConv2d(view.input, flipped, 1, view.pad, 'NHWC', [info.dilationHeight, info.dilationWidth]);
  if (multiplier === 1) return perChannel;
  const [n, h, w] = info.inShape;
  return tf.sum(tf.reshape(perChannel, [n, h, w, channels, multiplier]), 4);
}

export function depthwiseBackpropInputConfig(tf: Tf): TF.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as TF.DepthwiseConv2dNativeBackpropInputInputs;
      const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as TF.DepthwiseConv2dNativeBackpropInputAttrs;
      const info = tf.backend_util.computeConv2DInfo(
        inputShape,
        filter!.shape as [number, number, number, number],
        strides,
        dilations,
        pad,
        dimRoundingMode,
        true,
      );
      return composeKernel(tf, backend, [dy!, filter!], (d, f) => depthwiseInputGradient(tf, d as TF.Tensor4D, f as TF.Tensor4D, info));
    },
  };
}
