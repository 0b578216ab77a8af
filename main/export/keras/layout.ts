/**
 * The model's layers in Keras order with their weights placed (see variable-paths.ts), checked so
 * that every stored weight lands in exactly one layer of the graph.
 */
import type { ModelGraph } from '../../../shared/graph.js';
import { AppError } from '../../../shared/errors.js';
import { withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { weightsByLayer, type StoredWeights } from './layer-weights.js';
import { placeLayerWeights, type LayerPlacement } from './variable-paths.js';

export interface PlacedLayer extends LayerPlacement {
  name: string;
  type: string;
}

export function placeWeights(graph: ModelGraph, artifacts: StoredWeights): PlacedLayer[] {
  const byLayer = weightsByLayer(artifacts);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layers = analyzeGraph(graph).order.map((id): PlacedLayer => {
    const n = byId.get(id)!;
    const weights = byLayer.get(n.name) ?? [];
    byLayer.delete(n.name);
    return { name: n.name, type: n.type, ...placeLayerWeights(n.type, n.name, withDefaults(n.type, n.config), weights) };
  });
  const stray = [...byLayer.keys()];
  if (stray.length > 0)
    throw new AppError('EXPORT_UNSUPPORTED', `The stored weights name layers the model does not have: ${stray.join(', ')}; expected weights of ${graph.nodes.map((n) => n.name).join(', ')}`);
  return layers;
}
