/** The model-vs-dataset rules the graph editor shows on layers and the core enforces before training. */
import { describe, expect, it } from 'vitest';
import { modelDataFit } from '../../shared/model-fit.js';
import { stackToGraph, type ModelGraph } from '../../shared/graph.js';
import { j1, twoBranches } from './graph-edit/graphs.js';

const rows8 = { inputs: [{ name: 'features', shape: [8] }], outputUnits: 1, task: 'regression' as const };

describe('modelDataFit', () => {
  it('accepts J1 on plain rows of 8 features, the (1, 8) input reading them as one step', () => {
    const r = modelDataFit(j1(), rows8, 'meanAbsoluteError');
    expect(r.problems).toEqual([]);
    expect(r.feeds).toEqual([{ name: 'input', shape: [1, 8], dataIndex: 0 }]);
  });

  it('flags the Input whose shape does not hold the columns, with the shape to set', () => {
    const r = modelDataFit(j1(), { ...rows8, inputs: [{ name: 'f', shape: [7] }] });
    expect(r.feeds).toEqual([]);
    expect(r.problems).toEqual([
      { nodeId: 'n1', message: "The model's input 'input' takes (batch, 1, 8) but the dataset gives (batch, 7)", hint: 'Set the Input shape to [7] or start from a template.' },
    ]);
  });

  it('pairs two inputs by name and names the one with no columns', () => {
    const data = { inputs: [{ name: 'input', shape: [8] }, { name: 'input_2', shape: [2, 2] }], outputUnits: 1 };
    expect(modelDataFit(twoBranches(), data).problems[0]?.message).toBe("The model's input 'input_2' takes (batch, 4) but the dataset gives (batch, 2, 2)");
    const ok = modelDataFit(twoBranches(), { ...data, inputs: [data.inputs[1]!, { name: 'input_2', shape: [4] }].reverse() });
    expect(ok.problems[0]).toMatchObject({ nodeId: 'in_a', message: expect.stringContaining("input 'input' has no columns") });
    const count = modelDataFit(twoBranches(), rows8);
    expect(count.problems).toEqual([expect.objectContaining({ nodeId: null, message: "The model has 2 inputs but the dataset feeds 1: 'features' (batch, 8)" })]);
  });

  it('suggests Flatten when the output still has spatial axes, and the units when they differ', () => {
    const conv: ModelGraph = stackToGraph([
      { type: 'Input', config: { shape: [8, 8, 1] } },
      { type: 'Conv2D', config: { filters: 4, kernel_size: [3, 3] } },
      { type: 'Dense', config: { units: 3, activation: 'softmax' } },
    ]);
    const data = { inputs: [{ name: 'px', shape: [64] }], outputUnits: 3, task: 'classification' as const };
    expect(modelDataFit(conv, data).problems).toEqual([
      { nodeId: 'n3', message: "The model's output is (batch, 6, 6, 3) but the target needs (batch, 3)", hint: 'Add Flatten or GlobalAveragePooling before the output Dense layer.' },
    ]);
    expect(modelDataFit(j1(), { ...rows8, outputUnits: 4 }).problems[0]?.hint).toBe("Set the output layer's units to 4.");
  });

  it('says when the loss does not fit the output activation', () => {
    const g = stackToGraph([
      { type: 'Input', config: { shape: [4] } },
      // No activation given: Dense's default, linear.
      { type: 'Dense', config: { units: 3 } },
    ]);
    g.nodes[1]!.name = 'head';
    const data = { inputs: [{ name: 'x', shape: [4] }], outputUnits: 3, task: 'classification' as const };
    expect(modelDataFit(g, data, 'categoricalCrossentropy').problems).toEqual([
      { nodeId: 'n2', message: "Categorical cross-entropy needs class probabilities, but 'head' ends with 'linear'", hint: "Set 'head' activation to softmax." },
    ]);
    g.nodes[1]!.config['activation'] = 'softmax';
    expect(modelDataFit(g, data, 'categoricalCrossentropy').problems).toEqual([]);
    expect(modelDataFit(g, { ...data, task: 'regression' }, 'meanSquaredError').problems[0]?.hint).toBe("Set 'head' activation to linear.");
  });

  it('refuses a dilated convolution, which TF.js cannot train', () => {
    const g = stackToGraph([
      { type: 'Input', config: { shape: [9, 9, 1] } },
      { type: 'Conv2D', config: { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] } },
      { type: 'Flatten', config: {} },
      { type: 'Dense', config: { units: 1 } },
    ]);
    const data = { inputs: [{ name: 'px', shape: [81] }], outputUnits: 1 };
    expect(modelDataFit(g, data).problems).toEqual([
      {
        nodeId: 'n2',
        message: "Conv2D 'conv2d' has dilation_rate [2,2], which TF.js cannot train (its convolution gradients support no dilation)",
        hint: 'Set dilation_rate to 1, or widen kernel_size to see as far.',
      },
    ]);
    g.nodes[1]!.config['dilation_rate'] = [1, 1];
    expect(modelDataFit(g, data).problems).toEqual([]);
  });

  it('asks for a larger Embedding input_dim when the ids reach it', () => {
    const g = stackToGraph([
      { type: 'Input', config: { shape: [5] } },
      { type: 'Embedding', config: { input_dim: 10, output_dim: 4 } },
      { type: 'Flatten', config: {} },
      { type: 'Dense', config: { units: 1 } },
    ]);
    const data = (maxValue: number) => ({ inputs: [{ name: 'q', shape: [5], maxValue }], outputUnits: 1 });
    expect(modelDataFit(g, data(9)).problems).toEqual([]);
    expect(modelDataFit(g, data(12)).problems).toEqual([
      { nodeId: 'n2', message: "Embedding 'embedding' has input_dim 10, but its input holds ids up to 12", hint: 'Set input_dim to at least 13.' },
    ]);
  });
});
