/**
 * Shape and parameter rules against TF.js itself: each case is built as a real TF.js model, and
 * our output shape and counts must equal what TF.js computes.
 */
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../../../shared/graph.js';
import type { Shape } from '../../../shared/shape.js';
import { CATALOG, getLayerSpec, withDefaults, ShapeError } from '../../../shared/catalog/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { buildModel } from '../../../main/engine/build.js';
import { oneLayer } from './graphs.js';

tf.setBackend('cpu');

type Case = [type: string, inputs: number[][], config: Record<string, JsonValue>];

const CASES: Case[] = [
  ['Dense', [[8]], { units: 5 }],
  ['Dense', [[8]], { units: 3, use_bias: false, activation: 'softmax' }],
  ['Dense', [[4, 6]], { units: 7 }],
  ['Activation', [[3, 4]], { activation: 'tanh' }],
  ['Dropout', [[10]], { rate: 0.3 }],
  ['Embedding', [[27]], { input_dim: 1427, output_dim: 16 }],
  ['Embedding', [[5]], { input_dim: 10, output_dim: 4, mask_zero: true }],
  ['LSTM', [[1, 8]], { units: 50 }],
  ['LSTM', [[6, 3]], { units: 4, return_sequences: true, use_bias: false }],
  ['GRU', [[5, 3]], { units: 4 }],
  ['GRU', [[5, 3]], { units: 2, return_sequences: true }],
  ['SimpleRNN', [[7, 2]], { units: 3, activation: 'relu' }],
  ['SimpleRNN', [[7, 2]], { units: 3, return_sequences: true }],
  ['Flatten', [[28, 28, 1]], {}],
  ['Reshape', [[8]], { target_shape: [1, 8] }],
  ['Reshape', [[784]], { target_shape: [28, -1, 1] }],
  ['BatchNormalization', [[10]], {}],
  ['BatchNormalization', [[6, 6, 3]], { center: false }],
  ['BatchNormalization', [[6, 5, 3]], { axis: 1 }],
  ['Conv1D', [[10, 3]], { filters: 4, kernel_size: [3] }],
  ['Conv1D', [[10, 3]], { filters: 4, kernel_size: [3], strides: [2], padding: 'same' }],
  ['Conv2D', [[28, 28, 1]], { filters: 32, kernel_size: [5, 5], padding: 'same', activation: 'relu' }],
  ['Conv2D', [[9, 7, 2]], { filters: 3, kernel_size: [3, 2], strides: [2, 2], use_bias: false }],
  ['MaxPooling1D', [[9, 3]], {}],
  ['MaxPooling2D', [[28, 28, 32]], { pool_size: [2, 2] }],
  ['MaxPooling2D', [[7, 7, 2]], { pool_size: [2, 2], strides: [1, 1], padding: 'same' }],
  ['MaxPooling2D', [[7, 5, 2]], { pool_size: [3, 2], padding: 'valid' }],
  ['GlobalAveragePooling1D', [[9, 3]], {}],
  ['GlobalAveragePooling2D', [[4, 4, 8]], {}],
  ['Concatenate', [[3], [4]], {}],
  ['Concatenate', [[2, 3], [2, 5], [2, 1]], { axis: -1 }],
  ['Concatenate', [[2, 3], [4, 3]], { axis: 1 }],
  ['Add', [[3, 2], [3, 2]], {}],
];

function ours(type: string, inputs: number[][], config: Record<string, JsonValue>) {
  const spec = getLayerSpec(type)!;
  const full = withDefaults(type, config);
  const shapes: Shape[] = inputs.map((s) => [null, ...s]);
  return { shape: spec.outputShape(shapes, full), params: spec.paramCount(shapes, full) };
}

function theirs(type: string, inputs: number[][], config: Record<string, JsonValue>) {
  const model = buildModel(tf, oneLayer(inputs, type, config));
  const layer = model.getLayer('layer');
  const count = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
  // The shape of a real output (batch of 2), since TF.js leaves some symbolic dims unknown (Reshape's -1).
  const x = inputs.map((s) => tf.zeros([2, ...s]));
  const y = model.predict(x.length === 1 ? x[0]! : x) as tf.Tensor;
  const result = {
    shape: [null, ...y.shape.slice(1)],
    params: { trainable: count(layer.trainableWeights), nonTrainable: count(layer.nonTrainableWeights) },
    total: layer.countParams(),
  };
  tf.dispose([...x, y]);
  model.dispose();
  return result;
}

describe('layer shapes and parameter counts match TF.js', () => {
  it.each(CASES)('%s on %j with %j', (type, inputs, config) => {
    const o = ours(type, inputs, config);
    const t = theirs(type, inputs, config);
    expect(o.shape).toEqual(t.shape);
    expect(o.params).toEqual(t.params);
    expect(o.params.trainable + o.params.nonTrainable).toBe(t.total);
  });

  it('covers every catalog layer', () => {
    const covered = new Set(['Input', ...CASES.map((c) => c[0])]);
    expect(CATALOG.map((s) => s.type).filter((t) => !covered.has(t))).toEqual([]);
  });

  it('uses the Keras formulas for recurrent layers', () => {
    expect(ours('LSTM', [[1, 8]], { units: 50 }).params.trainable).toBe(4 * (50 * (8 + 50) + 50));
    expect(ours('GRU', [[1, 8]], { units: 50 }).params.trainable).toBe(3 * (50 * (8 + 50) + 50));
    expect(ours('GRU', [[1, 8]], { units: 50, reset_after: true }).params.trainable).toBe(3 * (50 * (8 + 50) + 2 * 50));
    expect(ours('SimpleRNN', [[1, 8]], { units: 50 }).params.trainable).toBe(50 * (8 + 50) + 50);
  });
});

/** The last field says whether TF.js refuses the case when building (some it only finds when running). */
type ErrorCase = [type: string, inputs: number[][], config: Record<string, JsonValue>, message: string, hint: string | undefined, tfRefuses: boolean];

const ERRORS: ErrorCase[] = [
  ['LSTM', [[8]], { units: 50 }, 'LSTM needs a 3-D input (batch, steps, features); got (batch, 8)', 'add a Reshape to (1, 8) before it', true],
  ['GRU', [[2, 3, 4]], {}, 'GRU needs a 3-D input (batch, steps, features); got (batch, 2, 3, 4)', 'add a Reshape to (2, 12) before it', true],
  ['Conv2D', [[784]], {}, 'Conv2D needs a 4-D input (batch, height, width, channels); got (batch, 784)', 'add a Reshape to (28, 28, 1) before it', true],
  ['Conv2D', [[28, 28]], {}, 'Conv2D needs a 4-D input (batch, height, width, channels); got (batch, 28, 28)', 'add a Reshape to (28, 28, 1) before it', true],
  ['Conv1D', [[2, 3]], { kernel_size: [5] }, 'Conv1D kernel (5) is larger than its input (batch, 2, 3)', "use padding 'same' or a smaller kernel", false],
  ['MaxPooling2D', [[10]], {}, 'MaxPooling2D needs a 4-D input (batch, height, width, channels); got (batch, 10)', undefined, true],
  ['GlobalAveragePooling1D', [[4, 4, 2]], {}, 'GlobalAveragePooling1D needs a 3-D input (batch, steps, channels); got (batch, 4, 4, 2)', 'add a Reshape to (4, 8) before it', true],
  ['Flatten', [[8]], {}, 'Flatten needs at least a 3-D input; got (batch, 8)', 'the input is already flat: remove the Flatten', true],
  ['Reshape', [[8]], { target_shape: [3, 3] }, "Reshape can't turn (batch, 8) into (3, 3): 8 values vs 9", undefined, false],
  ['Reshape', [[8]], { target_shape: [3, -1] }, "Reshape can't turn (batch, 8) into (3, -1): 8 values do not divide by 3", undefined, false],
  ['Concatenate', [[3], [4, 2]], {}, 'Concatenate needs inputs that match except on axis -1; got (batch, 3) and (batch, 4, 2)', undefined, true],
  ['Add', [[3], [4]], {}, 'Add needs inputs of the same shape; got (batch, 3) and (batch, 4)', undefined, true],
];

describe('shape errors say what was expected and what was found', () => {
  it.each(ERRORS)('%s on %j', (type, inputs, config, message, hint, tfRefuses) => {
    let caught: unknown;
    try {
      ours(type, inputs, config);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ShapeError);
    expect((caught as ShapeError).message).toBe(message);
    expect((caught as ShapeError).hint).toBe(hint);
    // Not stricter than TF.js: it refuses these too (some only when it runs them).
    if (tfRefuses) expect(() => theirsRaw(type, inputs, config)).toThrow();
  });

  it('Dense needs at least a 2-D input', () => {
    expect(() => getLayerSpec('Dense')!.outputShape([[null]], withDefaults('Dense', {}))).toThrow('Dense needs at least a 2-D input (batch, features); got (batch)');
  });
});

/** TF.js's own verdict, bypassing our analysis. */
function theirsRaw(type: string, inputs: number[][], config: Record<string, JsonValue>) {
  const full = withDefaults(type, config);
  const args: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(full)) if (v !== null) args[k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())] = v;
  const ins = inputs.map((s) => tf.input({ shape: s }));
  const factory: Record<string, (a: never) => tf.layers.Layer> = {
    LSTM: tf.layers.lstm,
    GRU: tf.layers.gru,
    Conv1D: tf.layers.conv1d,
    Conv2D: tf.layers.conv2d,
    MaxPooling2D: tf.layers.maxPooling2d,
    GlobalAveragePooling1D: tf.layers.globalAveragePooling1d,
    Reshape: tf.layers.reshape,
    Flatten: tf.layers.flatten,
    Concatenate: tf.layers.concatenate,
    Add: tf.layers.add,
  };
  return factory[type]!(args as never).apply(ins.length === 1 ? ins[0]! : ins);
}

describe('withDefaults', () => {
  it('fills defaults and spreads a single int over a fixed-length list', () => {
    expect(withDefaults('Dense', { units: 4 })).toEqual({ units: 4, activation: 'linear', use_bias: true });
    expect(withDefaults('Conv2D', { kernel_size: 5 })['kernel_size']).toEqual([5, 5]);
  });

  it.each([
    ['Dense', { units: -1 }, "Dense parameter 'units' expects an integer ≥ 1; got -1"],
    ['Dense', { units: 2.5 }, "Dense parameter 'units' expects an integer ≥ 1; got 2.5"],
    ['Dense', { activation: 'relux' }, "Dense parameter 'activation' expects one of 'linear', 'relu'"],
    ['Dropout', { rate: 1 }, "Dropout parameter 'rate' expects a number from 0 to 0.999; got 1"],
    ['LSTM', { return_sequences: 'yes' }, "LSTM parameter 'return_sequences' expects true or false; got \"yes\""],
    ['Conv2D', { kernel_size: [3, 3, 3] }, "Conv2D parameter 'kernel_size' expects 2 integers ≥ 1; got [3,3,3]"],
    ['Dense', { unitz: 3 }, "Dense has no parameter 'unitz'; expected one of units, activation, use_bias"],
    ['Dense', { units: null }, "Dense parameter 'units' expects an integer ≥ 1; got null"],
    ['Banana', {}, "Unknown layer type 'Banana'"],
  ] as [string, Record<string, JsonValue>, string][])('%s %j', (type, config, message) => {
    expect(() => withDefaults(type, config)).toThrow(message);
  });

  it('every default passes its own validation', () => {
    for (const spec of CATALOG) expect(withDefaults(spec.type, {})).toEqual(Object.fromEntries(spec.params.map((p) => [p.name, p.default])));
  });
});

describe('graph analysis reports shape errors on the node, named', () => {
  it('LSTM after Input[8]', () => {
    const a = analyzeGraph(oneLayer([[8]], 'LSTM', { units: 50 }));
    expect(a.valid).toBe(false);
    expect(a.nodes['l']!.error).toBe('LSTM needs a 3-D input (batch, steps, features); got (batch, 8)');
    expect(a.problems).toEqual([
      { nodeId: 'l', message: "LSTM 'layer' needs a 3-D input (batch, steps, features); got (batch, 8)", hint: 'add a Reshape to (1, 8) before it' },
    ]);
  });
});
