/**
 * Pooling. Windowed pools run channels first (MaxPool, AveragePool; TF's 'same' average leaves the
 * padding out of the count, as count_include_pad = 0 does). Global pools reduce the spatial axes
 * of the channels-last tensor directly, with no transposes.
 */
import { convPads } from './conv.js';
import { toChannelsFirst, toChannelsLast } from './layout.js';
import type { LayerConverter } from './types.js';

function pool(rank: number, op: 'MaxPool' | 'AveragePool'): LayerConverter {
  return {
    convert(ctx) {
      const { b, name, config } = ctx;
      const size = config['pool_size'] as number[];
      const strides = (config['strides'] as number[] | null) ?? size;
      const spatial = ctx.inputShapes[0]!.slice(1, 1 + rank) as number[];
      const pads = convPads(spatial, size, strides, Array<number>(rank).fill(1), String(config['padding']));
      const x = toChannelsFirst(b, ctx.inputs[0]!, rank, name);
      const y = b.op(op, [x], { kernel_shape: { ints: size }, strides: { ints: strides }, pads: { ints: pads } }, `${name}/pool`);
      return toChannelsLast(b, y, rank, name);
    },
  };
}

function globalPool(rank: number, op: 'ReduceMean' | 'ReduceMax'): LayerConverter {
  return {
    // opset 17: ReduceMean and ReduceMax take axes as an attribute (an input from opset 18).
    convert: (ctx) => ctx.b.op(op, [ctx.inputs[0]!], { axes: { ints: Array.from({ length: rank }, (_, i) => i + 1) }, keepdims: { i: 0 } }, ctx.name),
  };
}

export const POOLING_CONVERTERS: Record<string, LayerConverter> = {
  MaxPooling1D: pool(1, 'MaxPool'),
  MaxPooling2D: pool(2, 'MaxPool'),
  AveragePooling1D: pool(1, 'AveragePool'),
  AveragePooling2D: pool(2, 'AveragePool'),
  GlobalAveragePooling1D: globalPool(1, 'ReduceMean'),
  GlobalAveragePooling2D: globalPool(2, 'ReduceMean'),
  GlobalMaxPooling1D: globalPool(1, 'ReduceMax'),
  GlobalMaxPooling2D: globalPool(2, 'ReduceMax'),
};
