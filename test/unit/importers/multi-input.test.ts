/**
 * Two-input data (J3's shape: an image and a question) from one CSV: columns are grouped by the
 * input they feed, the groups are split apart, paired with the model's Input layers by name, and a
 * two-input model trains on them.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { profileCsv } from '../../../main/importers/csv/index.js';
import { prepareTabular, splitInputs } from '../../../main/importers/csv/prepare.js';
import { defaultDatasetConfig, defaultInputFor, featureLayout } from '../../../shared/dataset.js';
import { checkModelFitsData } from '../../../main/jobs/model-fit.js';
import { buildModel } from '../../../main/engine/build.js';
import { train } from '../../../main/engine/train.js';
import { predict } from '../../../main/engine/predict.js';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/training.js';
import { AppError } from '../../../shared/errors.js';
import type { ModelGraph } from '../../../shared/graph.js';

tf.setBackend('cpu');

/** 2×2×1 "images" and a 2-word question; the answer is 'yes' when the image is bright. */
async function fixture(rows = 40) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-multi-'));
  const file = path.join(dir, 'vqa.csv');
  // The question columns come first in the file, mixed with the image's, to prove grouping.
  const header = 'question/w0,image/p0,image/p1,question/w1,image/p2,image/p3,answer';
  const lines = Array.from({ length: rows }, (_, i) => {
    const v = i % 2 === 0 ? 0.9 : 0.1;
    return [i % 3, v, v, (i + 1) % 3, v, v, i % 2 === 0 ? 'yes' : 'no'].join(',');
  });
  writeFileSync(file, header + '\n' + lines.join('\n') + '\n');
  const profile = await profileCsv(file);
  // The default target is the last numeric column; here it is the answer.
  const base = defaultDatasetConfig(profile);
  const config = { ...base, columns: base.columns.map((c) => ({ ...c, role: c.name === 'answer' ? ('target' as const) : ('feature' as const) })) };
  return { file, profile, config };
}

function twoInputGraph(imageShape: number[]): ModelGraph {
  return {
    version: 1,
    nodes: [
      { id: 'q', type: 'Input', name: 'question', config: { shape: [2] } },
      { id: 'i', type: 'Input', name: 'image', config: { shape: imageShape } },
      { id: 'f', type: 'Flatten', name: 'flatten', config: {} },
      { id: 'c', type: 'Concatenate', name: 'concatenate', config: {} },
      { id: 'o', type: 'Dense', name: 'answer', config: { units: 2, activation: 'softmax' } },
    ],
    edges: [
      { id: 'e1', source: 'i', target: 'f' },
      { id: 'e2', source: 'f', target: 'c', targetPort: 0 },
      { id: 'e3', source: 'q', target: 'c', targetPort: 1 },
      { id: 'e4', source: 'c', target: 'o' },
    ],
  };
}

describe('inputs named by column prefix', () => {
  it('reads the input from the part before a slash', () => {
    expect(defaultInputFor('image/p0')).toBe('image');
    expect(defaultInputFor('temp')).toBe('input');
    expect(defaultInputFor('/odd')).toBe('input');
    expect(defaultInputFor('2x/odd')).toBe('input');
  });

  it('groups features by input in the layout, in order of first appearance', async () => {
    const { profile, config } = await fixture();
    const layout = featureLayout(profile, config);
    expect(layout.inputs).toEqual([
      { name: 'question', shape: [2], featureNames: ['question/w0', 'question/w1'], maxValue: 2 },
      { name: 'image', shape: [4], featureNames: ['image/p0', 'image/p1', 'image/p2', 'image/p3'], maxValue: 0.9 },
    ]);
    expect(layout.task).toBe('classification');
  });
});

describe('two-input preparation and training', () => {
  it('splits every sample into one array per input, each in its columns order', async () => {
    const { file, profile, config: base } = await fixture(10);
    const config = { ...base, scaling: 'none' as const, split: { kind: 'chronological' as const, trainRows: 8, validationFraction: 0 } };
    const data = await prepareTabular(file, profile, config);
    expect(data.inputs).toEqual([
      { name: 'question', shape: [2] },
      { name: 'image', shape: [4] },
    ]);
    // Row 1: w0 = 1, w1 = 2; pixels 0.1.
    expect(Array.from(data.train.xs[0]!.subarray(2, 4))).toEqual([1, 2]);
    expect(Array.from(data.train.xs[1]!.subarray(4, 8)).map((v) => +v.toFixed(3))).toEqual([0.1, 0.1, 0.1, 0.1]);
    // The same split applies to one sample encoded for prediction.
    const sample = new Float32Array([1, 2, 0.1, 0.1, 0.1, 0.1]);
    expect(splitInputs(data.pre, sample).map((a) => Array.from(a).map((v) => +v.toFixed(3)))).toEqual([[1, 2], [0.1, 0.1, 0.1, 0.1]]);
  });

  it('pairs Input layers by name, reads a flat group as an image, and trains both branches', async () => {
    const { file, profile, config: base } = await fixture(60);
    const config = { ...base, scaling: 'none' as const };
    const data = await prepareTabular(file, profile, config);
    const graph = twoInputGraph([2, 2, 1]);
    const feeds = checkModelFitsData(graph, data.inputs, data.outputUnits);
    expect(feeds).toEqual([
      { name: 'question', shape: [2], dataIndex: 0 },
      { name: 'image', shape: [2, 2, 1], dataIndex: 1 },
    ]);
    const model = buildModel(tf, graph);
    const pick = (xs: Float32Array[]) => feeds.map((f) => xs[f.dataIndex]!);
    const result = await train(
      tf,
      model,
      { train: { ...data.train, xs: pick(data.train.xs) }, inputShapes: feeds.map((f) => f.shape), outputUnits: data.outputUnits },
      { ...DEFAULT_TRAIN_SETTINGS, epochs: 30, batchSize: 8, learningRate: 0.05, loss: 'categoricalCrossentropy', metrics: ['accuracy'] },
      { shouldStop: () => false },
    );
    expect(result.epochsDone).toBe(30);
    const out = predict(tf, model, pick(data.test.xs), data.test.count, feeds.map((f) => f.shape));
    let right = 0;
    for (let i = 0; i < data.test.count; i++) {
      const predicted = out[i * 2]! > out[i * 2 + 1]! ? 0 : 1;
      if (data.test.y[i * 2 + predicted] === 1) right++;
    }
    expect(right / data.test.count).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('names the input that has no columns, and the shapes that do not fit', async () => {
    const { file, profile, config } = await fixture(10);
    const data = await prepareTabular(file, profile, config);
    const renamed = twoInputGraph([2, 2, 1]);
    renamed.nodes[1]!.name = 'picture';
    const e1 = (() => {
      try {
        checkModelFitsData(renamed, data.inputs, 2);
      } catch (e) {
        return e;
      }
    })();
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).message).toBe(
      "The model's input 'picture' has no columns in the dataset, which feeds 'question' (batch, 2), 'image' (batch, 4). Rename the Input layer or assign columns to 'picture'.",
    );
    expect(() => checkModelFitsData(twoInputGraph([3, 1, 1]), data.inputs, 2)).toThrow(
      "The model's input 'image' takes (batch, 3, 1, 1) but the dataset gives (batch, 4). Set the Input shape to [4] or start from a template.",
    );
  });
});
