/**
 * Every layer type through one helper, as Keras' test_case does: graph → TF.js model → Keras JSON
 * → graph must give back the same layers, configs and connections; and our own Keras JSON must load
 * in TF.js with the parameter count our analysis predicts.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';
import { CATALOG, withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { graphToKerasJson, kerasJsonToGraph } from '../../../shared/keras.js';
import { buildModel } from '../../../main/engine/build.js';
import { oneLayer } from '../catalog/graphs.js';

tf.setBackend('cpu');

/** What a graph means, independent of ids, positions and omitted defaults. */
function meaning(g: ModelGraph) {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  return {
    layers: g.nodes.map((n) => ({ name: n.name, type: n.type, config: explicit(withDefaults(n.type, n.config)) })).sort((a, b) => a.name.localeCompare(b.name)),
    edges: g.edges.map((e) => `${byId.get(e.source)!.name} -> ${byId.get(e.target)!.name}:${e.targetPort ?? 0}`).sort(),
  };
}

/** Pooling strides left empty mean the pool size; Keras and TF.js always write them out. */
function explicit(config: Record<string, JsonValue>): Record<string, JsonValue> {
  return 'pool_size' in config && config['strides'] === null ? { ...config, strides: config['pool_size']! } : config;
}

async function expectRoundTrip(graph: ModelGraph): Promise<void> {
  const analysis = analyzeGraph(graph);
  expect(analysis.problems).toEqual([]);

  // 1. Through TF.js: build, serialise with TF.js, read back.
  const model = buildModel(tf, graph);
  expect(model.countParams()).toBe(analysis.totalParams);
  const tfJson = model.toJSON(null, false);
  expect(meaning(kerasJsonToGraph(tfJson))).toEqual(meaning(graph));
  // ...also as text, wrapped in a TF.js model.json.
  expect(meaning(kerasJsonToGraph(JSON.stringify({ modelTopology: tfJson, weightsManifest: [] })))).toEqual(meaning(graph));
  model.dispose();

  // 2. Through our Keras JSON: TF.js loads it, and it reads back.
  const ours = graphToKerasJson(graph);
  expect(meaning(kerasJsonToGraph(ours))).toEqual(meaning(graph));
  const loaded = await tf.models.modelFromJSON(ours as never);
  expect(loaded.countParams()).toBe(analysis.totalParams);
  expect(loaded.layers.map((l) => l.name).sort()).toEqual(graph.nodes.map((n) => n.name).sort());
  loaded.dispose();
}

type Case = [type: string, inputs: number[][], config: Record<string, JsonValue>];

const CASES: Case[] = [
  ['Dense', [[8]], { units: 5, activation: 'relu', use_bias: false }],
  ['Activation', [[3]], { activation: 'hard_sigmoid' }],
  ['Dropout', [[10]], { rate: 0.25 }],
  ['Embedding', [[6]], { input_dim: 30, output_dim: 4, mask_zero: true }],
  ['LSTM', [[1, 8]], { units: 6, return_sequences: true, recurrent_activation: 'hard_sigmoid', dropout: 0.1 }],
  ['GRU', [[4, 3]], { units: 5, activation: 'relu', recurrent_dropout: 0.2 }],
  ['SimpleRNN', [[4, 3]], { units: 2, use_bias: false }],
  ['Flatten', [[4, 4, 2]], {}],
  ['Reshape', [[8]], { target_shape: [2, 4] }],
  ['BatchNormalization', [[5]], { momentum: 0.9, epsilon: 0.01, center: false }],
  ['Conv1D', [[10, 3]], { filters: 4, kernel_size: [3], strides: [2], padding: 'same', activation: 'relu' }],
  ['Conv2D', [[12, 12, 1]], { filters: 8, kernel_size: [5, 5], padding: 'same', activation: 'relu' }],
  ['MaxPooling1D', [[8, 2]], { pool_size: [2], strides: [2] }],
  ['MaxPooling2D', [[8, 8, 2]], { pool_size: [2, 2], strides: [1, 1], padding: 'same' }],
  ['GlobalAveragePooling1D', [[8, 2]], {}],
  ['GlobalAveragePooling2D', [[4, 4, 3]], {}],
  ['Concatenate', [[3], [4]], { axis: -1 }],
  ['Add', [[3], [3]], {}],
  ['Conv2D', [[9, 9, 2]], { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }],
  ['SpatialDropout1D', [[5, 3]], { rate: 0.3 }],
  ['SpatialDropout2D', [[4, 4, 3]], { rate: 0.2 }],
  ['Permute', [[2, 3, 4]], { dims: [3, 1, 2] }],
  ['RepeatVector', [[4]], { n: 3 }],
  ['SeparableConv2D', [[9, 9, 2]], { filters: 5, kernel_size: [3, 2], strides: [2, 2], padding: 'same', activation: 'relu', use_bias: false }],
  ['DepthwiseConv2D', [[9, 7, 2]], { kernel_size: [3, 2], strides: [2, 2], depth_multiplier: 3, padding: 'same', activation: 'relu' }],
  ['Conv2DTranspose', [[5, 4, 2]], { filters: 3, kernel_size: [4, 3], strides: [2, 3], activation: 'sigmoid' }],
  ['AveragePooling1D', [[9, 3]], { pool_size: [3], strides: [1], padding: 'same' }],
  ['AveragePooling2D', [[7, 5, 2]], { pool_size: [3, 2], strides: [2, 1] }],
  ['GlobalMaxPooling1D', [[9, 3]], {}],
  ['GlobalMaxPooling2D', [[4, 4, 8]], {}],
  ['UpSampling2D', [[3, 5, 2]], { size: [2, 3], interpolation: 'bilinear' }],
  ['ZeroPadding2D', [[3, 5, 2]], { padding: [1, 2, 0, 3] }],
  ['Cropping2D', [[7, 8, 2]], { cropping: [1, 2, 0, 3] }],
  ['LayerNormalization', [[4, 5]], { epsilon: 0.01, center: false }],
  ['Bidirectional', [[5, 3]], { units: 4, return_sequences: true, dropout: 0.1 }],
  ['Bidirectional', [[5, 3]], { layer: 'GRU', units: 3, activation: 'relu', merge_mode: 'sum' }],
  ['Bidirectional', [[6, 2]], { layer: 'SimpleRNN', units: 5, merge_mode: 'ave', use_bias: false }],
  ['TimeDistributed', [[5, 3]], { units: 4, activation: 'relu' }],
  ['TimeDistributed', [[4, 6, 6, 2]], { layer: 'Conv2D', filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }],
  ['TimeDistributed', [[3, 4, 5]], { layer: 'Flatten' }],
  ['Subtract', [[3], [3]], {}],
  ['Multiply', [[2, 2], [2, 2], [2, 2]], {}],
  ['Average', [[3], [3]], {}],
  ['Maximum', [[4, 2], [4, 2]], {}],
  ['Minimum', [[3], [3], [3]], {}],
  ['Rescaling', [[2, 3]], { scale: 2, offset: -1 }],
];

/** Input shapes to try, in order, for a layer at its defaults; merges get two of the same. */
const CANDIDATE_INPUTS = [[8], [6, 4], [8, 8, 3], [4, 8, 8, 3]];

function defaultInputs(type: string): number[][] | undefined {
  const spec = CATALOG.find((s) => s.type === type)!;
  const n = Math.max(1, spec.inputs.min);
  return CANDIDATE_INPUTS.map((shape) => Array<number[]>(n).fill(shape)).find((inputs) => analyzeGraph(oneLayer(inputs, type)).valid);
}

describe('config round trip for every layer type', () => {
  it.each(CASES)('%s', async (type, inputs, config) => {
    await expectRoundTrip(oneLayer(inputs, type, config));
  });

  it('covers every catalog layer', () => {
    const covered = new Set(['Input', ...CASES.map((c) => c[0])]);
    expect(CATALOG.map((s) => s.type).filter((t) => !covered.has(t))).toEqual([]);
  });
});

describe('config round trip for every catalog layer at its defaults', () => {
  it.each(CATALOG.filter((s) => s.type !== 'Input').map((s) => s.type))('%s', async (type) => {
    const inputs = defaultInputs(type);
    expect(inputs, `no candidate input suits ${type} at its defaults`).toBeDefined();
    await expectRoundTrip(oneLayer(inputs!, type));
  });
});
