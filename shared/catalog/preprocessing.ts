import type { LayerSpec } from './types.js';
import { noParams, only, perSample } from './common.js';

export const Rescaling: LayerSpec = {
  type: 'Rescaling',
  group: 'Preprocessing',
  doc: 'Multiplies inputs by a scale and adds an offset, e.g. pixels 0–255 to 0–1 with scale 1/255.',
  params: [
    { name: 'scale', type: 'float', default: 1 / 255, doc: 'Factor each input is multiplied by.' },
    { name: 'offset', type: 'float', default: 0, doc: 'Added after scaling.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape: (inputs) => only(inputs),
  paramCount: noParams,
  // A multiply and an add per value.
  flops: (_inputs, output) => 2 * perSample(output),
};

export const PREPROCESSING_LAYERS: LayerSpec[] = [Rescaling];
