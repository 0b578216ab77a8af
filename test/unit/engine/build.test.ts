import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { buildModel, toTfArgs } from '../../../main/engine/build.js';
import { registerCustomLayers } from '../../../main/engine/custom-layers.js';
import { buildTemplate } from '../../../shared/templates.js';
import { AppError } from '../../../shared/errors.js';
import { chain, oneLayer } from '../catalog/graphs.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { CATALOG } from '../../../shared/catalog/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';

tf.setBackend('cpu');

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError');
}

describe('buildModel', () => {
  it('builds J1 with layer names from the graph, and it predicts', () => {
    const model = buildModel(tf, buildTemplate('j1-lstm'));
    expect(model.layers.map((l) => l.name)).toEqual(['input', 'lstm', 'dense']);
    expect(model.inputs[0]!.shape).toEqual([null, 1, 8]);
    const x = tf.ones([3, 1, 8]);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([3, 1]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('refuses an invalid graph with its first problem', () => {
    const e = thrown(() => buildModel(tf, chain([8], ['LSTM', { units: 50 }])));
    expect(e.code).toBe('GRAPH_INVALID');
    expect(e.message).toBe("LSTM 'lstm_1' needs a 3-D input (batch, steps, features); got (batch, 8)");
    expect(e.details?.['problems']).toHaveLength(1);
  });

  it('refuses a GRU with reset_after, which TF.js cannot build', () => {
    const e = thrown(() => buildModel(tf, chain([2, 3], ['GRU', { units: 4, reset_after: true }])));
    expect(e.message).toBe("GRU 'gru_1' has reset_after = true, which TF.js cannot build; set reset_after to false");
  });

  it('refuses a Bidirectional GRU with reset_after, naming the wrapper', () => {
    const e = thrown(() => buildModel(tf, chain([2, 3], ['Bidirectional', { layer: 'GRU', units: 4, reset_after: true }])));
    expect(e.message).toBe("The GRU in 'bidirectional_1' has reset_after = true, which TF.js cannot build; set reset_after to false");
  });

  it('uses Keras defaults TF.js does not share: sigmoid gates, glorot_uniform kernels', () => {
    const model = buildModel(tf, chain([1, 8], ['LSTM', { units: 4 }]));
    const config = model.getLayer('lstm_1').getConfig();
    expect(config['recurrentActivation']).toBe('sigmoid');
    expect((config['kernelInitializer'] as { className: string; config: Record<string, unknown> }).config).toMatchObject({ distribution: 'uniform', mode: 'fanAvg' });
    model.dispose();
  });

  it('initializes depthwise and transposed kernels with glorot_uniform, as Keras does', () => {
    const model = buildModel(tf, chain([8, 8, 3], ['DepthwiseConv2D', {}], ['Conv2DTranspose', { filters: 2 }]));
    const init = (layer: string, key: string) => (model.getLayer(layer).getConfig()[key] as { config: Record<string, unknown> }).config;
    expect(init('depthwiseconv2d_1', 'depthwiseInitializer')).toMatchObject({ distribution: 'uniform', mode: 'fanAvg' });
    expect(init('conv2dtranspose_2', 'kernelInitializer')).toMatchObject({ distribution: 'uniform', mode: 'fanAvg' });
    model.dispose();
  });

  it('turns Keras config into TF.js args', () => {
    expect(toTfArgs({ units: 3, use_bias: false, recurrent_activation: 'hard_sigmoid', strides: null })).toEqual({ units: 3, useBias: false, recurrentActivation: 'hardSigmoid' });
    // Four-number lists Keras writes as pairs are nested for TF.js too.
    expect(toTfArgs({ cropping: [1, 2, 0, 3] }, 'Cropping2D')).toEqual({ cropping: [[1, 2], [0, 3]] });
  });
});

describe('layers TF.js lacks', () => {
  it('SpatialDropout2D drops whole channels while training and passes through otherwise', () => {
    const { SpatialDropout2D } = registerCustomLayers(tf);
    const layer = new SpatialDropout2D({ rate: 0.5, seed: 7 });
    const x = tf.ones([2, 3, 3, 16]);
    const trained = layer.apply(x, { training: true }) as tf.Tensor;
    const values = trained.arraySync() as number[][][][];
    // Each (sample, channel) is 0 at every position or 1 / (1 - rate) = 2 at every position.
    for (const sample of values)
      for (let c = 0; c < 16; c++) {
        const seen = new Set(sample.flatMap((row) => row.map((px) => px[c])));
        expect([...seen].length).toBe(1);
        expect([0, 2]).toContain([...seen][0]);
      }
    const dropped = values.flatMap((sample) => Array.from({ length: 16 }, (_, c) => sample[0]![0]![c] === 0)).filter(Boolean).length;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(32);
    const inferred = layer.apply(x) as tf.Tensor;
    expect(inferred.arraySync()).toEqual(x.arraySync());
    tf.dispose([x, trained, inferred]);
  });

  it('Subtract gives the first input minus the second, and survives a save as Keras JSON', async () => {
    const model = buildModel(tf, oneLayer([[3], [3]], 'Subtract'));
    const loaded = await tf.models.modelFromJSON(model.toJSON(null, false) as never);
    expect(loaded.getLayer('layer').getClassName()).toBe('Subtract');
    const [x, y] = [tf.tensor2d([[5, 7, 9]]), tf.tensor2d([[1, 2, 3]])];
    for (const m of [model, loaded]) {
      const out = m.predict([x, y]) as tf.Tensor;
      expect(out.arraySync()).toEqual([[4, 5, 6]]);
      out.dispose();
    }
    tf.dispose([x, y]);
    model.dispose();
    loaded.dispose();
  });
});

/** Input → Dense → the layer at its defaults → Dense(1), with one Input and Dense per input the layer takes. */
function sandwich(type: string): ModelGraph | undefined {
  const spec = CATALOG.find((s) => s.type === type)!;
  const n = Math.max(1, spec.inputs.min);
  const inputs = [[8], [6, 4], [8, 8, 3], [4, 8, 8, 3]].map((s) => Array<number[]>(n).fill(s)).find((i) => analyzeGraph(oneLayer(i, type)).valid);
  if (!inputs) return undefined;
  const g: ModelGraph = { version: 1, nodes: [], edges: [] };
  inputs.forEach((shape, i) => {
    g.nodes.push({ id: `in${i}`, type: 'Input', name: `input_${i}`, config: { shape } }, { id: `d${i}`, type: 'Dense', name: `before_${i}`, config: { units: shape.at(-1)! } });
    g.edges.push({ id: `a${i}`, source: `in${i}`, target: `d${i}` }, { id: `b${i}`, source: `d${i}`, target: 'l', ...(n > 1 ? { targetPort: i } : {}) });
  });
  g.nodes.push({ id: 'l', type, name: 'layer', config: {} }, { id: 'o', type: 'Dense', name: 'after', config: { units: 1 } });
  g.edges.push({ id: 'z', source: 'l', target: 'o' });
  return g;
}

describe('every catalog layer trains', () => {
  // Embedding needs integer ids, which a Dense before it cannot give; it trains in its own tests.
  it.each(CATALOG.filter((s) => s.type !== 'Input' && s.type !== 'Embedding').map((s) => s.type))('%s passes gradients to the layer before it', async (type) => {
    const g = sandwich(type);
    expect(g, `no input suits ${type} at its defaults`).toBeDefined();
    const analysis = analyzeGraph(g!);
    expect(analysis.problems).toEqual([]);
    const model = buildModel(tf, g!);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = analysis.inputs.map((id) => tf.randomUniform([4, ...(analysis.nodes[id]!.outputShape!.slice(1) as number[])]));
    const y = tf.randomUniform([4, ...(analysis.nodes['o']!.outputShape!.slice(1) as number[])]);
    const before = model.getLayer('before_0').getWeights()[0]!.dataSync().slice();
    const history = await model.fit(xs.length === 1 ? xs[0]! : xs, y, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(history.history['loss']![0])).toBe(true);
    expect(model.getLayer('before_0').getWeights()[0]!.dataSync()).not.toEqual(before);
    tf.dispose([...xs, y]);
    model.dispose();
  });
});

describe('toTfArgs', () => {
  it('hands TF.js copies of arrays, so building a model leaves the graph as it was', () => {
    const config = { target_shape: [2, -1] };
    const args = toTfArgs(config, 'Reshape');
    (args.targetShape as (number | null)[])[1] = null;
    expect(config.target_shape).toEqual([2, -1]);
  });
});
