import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape } from '../shape.js';
import { ints, intsOrNull, needRank, noParams, only, paddingParam, str, windowOut } from './common.js';

function maxPool(type: string, rank: 1 | 2, layout: string): LayerSpec {
  const pdef = rank === 1 ? [2] : [2, 2];
  return {
    type,
    group: 'Pooling',
    doc: `Keeps the largest value in each ${rank === 1 ? 'window of steps' : 'window of pixels'}; shrinks the input.`,
    params: [
      { name: 'pool_size', type: 'ints', default: pdef, length: rank, min: 1, doc: 'Window size.' },
      { name: 'strides', type: 'ints', default: null, nullable: true, length: rank, min: 1, doc: 'Step between windows; empty means the pool size.' },
      paddingParam,
    ],
    inputs: { min: 1, max: 1 },
    outputShape(inputs, config) {
      const s = only(inputs);
      needRank(type, s, rank + 2, layout);
      const pool = ints(config, 'pool_size');
      const strides = intsOrNull(config, 'strides') ?? pool;
      const padding = str(config, 'padding');
      const spatial = s.slice(1, -1).map((d, i) => {
        const out = windowOut(d, pool[i]!, strides[i]!, padding);
        if (out !== null && out < 1)
          throw new ShapeError(`${type} pool ${'(' + pool.join(', ') + ')'} is larger than its input ${formatShape(s)}`, "use padding 'same' or a smaller pool");
        return out;
      });
      return [s[0]!, ...spatial, s[s.length - 1]!];
    },
    paramCount: noParams,
  };
}

function globalAvg(type: string, rank: 1 | 2, layout: string): LayerSpec {
  return {
    type,
    group: 'Pooling',
    doc: `Averages over all ${rank === 1 ? 'steps' : 'positions'}, leaving one value per channel.`,
    params: [],
    inputs: { min: 1, max: 1 },
    outputShape(inputs) {
      const s = only(inputs);
      needRank(type, s, rank + 2, layout);
      return [s[0]!, s[s.length - 1]!];
    },
    paramCount: noParams,
  };
}

export const MaxPooling1D = maxPool('MaxPooling1D', 1, '(batch, steps, channels)');
export const MaxPooling2D = maxPool('MaxPooling2D', 2, '(batch, height, width, channels)');
export const GlobalAveragePooling1D = globalAvg('GlobalAveragePooling1D', 1, '(batch, steps, channels)');
export const GlobalAveragePooling2D = globalAvg('GlobalAveragePooling2D', 2, '(batch, height, width, channels)');

export const POOLING_LAYERS: LayerSpec[] = [MaxPooling1D, MaxPooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D];
