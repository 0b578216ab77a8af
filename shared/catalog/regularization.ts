import type { LayerSpec, ParamSpec } from './types.js';
import { known, needRank, noParams, only } from './common.js';

const rateParam: ParamSpec = { name: 'rate', type: 'float', default: 0.5, min: 0, max: 0.999, doc: 'Fraction of inputs to drop, 0 to below 1.' };

export const Dropout: LayerSpec = {
  type: 'Dropout',
  group: 'Regularization',
  doc: 'Randomly zeroes a fraction of inputs during training to reduce overfitting.',
  params: [rateParam],
  inputs: { min: 1, max: 1 },
  outputShape: (inputs) => only(inputs),
  paramCount: noParams,
  // Dropout layers pass their input through unchanged at inference.
  flops: () => 0,
};

/** Drops whole channels (feature maps) rather than single values: neighbours are too alike for that to help. */
function spatialDropout(type: string, rank: 1 | 2, layout: string, what: string): LayerSpec {
  return {
    type,
    group: 'Regularization',
    doc: `Randomly zeroes whole channels ${what} during training; suits convolutional features.`,
    params: [{ ...rateParam, doc: 'Fraction of channels to drop, 0 to below 1.' }],
    inputs: { min: 1, max: 1 },
    outputShape(inputs) {
      const s = only(inputs);
      needRank(type, s, rank + 2, layout);
      known(type, s, -1, 'number of channels');
      return s;
    },
    paramCount: noParams,
    flops: () => 0,
  };
}

export const SpatialDropout1D = spatialDropout('SpatialDropout1D', 1, '(batch, steps, channels)', 'across all steps');
export const SpatialDropout2D = spatialDropout('SpatialDropout2D', 2, '(batch, height, width, channels)', 'across the whole image');

export const REGULARIZATION_LAYERS: LayerSpec[] = [Dropout, SpatialDropout1D, SpatialDropout2D];
