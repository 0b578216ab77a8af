import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape, type Shape } from '../shape.js';
import { noParams, num, perSample, sameShapes } from './common.js';

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
  // Copies only.
  flops: () => 0,
};

/**
 * An element-wise merge of same-shape inputs. Keras also broadcasts size-1 axes; we ask for equal
 * shapes, which is what a graph editor user nearly always means.
 * Cost: one operation per output value per extra input; Average one more for the division.
 */
function elementwise(type: string, doc: string, opsPerValue: (n: number) => number, maxInputs = 64): LayerSpec {
  return {
    type,
    group: 'Merging',
    doc,
    params: [],
    inputs: { min: 2, max: maxInputs },
    outputShape(inputs) {
      if (inputs.length < 2 || inputs.length > maxInputs) {
        const expected = maxInputs === 2 ? 'exactly 2 inputs' : `2 to ${maxInputs} inputs`;
        throw new ShapeError(`${type} needs ${expected}; got ${inputs.length}`);
      }
      return sameShapes(type, inputs);
    },
    paramCount: noParams,
    flops: (inputs, output) => opsPerValue(inputs.length) * perSample(output),
  };
}

export const Add = elementwise('Add', 'Adds inputs of the same shape element-wise (residual connections).', (n) => n - 1);
export const Subtract = elementwise('Subtract', 'Subtracts the second input from the first, element-wise.', () => 1, 2);
export const Multiply = elementwise('Multiply', 'Multiplies inputs of the same shape element-wise (gating).', (n) => n - 1);
export const Average = elementwise('Average', 'Averages inputs of the same shape element-wise (ensembles).', (n) => n);
export const Maximum = elementwise('Maximum', 'Keeps the largest of the inputs at each position.', (n) => n - 1);
export const Minimum = elementwise('Minimum', 'Keeps the smallest of the inputs at each position.', (n) => n - 1);

export const MERGING_LAYERS: LayerSpec[] = [Concatenate, Add, Subtract, Multiply, Average, Maximum, Minimum];
