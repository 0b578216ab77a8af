import type { LayerSpec } from './types.js';
import { ints, intsOrNull, needRank, noParams, only, paddingParam, perSample, product, slide, str } from './common.js';

const LAYOUTS = { 1: '(batch, steps, channels)', 2: '(batch, height, width, channels)' };

function pool(type: string, rank: 1 | 2, kind: 'Max' | 'Average'): LayerSpec {
  const where = rank === 1 ? 'window of steps' : 'window of pixels';
  return {
    type,
    group: 'Pooling',
    doc: kind === 'Max' ? `Keeps the largest value in each ${where}; shrinks the input.` : `Averages each ${where}; shrinks the input.`,
    params: [
      { name: 'pool_size', type: 'ints', default: Array<number>(rank).fill(2), length: rank, min: 1, doc: 'Window size.' },
      { name: 'strides', type: 'ints', default: null, nullable: true, length: rank, min: 1, doc: 'Step between windows; empty means the pool size.' },
      paddingParam,
    ],
    inputs: { min: 1, max: 1 },
    outputShape(inputs, config) {
      const s = only(inputs);
      needRank(type, s, rank + 2, LAYOUTS[rank]);
      const size = ints(config, 'pool_size');
      const spatial = slide(type, s, 'pool', size, intsOrNull(config, 'strides') ?? size, str(config, 'padding'));
      return [s[0]!, ...spatial, s[s.length - 1]!];
    },
    paramCount: noParams,
    // One comparison or addition per window value: pool window · output size.
    flops: (_inputs, output, config) => product(ints(config, 'pool_size')) * perSample(output),
  };
}

function globalPool(type: string, rank: 1 | 2, kind: 'Max' | 'Average'): LayerSpec {
  const over = rank === 1 ? 'steps' : 'positions';
  return {
    type,
    group: 'Pooling',
    doc: kind === 'Max' ? `Keeps the largest value over all ${over}, one per channel.` : `Averages over all ${over}, leaving one value per channel.`,
    params: [],
    inputs: { min: 1, max: 1 },
    outputShape(inputs) {
      const s = only(inputs);
      needRank(type, s, rank + 2, LAYOUTS[rank]);
      return [s[0]!, s[s.length - 1]!];
    },
    paramCount: noParams,
    // One comparison or addition per input value.
    flops: (inputs) => perSample(only(inputs)),
  };
}

export const MaxPooling1D = pool('MaxPooling1D', 1, 'Max');
export const MaxPooling2D = pool('MaxPooling2D', 2, 'Max');
export const AveragePooling1D = pool('AveragePooling1D', 1, 'Average');
export const AveragePooling2D = pool('AveragePooling2D', 2, 'Average');
export const GlobalAveragePooling1D = globalPool('GlobalAveragePooling1D', 1, 'Average');
export const GlobalAveragePooling2D = globalPool('GlobalAveragePooling2D', 2, 'Average');
export const GlobalMaxPooling1D = globalPool('GlobalMaxPooling1D', 1, 'Max');
export const GlobalMaxPooling2D = globalPool('GlobalMaxPooling2D', 2, 'Max');

export const POOLING_LAYERS: LayerSpec[] = [
  MaxPooling1D,
  MaxPooling2D,
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
];
