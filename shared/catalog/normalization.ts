import type { LayerSpec, ParamSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape, type Shape } from '../shape.js';
import { bool, num, only, perSample } from './common.js';

/** The size of the normalised axis, which sizes gamma and beta. */
function channels(layer: string, s: Shape, axis: number): number {
  if (s.length < 2) throw new ShapeError(`${layer} needs at least a 2-D input; got ${formatShape(s)}`);
  const a = axis < 0 ? s.length + axis : axis;
  if (a <= 0 || a >= s.length) throw new ShapeError(`${layer} axis ${axis} is out of range for ${formatShape(s)}`, 'use -1 for the last axis');
  const c = s[a];
  if (c === null || c === undefined) throw new ShapeError(`${layer} needs a known size on axis ${axis}; got ${formatShape(s)}`);
  return c;
}

/**
 * TF.js 4.22 (the engine, on cpu and wasm alike) computes BatchNormalization over any axis but the
 * last wrongly: the model would train and predict with wrong values, so such a layer is refused
 * here, where the graph editor and every import see it.
 */
function lastAxisOnly(s: Shape, axis: number): void {
  const a = axis < 0 ? s.length + axis : axis;
  if (a !== s.length - 1)
    throw new ShapeError(
      `BatchNormalization over axis ${axis} of ${formatShape(s)} is not the last axis; TF.js 4.22, Layerbench's engine, computes such a layer wrongly`,
      'normalise the last axis (-1, the channels of an image); put a Permute before it to move another axis last',
    );
}

const epsilonParam: ParamSpec = { name: 'epsilon', type: 'float', default: 0.001, min: 0, doc: 'Small number added to the variance to avoid dividing by zero.' };
const centerParam: ParamSpec = { name: 'center', type: 'bool', default: true, doc: 'Learn an offset (beta).' };
const scaleParam: ParamSpec = { name: 'scale', type: 'bool', default: true, doc: 'Learn a scale (gamma).' };

export const BatchNormalization: LayerSpec = {
  type: 'BatchNormalization',
  group: 'Normalization',
  doc: 'Normalizes each channel to zero mean and unit variance over the batch; speeds up training.',
  params: [
    { name: 'axis', type: 'int', default: -1, doc: 'The channel axis (-1: the last).' },
    { name: 'momentum', type: 'float', default: 0.99, min: 0, max: 1, doc: 'Momentum of the moving mean and variance.' },
    epsilonParam,
    centerParam,
    scaleParam,
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    channels('BatchNormalization', s, num(config, 'axis'));
    lastAxisOnly(s, num(config, 'axis'));
    return s;
  },
  paramCount(inputs, config) {
    const c = channels('BatchNormalization', only(inputs), num(config, 'axis'));
    return { trainable: (bool(config, 'center') ? c : 0) + (bool(config, 'scale') ? c : 0), nonTrainable: 2 * c };
  },
  // At inference a multiply and an add per value (the moving statistics fold into one scale and shift).
  flops: (_inputs, output) => 2 * perSample(output),
};

export const LayerNormalization: LayerSpec = {
  type: 'LayerNormalization',
  group: 'Normalization',
  doc: 'Normalizes each sample over its features (not over the batch); common in sequence models.',
  params: [{ name: 'axis', type: 'int', default: -1, doc: 'The axis normalized over (-1: the last).' }, epsilonParam, centerParam, scaleParam],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    channels('LayerNormalization', s, num(config, 'axis'));
    return s;
  },
  paramCount(inputs, config) {
    const c = channels('LayerNormalization', only(inputs), num(config, 'axis'));
    return { trainable: (bool(config, 'center') ? c : 0) + (bool(config, 'scale') ? c : 0), nonTrainable: 0 };
  },
  // Per value: one add for the mean, two for the variance, then normalise, scale and shift: about 5.
  flops: (_inputs, output) => 5 * perSample(output),
};

export const NORMALIZATION_LAYERS: LayerSpec[] = [BatchNormalization, LayerNormalization];
