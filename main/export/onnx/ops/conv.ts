/**
 * Convolutions: Conv1D, Conv2D, DepthwiseConv2D, SeparableConv2D (depthwise then pointwise Conv)
 * and Conv2DTranspose (ConvTranspose). TF kernels are (spatial..., in, out); ONNX wants
 * (out, in/groups, spatial...) and (in, out, spatial...) for ConvTranspose. TF's 'same' padding
 * puts the odd pixel at the end; it is written out as explicit pads.
 */
import { applyActivation } from '../activations.js';
import { samePads, transposeValues } from '../tensor-math.js';
import type { Attr } from '../builder.js';
import { activationReason } from './core.js';
import { toChannelsFirst, toChannelsLast } from './layout.js';
import type { Config, LayerContext, LayerConverter } from './types.js';
import { optionalWeight, weight } from './types.js';

const ints = (c: Config, key: string, rank: number): number[] => {
  const v = c[key];
  return Array.isArray(v) ? (v as number[]) : Array<number>(rank).fill(typeof v === 'number' ? v : 1);
};

/** ONNX pads (all begins, then all ends) for the spatial axes of a channels-last input shape. */
export function convPads(spatial: number[], kernel: number[], strides: number[], dilations: number[], padding: string): number[] {
  if (padding !== 'same') return Array<number>(spatial.length * 2).fill(0);
  const pairs = spatial.map((size, i) => samePads(size, kernel[i]!, strides[i]!, dilations[i]!));
  return [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])];
}

function spatialOf(ctx: LayerContext, rank: number): number[] {
  return ctx.inputShapes[0]!.slice(1, 1 + rank) as number[];
}

interface ConvSpec {
  rank: number;
  /** ONNX weight (out, in/groups, spatial...). */
  w: { values: Float32Array; shape: number[] };
  bias?: Float32Array;
  group: number;
  kernel: number[];
  strides: number[];
  dilations: number[];
  tag: string;
}

/** One ONNX Conv on a channels-first tensor. */
function convNode(ctx: LayerContext, x: string, s: ConvSpec): string {
  const { b, name, config } = ctx;
  const inputs = [x, b.floats(`${name}/${s.tag}_kernel`, s.w.values, s.w.shape)];
  if (s.bias) inputs.push(b.floats(`${name}/${s.tag}_bias`, s.bias, [s.bias.length]));
  const attrs: Record<string, Attr> = {
    kernel_shape: { ints: s.kernel },
    strides: { ints: s.strides },
    dilations: { ints: s.dilations },
    pads: { ints: convPads(spatialOf(ctx, s.rank), s.kernel, s.strides, s.dilations, String(config['padding'])) },
    group: { i: s.group },
  };
  return b.op('Conv', inputs, attrs, `${name}/${s.tag}`);
}

function finish(ctx: LayerContext, y: string, rank: number): string {
  const out = toChannelsLast(ctx.b, y, rank, ctx.name);
  const a = String(ctx.config['activation']);
  return applyActivation(ctx.b, out, a, `${ctx.name}/${a}`);
}

/** TF (spatial..., in, out) → ONNX (out, in, spatial...). */
function oihw(values: Float32Array, shape: number[]): { values: Float32Array; shape: number[] } {
  const r = shape.length - 2;
  return transposeValues(values, shape, [r + 1, r, ...Array.from({ length: r }, (_, i) => i)]);
}

function conv(rank: number): LayerConverter {
  return {
    unsupported: (c) => activationReason(c),
    convert(ctx) {
      const k = weight(ctx, 'kernel');
      const x = toChannelsFirst(ctx.b, ctx.inputs[0]!, rank, ctx.name);
      const y = convNode(ctx, x, {
        rank,
        w: oihw(k.values, k.shape),
        bias: optionalWeight(ctx, 'bias')?.values,
        group: 1,
        kernel: ints(ctx.config, 'kernel_size', rank),
        strides: ints(ctx.config, 'strides', rank),
        dilations: ints(ctx.config, 'dilation_rate', rank),
        tag: 'conv',
      });
      return finish(ctx, y, rank);
    },
  };
}

/** TF depthwise (kh, kw, in, mult) → ONNX grouped (in·mult, 1, kh, kw); output channel c·mult + m in both. */
function depthwiseWeight(values: Float32Array, shape: number[]): { values: Float32Array; shape: number[] } {
  const [kh, kw, cin, mult] = shape as [number, number, number, number];
  return { values: transposeValues(values, shape, [2, 3, 0, 1]).values, shape: [cin * mult, 1, kh, kw] };
}

const DepthwiseConv2D: LayerConverter = {
  unsupported: (c) => activationReason(c),
  convert(ctx) {
    const k = weight(ctx, 'depthwise_kernel');
    const x = toChannelsFirst(ctx.b, ctx.inputs[0]!, 2, ctx.name);
    const y = convNode(ctx, x, {
      rank: 2,
      w: depthwiseWeight(k.values, k.shape),
      bias: optionalWeight(ctx, 'bias')?.values,
      group: k.shape[2]!,
      kernel: ints(ctx.config, 'kernel_size', 2),
      strides: ints(ctx.config, 'strides', 2),
      // TF.js 4.22's DepthwiseConv2D has no dilation (the catalog leaves it out).
      dilations: [1, 1],
      tag: 'depthwise',
    });
    return finish(ctx, y, 2);
  },
};

const SeparableConv2D: LayerConverter = {
  unsupported: (c) => activationReason(c),
  convert(ctx) {
    const dk = weight(ctx, 'depthwise_kernel');
    const pk = weight(ctx, 'pointwise_kernel');
    const x = toChannelsFirst(ctx.b, ctx.inputs[0]!, 2, ctx.name);
    const depth = convNode(ctx, x, {
      rank: 2,
      w: depthwiseWeight(dk.values, dk.shape),
      group: dk.shape[2]!,
      kernel: ints(ctx.config, 'kernel_size', 2),
      strides: ints(ctx.config, 'strides', 2),
      dilations: ints(ctx.config, 'dilation_rate', 2),
      tag: 'depthwise',
    });
    // The pointwise 1×1 convolution sees the depthwise output: no padding of its own.
    const w = oihw(pk.values, pk.shape);
    const inputs = [depth, ctx.b.floats(`${ctx.name}/pointwise_kernel`, w.values, w.shape)];
    const bias = optionalWeight(ctx, 'bias');
    if (bias) inputs.push(ctx.b.floats(`${ctx.name}/bias`, bias.values, bias.shape));
    const y = ctx.b.op('Conv', inputs, { kernel_shape: { ints: [1, 1] } }, `${ctx.name}/pointwise`);
    return finish(ctx, y, 2);
  },
};

/**
 * Conv2DTranspose as TF computes it: the gradient of a forward convolution whose padding puts the
 * odd pixel at the end. So the transposed output is cropped by the forward pad at the start and
 * by what is left at the end; where the output is longer than that (stride > kernel), ONNX's
 * output_padding adds the missing positions.
 */
export function transposePads(size: number, outSize: number, kernel: number, stride: number): { begin: number; end: number; extra: number } {
  const full = stride * (size - 1) + kernel;
  const total = Math.max(full - outSize, 0);
  const begin = Math.floor(total / 2);
  const endCrop = full - begin - outSize;
  return endCrop >= 0 ? { begin, end: endCrop, extra: 0 } : { begin, end: 0, extra: -endCrop };
}

const Conv2DTranspose: LayerConverter = {
  unsupported: (c) => activationReason(c),
  convert(ctx) {
    const { b, name } = ctx;
    const k = weight(ctx, 'kernel');
    // TF (kh, kw, out, in) → ONNX (in, out, kh, kw).
    const w = transposeValues(k.values, k.shape, [3, 2, 0, 1]);
    const kernel = ints(ctx.config, 'kernel_size', 2);
    const strides = ints(ctx.config, 'strides', 2);
    const spatial = spatialOf(ctx, 2);
    const out = ctx.outputShape.slice(1, 3) as number[];
    const p = spatial.map((size, i) => transposePads(size, out[i]!, kernel[i]!, strides[i]!));
    const x = toChannelsFirst(b, ctx.inputs[0]!, 2, name);
    const inputs = [x, b.floats(`${name}/kernel`, w.values, w.shape)];
    const bias = optionalWeight(ctx, 'bias');
    if (bias) inputs.push(b.floats(`${name}/bias`, bias.values, bias.shape));
    const y = b.op(
      'ConvTranspose',
      inputs,
      {
        kernel_shape: { ints: kernel },
        strides: { ints: strides },
        pads: { ints: [...p.map((q) => q.begin), ...p.map((q) => q.end)] },
        output_padding: { ints: p.map((q) => q.extra) },
      },
      `${name}/conv_transpose`,
    );
    return finish(ctx, y, 2);
  },
};

export const CONV_CONVERTERS: Record<string, LayerConverter> = {
  Conv1D: conv(1),
  Conv2D: conv(2),
  DepthwiseConv2D,
  SeparableConv2D,
  Conv2DTranspose,
};
