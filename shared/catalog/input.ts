import type { LayerSpec } from './types.js';
import { ints, noParams } from './common.js';

export const Input: LayerSpec = {
  type: 'Input',
  group: 'Input',
  doc: 'Where data enters the model; its shape excludes the batch dimension.',
  params: [{ name: 'shape', type: 'ints', default: [8], min: 1, doc: 'Shape of one sample, without the batch dimension, e.g. (1, 8) or (28, 28, 1).' }],
  inputs: { min: 0, max: 0 },
  outputShape: (_inputs, config) => [null, ...ints(config, 'shape')],
  paramCount: noParams,
  flops: () => 0,
};

export const INPUT_LAYERS: LayerSpec[] = [Input];
