import type { LayerSpec } from './types.js';
import { ShapeError } from './types.js';
import { formatShape } from '../shape.js';
import { ints, noParams, only, product } from './common.js';

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
    const fmtTarget = '(' + target.join(', ') + ')';
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
};

export const RESHAPING_LAYERS: LayerSpec[] = [Flatten, Reshape];
