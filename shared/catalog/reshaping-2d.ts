/** Reshaping layers that change an image's height and width (Keras files them under Reshaping). */
import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape, type Shape } from '../shape.js';
import { ints, needRank, noParams, only, perSample, str } from './common.js';

const IMAGE = '(batch, height, width, channels)';

export const UpSampling2D: LayerSpec = {
  type: 'UpSampling2D',
  group: 'Reshaping',
  doc: 'Enlarges images by repeating (or interpolating) rows and columns.',
  params: [
    { name: 'size', type: 'ints', default: [2, 2], length: 2, min: 1, doc: 'Factors for height and width.' },
    {
      name: 'interpolation',
      type: 'enum',
      default: 'nearest',
      options: ['nearest', 'bilinear'],
      doc: "'nearest' repeats pixels; 'bilinear' blends the four nearest.",
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('UpSampling2D', s, 4, IMAGE);
    const [fh, fw] = ints(config, 'size') as [number, number];
    return [s[0]!, s[1] === null ? null : s[1]! * fh, s[2] === null ? null : s[2]! * fw, s[3]!];
  },
  paramCount: noParams,
  // 'nearest' copies (0); 'bilinear' is about four multiply-adds per output value.
  flops: (_inputs, output, config) => (str(config, 'interpolation') === 'bilinear' ? 8 * perSample(output) : 0),
};

export const ZeroPadding2D: LayerSpec = {
  type: 'ZeroPadding2D',
  group: 'Reshaping',
  doc: 'Adds rows and columns of zeros around images.',
  params: [
    {
      name: 'padding',
      type: 'ints',
      default: [1, 1, 1, 1],
      length: 4,
      min: 0,
      pairs: true,
      doc: 'Zeros added at the top, bottom, left and right; one number pads all four sides.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('ZeroPadding2D', s, 4, IMAGE);
    const [t, b, l, r] = ints(config, 'padding') as [number, number, number, number];
    return [s[0]!, s[1] === null ? null : s[1]! + t + b, s[2] === null ? null : s[2]! + l + r, s[3]!];
  },
  paramCount: noParams,
  flops: () => 0,
};

function cropped(s: Shape, axis: 1 | 2, a: number, b: number): number | null {
  const size = s[axis];
  if (size === null || size === undefined) return null;
  if (a + b >= size) {
    const [unit, extent] = axis === 1 ? ['rows', 'high'] : ['columns', 'wide'];
    throw new ShapeError(
      `Cropping2D crops ${a} + ${b} ${unit} from an input ${size} ${extent} ${formatShape(s)}; at least 1 must remain`,
      `crop at most ${size - 1} ${unit} in all`,
    );
  }
  return size - a - b;
}

export const Cropping2D: LayerSpec = {
  type: 'Cropping2D',
  group: 'Reshaping',
  doc: 'Cuts rows and columns off the edges of images.',
  params: [
    {
      name: 'cropping',
      type: 'ints',
      default: [0, 0, 0, 0],
      length: 4,
      min: 0,
      pairs: true,
      doc: 'Rows or columns cut at the top, bottom, left and right; one number crops all four sides.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('Cropping2D', s, 4, IMAGE);
    const [t, b, l, r] = ints(config, 'cropping') as [number, number, number, number];
    return [s[0]!, cropped(s, 1, t, b), cropped(s, 2, l, r), s[3]!];
  },
  paramCount: noParams,
  flops: () => 0,
};

export const RESHAPING_2D_LAYERS: LayerSpec[] = [UpSampling2D, ZeroPadding2D, Cropping2D];
