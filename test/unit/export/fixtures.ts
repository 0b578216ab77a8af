/**
 * Models for the export parity tests: one small graph per catalog layer (and variants), built with
 * the app's own buildModel and given random weights, so every weight is visibly carried over.
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../../../main/engine/backend.js';
import { buildModel } from '../../../main/engine/build.js';
import { saveArtifacts, type ModelArtifacts } from '../../../main/engine/artifacts.js';
import { ACTIVATIONS } from '../../../shared/catalog/common.js';
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';
import { mulberry32 } from '../../../shared/random.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';

export interface LayerCase {
  label: string;
  type: string;
  /** Per-sample input shapes; merges take several. */
  inputs: number[][];
  config?: Record<string, JsonValue>;
  /** Embedding: the inputs are integer ids below this. */
  ids?: number;
}

export const LAYER_CASES: LayerCase[] = [
  { label: 'Dense', type: 'Dense', inputs: [[6]], config: { units: 5, activation: 'relu' } },
  { label: 'Dense (3-D input, no bias)', type: 'Dense', inputs: [[3, 6]], config: { units: 4, use_bias: false } },
  ...ACTIVATIONS.map((activation): LayerCase => ({ label: `Activation (${activation})`, type: 'Activation', inputs: [[7]], config: { activation } })),
  { label: 'Embedding', type: 'Embedding', inputs: [[5]], config: { input_dim: 12, output_dim: 3 }, ids: 12 },
  { label: 'Conv1D', type: 'Conv1D', inputs: [[10, 3]], config: { filters: 4, kernel_size: [3], strides: [2], padding: 'same', activation: 'relu' } },
  { label: 'Conv1D (dilated)', type: 'Conv1D', inputs: [[10, 2]], config: { filters: 2, kernel_size: [3], dilation_rate: [2] } },
  { label: 'Conv2D (same)', type: 'Conv2D', inputs: [[6, 7, 2]], config: { filters: 3, kernel_size: [3, 3], padding: 'same', activation: 'tanh' } },
  { label: 'Conv2D (same, strides 2, even kernel)', type: 'Conv2D', inputs: [[8, 7, 2]], config: { filters: 3, kernel_size: [4, 2], strides: [2, 2], padding: 'same' } },
  { label: 'Conv2D (valid, strides 2)', type: 'Conv2D', inputs: [[7, 7, 2]], config: { filters: 3, kernel_size: [3, 3], strides: [2, 2] } },
  { label: 'Conv2D (dilated, same)', type: 'Conv2D', inputs: [[9, 9, 2]], config: { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2], padding: 'same' } },
  { label: 'SeparableConv2D', type: 'SeparableConv2D', inputs: [[7, 7, 2]], config: { filters: 3, kernel_size: [3, 2], strides: [2, 2], padding: 'same', activation: 'relu' } },
  { label: 'SeparableConv2D (dilated)', type: 'SeparableConv2D', inputs: [[7, 7, 2]], config: { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] } },
  { label: 'DepthwiseConv2D', type: 'DepthwiseConv2D', inputs: [[7, 6, 2]], config: { kernel_size: [3, 2], depth_multiplier: 2, padding: 'same', strides: [2, 2] } },
  { label: 'Conv2DTranspose (valid)', type: 'Conv2DTranspose', inputs: [[4, 3, 2]], config: { filters: 2, kernel_size: [3, 3], strides: [2, 2], activation: 'sigmoid' } },
  { label: 'Conv2DTranspose (same)', type: 'Conv2DTranspose', inputs: [[4, 5, 2]], config: { filters: 3, kernel_size: [3, 4], strides: [2, 2], padding: 'same' } },
  { label: 'Conv2DTranspose (stride > kernel)', type: 'Conv2DTranspose', inputs: [[3, 3, 2]], config: { filters: 2, kernel_size: [2, 2], strides: [3, 3] } },
  { label: 'MaxPooling1D', type: 'MaxPooling1D', inputs: [[9, 2]], config: { pool_size: [2] } },
  { label: 'MaxPooling2D (same)', type: 'MaxPooling2D', inputs: [[7, 6, 2]], config: { pool_size: [3, 3], strides: [2, 2], padding: 'same' } },
  { label: 'AveragePooling1D (same)', type: 'AveragePooling1D', inputs: [[9, 3]], config: { pool_size: [3], strides: [2], padding: 'same' } },
  { label: 'AveragePooling2D', type: 'AveragePooling2D', inputs: [[7, 5, 2]], config: { pool_size: [3, 2], strides: [2, 1] } },
  { label: 'AveragePooling2D (same)', type: 'AveragePooling2D', inputs: [[5, 5, 2]], config: { pool_size: [2, 2], padding: 'same' } },
  { label: 'GlobalAveragePooling1D', type: 'GlobalAveragePooling1D', inputs: [[6, 3]] },
  { label: 'GlobalAveragePooling2D', type: 'GlobalAveragePooling2D', inputs: [[4, 4, 3]] },
  { label: 'GlobalMaxPooling1D', type: 'GlobalMaxPooling1D', inputs: [[6, 3]] },
  { label: 'GlobalMaxPooling2D', type: 'GlobalMaxPooling2D', inputs: [[4, 4, 3]] },
  { label: 'LSTM', type: 'LSTM', inputs: [[4, 3]], config: { units: 4 } },
  { label: 'LSTM (sequences, hard_sigmoid gates)', type: 'LSTM', inputs: [[5, 3]], config: { units: 3, return_sequences: true, recurrent_activation: 'hard_sigmoid' } },
  { label: 'GRU', type: 'GRU', inputs: [[4, 3]], config: { units: 4 } },
  { label: 'GRU (sequences, relu)', type: 'GRU', inputs: [[4, 3]], config: { units: 3, activation: 'relu', return_sequences: true } },
  { label: 'SimpleRNN', type: 'SimpleRNN', inputs: [[4, 3]], config: { units: 4, return_sequences: true } },
  { label: 'SimpleRNN (no bias)', type: 'SimpleRNN', inputs: [[4, 3]], config: { units: 2, use_bias: false } },
  { label: 'Bidirectional (LSTM, concat)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'LSTM', units: 3 } },
  { label: 'Bidirectional (LSTM, sequences)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'LSTM', units: 3, return_sequences: true } },
  { label: 'Bidirectional (GRU, sum)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'GRU', units: 3, merge_mode: 'sum' } },
  { label: 'Bidirectional (SimpleRNN, ave, sequences)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'SimpleRNN', units: 3, merge_mode: 'ave', return_sequences: true } },
  { label: 'Bidirectional (GRU, mul)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'GRU', units: 2, merge_mode: 'mul' } },
  { label: 'TimeDistributed (Dense)', type: 'TimeDistributed', inputs: [[4, 3]], config: { layer: 'Dense', units: 4, activation: 'relu' } },
  { label: 'TimeDistributed (Conv2D)', type: 'TimeDistributed', inputs: [[3, 5, 5, 2]], config: { layer: 'Conv2D', filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same' } },
  { label: 'TimeDistributed (Flatten)', type: 'TimeDistributed', inputs: [[3, 2, 4]], config: { layer: 'Flatten' } },
  { label: 'BatchNormalization', type: 'BatchNormalization', inputs: [[5]] },
  { label: 'BatchNormalization (images, no scale)', type: 'BatchNormalization', inputs: [[4, 4, 2]], config: { scale: false, epsilon: 0.01 } },
  { label: 'LayerNormalization', type: 'LayerNormalization', inputs: [[4, 5]] },
  { label: 'LayerNormalization (no center)', type: 'LayerNormalization', inputs: [[6]], config: { center: false } },
  { label: 'Dropout', type: 'Dropout', inputs: [[6]], config: { rate: 0.3 } },
  { label: 'SpatialDropout1D', type: 'SpatialDropout1D', inputs: [[5, 3]], config: { rate: 0.3 } },
  { label: 'SpatialDropout2D', type: 'SpatialDropout2D', inputs: [[4, 4, 3]], config: { rate: 0.3 } },
  { label: 'Flatten', type: 'Flatten', inputs: [[3, 4, 2]] },
  { label: 'Reshape', type: 'Reshape', inputs: [[8]], config: { target_shape: [2, -1] } },
  { label: 'Permute', type: 'Permute', inputs: [[2, 3, 4]], config: { dims: [3, 1, 2] } },
  { label: 'RepeatVector', type: 'RepeatVector', inputs: [[4]], config: { n: 3 } },
  { label: 'UpSampling2D', type: 'UpSampling2D', inputs: [[3, 4, 2]], config: { size: [2, 3] } },
  { label: 'UpSampling2D (bilinear)', type: 'UpSampling2D', inputs: [[3, 4, 2]], config: { size: [2, 3], interpolation: 'bilinear' } },
  { label: 'ZeroPadding2D', type: 'ZeroPadding2D', inputs: [[3, 4, 2]], config: { padding: [1, 2, 0, 1] } },
  { label: 'Cropping2D', type: 'Cropping2D', inputs: [[6, 7, 2]], config: { cropping: [1, 2, 0, 3] } },
  { label: 'Concatenate', type: 'Concatenate', inputs: [[3], [4]] },
  { label: 'Concatenate (axis 1)', type: 'Concatenate', inputs: [[2, 3], [4, 3]], config: { axis: 1 } },
  { label: 'Add', type: 'Add', inputs: [[3], [3]] },
  { label: 'Subtract', type: 'Subtract', inputs: [[3], [3]] },
  { label: 'Multiply', type: 'Multiply', inputs: [[2, 2], [2, 2], [2, 2]] },
  { label: 'Average', type: 'Average', inputs: [[3], [3]] },
  { label: 'Maximum', type: 'Maximum', inputs: [[4, 2], [4, 2]] },
  { label: 'Minimum', type: 'Minimum', inputs: [[3], [3], [3]] },
  { label: 'Rescaling', type: 'Rescaling', inputs: [[2, 3]], config: { scale: 2, offset: -1 } },
];

/** One layer named after its type on one Input per shape (input, input_2, ...). */
export function caseGraph(c: LayerCase): ModelGraph {
  const inputs = c.inputs.map((shape, i) => ({ id: `in${i}`, type: 'Input', name: i === 0 ? 'input' : `input_${i + 1}`, config: { shape } }));
  return {
    version: 1,
    nodes: [...inputs, { id: 'l', type: c.type, name: 'layer', config: c.config ?? {} }],
    edges: inputs.map((n, i) => ({ id: `e${i}`, source: n.id, target: 'l', ...(c.inputs.length > 1 ? { targetPort: i } : {}) })),
  };
}

/** Uniform values in [lo, hi) from a seeded generator. */
export function randomValues(n: number, random: () => number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * random();
  return out;
}

/**
 * Builds the graph and replaces every weight with seeded random values (variances positive), so
 * biases and statistics that start at 0 or 1 are checked too.
 */
export async function randomModel(tf: Tf, graph: ModelGraph, seed: number): Promise<{ model: TF.LayersModel; artifacts: ModelArtifacts }> {
  // A copy: TF.js writes into the arrays it is given (Reshape's -1 becomes null).
  const model = buildModel(tf, structuredClone(graph));
  const random = mulberry32(seed);
  const weights = model.weights.map((w) => {
    const n = w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
    const variance = w.name.endsWith('moving_variance');
    // Scaled by fan-in so deep templates keep activations in a range where 1e-4 means something.
    const fanIn = w.shape.length >= 2 ? w.shape.slice(0, -1).reduce((a: number, b) => a * (b ?? 1), 1) : 1;
    const scale = variance ? 1 : Math.min(1, 2 / Math.sqrt(fanIn));
    return tf.tensor(randomValues(n, random, variance ? 0.5 : -scale, variance ? 1.5 : scale), w.shape as number[]);
  });
  model.setWeights(weights);
  tf.dispose(weights);
  return { model, artifacts: await saveArtifacts(tf, model) };
}

export interface SampleInput {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Random inputs for every Input: floats in [-1, 1), or ids below input_dim for inputs feeding an Embedding. */
export function sampleInputs(graph: ModelGraph, batch: number, seed: number): SampleInput[] {
  const random = mulberry32(seed);
  return analyzeGraph(graph).inputs.map((id) => {
    const node = graph.nodes.find((n) => n.id === id)!;
    const shape = [batch, ...(node.config['shape'] as number[])];
    const count = shape.reduce((a, b) => a * b, 1);
    const embedding = graph.edges.filter((e) => e.source === id).map((e) => graph.nodes.find((n) => n.id === e.target)!).find((n) => n.type === 'Embedding');
    const values = embedding
      ? Float32Array.from({ length: count }, () => Math.floor(random() * Number(embedding.config['input_dim'] ?? 1000)))
      : randomValues(count, random);
    return { name: node.name, shape, values };
  });
}
