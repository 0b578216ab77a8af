/** Reproducible runs: the seed fixes the initial weights, the sample order and the dropout noise. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { buildModel } from '../../../main/engine/build.js';
import { train, type TrainData } from '../../../main/engine/train.js';
import { seededRandom, withRandom, withSeed } from '../../../main/engine/seed.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS, type BackendName, type TrainSettings } from '../../../shared/training.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { chain } from '../catalog/graphs.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
});

/** Three classes from four features; the class depends on the sign of two of them. */
function classes(count: number, seed: number): TrainData {
  const random = mulberry32(seed);
  const x = Float32Array.from({ length: count * 4 }, () => random() * 2 - 1);
  const y = new Float32Array(count * 3);
  for (let i = 0; i < count; i++) y[i * 3 + (x[i * 4]! > 0 ? 1 : 0) + (x[i * 4 + 1]! > 0.5 ? 1 : 0)] = 1;
  return { train: { xs: [x], y, count }, inputShapes: [[4]], outputUnits: 3 };
}

/** Glorot kernels, batch normalization and dropout: every source of randomness in training. */
const MLP: ModelGraph = chain(
  [4],
  ['Dense', { units: 16, activation: 'relu' }],
  ['BatchNormalization'],
  ['Dropout', { rate: 0.3 }],
  ['Dense', { units: 3, activation: 'softmax' }],
);
/** An LSTM: orthogonal recurrent kernel, unit forget bias. */
const RNN: ModelGraph = chain([2, 2], ['LSTM', { units: 4 }], ['Dense', { units: 3, activation: 'softmax' }]);

const settings = (seed: number): TrainSettings => ({
  ...DEFAULT_TRAIN_SETTINGS,
  backend: 'cpu',
  loss: 'categoricalCrossentropy',
  metrics: ['accuracy'],
  learningRate: 0.01,
  batchSize: 16,
  epochs: 3,
  seed,
});

/** What a trainer process does: build under the seed, then train with it. */
async function run(graph: ModelGraph, seed: number, data = classes(96, 1)) {
  const model = withSeed(seed, () => buildModel(tf, graph));
  const initial = model.getWeights().map((w) => Array.from(w.dataSync()));
  const losses: number[] = [];
  await train(tf, model, data, settings(seed), { onBatch: (p) => losses.push(p.logs['loss']!), shouldStop: () => false });
  const final = model.getWeights().map((w) => Array.from(w.dataSync()));
  model.dispose();
  return { initial, losses, final };
}

const rnnData = (): TrainData => {
  const d = classes(96, 2);
  return { ...d, inputShapes: [[2, 2]] };
};

describe.each(['cpu', 'wasm'] as BackendName[])('reproducible runs on %s', (backend) => {
  beforeAll(async () => {
    tf = (await loadBackend(backend)).tf;
  });

  it('the same seed gives the same initial weights, losses and final weights', async () => {
    const a = await run(MLP, 7);
    const b = await run(MLP, 7);
    expect(b.initial).toEqual(a.initial);
    expect(b.losses).toEqual(a.losses);
    expect(b.final).toEqual(a.final);
    expect(a.final).not.toEqual(a.initial);
  });

  it('so does an LSTM (orthogonal and forget-bias initialisers)', async () => {
    const a = await run(RNN, 7, rnnData());
    const b = await run(RNN, 7, rnnData());
    expect(b.initial).toEqual(a.initial);
    expect(b.final).toEqual(a.final);
  });

  it('another seed gives other initial weights and another run', async () => {
    const a = await run(MLP, 7);
    const b = await run(MLP, 8);
    expect(b.initial[0]).not.toEqual(a.initial[0]);
    expect(b.losses).not.toEqual(a.losses);
    expect(b.final[0]).not.toEqual(a.final[0]);
  });

  it('the dropout noise follows the seed: the same masks with the same seed, others with another', async () => {
    // 32 copies of one sample in one batch: the sample order cannot matter, only the noise can.
    const x = new Float32Array(32 * 4);
    const y = new Float32Array(32 * 3);
    for (let i = 0; i < 32; i++) {
      x.set([0.3, -0.5, 0.8, 0.1], i * 4);
      y[i * 3 + 1] = 1;
    }
    const data: TrainData = { train: { xs: [x], y, count: 32 }, inputShapes: [[4]], outputUnits: 3 };
    const finalWeights = async (graph: ModelGraph, seed: number) => {
      const model = withSeed(1, () => buildModel(tf, graph));
      await train(tf, model, data, { ...settings(seed), batchSize: 32, learningRate: 0.1 }, { shouldStop: () => false });
      const final = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return final;
    };
    const dropout = chain([4], ['Dense', { units: 16, activation: 'relu' }], ['Dropout', { rate: 0.5 }], ['Dense', { units: 3, activation: 'softmax' }]);
    const none = chain([4], ['Dense', { units: 16, activation: 'relu' }], ['Dense', { units: 3, activation: 'softmax' }]);
    expect(await finalWeights(dropout, 7)).toEqual(await finalWeights(dropout, 7));
    expect(await finalWeights(dropout, 8)).not.toEqual(await finalWeights(dropout, 7));
    // Without dropout the seed of the steps changes nothing here: the difference above is noise.
    expect(await finalWeights(none, 8)).toEqual(await finalWeights(none, 7));
  });
});

describe('withRandom', () => {
  it('puts Math.random back, also when the function throws', () => {
    const original = Math.random;
    expect(withRandom(seededRandom(1, 'weights'), () => [Math.random(), Math.random()])).toEqual(withRandom(seededRandom(1, 'weights'), () => [Math.random(), Math.random()]));
    expect(() =>
      withRandom(
        () => 0.5,
        () => {
          throw new Error('boom');
        },
      ),
    ).toThrow('boom');
    expect(Math.random).toBe(original);
  });

  it('refuses an async function, which would outlive the swap', () => {
    expect(() => withRandom(() => 0.5, async () => 1)).toThrow('withRandom needs a synchronous function');
  });

  it('gives the weights and the noise different streams', () => {
    expect(seededRandom(3, 'weights')()).not.toBe(seededRandom(3, 'noise')());
  });
});
