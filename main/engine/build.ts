/** Model graph → tf.LayersModel through the functional API. `tf` is passed in: the trainer picks the backend package. */
import type * as TF from '@tensorflow/tfjs';
import { snakeCase, type JsonValue, type ModelGraph } from '../../shared/graph.js';
import { AppError } from '../../shared/errors.js';
import { getLayerSpec, withDefaults } from '../../shared/catalog/index.js';
import { analyzeGraph, incomingEdges } from '../../shared/catalog/analyze.js';
import { WRAPPABLE, wrappedLayer } from '../../shared/catalog/wrappers.js';
import { registerCustomLayers } from './custom-layers.js';
import { fusedLstmClass } from './fused-lstm.js';

type Tf = typeof TF;
type Args = Record<string, unknown>;

/** Keras activation names that TF.js spells differently. */
const ACTIVATION_NAMES: Record<string, string> = { hard_sigmoid: 'hardSigmoid' };

// Keras initializes kernels with glorot_uniform; TF.js defaults to glorot_normal. Match Keras.
// (SeparableConv2D already uses glorot_uniform in TF.js, and refuses a kernelInitializer.)
const KERAS_KERNEL = { kernelInitializer: 'glorotUniform' };
const KERAS_DEPTHWISE = { depthwiseInitializer: 'glorotUniform' };

const FACTORIES: Record<string, (tf: Tf, args: Args) => TF.layers.Layer> = {
  Dense: (tf, a) => tf.layers.dense({ ...KERAS_KERNEL, ...a } as never),
  Activation: (tf, a) => tf.layers.activation(a as never),
  Embedding: (tf, a) => tf.layers.embedding(a as never),
  Dropout: (tf, a) => tf.layers.dropout(a as never),
  SpatialDropout1D: (tf, a) => tf.layers.spatialDropout1d(a as never),
  SpatialDropout2D: (tf, a) => new (registerCustomLayers(tf).SpatialDropout2D)(a as never),
  // TF.js's LSTM, with one fused operation per sequence on wasm (./fused-lstm.ts).
  LSTM: (tf, a) => new (fusedLstmClass(tf))({ ...KERAS_KERNEL, ...a } as never),
  GRU: (tf, a) => tf.layers.gru({ ...KERAS_KERNEL, ...a } as never),
  SimpleRNN: (tf, a) => tf.layers.simpleRNN({ ...KERAS_KERNEL, ...a } as never),
  Flatten: (tf, a) => tf.layers.flatten(a as never),
  Reshape: (tf, a) => tf.layers.reshape(a as never),
  Permute: (tf, a) => tf.layers.permute(a as never),
  RepeatVector: (tf, a) => tf.layers.repeatVector(a as never),
  UpSampling2D: (tf, a) => tf.layers.upSampling2d(a as never),
  ZeroPadding2D: (tf, a) => tf.layers.zeroPadding2d(a as never),
  Cropping2D: (tf, a) => tf.layers.cropping2D(a as never),
  BatchNormalization: (tf, a) => tf.layers.batchNormalization(a as never),
  LayerNormalization: (tf, a) => tf.layers.layerNormalization(a as never),
  Conv1D: (tf, a) => tf.layers.conv1d({ ...KERAS_KERNEL, ...a } as never),
  Conv2D: (tf, a) => tf.layers.conv2d({ ...KERAS_KERNEL, ...a } as never),
  SeparableConv2D: (tf, a) => tf.layers.separableConv2d(a as never),
  DepthwiseConv2D: (tf, a) => tf.layers.depthwiseConv2d({ ...KERAS_DEPTHWISE, ...a } as never),
  Conv2DTranspose: (tf, a) => tf.layers.conv2dTranspose({ ...KERAS_KERNEL, ...a } as never),
  MaxPooling1D: (tf, a) => tf.layers.maxPooling1d(a as never),
  MaxPooling2D: (tf, a) => tf.layers.maxPooling2d(a as never),
  AveragePooling1D: (tf, a) => tf.layers.averagePooling1d(a as never),
  AveragePooling2D: (tf, a) => tf.layers.averagePooling2d(a as never),
  GlobalAveragePooling1D: (tf, a) => tf.layers.globalAveragePooling1d(a as never),
  GlobalAveragePooling2D: (tf, a) => tf.layers.globalAveragePooling2d(a as never),
  GlobalMaxPooling1D: (tf, a) => tf.layers.globalMaxPooling1d(a as never),
  GlobalMaxPooling2D: (tf, a) => tf.layers.globalMaxPooling2d(a as never),
  Concatenate: (tf, a) => tf.layers.concatenate(a as never),
  Add: (tf, a) => tf.layers.add(a as never),
  Subtract: (tf, a) => new (registerCustomLayers(tf).Subtract)(a as never),
  Multiply: (tf, a) => tf.layers.multiply(a as never),
  Average: (tf, a) => tf.layers.average(a as never),
  Maximum: (tf, a) => tf.layers.maximum(a as never),
  Minimum: (tf, a) => tf.layers.minimum(a as never),
  Rescaling: (tf, a) => tf.layers.rescaling(a as never),
};

/** Layer types buildModel can turn into TF.js layers (Input aside). */
export const BUILDABLE_TYPES = ['Input', ...Object.keys(FACTORIES), ...Object.keys(WRAPPABLE)];

export function buildModel(tf: Tf, graph: ModelGraph, name = 'model'): TF.LayersModel {
  const analysis = analyzeGraph(graph);
  const first = analysis.problems[0];
  if (first) throw new AppError('GRAPH_INVALID', first.message, { problems: analysis.problems });
  // Registered before any model exists, so the model's own JSON can be read back in this process.
  registerCustomLayers(tf);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const tensors = new Map<string, TF.SymbolicTensor>();
  for (const id of analysis.order) {
    const n = byId.get(id)!;
    const config = withDefaults(n.type, n.config);
    if (n.type === 'Input') {
      tensors.set(id, tf.input({ shape: config['shape'] as number[], name: n.name }));
      continue;
    }
    const layer = createLayer(tf, n.type, config, n.name);
    const inputs = incomingEdges(graph, id).map((e) => tensors.get(e.source)!);
    const out = layer.apply(inputs.length === 1 ? inputs[0]! : inputs);
    tensors.set(id, out as TF.SymbolicTensor);
  }
  return tf.model({
    inputs: analysis.inputs.map((id) => tensors.get(id)!),
    outputs: analysis.outputs.map((id) => tensors.get(id)!),
    name,
  });
}

/**
 * One TF.js layer from a full config (withDefaults), without checking shapes: buildModel has done
 * that. A wrapper builds the layer it holds first. `node` names the graph node in errors.
 */
export function createLayer(tf: Tf, type: string, config: Record<string, JsonValue>, name: string, node = name): TF.layers.Layer {
  if (WRAPPABLE[type]) {
    const inner = wrappedLayer(type, config);
    const layer = createLayer(tf, inner.spec.type, inner.config, `${name}_${snakeCase(inner.spec.type)}`, node);
    return type === 'Bidirectional'
      ? tf.layers.bidirectional({ layer: layer as TF.RNN, mergeMode: config['merge_mode'] as 'concat', name })
      : tf.layers.timeDistributed({ layer, name });
  }
  if (type === 'GRU' && config['reset_after'] === true) {
    const what = node === name ? `GRU '${node}'` : `The GRU in '${node}'`;
    throw new AppError('GRAPH_INVALID', `${what} has reset_after = true, which TF.js cannot build; set reset_after to false`);
  }
  const factory = FACTORIES[type];
  if (!factory) throw new AppError('GRAPH_INVALID', `${type} '${node}' cannot be built by the TF.js engine yet`);
  return factory(tf, { ...toTfArgs(config, type), name });
}

/**
 * snake_case Keras config → camelCase TF.js args; nulls mean "the default" and are left out.
 * With the layer type, flat four-number lists Keras writes as pairs (Cropping2D's cropping) are nested.
 */
export function toTfArgs(config: Record<string, JsonValue>, type?: string): Args {
  const pairs = new Set((type ? getLayerSpec(type)?.params : undefined)?.filter((p) => p.pairs).map((p) => p.name));
  const args: Args = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (pairs.has(key) && Array.isArray(value)) args[camel] = [value.slice(0, 2), value.slice(2, 4)];
    // Arrays are copied: TF.js writes into the ones it is given (a Reshape's -1 becomes null), and
    // the graph they came from is the user's, saved with the run.
    else args[camel] = key.endsWith('activation') && typeof value === 'string' ? (ACTIVATION_NAMES[value] ?? value) : Array.isArray(value) ? structuredClone(value) : value;
  }
  return args;
}
