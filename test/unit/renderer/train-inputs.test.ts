import { describe, expect, it } from 'vitest';
import { trainInputsLine } from '../../../renderer/src/lib/train-inputs.js';
import type { FeatureLayout } from '../../../shared/dataset.js';
import type { ModelGraph } from '../../../shared/graph.js';

const images: FeatureLayout = {
  inputShape: [64, 64, 3],
  inputs: [{ name: 'image', shape: [64, 64, 3], featureNames: [], maxValue: null, image: true }],
  featureNames: [],
  target: 'class',
  task: 'classification',
  classes: ['a', 'b'],
  outputUnits: 2,
};
const graph = (shape: number[]): ModelGraph => ({ version: 1, nodes: [{ id: 'i', type: 'Input', name: 'input', config: { shape } }], edges: [] });

describe('trainInputsLine', () => {
  it("shows the model's Input for images, not the dataset's default size", () => {
    expect(trainInputsLine(images, graph([96, 96, 1]))).toBe('input (batch, 96, 96, 1), images resized to it · classification, 2 classes');
    expect(trainInputsLine(images, null)).toBe('input (batch, 64, 64, 3), images resized to it · classification, 2 classes');
  });

  it("keeps a table's own shape, whatever the model says", () => {
    const table: FeatureLayout = { ...images, inputShape: [8], inputs: [{ name: 'input', shape: [8], featureNames: [], maxValue: 1 }], task: 'regression' };
    delete table.classes;
    expect(trainInputsLine(table, graph([5]))).toBe('input (batch, 8) · regression');
  });
});
