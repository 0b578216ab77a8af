import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape } from '../shape.js';
import { activationParam, bool, ints, known, needRank, num, only, paddingParam, str, useBiasParam, windowOut } from './common.js';

function conv(type: string, rank: 1 | 2, doc: string, layout: string): LayerSpec {
  const kdef = rank === 1 ? [3] : [3, 3];
  return {
    type,
    group: 'Convolution',
    doc,
    params: [
      { name: 'filters', type: 'int', default: 32, min: 1, doc: 'Number of filters (output channels).' },
      { name: 'kernel_size', type: 'ints', default: kdef, length: rank, min: 1, doc: 'Size of the window each filter sees.' },
      { name: 'strides', type: 'ints', default: kdef.map(() => 1), length: rank, min: 1, doc: 'Step between windows.' },
      paddingParam,
      activationParam('linear'),
      useBiasParam,
    ],
    inputs: { min: 1, max: 1 },
    outputShape(inputs, config) {
      const s = only(inputs);
      needRank(type, s, rank + 2, layout);
      known(type, s, -1, 'number of channels');
      const k = ints(config, 'kernel_size');
      const st = ints(config, 'strides');
      const padding = str(config, 'padding');
      const spatial = s.slice(1, -1).map((d, i) => {
        const out = windowOut(d, k[i]!, st[i]!, padding);
        if (out !== null && out < 1)
          throw new ShapeError(`${type} kernel ${'(' + k.join(', ') + ')'} is larger than its input ${formatShape(s)}`, "use padding 'same' or a smaller kernel");
        return out;
      });
      return [s[0]!, ...spatial, num(config, 'filters')];
    },
    paramCount(inputs, config) {
      const s = only(inputs);
      const cin = known(type, s, -1, 'number of channels');
      const filters = num(config, 'filters');
      const window = ints(config, 'kernel_size').reduce((a, b) => a * b, 1);
      return { trainable: window * cin * filters + (bool(config, 'use_bias') ? filters : 0), nonTrainable: 0 };
    },
  };
}

export const Conv1D = conv('Conv1D', 1, '1-D convolution over steps: finds local patterns in sequences.', '(batch, steps, channels)');
export const Conv2D = conv('Conv2D', 2, '2-D convolution: finds local patterns in images.', '(batch, height, width, channels)');

export const CONVOLUTION_LAYERS: LayerSpec[] = [Conv1D, Conv2D];
