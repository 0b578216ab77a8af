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
import { buildModel, createLayer } from '../../../main/engine/build.js';
import { oneLayer } from './graphs.js';

tf.setBackend('cpu');

type Case = [type: string, inputs: number[][], config: Record<string, JsonValue>];

const CASES: Case[] = [
  ['Dense', [[8]], { units: 5 }],
  ['Dense', [[8]], { units: 3, use_bias: false, activation: 'softmax' }],
  ['Dense', [[4, 6]], { units: 7 }],
  ['Activation', [[3, 4]], { activation: 'tanh' }],
  ['Activation', [[5]], { activation: 'hard_sigmoid' }],
  ['Dropout', [[10]], { rate: 0.3 }],
  ['Dropout', [[4, 6]], {}],
  ['Embedding', [[27]], { input_dim: 1427, output_dim: 16 }],
  ['Embedding', [[5]], { input_dim: 10, output_dim: 4, mask_zero: true }],
  ['LSTM', [[1, 8]], { units: 50 }],
  ['LSTM', [[6, 3]], { units: 4, return_sequences: true, use_bias: false }],
  ['GRU', [[5, 3]], { units: 4 }],
  ['GRU', [[5, 3]], { units: 2, return_sequences: true }],
  ['SimpleRNN', [[7, 2]], { units: 3, activation: 'relu' }],
  ['SimpleRNN', [[7, 2]], { units: 3, return_sequences: true }],
  ['Flatten', [[28, 28, 1]], {}],
  ['Flatten', [[3, 4]], {}],
  ['Reshape', [[8]], { target_shape: [1, 8] }],
  ['Reshape', [[784]], { target_shape: [28, -1, 1] }],
  ['BatchNormalization', [[10]], {}],
  ['BatchNormalization', [[6, 6, 3]], { center: false }],
  ['Conv1D', [[10, 3]], { filters: 4, kernel_size: [3] }],
  ['Conv1D', [[10, 3]], { filters: 4, kernel_size: [3], strides: [2], padding: 'same' }],
  ['Conv2D', [[28, 28, 1]], { filters: 32, kernel_size: [5, 5], padding: 'same', activation: 'relu' }],
  ['Conv2D', [[9, 7, 2]], { filters: 3, kernel_size: [3, 2], strides: [2, 2], use_bias: false }],
  ['MaxPooling1D', [[9, 3]], {}],
  ['MaxPooling1D', [[9, 3]], { pool_size: [3], strides: [2], padding: 'same' }],
  ['MaxPooling2D', [[28, 28, 32]], { pool_size: [2, 2] }],
  ['MaxPooling2D', [[7, 7, 2]], { pool_size: [2, 2], strides: [1, 1], padding: 'same' }],
  ['MaxPooling2D', [[7, 5, 2]], { pool_size: [3, 2], padding: 'valid' }],
  ['GlobalAveragePooling1D', [[9, 3]], {}],
  ['GlobalAveragePooling1D', [[1, 6]], {}],
  ['GlobalAveragePooling2D', [[4, 4, 8]], {}],
  ['GlobalAveragePooling2D', [[3, 5, 2]], {}],
  ['Concatenate', [[3], [4]], {}],
  ['Concatenate', [[2, 3], [2, 5], [2, 1]], { axis: -1 }],
  ['Concatenate', [[2, 3], [4, 3]], { axis: 1 }],
  ['Add', [[3, 2], [3, 2]], {}],
  ['Add', [[4], [4], [4]], {}],
  // Dilation widens the window: a 3-tap kernel dilated by 2 spans 5.
  ['Conv1D', [[10, 3]], { filters: 2, kernel_size: [3], dilation_rate: [2] }],
  ['Conv2D', [[9, 9, 2]], { filters: 3, kernel_size: [3, 3], dilation_rate: [2, 2] }],
  ['Conv2D', [[9, 8, 2]], { filters: 3, kernel_size: [3, 3], dilation_rate: [2, 3], padding: 'same' }],
  ['SpatialDropout1D', [[5, 3]], { rate: 0.3 }],
  ['SpatialDropout1D', [[7, 4]], {}],
  ['SpatialDropout2D', [[4, 4, 3]], { rate: 0.2 }],
  ['SpatialDropout2D', [[6, 5, 2]], {}],
  ['Permute', [[3, 4]], { dims: [2, 1] }],
  ['Permute', [[2, 3, 4]], { dims: [3, 1, 2] }],
  ['RepeatVector', [[4]], { n: 3 }],
  ['RepeatVector', [[1]], { n: 5 }],
  ['SeparableConv2D', [[8, 8, 3]], { filters: 4 }],
  ['SeparableConv2D', [[9, 9, 2]], { filters: 5, strides: [2, 2], padding: 'same', use_bias: false }],
  ['SeparableConv2D', [[9, 9, 2]], { filters: 2, kernel_size: [3, 2], dilation_rate: [2, 2] }],
  ['DepthwiseConv2D', [[8, 8, 3]], {}],
  ['DepthwiseConv2D', [[9, 7, 2]], { kernel_size: [3, 2], strides: [2, 2], depth_multiplier: 3, padding: 'same' }],
  ['DepthwiseConv2D', [[9, 9, 2]], { kernel_size: [5, 5], use_bias: false }],
  ['Conv2DTranspose', [[8, 8, 3]], { filters: 4 }],
  ['Conv2DTranspose', [[5, 4, 2]], { filters: 3, strides: [2, 2], padding: 'same' }],
  // valid: in · stride + max(kernel - stride, 0) = 5·2 + 2 and 4·3 + 0.
  ['Conv2DTranspose', [[5, 4, 2]], { filters: 2, kernel_size: [4, 3], strides: [2, 3], use_bias: false }],
  ['AveragePooling1D', [[9, 3]], {}],
  ['AveragePooling1D', [[9, 3]], { pool_size: [3], strides: [1], padding: 'same' }],
  ['AveragePooling2D', [[8, 8, 2]], {}],
  ['AveragePooling2D', [[7, 5, 2]], { pool_size: [3, 2], strides: [2, 1] }],
  ['GlobalMaxPooling1D', [[9, 3]], {}],
  ['GlobalMaxPooling1D', [[1, 5]], {}],
  ['GlobalMaxPooling2D', [[4, 4, 8]], {}],
  ['GlobalMaxPooling2D', [[3, 5, 2]], {}],
  ['UpSampling2D', [[4, 4, 3]], {}],
  ['UpSampling2D', [[3, 5, 2]], { size: [2, 3], interpolation: 'bilinear' }],
  ['ZeroPadding2D', [[4, 4, 3]], {}],
  ['ZeroPadding2D', [[3, 5, 2]], { padding: [1, 2, 0, 3] }],
  ['Cropping2D', [[6, 6, 3]], { cropping: 1 }],
  ['Cropping2D', [[7, 8, 2]], { cropping: [1, 2, 0, 3] }],
  ['LayerNormalization', [[6, 3]], {}],
  ['LayerNormalization', [[4, 5]], { center: false, epsilon: 0.01 }],
  ['LayerNormalization', [[3, 4, 5]], { axis: 1, scale: false }],
  ['Bidirectional', [[5, 3]], { units: 4 }],
  ['Bidirectional', [[5, 3]], { layer: 'GRU', units: 3, return_sequences: true, merge_mode: 'sum' }],
  ['Bidirectional', [[6, 2]], { layer: 'SimpleRNN', units: 5, merge_mode: 'ave', use_bias: false }],
  ['Bidirectional', [[6, 2]], { layer: 'LSTM', units: 2, return_sequences: true, merge_mode: 'mul' }],
  ['TimeDistributed', [[5, 3]], { units: 4 }],
  ['TimeDistributed', [[3, 2, 6]], { units: 2, use_bias: false }],
  ['TimeDistributed', [[4, 6, 6, 2]], { layer: 'Conv2D', filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same' }],
  ['TimeDistributed', [[3, 4, 5]], { layer: 'Flatten' }],
  ['Subtract', [[3], [3]], {}],
  ['Subtract', [[2, 4], [2, 4]], {}],
  ['Multiply', [[3], [3]], {}],
  ['Multiply', [[2, 2], [2, 2], [2, 2]], {}],
  ['Average', [[3], [3]], {}],
  ['Average', [[2, 3], [2, 3], [2, 3]], {}],
  ['Maximum', [[3], [3]], {}],
  ['Maximum', [[4, 2], [4, 2]], {}],
  ['Minimum', [[3], [3]], {}],
  ['Minimum', [[4, 2], [4, 2], [4, 2]], {}],
  ['Rescaling', [[4]], {}],
  ['Rescaling', [[2, 3]], { scale: 2, offset: -1 }],
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

  it('covers every catalog layer at least twice', () => {
    const count = (t: string) => CASES.filter((c) => c[0] === t).length;
    expect(CATALOG.map((s) => s.type).filter((t) => t !== 'Input' && count(t) < 2)).toEqual([]);
  });

  it('uses the Keras formulas for recurrent layers', () => {
    expect(ours('LSTM', [[1, 8]], { units: 50 }).params.trainable).toBe(4 * (50 * (8 + 50) + 50));
    expect(ours('GRU', [[1, 8]], { units: 50 }).params.trainable).toBe(3 * (50 * (8 + 50) + 50));
    expect(ours('GRU', [[1, 8]], { units: 50, reset_after: true }).params.trainable).toBe(3 * (50 * (8 + 50) + 2 * 50));
    expect(ours('SimpleRNN', [[1, 8]], { units: 50 }).params.trainable).toBe(50 * (8 + 50) + 50);
    expect(ours('Bidirectional', [[1, 8]], { units: 50 }).params.trainable).toBe(2 * 4 * (50 * (8 + 50) + 50));
  });

  it('uses the Keras formulas for separable and depthwise convolutions', () => {
    // depthwise 3·3·Cin, pointwise Cin·filters, bias filters
    expect(ours('SeparableConv2D', [[8, 8, 3]], { filters: 4 }).params.trainable).toBe(3 * 3 * 3 + 3 * 4 + 4);
    // 3·3·Cin·multiplier, bias Cin·multiplier
    expect(ours('DepthwiseConv2D', [[8, 8, 3]], { depth_multiplier: 2 }).params.trainable).toBe(3 * 3 * 3 * 2 + 3 * 2);
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
  ['Multiply', [[3], [4]], {}, 'Multiply needs inputs of the same shape; got (batch, 3) and (batch, 4)', undefined, true],
  ['Maximum', [[2, 3], [3, 2]], {}, 'Maximum needs inputs of the same shape; got (batch, 2, 3) and (batch, 3, 2)', undefined, true],
  ['Subtract', [[3], [3], [3]], {}, 'Subtract needs exactly 2 inputs; got 3', undefined, true],
  ['Subtract', [[3], [2]], {}, 'Subtract needs inputs of the same shape; got (batch, 3) and (batch, 2)', undefined, false],
  ['Permute', [[3, 4]], { dims: [1, 1] }, 'Permute dims (1, 1) are not an order of (1, 2): each axis must appear once', undefined, true],
  ['Permute', [[3, 4]], { dims: [1, 3] }, 'Permute dims (1, 3) are not an order of (1, 2): each axis must appear once', undefined, true],
  ['Permute', [[2, 3, 4]], { dims: [2, 1] }, 'Permute needs one dim per axis after the batch: 3 for (batch, 2, 3, 4); got (2, 1)', 'use an order of (1, 2, 3)', false],
  ['RepeatVector', [[2, 3]], {}, 'RepeatVector needs a 2-D input (batch, features); got (batch, 2, 3)', 'add a Flatten before it', true],
  ['Cropping2D', [[6, 6, 3]], { cropping: [2, 4, 0, 0] }, 'Cropping2D crops 2 + 4 rows from an input 6 high (batch, 6, 6, 3); at least 1 must remain', 'crop at most 5 rows in all', false],
  ['Cropping2D', [[6, 5, 3]], { cropping: [0, 0, 3, 3] }, 'Cropping2D crops 3 + 3 columns from an input 5 wide (batch, 6, 5, 3); at least 1 must remain', 'crop at most 4 columns in all', false],
  ['ZeroPadding2D', [[8]], {}, 'ZeroPadding2D needs a 4-D input (batch, height, width, channels); got (batch, 8)', undefined, true],
  ['UpSampling2D', [[28, 28]], {}, 'UpSampling2D needs a 4-D input (batch, height, width, channels); got (batch, 28, 28)', 'add a Reshape to (28, 28, 1) before it', true],
  ['SpatialDropout2D', [[5, 3]], {}, 'SpatialDropout2D needs a 4-D input (batch, height, width, channels); got (batch, 5, 3)', 'add a Reshape to (5, 3, 1) before it', true],
  ['SpatialDropout1D', [[5]], {}, 'SpatialDropout1D needs a 3-D input (batch, steps, channels); got (batch, 5)', 'add a Reshape to (1, 5) before it', true],
  [
    'Conv2D',
    [[9, 9, 2]],
    { strides: [2, 2], dilation_rate: [2, 2] },
    'Conv2D cannot combine strides (2, 2) with dilation_rate (2, 2); one of them must be all 1s',
    'set strides to 1 or dilation_rate to 1',
    false,
  ],
  [
    'SeparableConv2D',
    [[4, 4, 1]],
    { dilation_rate: [2, 2] },
    'SeparableConv2D kernel (3, 3) dilated by (2, 2) is larger than its input (batch, 4, 4, 1)',
    "use padding 'same' or a smaller kernel",
    false,
  ],
  ['DepthwiseConv2D', [[2, 2, 3]], {}, 'DepthwiseConv2D kernel (3, 3) is larger than its input (batch, 2, 2, 3)', "use padding 'same' or a smaller kernel", false],
  ['Conv2DTranspose', [[8, 8]], {}, 'Conv2DTranspose needs a 4-D input (batch, height, width, channels); got (batch, 8, 8)', 'add a Reshape to (8, 8, 1) before it', true],
  ['AveragePooling2D', [[1, 1, 3]], {}, 'AveragePooling2D pool (2, 2) is larger than its input (batch, 1, 1, 3)', "use padding 'same' or a smaller pool", false],
  ['GlobalMaxPooling2D', [[4, 4]], {}, 'GlobalMaxPooling2D needs a 4-D input (batch, height, width, channels); got (batch, 4, 4)', 'add a Reshape to (4, 4, 1) before it', true],
  ['LayerNormalization', [[6, 3]], { axis: 3 }, 'LayerNormalization axis 3 is out of range for (batch, 6, 3)', 'use -1 for the last axis', false],
  [
    'BatchNormalization',
    [[6, 5, 3]],
    { axis: 1 },
    "BatchNormalization over axis 1 of (batch, 6, 5, 3) is not the last axis; TF.js 4.22, Layerbench's engine, computes such a layer wrongly",
    'normalise the last axis (-1, the channels of an image); put a Permute before it to move another axis last',
    false,
  ],
  ['Bidirectional', [[8]], {}, 'Bidirectional needs a 3-D input (batch, steps, features); got (batch, 8)', 'add a Reshape to (1, 8) before it', true],
  ['TimeDistributed', [[8]], {}, 'TimeDistributed needs at least a 3-D input (batch, steps, ...); got (batch, 8)', 'add a Reshape to (1, 8) before it', true],
  [
    'TimeDistributed',
    [[5, 28, 28]],
    { layer: 'Conv2D' },
    'TimeDistributed applies Conv2D to each step of (batch, 5, 28, 28), and Conv2D needs a 4-D input (batch, height, width, channels); got (batch, 28, 28)',
    undefined,
    false,
  ],
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

/** TF.js's own verdict, bypassing our analysis: the engine's layer, applied to symbolic inputs. */
function theirsRaw(type: string, inputs: number[][], config: Record<string, JsonValue>) {
  const ins = inputs.map((s) => tf.input({ shape: s }));
  return createLayer(tf, type, withDefaults(type, config), 'layer').apply(ins.length === 1 ? ins[0]! : ins);
}

describe('withDefaults', () => {
  it('fills defaults and spreads a single int over a fixed-length list', () => {
    expect(withDefaults('Dense', { units: 4 })).toEqual({ units: 4, activation: 'linear', use_bias: true });
    expect(withDefaults('Conv2D', { kernel_size: 5 })['kernel_size']).toEqual([5, 5]);
    expect(withDefaults('Cropping2D', { cropping: 2 })['cropping']).toEqual([2, 2, 2, 2]);
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
    ['Permute', { dims: [0, 1] }, "Permute parameter 'dims' expects a list of integers ≥ 1; got [0,1]"],
    ['Cropping2D', { cropping: [1, 2] }, "Cropping2D parameter 'cropping' expects 4 integers ≥ 0; got [1,2]"],
    ['Bidirectional', { layer: 'Dense' }, "Bidirectional parameter 'layer' expects one of 'LSTM', 'GRU', 'SimpleRNN'; got \"Dense\""],
    ['Bidirectional', { merge_mode: null }, "Bidirectional parameter 'merge_mode' expects one of 'concat', 'sum', 'mul', 'ave'; got null"],
    ['TimeDistributed', { layer: 'LSTM' }, "TimeDistributed parameter 'layer' expects one of 'Dense', 'Conv2D', 'Flatten'; got \"LSTM\""],
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
