/**
 * Where each TF.js weight goes in a Keras file. Keras 3 (model.weights.h5) stores a layer's own
 * variables as `layers/<layer>/vars/0..n` in creation order, and a sublayer's under the attribute
 * that holds it (an RNN's `cell`, a Bidirectional's `forward_layer`/`backward_layer`, a
 * TimeDistributed's `layer`). tf.keras 2 (.h5) names them `<layer>/<weight>:0`, an RNN's with its
 * cell (`lstm/lstm_cell/kernel:0`), and loads them by order within the layer.
 * TF.js creates every layer's variables in the order Keras does, so the order carries over.
 */
import { snakeCase } from '../../../shared/graph.js';
import { AppError } from '../../../shared/errors.js';
import type { NamedWeight } from './layer-weights.js';

export interface PlacedWeight {
  weight: NamedWeight;
  /** Keras 3: the group holding `vars/<index>` (e.g. `layers/lstm/cell`). */
  group: string;
  index: number;
  /** tf.keras 2: the weight's name (`lstm/lstm_cell/kernel:0`). */
  legacyName: string;
}

export interface LayerPlacement {
  /** Keras 3 groups that exist for this layer (each gets a `vars` subgroup, empty or not), outermost first. */
  groups: string[];
  weights: PlacedWeight[];
}

const RNN = new Set(['LSTM', 'GRU', 'SimpleRNN']);

export function placeLayerWeights(type: string, name: string, config: Record<string, unknown>, weights: NamedWeight[]): LayerPlacement {
  const root = `layers/${name}`;
  if (RNN.has(type)) {
    const cell = `${root}/cell`;
    return {
      groups: [root, cell],
      weights: weights.map((w, index) => ({ weight: w, group: cell, index, legacyName: `${name}/${snakeCase(type)}_cell/${w.local}:0` })),
    };
  }
  if (type === 'Bidirectional') {
    const inner = String(config['layer']);
    const groups = [root];
    const placed: PlacedWeight[] = [];
    for (const dir of ['forward', 'backward'] as const) {
      const cell = `${root}/${dir}_layer/cell`;
      groups.push(`${root}/${dir}_layer`, cell);
      const mine = weights.filter((w) => w.local.startsWith(`${dir}_`));
      mine.forEach((w, index) => {
        const local = w.local.slice(w.local.indexOf('/') + 1);
        placed.push({ weight: w, group: cell, index, legacyName: `${name}/${dir}_${snakeCase(inner)}/${snakeCase(inner)}_cell/${local}:0` });
      });
    }
    if (placed.length !== weights.length)
      throw new AppError('EXPORT_UNSUPPORTED', `Bidirectional '${name}' has weights outside its forward and backward layers: ${weights.map((w) => w.name).join(', ')}`);
    return { groups, weights: placed };
  }
  if (type === 'TimeDistributed') {
    const inner = `${root}/layer`;
    return { groups: [root, inner], weights: weights.map((w, index) => ({ weight: w, group: inner, index, legacyName: `${name}/${w.local}:0` })) };
  }
  return { groups: [root], weights: weights.map((w, index) => ({ weight: w, group: root, index, legacyName: `${name}/${w.local}:0` })) };
}
