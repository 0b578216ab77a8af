import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape } from '../shape.js';
import { activationParam, bool, known, noParams, num, only, perSample, reshapeHint, useBiasParam } from './common.js';

export const Dense: LayerSpec = {
  type: 'Dense',
  group: 'Core',
  doc: 'Fully connected layer: every output unit sees every input feature.',
  params: [
    { name: 'units', type: 'int', default: 32, min: 1, doc: 'Number of output units.' },
    activationParam('linear'),
    useBiasParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    if (s.length < 2) throw new ShapeError(`Dense needs at least a 2-D input (batch, features); got ${formatShape(s)}`);
    known('Dense', s, -1, 'last dimension');
    return [...s.slice(0, -1), num(config, 'units')];
  },
  paramCount(inputs, config) {
    const s = only(inputs);
    const units = num(config, 'units');
    const features = known('Dense', s, -1, 'last dimension');
    return { trainable: features * units + (bool(config, 'use_bias') ? units : 0), nonTrainable: 0 };
  },
  // 2 · features · units per position (a 3-D input has one per step); bias and activation left out.
  flops: (inputs, output) => 2 * perSample(only(inputs)) * (output[output.length - 1] ?? 1),
};

export const Activation: LayerSpec = {
  type: 'Activation',
  group: 'Activations',
  doc: 'Applies an activation function element-wise.',
  params: [activationParam('relu')],
  inputs: { min: 1, max: 1 },
  outputShape: (inputs) => only(inputs),
  paramCount: noParams,
  // One operation per element (exp or tanh cost more; an estimate, not a count of instructions).
  flops: (_inputs, output) => perSample(output),
};

export const Embedding: LayerSpec = {
  type: 'Embedding',
  group: 'Core',
  doc: 'Turns integer ids (words, categories) into learned dense vectors.',
  params: [
    { name: 'input_dim', type: 'int', default: 1000, min: 1, doc: 'Vocabulary size: ids run from 0 to input_dim - 1.' },
    { name: 'output_dim', type: 'int', default: 64, min: 1, doc: 'Length of each vector.' },
    { name: 'mask_zero', type: 'bool', default: false, doc: 'Treat id 0 as padding that later recurrent layers skip.' },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    if (s.length < 2) throw new ShapeError(`Embedding needs at least a 2-D input (batch, ids); got ${formatShape(s)}`, reshapeHint(s, 2));
    return [...s, num(config, 'output_dim')];
  },
  paramCount: (_inputs, config) => ({ trainable: num(config, 'input_dim') * num(config, 'output_dim'), nonTrainable: 0 }),
  // A table lookup: it copies rows and computes nothing.
  flops: () => 0,
};

export const CORE_LAYERS: LayerSpec[] = [Dense, Activation, Embedding];
