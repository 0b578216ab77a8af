import type { LayerSpec, ParamSpec } from './types.js';
import {
  activationParam,
  bool,
  dilationParam,
  ints,
  kernelParam,
  known,
  needRank,
  num,
  only,
  paddingParam,
  perSample,
  product,
  slide,
  str,
  stridesParam,
  useBiasParam,
} from './common.js';

const IMAGE = '(batch, height, width, channels)';

const filtersParam: ParamSpec = { name: 'filters', type: 'int', default: 32, min: 1, doc: 'Number of filters (output channels).' };

function conv(type: string, rank: 1 | 2, doc: string, layout: string): LayerSpec {
  return {
    type,
    group: 'Convolution',
    doc,
    params: [filtersParam, kernelParam(rank), stridesParam(rank), paddingParam, dilationParam(rank), activationParam('linear'), useBiasParam],
    inputs: { min: 1, max: 1 },
    outputShape(inputs, config) {
      const s = only(inputs);
      needRank(type, s, rank + 2, layout);
      known(type, s, -1, 'number of channels');
      const spatial = slide(type, s, 'kernel', ints(config, 'kernel_size'), ints(config, 'strides'), str(config, 'padding'), ints(config, 'dilation_rate'));
      return [s[0]!, ...spatial, num(config, 'filters')];
    },
    paramCount(inputs, config) {
      const cin = known(type, only(inputs), -1, 'number of channels');
      const filters = num(config, 'filters');
      const window = product(ints(config, 'kernel_size'));
      return { trainable: window * cin * filters + (bool(config, 'use_bias') ? filters : 0), nonTrainable: 0 };
    },
    // 2 · kernel window · Cin per output value, i.e. 2·K·K·Cin·Cout·Hout·Wout in 2-D.
    flops: (inputs, output, config) => 2 * product(ints(config, 'kernel_size')) * (only(inputs).at(-1) ?? 1) * perSample(output),
  };
}

export const Conv1D = conv('Conv1D', 1, '1-D convolution over steps: finds local patterns in sequences.', '(batch, steps, channels)');
export const Conv2D = conv('Conv2D', 2, '2-D convolution: finds local patterns in images.', IMAGE);

// depth_multiplier is left out: TF.js 4.22 does not save it for SeparableConv2D, so a model with
// another value would not load back. Imports with depth_multiplier ≠ 1 are refused by name.
export const SeparableConv2D: LayerSpec = {
  type: 'SeparableConv2D',
  group: 'Convolution',
  doc: 'Depthwise then pointwise (1×1) convolution: most of a Conv2D for far fewer weights.',
  params: [filtersParam, kernelParam(2), stridesParam(2), paddingParam, dilationParam(2), activationParam('linear'), useBiasParam],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('SeparableConv2D', s, 4, IMAGE);
    known('SeparableConv2D', s, -1, 'number of channels');
    const spatial = slide('SeparableConv2D', s, 'kernel', ints(config, 'kernel_size'), ints(config, 'strides'), str(config, 'padding'), ints(config, 'dilation_rate'));
    return [s[0]!, ...spatial, num(config, 'filters')];
  },
  paramCount(inputs, config) {
    const cin = known('SeparableConv2D', only(inputs), -1, 'number of channels');
    const filters = num(config, 'filters');
    const depthwise = product(ints(config, 'kernel_size')) * cin;
    return { trainable: depthwise + cin * filters + (bool(config, 'use_bias') ? filters : 0), nonTrainable: 0 };
  },
  // Depthwise 2·K·K·Cin·Hout·Wout, then pointwise 2·Cin·Cout·Hout·Wout.
  flops(inputs, output, config) {
    const cin = only(inputs).at(-1) ?? 1;
    const positions = perSample(output) / (output.at(-1) ?? 1);
    return 2 * product(ints(config, 'kernel_size')) * cin * positions + 2 * cin * perSample(output);
  },
};

// dilation_rate is left out: TF.js 4.22's DepthwiseConv2D ignores it (its own TODO), so a dilated
// model would train as an undilated one. Imports with dilation_rate ≠ 1 are refused by name.
export const DepthwiseConv2D: LayerSpec = {
  type: 'DepthwiseConv2D',
  group: 'Convolution',
  doc: 'Convolves each channel with its own filters, without mixing channels.',
  params: [
    kernelParam(2, 'Size of the window each channel filter sees.'),
    stridesParam(2),
    paddingParam,
    { name: 'depth_multiplier', type: 'int', default: 1, min: 1, doc: 'Output channels per input channel.' },
    activationParam('linear'),
    useBiasParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('DepthwiseConv2D', s, 4, IMAGE);
    const cin = known('DepthwiseConv2D', s, -1, 'number of channels');
    const spatial = slide('DepthwiseConv2D', s, 'kernel', ints(config, 'kernel_size'), ints(config, 'strides'), str(config, 'padding'));
    return [s[0]!, ...spatial, cin * num(config, 'depth_multiplier')];
  },
  paramCount(inputs, config) {
    const cout = known('DepthwiseConv2D', only(inputs), -1, 'number of channels') * num(config, 'depth_multiplier');
    return { trainable: product(ints(config, 'kernel_size')) * cout + (bool(config, 'use_bias') ? cout : 0), nonTrainable: 0 };
  },
  // 2·K·K per output value: 2·K·K·Cin·depth_multiplier·Hout·Wout.
  flops: (_inputs, output, config) => 2 * product(ints(config, 'kernel_size')) * perSample(output),
};

/** Keras' deconv_output_length without output_padding or dilation (TF.js supports neither). */
function transposedLength(length: number | null, kernel: number, stride: number, padding: string): number | null {
  if (length === null) return null;
  return padding === 'same' ? length * stride : length * stride + Math.max(kernel - stride, 0);
}

export const Conv2DTranspose: LayerSpec = {
  type: 'Conv2DTranspose',
  group: 'Convolution',
  doc: 'Transposed ("de-") convolution: learns to upsample images, e.g. in decoders.',
  params: [filtersParam, kernelParam(2), stridesParam(2, 'Upsampling factor: each input pixel moves this far apart.'), paddingParam, activationParam('linear'), useBiasParam],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('Conv2DTranspose', s, 4, IMAGE);
    known('Conv2DTranspose', s, -1, 'number of channels');
    const k = ints(config, 'kernel_size');
    const st = ints(config, 'strides');
    const padding = str(config, 'padding');
    return [s[0]!, transposedLength(s[1]!, k[0]!, st[0]!, padding), transposedLength(s[2]!, k[1]!, st[1]!, padding), num(config, 'filters')];
  },
  paramCount(inputs, config) {
    const cin = known('Conv2DTranspose', only(inputs), -1, 'number of channels');
    const filters = num(config, 'filters');
    return { trainable: product(ints(config, 'kernel_size')) * cin * filters + (bool(config, 'use_bias') ? filters : 0), nonTrainable: 0 };
  },
  // Every input value is spread over a K·K·Cout patch: 2·K·K·Cin·Cout·Hin·Win.
  flops: (inputs, _output, config) => 2 * product(ints(config, 'kernel_size')) * perSample(only(inputs)) * num(config, 'filters'),
};

export const CONVOLUTION_LAYERS: LayerSpec[] = [Conv1D, Conv2D, SeparableConv2D, DepthwiseConv2D, Conv2DTranspose];
