/** Every layer type the ONNX export handles, by catalog type. */
import { CONV_CONVERTERS } from './ops/conv.js';
import { CORE_CONVERTERS } from './ops/core.js';
import { MERGING_CONVERTERS } from './ops/merging.js';
import { NORMALIZATION_CONVERTERS } from './ops/normalization.js';
import { POOLING_CONVERTERS } from './ops/pooling.js';
import { RECURRENT_CONVERTERS } from './ops/recurrent.js';
import { RESHAPING_CONVERTERS } from './ops/reshaping.js';
import { WRAPPER_CONVERTERS } from './ops/wrappers.js';
import type { LayerConverter } from './ops/types.js';

export const CONVERTERS: Record<string, LayerConverter> = {
  ...CORE_CONVERTERS,
  ...CONV_CONVERTERS,
  ...POOLING_CONVERTERS,
  ...RECURRENT_CONVERTERS,
  ...WRAPPER_CONVERTERS,
  ...NORMALIZATION_CONVERTERS,
  ...RESHAPING_CONVERTERS,
  ...MERGING_CONVERTERS,
};
