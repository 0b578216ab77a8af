/**
 * The architecture as Keras 3 writes it in a `.keras` file's config.json: every object as
 * {module, class_name, config, registered_name}, layers with a build_config (the input shape they
 * were built for) and Keras 3 call arguments in inbound_nodes ({args: [keras tensors], kwargs}).
 * Each layer's own config comes from shared/keras.ts (the same one the Keras 2 JSON uses).
 */
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';
import { graphToKerasJson } from '../../../shared/keras.js';
import { analyzeGraph, incomingEdges } from '../../../shared/catalog/analyze.js';
import type { Shape } from '../../../shared/shape.js';

type Json = { [key: string]: JsonValue };

const MERGES = new Set(['Concatenate', 'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

/** A Keras 3 tensor reference: the output of a layer, with its shape. */
function kerasTensor(layer: string, shape: Shape): Json {
  return { class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } };
}

/** A nested layer ({class_name, config}) as a Keras 3 serialized object. */
function nested(v: JsonValue | undefined): JsonValue | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v['class_name'] !== 'string') return v;
  return { module: 'keras.layers', class_name: v['class_name'], config: v['config'] ?? {}, registered_name: null };
}

export function kerasV3Config(graph: ModelGraph, name: string): Json {
  const v2 = graphToKerasJson(graph, name);
  const analysis = analyzeGraph(graph);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  const shapeOf = (nodeName: string): Shape => analysis.nodes[byName.get(nodeName)!.id]!.outputShape!;
  const layers = v2.config.layers.map((l): Json => {
    const node = byName.get(l.name)!;
    if (l.class_name === 'InputLayer') {
      const { batch_input_shape: batchShape, ...rest } = l.config;
      return {
        module: 'keras.layers',
        class_name: 'InputLayer',
        config: { batch_shape: batchShape ?? null, ...rest },
        registered_name: null,
        name: l.name,
        inbound_nodes: [],
      };
    }
    const sources = incomingEdges(graph, node.id).map((e) => graph.nodes.find((n) => n.id === e.source)!.name);
    const inputShapes = sources.map(shapeOf);
    const config: Json = { ...l.config };
    if ('layer' in config) config['layer'] = nested(config['layer'])!;
    const tensors = sources.map((s) => kerasTensor(s, shapeOf(s)));
    const merge = MERGES.has(l.class_name);
    return {
      module: 'keras.layers',
      class_name: l.class_name,
      config,
      registered_name: null,
      build_config: { input_shape: merge ? inputShapes : inputShapes[0]! },
      name: l.name,
      inbound_nodes: [{ args: merge ? [tensors] : tensors, kwargs: {} }],
    };
  });
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name,
      trainable: true,
      layers,
      input_layers: v2.config.input_layers,
      output_layers: v2.config.output_layers,
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}
