import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape } from '../shape.js';
import { fmtList, ints, needRank, noParams, num, only, product } from './common.js';

// Reshaping layers only move values: they all cost 0 flops.

export const Flatten: LayerSpec = {
  type: 'Flatten',
  group: 'Reshaping',
  doc: 'Flattens each sample into one vector: (batch, 28, 28, 1) becomes (batch, 784).',
  params: [],
  inputs: { min: 1, max: 1 },
  outputShape(inputs) {
    const s = only(inputs);
    // Keras passes 2-D inputs through; TF.js refuses them.
    if (s.length < 3) throw new ShapeError(`Flatten needs at least a 3-D input; got ${formatShape(s)}`, 'the input is already flat: remove the Flatten');
    const dims = s.slice(1);
    if (dims.some((d) => d === null)) throw new ShapeError(`Flatten needs every dimension but the batch to be known; got ${formatShape(s)}`);
    return [s[0]!, product(dims as number[])];
  },
  paramCount: noParams,
  flops: () => 0,
};

export const Reshape: LayerSpec = {
  type: 'Reshape',
  group: 'Reshaping',
  doc: 'Rearranges each sample into a new shape with the same number of values; one dimension may be -1 (inferred).',
  params: [{ name: 'target_shape', type: 'ints', default: [1, 8], min: -1, doc: 'New shape without the batch dimension, e.g. (1, 8); -1 once for "the rest".' }],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    const target = ints(config, 'target_shape');
    const fmtTarget = fmtList(target);
    if (target.some((d) => d === 0) || target.filter((d) => d === -1).length > 1)
      throw new ShapeError(`Reshape target ${fmtTarget} may hold at most one -1 and no 0`);
    const dims = s.slice(1);
    if (dims.some((d) => d === null)) throw new ShapeError(`Reshape needs every dimension but the batch to be known; got ${formatShape(s)}`);
    const total = product(dims as number[]);
    const fixed = product(target.filter((d) => d !== -1));
    if (target.includes(-1)) {
      if (total % fixed !== 0) throw new ShapeError(`Reshape can't turn ${formatShape(s)} into ${fmtTarget}: ${total} values do not divide by ${fixed}`);
      return [s[0]!, ...target.map((d) => (d === -1 ? total / fixed : d))];
    }
    if (fixed !== total) throw new ShapeError(`Reshape can't turn ${formatShape(s)} into ${fmtTarget}: ${total} values vs ${fixed}`);
    return [s[0]!, ...target];
  },
  paramCount: noParams,
  flops: () => 0,
};

export const Permute: LayerSpec = {
  type: 'Permute',
  group: 'Reshaping',
  doc: 'Reorders the axes of each sample, e.g. (steps, features) to (features, steps).',
  params: [
    {
      name: 'dims',
      type: 'ints',
      default: [2, 1],
      min: 1,
      doc: 'New order of the axes after the batch, counted from 1: (2, 1) swaps the first two.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    const dims = ints(config, 'dims');
    const axes = Array.from({ length: s.length - 1 }, (_, i) => i + 1);
    if (dims.length !== axes.length)
      throw new ShapeError(
        `Permute needs one dim per axis after the batch: ${axes.length} for ${formatShape(s)}; got ${fmtList(dims)}`,
        `use an order of ${fmtList(axes)}`,
      );
    const sorted = [...dims].sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === axes[i]))
      throw new ShapeError(`Permute dims ${fmtList(dims)} are not an order of ${fmtList(axes)}: each axis must appear once`);
    return [s[0]!, ...dims.map((d) => s[d]!)];
  },
  paramCount: noParams,
  flops: () => 0,
};

export const RepeatVector: LayerSpec = {
  type: 'RepeatVector',
  group: 'Reshaping',
  doc: 'Repeats a vector n times into a sequence: (batch, features) becomes (batch, n, features).',
  params: [{ name: 'n', type: 'int', default: 2, min: 1, doc: 'How many times to repeat (the number of steps out).' }],
  inputs: { min: 1, max: 1 },
  outputShape(inputs, config) {
    const s = only(inputs);
    needRank('RepeatVector', s, 2, '(batch, features)');
    return [s[0]!, num(config, 'n'), s[1]!];
  },
  paramCount: noParams,
  flops: () => 0,
};

export const RESHAPING_LAYERS: LayerSpec[] = [Flatten, Reshape, Permute, RepeatVector];
