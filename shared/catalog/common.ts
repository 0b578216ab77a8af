/** Helpers the layer specs share: parameter builders, typed config reads and shape checks. */
import type { JsonValue } from '../graph.js';
import { formatShape, type Shape } from '../shape.js';
import { ShapeError, type ParamSpec } from './types.js';

export type Config = Record<string, JsonValue>;

/** Activation names as Keras writes them in JSON (snake_case). */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'hard_sigmoid',
  'relu6',
  'swish',
  'mish',
  'gelu',
];

export function activationParam(def: string, doc = 'Function applied to the output.', name = 'activation'): ParamSpec {
  return { name, type: 'enum', default: def, options: ACTIVATIONS, doc };
}

export const useBiasParam: ParamSpec = { name: 'use_bias', type: 'bool', default: true, doc: 'Add a learned bias.' };

export const paddingParam: ParamSpec = {
  name: 'padding',
  type: 'enum',
  default: 'valid',
  options: ['valid', 'same'],
  doc: "'valid' shrinks the output by the kernel; 'same' keeps its size (at stride 1).",
};

export function kernelParam(rank: number, doc = 'Size of the window each filter sees.'): ParamSpec {
  return { name: 'kernel_size', type: 'ints', default: Array<number>(rank).fill(3), length: rank, min: 1, doc };
}

export function stridesParam(rank: number, doc = 'Step between windows.'): ParamSpec {
  return { name: 'strides', type: 'ints', default: Array<number>(rank).fill(1), length: rank, min: 1, doc };
}

export function dilationParam(rank: number): ParamSpec {
  return {
    name: 'dilation_rate',
    type: 'ints',
    default: Array<number>(rank).fill(1),
    length: rank,
    min: 1,
    doc: 'Gap between the kernel taps (1: none); widens the window without adding weights. Needs strides of 1.',
  };
}

// Config reads. withDefaults has already checked types, so these only narrow for the compiler.
export function num(config: Config, key: string): number {
  const v = config[key];
  if (typeof v !== 'number') throw new Error(`Parameter '${key}' should be a number; got ${JSON.stringify(v)}`);
  return v;
}

export function bool(config: Config, key: string): boolean {
  return config[key] === true;
}

export function str(config: Config, key: string): string {
  const v = config[key];
  if (typeof v !== 'string') throw new Error(`Parameter '${key}' should be a string; got ${JSON.stringify(v)}`);
  return v;
}

export function ints(config: Config, key: string): number[] {
  const v = config[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number')) throw new Error(`Parameter '${key}' should be a list of integers; got ${JSON.stringify(v)}`);
  return v as number[];
}

export function intsOrNull(config: Config, key: string): number[] | null {
  return config[key] === null || config[key] === undefined ? null : ints(config, key);
}

/** The single input of a one-input layer (analyzeGraph has checked the count). */
export function only(inputs: Shape[]): Shape {
  const s = inputs[0];
  if (!s) throw new ShapeError('The layer has no input');
  return s;
}

export function product(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Values in one sample of this shape: every dimension but the batch (unknown ones count 1). */
export function perSample(shape: Shape): number {
  return shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);
}

export function fmtList(values: number[]): string {
  return '(' + values.join(', ') + ')';
}

/** Dimension that must be known (not batch/null) for weights to be sized. */
export function known(layer: string, shape: Shape, axis: number, what: string): number {
  const d = shape[axis < 0 ? shape.length + axis : axis];
  if (d === null || d === undefined) throw new ShapeError(`${layer} needs a known ${what}; got ${formatShape(shape)}`);
  return d;
}

export function noParams(): { trainable: number; nonTrainable: number } {
  return { trainable: 0, nonTrainable: 0 };
}

/** Output length of a convolution or pooling window along one axis, as Keras computes it. */
export function windowOut(length: number | null, window: number, stride: number, padding: string, dilation = 1): number | null {
  if (length === null) return null;
  const span = (window - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(length / stride) : Math.floor((length - span) / stride) + 1;
}

/**
 * Spatial output sizes of a sliding window (convolution or pooling) over a channels-last input.
 * Throws when 'valid' windows do not fit, or when strides and dilation are both above 1
 * (Keras and TF.js refuse that combination).
 */
export function slide(
  layer: string,
  s: Shape,
  what: 'kernel' | 'pool',
  window: number[],
  strides: number[],
  padding: string,
  dilation?: number[],
): (number | null)[] {
  if (dilation && dilation.some((d) => d > 1) && strides.some((st) => st > 1))
    throw new ShapeError(
      `${layer} cannot combine strides ${fmtList(strides)} with dilation_rate ${fmtList(dilation)}; one of them must be all 1s`,
      'set strides to 1 or dilation_rate to 1',
    );
  return s.slice(1, -1).map((d, i) => {
    const out = windowOut(d, window[i]!, strides[i]!, padding, dilation?.[i] ?? 1);
    if (out !== null && out < 1) {
      const dilated = dilation && dilation.some((x) => x > 1) ? ` dilated by ${fmtList(dilation)}` : '';
      throw new ShapeError(`${layer} ${what} ${fmtList(window)}${dilated} is larger than its input ${formatShape(s)}`, `use padding 'same' or a smaller ${what}`);
    }
    return out;
  });
}

/** Throws unless every input has the same shape (element-wise merges). */
export function sameShapes(layer: string, inputs: Shape[]): Shape {
  const first = inputs[0];
  if (!first) throw new ShapeError(`${layer} has no inputs`);
  if (!inputs.every((s) => s.length === first.length && s.every((d, i) => d === first[i])))
    throw new ShapeError(`${layer} needs inputs of the same shape; got ${inputs.map(formatShape).join(' and ')}`);
  return first;
}

/** A Reshape hint that turns `shape` into `rank` dims (batch included), when one is obvious. */
export function reshapeHint(shape: Shape, rank: number): string | undefined {
  const dims = shape.slice(1);
  if (dims.some((d) => d === null) || dims.length === 0) return undefined;
  const total = product(dims as number[]);
  let target: number[] | undefined;
  if (rank === 3) {
    target = dims.length === 1 ? [1, total] : [dims[0]!, total / dims[0]!];
  } else if (rank === 4) {
    if (dims.length === 2) target = [dims[0]!, dims[1]!, 1];
    else if (dims.length === 1) {
      const side = Math.round(Math.sqrt(total));
      if (side * side === total) target = [side, side, 1];
    }
  } else if (rank === 2) {
    return 'add a Flatten before it';
  }
  return target ? `add a Reshape to ${formatShape(target)} before it` : undefined;
}

/** Throws unless the input has exactly `rank` dims (batch included). */
export function needRank(layer: string, shape: Shape, rank: number, layout: string): void {
  if (shape.length !== rank) {
    throw new ShapeError(`${layer} needs a ${rank}-D input ${layout}; got ${formatShape(shape)}`, reshapeHint(shape, rank));
  }
}
