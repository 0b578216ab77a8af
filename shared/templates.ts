/** Starting models, sized to a dataset's inputs and target when one is given. */
import { stackToGraph, type GraphNode, type ModelGraph } from './graph.js';
import type { FeatureLayout } from './dataset.js';
import type { TemplateId } from './api/models.js';

type Layer = { type: string; config: GraphNode['config'] };

/** J1's data: one step of 8 features, one value out. */
const J1_SHAPE = [1, 8];

export function buildTemplate(id: TemplateId, layout?: FeatureLayout): ModelGraph {
  const shape = layout?.inputShape ?? J1_SHAPE;
  const head = outputLayer(layout);
  switch (id) {
    case 'j1-lstm':
      // An LSTM reads (steps, features): plain rows become one step each.
      return stackToGraph([
        { type: 'Input', config: { shape: shape.length === 1 ? [1, shape[0]!] : [...shape] } },
        { type: 'LSTM', config: { units: 50 } },
        head,
      ]);
    case 'mlp':
      return stackToGraph([
        { type: 'Input', config: { shape: [...shape] } },
        // Dense works on the last axis; windows (steps, features) must become one vector first.
        ...(shape.length > 1 ? [{ type: 'Flatten', config: {} }] : []),
        { type: 'Dense', config: { units: 64, activation: 'relu' } },
        { type: 'Dropout', config: { rate: 0.2 } },
        { type: 'Dense', config: { units: 32, activation: 'relu' } },
        head,
      ]);
  }
}

function outputLayer(layout?: FeatureLayout): Layer {
  const classification = layout?.task === 'classification';
  return { type: 'Dense', config: { units: layout?.outputUnits ?? 1, activation: classification ? 'softmax' : 'linear' } };
}
