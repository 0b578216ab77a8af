import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape, shapesEqual, type Shape } from '../shape.js';
import { noParams, num } from './common.js';

export const Concatenate: LayerSpec = {
  type: 'Concatenate',
  group: 'Merging',
  doc: 'Joins several inputs along one axis (by default the features).',
  params: [{ name: 'axis', type: 'int', default: -1, doc: 'Axis to join along (-1: the last).' }],
  inputs: { min: 2, max: 64 },
  outputShape(inputs, config) {
    const first = inputs[0]!;
    const axis = num(config, 'axis');
    const a = axis < 0 ? first.length + axis : axis;
    if (a <= 0 || a >= first.length) throw new ShapeError(`Concatenate axis ${axis} is out of range for ${formatShape(first)}`);
    let joined: number | null = 0;
    for (const s of inputs) {
      const same = s.length === first.length && s.every((d, i) => i === a || d === first[i]);
      if (!same)
        throw new ShapeError(`Concatenate needs inputs that match except on axis ${axis}; got ${inputs.map(formatShape).join(' and ')}`);
      const d = s[a]!;
      joined = joined === null || d === null ? null : joined + d;
    }
    const out: Shape = [...first];
    out[a] = joined;
    return out;
  },
  paramCount: noParams,
};

export const Add: LayerSpec = {
  type: 'Add',
  group: 'Merging',
  doc: 'Adds inputs of the same shape element-wise (residual connections).',
  params: [],
  inputs: { min: 2, max: 64 },
  outputShape(inputs) {
    const first = inputs[0]!;
    if (!inputs.every((s) => shapesEqual(s, first)))
      throw new ShapeError(`Add needs inputs of the same shape; got ${inputs.map(formatShape).join(' and ')}`);
    return first;
  },
  paramCount: noParams,
};

export const MERGING_LAYERS: LayerSpec[] = [Concatenate, Add];
