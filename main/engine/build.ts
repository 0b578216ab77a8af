/** Model graph → tf.LayersModel through the functional API. `tf` is passed in: the trainer picks the backend package. */
import type * as TF from '@tensorflow/tfjs';
import type { JsonValue, ModelGraph } from '../../shared/graph.js';
import { AppError } from '../../shared/errors.js';
import { withDefaults } from '../../shared/catalog/index.js';
import { analyzeGraph, incomingEdges } from '../../shared/catalog/analyze.js';

type Tf = typeof TF;
type Args = Record<string, unknown>;

/** Keras activation names that TF.js spells differently. */
const ACTIVATION_NAMES: Record<string, string> = { hard_sigmoid: 'hardSigmoid' };

// Keras initializes kernels with glorot_uniform; TF.js defaults to glorot_normal. Match Keras.
const KERAS_KERNEL = { kernelInitializer: 'glorotUniform' };

const FACTORIES: Record<string, (tf: Tf, args: Args) => TF.layers.Layer> = {
  Dense: (tf, a) => tf.layers.dense({ ...KERAS_KERNEL, ...a } as never),
  Activation: (tf, a) => tf.layers.activation(a as never),
  Dropout: (tf, a) => tf.layers.dropout(a as never),
  Embedding: (tf, a) => tf.layers.embedding(a as never),
  LSTM: (tf, a) => tf.layers.lstm({ ...KERAS_KERNEL, ...a } as never),
  GRU: (tf, a) => tf.layers.gru({ ...KERAS_KERNEL, ...a } as never),
  SimpleRNN: (tf, a) => tf.layers.simpleRNN({ ...KERAS_KERNEL, ...a } as never),
  Flatten: (tf, a) => tf.layers.flatten(a as never),
  Reshape: (tf, a) => tf.layers.reshape(a as never),
  BatchNormalization: (tf, a) => tf.layers.batchNormalization(a as never),
  Conv1D: (tf, a) => tf.layers.conv1d({ ...KERAS_KERNEL, ...a } as never),
  Conv2D: (tf, a) => tf.layers.conv2d({ ...KERAS_KERNEL, ...a } as never),
  MaxPooling1D: (tf, a) => tf.layers.maxPooling1d(a as never),
  MaxPooling2D: (tf, a) => tf.layers.maxPooling2d(a as never),
  GlobalAveragePooling1D: (tf, a) => tf.layers.globalAveragePooling1d(a as never),
  GlobalAveragePooling2D: (tf, a) => tf.layers.globalAveragePooling2d(a as never),
  Concatenate: (tf, a) => tf.layers.concatenate(a as never),
  Add: (tf, a) => tf.layers.add(a as never),
};

/** Layer types buildModel can turn into TF.js layers (Input aside). */
export const BUILDABLE_TYPES = ['Input', ...Object.keys(FACTORIES)];

export function buildModel(tf: Tf, graph: ModelGraph, name = 'model'): TF.LayersModel {
  const analysis = analyzeGraph(graph);
  const first = analysis.problems[0];
  if (first) throw new AppError('GRAPH_INVALID', first.message, { problems: analysis.problems });
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const tensors = new Map<string, TF.SymbolicTensor>();
  for (const id of analysis.order) {
    const n = byId.get(id)!;
    const config = withDefaults(n.type, n.config);
    if (n.type === 'Input') {
      tensors.set(id, tf.input({ shape: config['shape'] as number[], name: n.name }));
      continue;
    }
    if (n.type === 'GRU' && config['reset_after'] === true)
      throw new AppError('GRAPH_INVALID', `GRU '${n.name}' has reset_after = true, which TF.js cannot build; set reset_after to false`);
    const factory = FACTORIES[n.type];
    if (!factory) throw new AppError('GRAPH_INVALID', `${n.type} '${n.name}' cannot be built by the TF.js engine yet`);
    const layer = factory(tf, { ...toTfArgs(config), name: n.name });
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

/** snake_case Keras config → camelCase TF.js args; nulls mean "the default" and are left out. */
export function toTfArgs(config: Record<string, JsonValue>): Args {
  const args: Args = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === null) continue;
    const camel = key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    args[camel] = key.endsWith('activation') && typeof value === 'string' ? (ACTIVATION_NAMES[value] ?? value) : value;
  }
  return args;
}
