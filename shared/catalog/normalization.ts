import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape, type Shape } from '../shape.js';
import { bool, num, only } from './common.js';

function channels(s: Shape, axis: number): number {
  if (s.length < 2) throw new ShapeError(`BatchNormalization needs at least a 2-D input; got ${formatShape(s)}`);
  const a = axis < 0 ? s.length + axis : axis;
  if (a <= 0 || a >= s.length) throw new ShapeError(`BatchNormalization axis ${axis} is out of range for ${formatShape(s)}`);
  const c = s[a];
  if (c === null || c === undefined) throw new ShapeError(`BatchNormalization needs a known size on axis ${axis}; got ${formatShape(s)}`);
  return c;
}

export const BatchNormalization: LayerSpec = {
  type: 'BatchNormalization',
  group: 'Normalization',
  doc: 'Normalizes each channel to zero mean and unit variance over the batch; speeds up training.',
  params: [
    { name: 'axis', type: 'int', default: -1, doc: 'The channel axis (-1: the last).' },
    { name: 'momentum', type: 'float', default: 0.99, min: 0, max: 1, doc: 'Momentum of the moving mean and variance.' },
    { name: 'epsilon', type: 'float', default: 0.001, min: 0, doc: 'Small number added to the variance to avoid dividing by zero.' },
    { name: 'center', type: 'bool', default: true, doc: 'Learn an offset (beta).' },
    { name: 'scale', type: 'bool', default: true, doc: 'Learn a scale (gamma).' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    channels(s, num(config, 'axis'));
    return s;
  },
  paramCount(inputs, config) {
    const c = channels(only(inputs), num(config, 'axis'));
    return { trainable: (bool(config, 'center') ? c : 0) + (bool(config, 'scale') ? c : 0), nonTrainable: 2 * c };
  },
};

export const NORMALIZATION_LAYERS: LayerSpec[] = [BatchNormalization];
