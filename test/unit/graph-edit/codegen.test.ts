/** Generated TF.js and Keras code: golden text for J1 and a merge, and TF.js code that runs and matches the analysis. */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { kerasCode, tfjsCode, tfjsFactory } from '../../../shared/graph-edit/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { CATALOG, getLayerSpec } from '../../../shared/catalog/index.js';
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';
import { oneLayer } from '../catalog/graphs.js';
import { j1, twoBranches } from './graphs.js';

tf.setBackend('cpu');

/** Runs generated TF.js code and returns the model it builds. */
function run(graph: ModelGraph): tf.LayersModel {
  const body = tfjsCode(graph, { imports: false }) + '\nreturn model;';
  return new Function('tf', body)(tf) as tf.LayersModel;
}

function chainOf(shape: number[], ...layers: [string, Record<string, JsonValue>][]): ModelGraph {
  const nodes = [{ id: 'n0', type: 'Input', name: 'input', config: { shape } as Record<string, JsonValue> }];
  layers.forEach(([type, config], i) => nodes.push({ id: `n${i + 1}`, type, name: `layer_${i + 1}`, config }));
  return { version: 1, nodes, edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })) };
}

describe('Keras Python', () => {
  it('J1 (golden)', () => {
    expect(kerasCode(j1())).toBe(
      [
        'import keras',
        'from keras import layers',
        '',
        'input = keras.Input(shape=(1, 8), name="input")',
        'lstm = layers.LSTM(50, name="lstm")(input)',
        'dense = layers.Dense(1, name="dense")(lstm)',
        '',
        'model = keras.Model(inputs=[input], outputs=[dense])',
        '',
      ].join('\n'),
    );
  });

  it('two inputs merged by Concatenate (golden)', () => {
    expect(kerasCode(twoBranches(), { modelName: 'two_inputs' })).toBe(
      [
        'import keras',
        'from keras import layers',
        '',
        'input = keras.Input(shape=(8,), name="input")',
        'input_2 = keras.Input(shape=(4,), name="input_2")',
        'dense = layers.Dense(16, activation="relu", name="dense")(input)',
        'dense_2 = layers.Dense(16, activation="relu", name="dense_2")(input_2)',
        'concatenate = layers.Concatenate(name="concatenate")([dense, dense_2])',
        'dense_3 = layers.Dense(1, name="dense_3")(concatenate)',
        '',
        'model = keras.Model(inputs=[input, input_2], outputs=[dense_3], name="two_inputs")',
        '',
      ].join('\n'),
    );
  });

  it('Python literals: True/False/None, tuples, required arguments first, only non-defaults', () => {
    const g = chainOf(
      [28, 28, 1],
      ['Conv2D', { filters: 8, kernel_size: 3, padding: 'same', use_bias: false }],
      ['MaxPooling2D', { strides: null }],
      ['Flatten', {}],
      ['Dropout', { rate: 0.25 }],
      ['Dense', { units: 10, activation: 'softmax' }],
    );
    expect(kerasCode(g, { imports: false }).split('\n').slice(0, 6)).toEqual([
      'input = keras.Input(shape=(28, 28, 1), name="input")',
      'layer_1 = layers.Conv2D(8, (3, 3), padding="same", use_bias=False, name="layer_1")(input)',
      'layer_2 = layers.MaxPooling2D(name="layer_2")(layer_1)',
      'layer_3 = layers.Flatten(name="layer_3")(layer_2)',
      'layer_4 = layers.Dropout(0.25, name="layer_4")(layer_3)',
      'layer_5 = layers.Dense(10, activation="softmax", name="layer_5")(layer_4)',
    ]);
    // A GRU: Keras defaults to reset_after=True, the catalog to False, so it is written out.
    expect(kerasCode(chainOf([4, 2], ['GRU', { units: 3, return_sequences: true }]), { imports: false })).toContain(
      'layers.GRU(3, return_sequences=True, reset_after=False, name="layer_1")(input)',
    );
    // The Activation layer's activation is required even at the catalog default.
    expect(kerasCode(chainOf([4], ['Activation', {}]), { imports: false })).toContain('layers.Activation("relu", name="layer_1")(input)');
  });

  it('wrappers hold the inner layer with its own non-default parameters', () => {
    const bi = chainOf([10, 4], ['Bidirectional', { layer: 'LSTM', units: 64, return_sequences: true }]);
    expect(kerasCode(bi, { imports: false })).toContain(
      'layer_1 = layers.Bidirectional(layers.LSTM(64, return_sequences=True), name="layer_1")(input)',
    );
    const summed = chainOf([10, 4], ['Bidirectional', { layer: 'GRU', units: 8, merge_mode: 'sum' }]);
    expect(kerasCode(summed, { imports: false })).toContain(
      'layers.Bidirectional(layers.GRU(8, reset_after=False), merge_mode="sum", name="layer_1")(input)',
    );
    const td = chainOf([10, 4], ['TimeDistributed', { layer: 'Dense', units: 8 }]);
    expect(kerasCode(td, { imports: false })).toContain('layer_1 = layers.TimeDistributed(layers.Dense(8), name="layer_1")(input)');
    expect(tfjsCode(bi, { imports: false })).toContain(
      "tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 64, recurrentActivation: 'sigmoid', returnSequences: true }), name: 'layer_1' }).apply(input)",
    );
  });

  it('four-number paddings are written as pairs', () => {
    if (!getLayerSpec('ZeroPadding2D')?.params.some((p) => p.pairs)) return;
    const g = chainOf([8, 8, 3], ['ZeroPadding2D', { padding: [1, 1, 2, 2] }]);
    expect(kerasCode(g, { imports: false })).toContain('layers.ZeroPadding2D(padding=((1, 1), (2, 2)), name="layer_1")(input)');
    expect(tfjsCode(g, { imports: false })).toContain("tf.layers.zeroPadding2d({ padding: [[1, 1], [2, 2]], name: 'layer_1' })");
  });

  it('variable names are valid, unique identifiers taken from layer names', () => {
    const g = chainOf([4], ['Dense', {}], ['Dense', {}], ['Dense', {}], ['Dense', {}]);
    g.nodes[1]!.name = 'class';
    g.nodes[2]!.name = 'my-layer';
    g.nodes[3]!.name = 'my.layer';
    g.nodes[4]!.name = '1st';
    const code = kerasCode(g, { imports: false });
    expect(code).toContain('class_ = layers.Dense(32, name="class")(input)');
    expect(code).toContain('my_layer = layers.Dense(32, name="my-layer")(class_)');
    expect(code).toContain('my_layer_2 = layers.Dense(32, name="my.layer")(my_layer)');
    expect(code).toContain('_1st = layers.Dense(32, name="1st")(my_layer_2)');
    expect(code).toContain('model = keras.Model(inputs=[input], outputs=[_1st])');
  });

  it('an invalid model says so at the top and leaves out layers without inputs', () => {
    const g = j1();
    g.nodes.push({ id: 'x', type: 'Dense', name: 'loose', config: {} });
    const code = kerasCode(g, { imports: false });
    expect(code.split('\n').slice(0, 3)).toEqual(['# This model is not valid yet:', "# - Dense 'loose' needs 1 input; got 0", "# - Dense 'loose' is left out: it has no complete inputs"]);
    expect(code).not.toContain('loose =');
    expect(code).toContain('outputs=[dense]');
  });
});

describe('TF.js JavaScript', () => {
  it('J1 (golden)', () => {
    expect(tfjsCode(j1())).toBe(
      [
        "import * as tf from '@tensorflow/tfjs';",
        '',
        "const input = tf.input({ shape: [1, 8], name: 'input' });",
        // TF.js gates with hard_sigmoid unless told; the catalog (as Keras) uses sigmoid.
        "const lstm = tf.layers.lstm({ units: 50, recurrentActivation: 'sigmoid', name: 'lstm' }).apply(input);",
        "const dense = tf.layers.dense({ units: 1, name: 'dense' }).apply(lstm);",
        '',
        'const model = tf.model({ inputs: [input], outputs: [dense] });',
        '',
      ].join('\n'),
    );
  });

  it('two inputs merged by Concatenate (golden)', () => {
    expect(tfjsCode(twoBranches(), { imports: false })).toBe(
      [
        "const input = tf.input({ shape: [8], name: 'input' });",
        "const input_2 = tf.input({ shape: [4], name: 'input_2' });",
        "const dense = tf.layers.dense({ units: 16, activation: 'relu', name: 'dense' }).apply(input);",
        "const dense_2 = tf.layers.dense({ units: 16, activation: 'relu', name: 'dense_2' }).apply(input_2);",
        "const concatenate = tf.layers.concatenate({ name: 'concatenate' }).apply([dense, dense_2]);",
        "const dense_3 = tf.layers.dense({ units: 1, name: 'dense_3' }).apply(concatenate);",
        '',
        'const model = tf.model({ inputs: [input, input_2], outputs: [dense_3] });',
        '',
      ].join('\n'),
    );
  });

  it('the J1 code runs and builds the model the analysis describes', () => {
    const model = run(j1());
    expect(model.countParams()).toBe(analyzeGraph(j1()).totalParams);
    expect(model.countParams()).toBe(11_851);
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'lstm', 'dense']);
    expect(model.getLayer('lstm').getConfig()['recurrentActivation']).toBe('sigmoid');
    model.dispose();
  });

  it('the merge code runs with both inputs, in port order', () => {
    const model = run(twoBranches());
    expect(model.countParams()).toBe(analyzeGraph(twoBranches()).totalParams);
    expect(model.inputs.map((t) => t.shape)).toEqual([
      [null, 8],
      [null, 4],
    ]);
    model.dispose();
  });

  it.skipIf(!getLayerSpec('Bidirectional') || !getLayerSpec('TimeDistributed'))('wrapper code runs for each layer a wrapper can hold', () => {
    const graphs = [
      chainOf([10, 4], ['Bidirectional', { layer: 'GRU', units: 8, merge_mode: 'sum' }]),
      chainOf([10, 4], ['Bidirectional', { layer: 'SimpleRNN', units: 5, return_sequences: true }], ['Bidirectional', { layer: 'LSTM', units: 3 }]),
      chainOf([5, 8, 8, 3], ['TimeDistributed', { layer: 'Conv2D', filters: 4, kernel_size: [3, 3] }], ['TimeDistributed', { layer: 'Flatten' }]),
    ];
    for (const g of graphs) {
      expect(analyzeGraph(g).problems).toEqual([]);
      const model = run(g);
      expect(model.countParams()).toBe(analyzeGraph(g).totalParams);
      model.dispose();
    }
  });

  it('factory names follow tf.layers', () => {
    expect(['LSTM', 'SimpleRNN', 'Conv2D', 'MaxPooling1D', 'GlobalAveragePooling2D', 'BatchNormalization', 'Conv2DTranspose', 'PReLU', 'Cropping2D', 'ConvLSTM2D'].map(tfjsFactory)).toEqual([
      'lstm', 'simpleRNN', 'conv2d', 'maxPooling1d', 'globalAveragePooling2d', 'batchNormalization', 'conv2dTranspose', 'prelu', 'cropping2D', 'convLstm2d',
    ]);
  });
});

/** Layers TF.js 4 has no class for: the engine defines them; generated code says so instead. */
const NOT_IN_TFJS = new Set(['Subtract', 'SpatialDropout2D']);
const SHAPES = [[8], [6, 8], [8, 8, 3], [4, 8, 8, 3]];

/** A graph of one catalog layer at its defaults on the first input shape it accepts; null if none fits. */
function smallest(type: string): ModelGraph | null {
  const spec = getLayerSpec(type)!;
  const inputs = Math.max(1, spec.inputs.min);
  for (const shape of SHAPES) {
    const g = oneLayer(Array.from({ length: inputs }, () => shape), type);
    if (analyzeGraph(g).valid) return g;
  }
  return null;
}

describe('every catalog layer', () => {
  const types = CATALOG.map((s) => s.type).filter((t) => t !== 'Input');

  it.each(types)('%s: generated TF.js code builds a model with the analysed parameter count', (type) => {
    const g = smallest(type);
    expect(g, `${type} accepts none of the test input shapes at its defaults`).not.toBeNull();
    expect(kerasCode(g!)).toContain(`layers.${type}(`);
    if (NOT_IN_TFJS.has(type)) {
      expect(tfjsCode(g!)).toContain(`// TF.js 4 has no ${type} layer`);
      return;
    }
    const model = run(g!);
    expect(model.countParams()).toBe(analyzeGraph(g!).totalParams);
    model.dispose();
  });
});
