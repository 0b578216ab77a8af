/** Balanced class weights: the rare class's samples weigh more in the training loss. */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { train, type TrainData } from '../../../main/engine/train.js';
import { balancedClassWeights, classIndices, sampleWeights } from '../../../main/engine/class-weights.js';
import { withSeed } from '../../../main/engine/seed.js';
import { AppError } from '../../../shared/errors.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS, type MetricPoint, type TrainSettings } from '../../../shared/training.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
});

/** One feature; 900 samples of class 0 around 0 and 100 of class 1 around 1.5 (they overlap). */
function imbalanced(): TrainData {
  const random = mulberry32(1);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const count = 1000;
  const x = new Float32Array(count);
  const y = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const c = i % 10 === 0 ? 1 : 0;
    x[i] = gauss() + 1.5 * c;
    y[i * 2 + c] = 1;
  }
  return { train: { xs: [x], y, count }, inputShapes: [[1]], outputUnits: 2 };
}

const classifier = (): TF.Sequential => withSeed(2, () => tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1], activation: 'softmax' })] }));

const settings = (s: Partial<TrainSettings>): TrainSettings => ({
  ...DEFAULT_TRAIN_SETTINGS,
  backend: 'cpu',
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  optimizer: 'adam',
  learningRate: 0.05,
  batchSize: 100,
  epochs: 20,
  ...s,
});

/** The share of each class's samples the model predicts as that class. */
function recall(model: TF.LayersModel, data: TrainData): number[] {
  const classes = classIndices(data.train.y, data.train.count, 2);
  const predicted = tf.tidy(() => (model.predict(tf.tensor2d(data.train.xs[0]!, [data.train.count, 1])) as TF.Tensor).argMax(1).dataSync());
  return [0, 1].map((c) => {
    const of = classes.filter((k) => k === c).length;
    return classes.filter((k, i) => k === c && predicted[i] === c).length / of;
  });
}

describe('class weights', () => {
  it("'balanced' makes the model find the rare class it otherwise mostly misses", async () => {
    const data = imbalanced();
    const plain = classifier();
    const weighted = classifier();
    await train(tf, plain, data, settings({}), { shouldStop: () => false });
    await train(tf, weighted, data, settings({ classWeight: 'balanced' }), { shouldStop: () => false });
    const [plain0, plain1] = recall(plain, data);
    const [weighted0, weighted1] = recall(weighted, data);
    // Without weights the 9:1 prior pushes the boundary far into class 1; with them it sits
    // halfway (the expected recalls are about 0.24 and 0.77).
    expect(plain1).toBeLessThan(0.4);
    expect(plain0).toBeGreaterThan(0.95);
    expect(weighted1).toBeGreaterThan(0.65);
    expect(weighted0).toBeGreaterThan(0.65);
  });

  it('the reported training loss is the class-weighted mean of the per-sample losses', async () => {
    const data = imbalanced();
    const model = classifier();
    // Before any step: the loss of the first (and only) batch is computed with these weights.
    const p = tf.tidy(() => (model.predict(tf.tensor2d(data.train.xs[0]!, [1000, 1])) as TF.Tensor).dataSync());
    const classes = classIndices(data.train.y, 1000, 2);
    const w = balancedClassWeights(classes, 2);
    let weightedSum = 0;
    let plainSum = 0;
    classes.forEach((c, i) => {
      const ce = -Math.log(p[i * 2 + c]!);
      weightedSum += w[c]! * ce;
      plainSum += ce;
    });
    const batches: MetricPoint[] = [];
    const one = settings({ batchSize: 1000, epochs: 1, learningRate: 1e-6, classWeight: 'balanced' });
    await train(tf, model, data, one, { onBatch: (b) => batches.push(b), shouldStop: () => false });
    expect(batches[0]!.logs['loss']).toBeCloseTo(weightedSum / 1000, 5);
    expect(Math.abs(weightedSum - plainSum) / 1000).toBeGreaterThan(0.05);
  });

  it('refuses a regression loss', async () => {
    const data = imbalanced();
    const err = await train(tf, classifier(), data, settings({ loss: 'meanSquaredError', classWeight: 'balanced' }), { shouldStop: () => false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('Class weights apply to a classification loss (categorical or binary cross-entropy); this run uses meanSquaredError.');
  });

  it("'none' trains exactly as without the setting", async () => {
    const data = imbalanced();
    const a = classifier();
    const b = classifier();
    await train(tf, a, data, settings({ epochs: 2 }), { shouldStop: () => false });
    await train(tf, b, data, settings({ epochs: 2, classWeight: 'none' }), { shouldStop: () => false });
    expect(b.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(a.getWeights().map((t) => Array.from(t.dataSync())));
  });

  it('keeps the number of tensors flat across epochs', async () => {
    const counts: number[] = [];
    await train(tf, classifier(), imbalanced(), settings({ epochs: 4, classWeight: 'balanced' }), { onEpoch: () => counts.push(tf.memory().numTensors), shouldStop: () => false });
    expect(counts).toEqual([counts[0], counts[0], counts[0], counts[0]]);
  });
});

describe('balanced weights', () => {
  it('are n / (classes × class count), averaging 1 over the samples', () => {
    const classes = Int32Array.from([0, 0, 0, 1, 2, 2]);
    const w = balancedClassWeights(classes, 4);
    expect(Array.from(w)).toEqual([6 / 9, 6 / 3, 6 / 6, 0]);
    const perSample = sampleWeights(classes, w, Uint32Array.from([0, 1, 2, 3, 4, 5]));
    expect(perSample.reduce((a, b) => a + b, 0) / 6).toBeCloseTo(1, 6);
    expect(Array.from(sampleWeights(classes, w, Uint32Array.from([3, 0])))).toEqual([2, Math.fround(2 / 3)]);
  });

  it('read the class from one-hot rows or a single 0/1 output', () => {
    expect(Array.from(classIndices(Float32Array.from([0, 1, 0, 1, 0, 0, 0, 0, 1]), 3, 3))).toEqual([1, 0, 2]);
    expect(Array.from(classIndices(Float32Array.from([1, 0, 1]), 3, 1))).toEqual([1, 0, 1]);
  });

  it('refuse a target that is not one class', () => {
    expect(() => classIndices(Float32Array.from([1, 0, 0.5, 0.5]), 2, 2)).toThrow(
      'Class weights need one class per training sample (a one-hot target, or 0/1 for a single output); sample 2 has target [0.5, 0.5].',
    );
    expect(() => classIndices(Float32Array.from([1, 1, 0, 0]), 2, 2)).toThrow('sample 1 has target [1, 1]');
  });
});
