import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../../../shared/graph.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { modelDataFit } from '../../../shared/model-fit.js';
import { buildTemplate } from '../../../shared/templates.js';
import type { FeatureLayout } from '../../../shared/dataset.js';
import { buildModel } from '../../../main/engine/build.js';
import { chain } from './graphs.js';

tf.setBackend('cpu');

function tfParams(graph: ModelGraph): number {
  const model = buildModel(tf, graph);
  const n = model.countParams();
  model.dispose();
  return n;
}

const layout = (inputShape: number[], task: 'regression' | 'classification', outputUnits: number): FeatureLayout => ({
  inputShape,
  inputs: [{ name: 'input', shape: inputShape, featureNames: [], maxValue: null }],
  featureNames: [],
  target: 'y',
  task,
  outputUnits,
  ...(task === 'classification' ? { classes: Array.from({ length: outputUnits }, (_, i) => `c${i}`) } : {}),
});

describe('templates', () => {
  it('J1: Input (1, 8) → LSTM(50) → Dense(1), as many parameters as TF.js counts', () => {
    const g = buildTemplate('j1-lstm');
    const a = analyzeGraph(g);
    expect(a.problems).toEqual([]);
    expect(a.valid).toBe(true);
    expect(g.nodes.map((n) => n.type)).toEqual(['Input', 'LSTM', 'Dense']);
    expect(a.order.map((id) => a.nodes[id]!.outputShape)).toEqual([
      [null, 1, 8],
      [null, 50],
      [null, 1],
    ]);
    // LSTM 4 * (50 * (8 + 50) + 50) = 11,800; Dense 50 + 1 = 51.
    expect(a.totalParams).toBe(11_851);
    // LSTM 2 · 4 · (8 + 50 + 1) · 50 · 1 step = 23,600; Dense 2 · 50 · 1 = 100.
    expect(a.order.map((id) => a.nodes[id]!.flops)).toEqual([0, 23_600, 100]);
    expect(a.flopsPerSample).toBe(23_700);
    // Outputs of Input (8), LSTM (50) and Dense (1).
    expect(a.order.map((id) => a.nodes[id]!.activations)).toEqual([8, 50, 1]);
    expect(a.activationsPerSample).toBe(59);
    expect(a.totalParams).toBe(tfParams(g));
    expect(a.inputs).toEqual([g.nodes[0]!.id]);
    expect(a.outputs).toEqual([g.nodes[2]!.id]);
  });

  it('J1 sized to a dataset: plain rows become one step; classes get softmax', () => {
    const g = buildTemplate('j1-lstm', layout([11], 'classification', 3));
    expect(g.nodes[0]!.config).toEqual({ shape: [1, 11] });
    expect(g.nodes[2]!.config).toEqual({ units: 3, activation: 'softmax' });
    const a = analyzeGraph(g);
    expect(a.valid).toBe(true);
    expect(a.totalParams).toBe(tfParams(g));
    const windows = buildTemplate('j1-lstm', layout([24, 8], 'regression', 1));
    expect(windows.nodes[0]!.config).toEqual({ shape: [24, 8] });
    expect(analyzeGraph(windows).valid).toBe(true);
  });

  it('Grid detector: stride 16 to a (rows, cols, 5 + C) sigmoid grid, as many parameters as TF.js counts', () => {
    const g = buildTemplate('detector-grid', { ...layout([64, 64, 3], 'classification', 7), task: 'detection' });
    const a = analyzeGraph(g);
    expect(a.valid).toBe(true);
    expect(a.nodes[a.outputs[0]!]!.outputShape).toEqual([null, 4, 4, 7]);
    expect(a.totalParams).toBe(tfParams(g));
    // Without a dataset: 128×128 RGB, one class.
    expect(analyzeGraph(buildTemplate('detector-grid')).nodes[a.outputs[0]!]!.outputShape).toEqual([null, 8, 8, 6]);
  });

  it('MLP: flattens windows, ends in the target size', () => {
    const flat = buildTemplate('mlp', layout([8], 'regression', 1));
    expect(flat.nodes.map((n) => n.type)).toEqual(['Input', 'Dense', 'Dropout', 'Dense', 'Dense']);
    const windows = buildTemplate('mlp', layout([24, 8], 'classification', 4));
    expect(windows.nodes.map((n) => n.type)).toEqual(['Input', 'Flatten', 'Dense', 'Dropout', 'Dense', 'Dense']);
    for (const g of [flat, windows, buildTemplate('mlp')]) {
      const a = analyzeGraph(g);
      expect(a.valid).toBe(true);
      expect(a.totalParams).toBe(tfParams(g));
    }
    const a = analyzeGraph(windows);
    expect(a.nodes[a.outputs[0]!]!.outputShape).toEqual([null, 4]);
  });

  it('MLP on a dataset of two inputs: one Input each, named and sized by it, concatenated', () => {
    const two: FeatureLayout = {
      ...layout([4], 'classification', 2),
      inputs: [
        { name: 'image', shape: [2, 6], featureNames: [], maxValue: 1 },
        { name: 'question', shape: [3], featureNames: [], maxValue: 9 },
      ],
    };
    const g = buildTemplate('mlp', two);
    expect(g.nodes.map((n) => `${n.type}:${n.name}`)).toEqual([
      'Input:image',
      'Flatten:flatten',
      'Input:question',
      'Concatenate:concatenate',
      'Dense:dense',
      'Dropout:dropout',
      'Dense:dense_2',
      'Dense:dense_3',
    ]);
    const a = analyzeGraph(g);
    expect(a.valid).toBe(true);
    expect(a.nodes[g.nodes[3]!.id]!.outputShape).toEqual([null, 15]);
    expect(modelDataFit(g, two, 'categoricalCrossentropy').problems).toEqual([]);
  });
});

describe('analyzeGraph problems', () => {
  it('an LSTM right after Input[8]: the error is on the LSTM and stops there', () => {
    const g = chain([8], ['LSTM', { units: 50 }], ['Dense', { units: 1 }]);
    const a = analyzeGraph(g);
    expect(a.valid).toBe(false);
    expect(a.problems).toEqual([
      { nodeId: 'n1', message: "LSTM 'lstm_1' needs a 3-D input (batch, steps, features); got (batch, 8)", hint: 'add a Reshape to (1, 8) before it' },
    ]);
    // Nothing is known below an error: no shape, no cost; the totals count only what is known.
    expect(a.nodes['n2']).toEqual({ id: 'n2', params: { trainable: 0, nonTrainable: 0 } });
    expect(a.nodes['n0']!.outputShape).toEqual([null, 8]);
    expect(a.flopsPerSample).toBe(0);
    expect(a.activationsPerSample).toBe(8);
  });

  it('a cycle is named along its path', () => {
    const g: ModelGraph = {
      version: 1,
      nodes: [
        { id: 'i', type: 'Input', name: 'input', config: { shape: [4] } },
        { id: 'a', type: 'Dense', name: 'dense_1', config: {} },
        { id: 'b', type: 'Dense', name: 'dense_2', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'i', target: 'a' },
        { id: 'e2', source: 'a', target: 'b' },
        { id: 'e3', source: 'b', target: 'a' },
      ],
    };
    const a = analyzeGraph(g);
    expect(a.valid).toBe(false);
    expect(a.problems.map((p) => p.message)).toEqual(['The graph has a cycle through dense_1 → dense_2 → dense_1']);
    expect(a.order).toEqual(['i']);
  });

  it('no Input layer', () => {
    const g: ModelGraph = { version: 1, nodes: [{ id: 'd', type: 'Dense', name: 'dense', config: { units: 2 } }], edges: [] };
    expect(analyzeGraph(g).problems.map((p) => p.message)).toEqual([
      'The model has no Input layer; add one and connect it to the first layer',
      "Dense 'dense' needs 1 input; got 0",
    ]);
    expect(analyzeGraph({ version: 1, nodes: [], edges: [] }).problems.map((p) => p.message)).toEqual(['The model is empty; add an Input layer']);
  });

  it('wrong number of inputs, unknown types, bad params, unconnected inputs, dangling edges', () => {
    const g: ModelGraph = {
      version: 1,
      nodes: [
        { id: 'i', type: 'Input', name: 'input', config: { shape: [4] } },
        { id: 'j', type: 'Input', name: 'input_2', config: { shape: [4] } },
        { id: 'c', type: 'Concatenate', name: 'concatenate', config: {} },
        { id: 'x', type: 'Banana', name: 'banana', config: {} },
        { id: 'd', type: 'Dense', name: 'dense', config: { units: 0 } },
      ],
      edges: [
        { id: 'e1', source: 'i', target: 'c' },
        { id: 'e2', source: 'i', target: 'x' },
        { id: 'e3', source: 'i', target: 'd' },
        { id: 'e4', source: 'i', target: 'ghost' },
      ],
    };
    const a = analyzeGraph(g);
    expect(a.problems.map((p) => p.message)).toEqual([
      'Connection e4 refers to a layer that does not exist (ghost)',
      "Input 'input_2' is not connected to any layer",
      "Concatenate 'concatenate' needs at least 2 inputs; got 1",
      "banana: Unknown layer type 'Banana'",
      "Dense 'dense' parameter 'units' expects an integer ≥ 1; got 0",
    ]);
    expect(a.nodes['c']!.error).toBe('Concatenate needs at least 2 inputs; got 1');
    expect(a.valid).toBe(false);
  });

  it('merges: a Subtract with three inputs, a Multiply of different shapes', () => {
    const g: ModelGraph = {
      version: 1,
      nodes: [
        { id: 'a', type: 'Input', name: 'a', config: { shape: [4] } },
        { id: 'b', type: 'Input', name: 'b', config: { shape: [4] } },
        { id: 'c', type: 'Input', name: 'c', config: { shape: [3] } },
        { id: 'sub', type: 'Subtract', name: 'sub', config: {} },
        { id: 'mul', type: 'Multiply', name: 'mul', config: {} },
      ],
      edges: [
        { id: 'e1', source: 'a', target: 'sub', targetPort: 0 },
        { id: 'e2', source: 'b', target: 'sub', targetPort: 1 },
        { id: 'e3', source: 'c', target: 'sub', targetPort: 2 },
        { id: 'e4', source: 'a', target: 'mul', targetPort: 0 },
        { id: 'e5', source: 'c', target: 'mul', targetPort: 1 },
      ],
    };
    expect(analyzeGraph(g).problems).toEqual([
      { nodeId: 'sub', message: "Subtract 'sub' needs 2 inputs; got 3" },
      { nodeId: 'mul', message: "Multiply 'mul' needs inputs of the same shape; got (batch, 4) and (batch, 3)" },
    ]);
  });

  it('a wrapped layer that does not fit one step is reported on the wrapper', () => {
    const a = analyzeGraph(chain([5, 28, 28], ['TimeDistributed', { layer: 'Conv2D' }]));
    expect(a.problems).toEqual([
      {
        nodeId: 'n1',
        message:
          "TimeDistributed 'timedistributed_1' applies Conv2D to each step of (batch, 5, 28, 28), and Conv2D needs a 4-D input (batch, height, width, channels); got (batch, 28, 28)",
      },
    ]);
  });

  it('two inputs joined: shapes, totals and the order of inputs and outputs match TF.js', () => {
    const g: ModelGraph = {
      version: 1,
      nodes: [
        { id: 'img', type: 'Input', name: 'image', config: { shape: [8, 8, 3] } },
        { id: 'q', type: 'Input', name: 'question', config: { shape: [5] } },
        { id: 'conv', type: 'Conv2D', name: 'conv', config: { filters: 4, kernel_size: [3, 3] } },
        { id: 'bn', type: 'BatchNormalization', name: 'bn', config: {} },
        { id: 'gap', type: 'GlobalAveragePooling2D', name: 'gap', config: {} },
        { id: 'emb', type: 'Embedding', name: 'emb', config: { input_dim: 20, output_dim: 6 } },
        { id: 'lstm', type: 'LSTM', name: 'lstm', config: { units: 7 } },
        { id: 'cat', type: 'Concatenate', name: 'cat', config: {} },
        { id: 'out', type: 'Dense', name: 'out', config: { units: 3, activation: 'softmax' } },
      ],
      edges: [
        { id: 'e1', source: 'img', target: 'conv' },
        { id: 'e2', source: 'conv', target: 'bn' },
        { id: 'e3', source: 'bn', target: 'gap' },
        { id: 'e4', source: 'q', target: 'emb' },
        { id: 'e5', source: 'emb', target: 'lstm' },
        { id: 'e6', source: 'lstm', target: 'cat', targetPort: 1 },
        { id: 'e7', source: 'gap', target: 'cat', targetPort: 0 },
        { id: 'e8', source: 'cat', target: 'out' },
      ],
    };
    const a = analyzeGraph(g);
    expect(a.problems).toEqual([]);
    expect(a.inputs).toEqual(['img', 'q']);
    expect(a.outputs).toEqual(['out']);
    expect(a.nodes['cat']!.outputShape).toEqual([null, 11]);
    const model = buildModel(tf, g);
    expect(a.totalParams).toBe(model.countParams());
    expect(a.totalParams - a.trainableParams).toBe(8); // moving mean and variance of 4 channels
    // Port order decides the concatenation order: the image branch first.
    const cat = model.getLayer('cat');
    expect(cat.inboundNodes[0]!.inboundLayers.map((l) => l.name)).toEqual(['gap', 'lstm']);
    model.dispose();
  });
});
