/** Reading Keras model JSON written by Keras 2, Keras 3 and TF.js, and refusing what we cannot model. */
import { describe, expect, it } from 'vitest';
import { graphToKerasJson, kerasJsonToGraph } from '../../../shared/keras.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { AppError } from '../../../shared/errors.js';

const glorot = { class_name: 'GlorotUniform', config: { seed: null } };

/** J1 as tf.keras 2.x saves it (model.to_json()). */
const KERAS2_J1 = {
  class_name: 'Sequential',
  config: {
    name: 'sequential',
    layers: [
      { class_name: 'InputLayer', config: { batch_input_shape: [null, 1, 8], dtype: 'float32', sparse: false, ragged: false, name: 'lstm_input' } },
      {
        class_name: 'LSTM',
        config: {
          name: 'lstm', trainable: true, dtype: 'float32', return_sequences: false, return_state: false, go_backwards: false, stateful: false,
          unroll: false, time_major: false, units: 50, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true,
          kernel_initializer: glorot, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1.0, seed: null } },
          bias_initializer: { class_name: 'Zeros', config: {} }, unit_forget_bias: true, kernel_regularizer: null, recurrent_regularizer: null,
          bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
          dropout: 0.0, recurrent_dropout: 0.0, implementation: 2,
        },
      },
      { class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: 'float32', units: 1, activation: 'linear', use_bias: true, kernel_initializer: glorot, bias_initializer: { class_name: 'Zeros', config: {} }, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } },
    ],
  },
  keras_version: '2.15.0',
  backend: 'tensorflow',
};

const tensor = (layer: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: [layer, 0, 0] } });
const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };

/** A two-input model as Keras 3 saves it (config.json inside a .keras file). */
const KERAS3_TWO_INPUTS = {
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: {
    name: 'functional',
    trainable: true,
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'a' }, registered_name: null, name: 'a', inbound_nodes: [] },
      { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'b' }, registered_name: null, name: 'b', inbound_nodes: [] },
      {
        module: 'keras.layers', class_name: 'Concatenate', config: { name: 'concatenate', trainable: true, dtype: policy, axis: -1 }, registered_name: null,
        build_config: { input_shape: [[null, 4], [null, 4]] }, name: 'concatenate', inbound_nodes: [{ args: [[tensor('a'), tensor('b')]], kwargs: {} }],
      },
      {
        module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: policy, units: 2, activation: 'softmax', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null }, kernel_regularizer: null, lora_rank: null },
        registered_name: null, build_config: { input_shape: [null, 8] }, name: 'dense', inbound_nodes: [{ args: [tensor('concatenate')], kwargs: {} }],
      },
    ],
    input_layers: [['a', 0, 0], ['b', 0, 0]],
    output_layers: [['dense', 0, 0]],
  },
  registered_name: 'Functional',
};

const IMAGE_INPUT = { class_name: 'InputLayer', config: { batch_input_shape: [null, 8, 8, 3], name: 'image' } };

/** A Sequential of (batch, 5, 3) sequences into the given layers. */
function seq(layers: object[]) {
  return { class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 5, 3], name: 'seq' } }, ...layers] } };
}

function problem(json: unknown): string {
  try {
    kerasJsonToGraph(json);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('MODEL_JSON_INVALID');
    return (e as AppError).message;
  }
  throw new Error('expected kerasJsonToGraph to refuse this');
}

describe('kerasJsonToGraph', () => {
  it('reads J1 saved by tf.keras 2 into a valid graph', () => {
    const g = kerasJsonToGraph(KERAS2_J1);
    expect(g.nodes.map((n) => [n.type, n.name])).toEqual([['Input', 'lstm_input'], ['LSTM', 'lstm'], ['Dense', 'dense']]);
    expect(g.nodes[0]!.config).toEqual({ shape: [1, 8] });
    expect(g.nodes[1]!.config).toMatchObject({ units: 50, recurrent_activation: 'sigmoid', unit_forget_bias: true });
    expect(g.edges.map((e) => [e.source, e.target])).toEqual([['n1', 'n2'], ['n2', 'n3']]);
    const a = analyzeGraph(g);
    expect(a.valid).toBe(true);
    expect(a.totalParams).toBe(11_851);
  });

  it('reads an old Sequential whose first layer carries the input shape', () => {
    const g = kerasJsonToGraph({
      class_name: 'Sequential',
      config: [{ class_name: 'Dense', config: { name: 'input', batch_input_shape: [null, 3], units: 2, activation: 'relu' } }],
    });
    expect(g.nodes.map((n) => [n.type, n.name])).toEqual([['Input', 'input_1'], ['Dense', 'input']]);
    expect(g.nodes[0]!.config).toEqual({ shape: [3] });
  });

  it('reads a Keras 3 functional model with two inputs, in port order', () => {
    const g = kerasJsonToGraph(JSON.stringify(KERAS3_TWO_INPUTS));
    expect(g.nodes.map((n) => n.type)).toEqual(['Input', 'Input', 'Concatenate', 'Dense']);
    expect(g.edges.map((e) => [e.source, e.target, e.targetPort])).toEqual([
      ['n1', 'n3', 0],
      ['n2', 'n3', 1],
      ['n3', 'n4', undefined],
    ]);
    const a = analyzeGraph(g);
    expect(a.valid).toBe(true);
    expect(a.nodes['n4']!.outputShape).toEqual([null, 2]);
    // Laid out in rows by depth: the two inputs side by side.
    expect(g.nodes.map((n) => n.position)).toEqual([{ x: 0, y: 0 }, { x: 220, y: 0 }, { x: 0, y: 90 }, { x: 0, y: 180 }]);
  });

  it('reads BatchNormalization axis saved as a list', () => {
    const json = structuredClone(KERAS2_J1);
    json.config.layers.splice(2, 0, { class_name: 'BatchNormalization', config: { name: 'bn', axis: [1], momentum: 0.9 } } as never);
    // After the LSTM's (batch, 50), axis 1 is the last one: written as -1, the default.
    expect(kerasJsonToGraph(json).nodes[2]!.config).toMatchObject({ axis: -1, momentum: 0.9 });
  });

  it('reads a Keras 2 Bidirectional(LSTM) into one flat node', () => {
    const lstm = structuredClone(KERAS2_J1.config.layers[1]!.config) as Record<string, unknown>;
    Object.assign(lstm, { units: 16, return_sequences: true });
    const g = kerasJsonToGraph(seq([{ class_name: 'Bidirectional', config: { name: 'bidirectional', trainable: true, dtype: 'float32', layer: { class_name: 'LSTM', config: lstm }, merge_mode: 'concat' } }]));
    expect(g.nodes[1]!).toMatchObject({ type: 'Bidirectional', name: 'bidirectional' });
    expect(g.nodes[1]!.config).toMatchObject({ layer: 'LSTM', units: 16, return_sequences: true, merge_mode: 'concat', recurrent_activation: 'sigmoid' });
    const a = analyzeGraph(g);
    expect(a.nodes['n2']!.outputShape).toEqual([null, 5, 32]);
    expect(a.totalParams).toBe(2 * 4 * (16 * (3 + 16) + 16));
  });

  it('reads a Keras 3 Bidirectional(GRU), which writes its backward layer out too', () => {
    const gru = (name: string, backwards: boolean) => ({
      module: 'keras.layers',
      class_name: 'GRU',
      config: {
        name, trainable: true, dtype: policy, return_sequences: true, return_state: false, go_backwards: backwards, stateful: false, unroll: false,
        zero_output_for_mask: true, units: 8, activation: 'tanh', recurrent_activation: 'sigmoid', use_bias: true, dropout: 0.0, recurrent_dropout: 0.0,
        reset_after: false, seed: null,
      },
      registered_name: null,
    });
    const g = kerasJsonToGraph(
      seq([{ module: 'keras.layers', class_name: 'Bidirectional', config: { name: 'bi', trainable: true, dtype: policy, merge_mode: 'sum', layer: gru('forward_gru', false), backward_layer: gru('backward_gru', true) } }]),
    );
    expect(g.nodes[1]!.config).toMatchObject({ layer: 'GRU', units: 8, return_sequences: true, merge_mode: 'sum', reset_after: false });
    expect(analyzeGraph(g).nodes['n2']!.outputShape).toEqual([null, 5, 8]);
  });

  it('reads a TimeDistributed(Dense) into one flat node', () => {
    const dense = KERAS2_J1.config.layers[2]!.config;
    const g = kerasJsonToGraph(seq([{ class_name: 'TimeDistributed', config: { name: 'td', layer: { class_name: 'Dense', config: { ...dense, units: 4 } } } }]));
    expect(g.nodes[1]!.type).toBe('TimeDistributed');
    // The Conv2D parameters are there at their defaults: a flat node holds every layer it can wrap.
    expect(g.nodes[1]!.config).toEqual({ layer: 'Dense', units: 4, activation: 'linear', use_bias: true, filters: 32, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', dilation_rate: [1, 1] });
    expect(analyzeGraph(g).nodes['n2']!.outputShape).toEqual([null, 5, 4]);
  });

  it.each([
    ['one number', 2, [2, 2, 2, 2]],
    ['a pair: rows, columns', [1, 2], [1, 1, 2, 2]],
    ['two pairs: (top, bottom), (left, right)', [[1, 2], [0, 3]], [1, 2, 0, 3]],
  ])('reads Cropping2D cropping given as %s', (_what, cropping, flat) => {
    const g = kerasJsonToGraph({ class_name: 'Sequential', config: { layers: [IMAGE_INPUT, { class_name: 'Cropping2D', config: { name: 'crop', cropping } }] } });
    expect(g.nodes[1]!.config['cropping']).toEqual(flat);
  });

  it('writes Cropping2D and ZeroPadding2D as Keras pairs', () => {
    const g = kerasJsonToGraph({
      class_name: 'Sequential',
      config: { layers: [IMAGE_INPUT, { class_name: 'ZeroPadding2D', config: { name: 'pad', padding: [[1, 2], [0, 3]] } }, { class_name: 'Cropping2D', config: { name: 'crop', cropping: 1 } }] },
    });
    const layers = graphToKerasJson(g).config.layers;
    expect(layers[1]!.config['padding']).toEqual([[1, 2], [0, 3]]);
    expect(layers[2]!.config['cropping']).toEqual([[1, 1], [1, 1]]);
  });

  it('writes a wrapper with its layer nested, as Keras does', () => {
    const g = kerasJsonToGraph(seq([{ class_name: 'Bidirectional', config: { name: 'bi', merge_mode: 'ave', layer: { class_name: 'SimpleRNN', config: { units: 3 } } } }]));
    const bi = graphToKerasJson(g).config.layers[1]!;
    expect(bi.class_name).toBe('Bidirectional');
    expect(bi.config).toEqual({
      name: 'bi',
      trainable: true,
      dtype: 'float32',
      merge_mode: 'ave',
      layer: {
        class_name: 'SimpleRNN',
        config: { name: 'bi_simple_rnn', trainable: true, dtype: 'float32', units: 3, activation: 'tanh', use_bias: true, return_sequences: false, dropout: 0, recurrent_dropout: 0 },
      },
    });
  });

  it('reads a normalization axis saved as the last index as -1', () => {
    const g = kerasJsonToGraph(seq([{ class_name: 'LayerNormalization', config: { name: 'ln', axis: [2], epsilon: 0.001 } }, { class_name: 'LayerNormalization', config: { name: 'ln_2', axis: 1 } }]));
    expect(g.nodes.map((n) => n.config['axis'])).toEqual([undefined, -1, 1]);
  });

  it.each([
    ['not JSON', '{nope', 'The model JSON does not parse'],
    ['not a model', { layers: [] }, 'Expected a Keras model config: an object with class_name (Sequential, Functional or Model) and config'],
    ['another class', { class_name: 'Pipeline', config: {} }, "Model class 'Pipeline' is not supported; expected Sequential, Functional or Model"],
    [
      'an unsupported layer',
      { class_name: 'Sequential', config: { layers: [KERAS2_J1.config.layers[0], { class_name: 'ConvLSTM2D', config: { name: 'conv_lstm' } }] } },
      "Layer 'conv_lstm' is a ConvLSTM2D, which Layerbench does not support; supported: Input, Dense",
    ],
    [
      'a wrapper around an unsupported layer',
      seq([{ class_name: 'Bidirectional', config: { name: 'bi', layer: { class_name: 'Dense', config: { units: 3 } } } }]),
      "Bidirectional 'bi' wraps a Dense, which Layerbench does not support; it can wrap LSTM, GRU, SimpleRNN",
    ],
    [
      'a wrapper without its layer',
      seq([{ class_name: 'TimeDistributed', config: { name: 'td' } }]),
      "TimeDistributed 'td' has no layer ({class_name, config})",
    ],
    [
      'a Bidirectional with two outputs',
      seq([{ class_name: 'Bidirectional', config: { name: 'bi', merge_mode: null, layer: { class_name: 'LSTM', config: { units: 3 } } } }]),
      "Bidirectional 'bi' sets merge_mode = null (two outputs), which Layerbench does not support",
    ],
    [
      'a Bidirectional whose directions differ',
      seq([
        {
          class_name: 'Bidirectional',
          config: {
            name: 'bi',
            layer: { class_name: 'LSTM', config: { name: 'forward_lstm', units: 3 } },
            backward_layer: { class_name: 'LSTM', config: { name: 'backward_lstm', units: 3, activation: 'relu', go_backwards: true } },
          },
        },
      ]),
      "Bidirectional 'bi' has a backward layer that differs from its forward layer, which Layerbench does not support",
    ],
    [
      'an option inside a wrapped layer',
      seq([{ class_name: 'Bidirectional', config: { name: 'bi', layer: { class_name: 'LSTM', config: { units: 3, stateful: true } } } }]),
      "The LSTM in Bidirectional 'bi' sets stateful = true, which Layerbench does not support",
    ],
    [
      'a SeparableConv2D with a depth multiplier (TF.js does not save it)',
      { class_name: 'Sequential', config: { layers: [IMAGE_INPUT, { class_name: 'SeparableConv2D', config: { name: 'sep', filters: 4, depth_multiplier: 2 } }] } },
      "SeparableConv2D 'sep' sets depth_multiplier = 2, which Layerbench does not support",
    ],
    [
      'a dilated DepthwiseConv2D (TF.js ignores the dilation)',
      { class_name: 'Sequential', config: { layers: [IMAGE_INPUT, { class_name: 'DepthwiseConv2D', config: { name: 'dw', dilation_rate: [2, 2] } }] } },
      "DepthwiseConv2D 'dw' sets dilation_rate = [2,2], which Layerbench does not support",
    ],
    [
      'an unsupported option',
      { class_name: 'Sequential', config: { layers: [KERAS2_J1.config.layers[0], { class_name: 'LSTM', config: { name: 'lstm', units: 4, go_backwards: true } }] } },
      "LSTM 'lstm' sets go_backwards = true, which Layerbench does not support",
    ],
    [
      'channels_first',
      { class_name: 'Sequential', config: { layers: [KERAS2_J1.config.layers[0], { class_name: 'Conv2D', config: { name: 'conv', data_format: 'channels_first' } }] } },
      "Conv2D 'conv' sets data_format = \"channels_first\", which Layerbench does not support",
    ],
    [
      'a bad value',
      { class_name: 'Sequential', config: { layers: [KERAS2_J1.config.layers[0], { class_name: 'Dense', config: { name: 'dense', units: 'ten' } }] } },
      "Layer 'dense': Dense parameter 'units' expects an integer ≥ 1; got \"ten\"",
    ],
    [
      'a variable-length input',
      { class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { name: 'seq', batch_input_shape: [null, null, 8] } }] } },
      "Input 'seq' has shape (None, None, 8); Layerbench needs every dimension but the batch fixed",
    ],
    [
      'a shared layer',
      {
        class_name: 'Model',
        config: {
          layers: [
            { class_name: 'InputLayer', name: 'a', config: { batch_input_shape: [null, 4] }, inbound_nodes: [] },
            { class_name: 'Dense', name: 'd', config: { units: 4 }, inbound_nodes: [[['a', 0, 0, {}]], [['d', 0, 0, {}]]] },
          ],
        },
      },
      "Layer 'd' is called 2 times (a shared layer); Layerbench supports one call per layer",
    ],
    [
      'an input from nowhere',
      { class_name: 'Model', config: { layers: [{ class_name: 'Dense', name: 'd', config: { units: 4 }, inbound_nodes: [[['ghost', 0, 0, {}]]] }] } },
      "Layer 'd' takes its input from 'ghost', which is not in the model",
    ],
  ])('refuses %s', (_what, json, message) => {
    expect(problem(json)).toContain(message);
  });
});
