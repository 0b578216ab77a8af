/** Early stopping and reduce-on-plateau in our training loop, trained for real on the cpu backend. */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { getLearningRate, makeOptimizer, setLearningRate, train, type TrainData } from '../../../main/engine/train.js';
import { withSeed } from '../../../main/engine/seed.js';
import { trainSettingsSchema } from '../../../shared/api/training.js';
import { AppError } from '../../../shared/errors.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS, OPTIMIZERS, type MetricPoint, type TrainSettings } from '../../../shared/training.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
});

/** y = slope·x + intercept plus a little noise, x in [-1, 1]. */
function line(count: number, seed: number, intercept = 1, slope = 2): TrainData {
  const random = mulberry32(seed);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = random() * 2 - 1;
    y[i] = slope * x[i]! + intercept + (random() - 0.5) * 0.1;
  }
  return { train: { xs: [x], y, count }, inputShapes: [[1]], outputUnits: 1 };
}

const linear = (seed = 1): TF.Sequential => withSeed(seed, () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }));

const settings = (s: Partial<TrainSettings>): TrainSettings => ({
  ...DEFAULT_TRAIN_SETTINGS,
  backend: 'cpu',
  loss: 'meanSquaredError',
  optimizer: 'adam',
  learningRate: 0.05,
  batchSize: 32,
  batchReportEvery: 1000,
  ...s,
});

const weightsOf = (model: TF.LayersModel): number[][] => model.getWeights().map((w) => Array.from(w.dataSync()));

/**
 * Trains on y = 2x + 1 and validates on y = 2x + 0.5: the bias climbs from 0 to 1, so val_loss
 * falls until the bias passes 0.5, then rises and levels off. It has one best epoch.
 */
async function overfitting(s: Partial<TrainSettings>) {
  const model = linear();
  const epochs: MetricPoint[] = [];
  const weights: number[][][] = [];
  const r = await train(tf, model, { ...line(512, 1), validation: line(128, 2, 0.5).train }, settings({ epochs: 100, learningRate: 0.005, ...s }), {
    onEpoch: (p) => {
      epochs.push(p);
      weights.push(weightsOf(model));
    },
    shouldStop: () => false,
  });
  const valLoss = epochs.map((p) => p.logs['val_loss']!);
  const best = valLoss.indexOf(Math.min(...valLoss));
  return { model, r, epochs, weights, valLoss, best };
}

describe('early stopping', () => {
  it("stops `patience` epochs after val_loss's best epoch and keeps that epoch's weights", async () => {
    const patience = 3;
    const { model, r, epochs, weights, valLoss, best } = await overfitting({ earlyStopping: { patience } });
    expect(r.stopped).toBe(false);
    expect(r.stoppedEarly).toBe(true);
    expect(best).toBeGreaterThan(0);
    // It ran the best epoch and `patience` more, none better, and stopped there, long before 100.
    expect(r.epochsDone).toBe(best + patience + 1);
    expect(epochs).toHaveLength(r.epochsDone);
    expect(valLoss.slice(best + 1).every((v) => v >= valLoss[best]!)).toBe(true);
    expect(r.earlyStopping).toEqual({ monitor: 'val_loss', stoppedEpoch: best + patience, bestEpoch: best, best: valLoss[best], restoredBestWeights: true });
    // The model holds the weights of the end of the best epoch, not of the last one.
    expect(weightsOf(model)).toEqual(weights[best]);
    expect(weightsOf(model)).not.toEqual(weights[weights.length - 1]);
    // And the run's final logs describe those weights.
    expect(r.finalLogs).toEqual(epochs[best]!.logs);
  });

  it('with restoreBestWeights off, keeps the last epoch’s weights and logs', async () => {
    const { model, r, epochs, weights, best } = await overfitting({ earlyStopping: { patience: 3, restoreBestWeights: false } });
    expect(r.stoppedEarly).toBe(true);
    expect(r.earlyStopping).toMatchObject({ bestEpoch: best, stoppedEpoch: best + 3, restoredBestWeights: false });
    expect(weightsOf(model)).toEqual(weights[weights.length - 1]);
    expect(r.finalLogs).toEqual(epochs[epochs.length - 1]!.logs);
  });

  it('watches the training loss when there is no validation split, and ignores gains below min_delta', async () => {
    const epochs: MetricPoint[] = [];
    // No epoch can beat the first by 100: it stops after exactly `patience` more epochs.
    const r = await train(tf, linear(), line(256, 3), settings({ epochs: 50, earlyStopping: { monitor: 'val_loss', patience: 4, minDelta: 100 } }), {
      onEpoch: (p) => void epochs.push(p),
      shouldStop: () => false,
    });
    expect(epochs.map((p) => p.logs['loss']!).every((v, i, all) => i === 0 || v < all[0]!)).toBe(true);
    expect(r.epochsDone).toBe(5);
    expect(r.earlyStopping).toMatchObject({ monitor: 'loss', bestEpoch: 0, stoppedEpoch: 4, restoredBestWeights: true });
  });

  it('looks for a rise in accuracy', async () => {
    // Two classes split at x = 0: accuracy climbs towards 1 and then cannot rise.
    const random = mulberry32(4);
    const count = 200;
    const x = Float32Array.from({ length: count }, () => random() * 2 - 1);
    const y = new Float32Array(count * 2);
    x.forEach((v, i) => (y[i * 2 + (v > 0 ? 1 : 0)] = 1));
    const model = withSeed(5, () => tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [1], activation: 'softmax' })] }));
    const epochs: MetricPoint[] = [];
    const r = await train(
      tf,
      model,
      { train: { xs: [x], y, count }, inputShapes: [[1]], outputUnits: 2 },
      settings({ loss: 'categoricalCrossentropy', metrics: ['accuracy'], learningRate: 0.1, epochs: 200, earlyStopping: { monitor: 'accuracy', patience: 5 } }),
      { onEpoch: (p) => void epochs.push(p), shouldStop: () => false },
    );
    const acc = epochs.map((p) => p.logs['acc']!);
    const best = acc.indexOf(Math.max(...acc));
    expect(r.stoppedEarly).toBe(true);
    expect(r.earlyStopping).toMatchObject({ monitor: 'acc', bestEpoch: best, stoppedEpoch: best + 5, best: acc[best] });
    expect(acc[best]).toBeGreaterThan(0.9);
  });

  it('runs every epoch when the monitor keeps improving, and says it did not stop early', async () => {
    const r = await train(tf, linear(), line(256, 6), settings({ epochs: 4, earlyStopping: { patience: 2 } }), { shouldStop: () => false });
    expect(r.epochsDone).toBe(4);
    expect(r.stoppedEarly).toBe(false);
    expect(r.earlyStopping).toMatchObject({ monitor: 'loss', bestEpoch: 3, restoredBestWeights: false });
    expect(r.earlyStopping?.stoppedEpoch).toBeUndefined();
  });

  it('keeps the weights reached when the user stops the run, even with restoring on', async () => {
    const model = linear();
    let batches = 0;
    let atStop: number[][] = [];
    // 8 batches an epoch; the stop comes in the 4th epoch, where the weights are no epoch's end.
    const r = await train(tf, model, { ...line(256, 7), validation: line(64, 8, 0.5).train }, settings({ epochs: 100, earlyStopping: { patience: 50 } }), {
      shouldStop: () => {
        if (batches++ < 30) return false;
        atStop = weightsOf(model);
        return true;
      },
    });
    expect(r.stopped).toBe(true);
    expect(r.stoppedEarly).toBe(false);
    expect(r.earlyStopping?.restoredBestWeights).toBe(false);
    expect(weightsOf(model)).toEqual(atStop);
  });

  it('refuses to monitor a metric the run does not compute', async () => {
    const err = await train(tf, linear(), line(32, 9), settings({ metrics: ['mae'], earlyStopping: { monitor: 'val_accuracy' } }), { shouldStop: () => false }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe(
      "Training setting 'earlyStopping.monitor' monitors 'val_accuracy', but 'accuracy' is not among the run's metrics (mae); add it or monitor the loss.",
    );
  });
});

describe('reduce learning rate on plateau', () => {
  it('multiplies the rate by `factor` after `patience` epochs without improvement, down to the minimum', async () => {
    const epochs: MetricPoint[] = [];
    const model = linear();
    // min_delta 100: only the first epoch counts as an improvement, so every later one is a plateau.
    const r = await train(
      tf,
      model,
      line(128, 10),
      settings({ learningRate: 0.1, epochs: 8, reduceLrOnPlateau: { monitor: 'loss', factor: 0.5, patience: 2, minDelta: 100, minLearningRate: 0.03 } }),
      { onEpoch: (p) => void epochs.push(p), shouldStop: () => false },
    );
    const lr = epochs.map((p) => p.logs['lr']!);
    // Epochs 1 and 2 do not improve: from epoch 3 the rate is halved; 2 more: 0.025, held at 0.03.
    [0.1, 0.1, 0.1, 0.05, 0.05, 0.03, 0.03, 0.03].forEach((want, i) => expect(lr[i]).toBeCloseTo(want, 10));
    expect(getLearningRate(model.optimizer)).toBeCloseTo(0.03, 10);
    expect(r.finalLogs['lr']).toBeCloseTo(0.03, 10);
  });

  it('keeps the rate while the monitor improves', async () => {
    const epochs: MetricPoint[] = [];
    await train(tf, linear(), line(256, 11), settings({ epochs: 4, reduceLrOnPlateau: { patience: 1 } }), { onEpoch: (p) => void epochs.push(p), shouldStop: () => false });
    expect(epochs.map((p) => p.logs['lr'])).toEqual([0.05, 0.05, 0.05, 0.05]);
  });

  it.each(OPTIMIZERS)('a rate set on %s is the one its next step uses', (name) => {
    // The same gradient under rate 0.1 and 0.01: the first step is 10 times smaller.
    const step = (lr: number) => {
      const w = tf.variable(tf.tensor1d([1, -2, 3]));
      const optimizer = makeOptimizer(tf, name, 0.1);
      setLearningRate(optimizer, lr);
      expect(getLearningRate(optimizer)).toBe(lr);
      optimizer.minimize(() => tf.sum(tf.square(tf.sub(w, tf.tensor1d([0.5, 0.5, 0.5])))) as TF.Scalar, false, [w]);
      const moved = Array.from(w.dataSync()).map((v, i) => v - [1, -2, 3][i]!);
      w.dispose();
      optimizer.dispose();
      return moved;
    };
    const big = step(0.1);
    const small = step(0.01);
    big.forEach((d, i) => {
      expect(Math.abs(d)).toBeGreaterThan(0);
      expect(small[i]! / d).toBeCloseTo(0.1, 4);
    });
  });

  it('SGD with momentum carries the previous step into the next, as Keras SGD(momentum) does', () => {
    // f(w) = Σ w²/2 has gradient w. From w = 1, rate 0.1, momentum 0.9:
    // step 1: buffer = 1, w = 1 − 0.1 = 0.9; step 2: buffer = 0.9·1 + 0.9 = 1.8, w = 0.9 − 0.18 = 0.72.
    // Plain SGD would give 0.9 then 0.81.
    const run = (momentum: number) => {
      const w = tf.variable(tf.tensor1d([1]));
      const optimizer = makeOptimizer(tf, 'sgd', 0.1, momentum);
      const values: number[] = [];
      for (let i = 0; i < 2; i++) {
        optimizer.minimize(() => tf.mul(tf.sum(tf.square(w)), 0.5) as TF.Scalar, false, [w]);
        values.push(w.dataSync()[0]!);
      }
      const name = optimizer.getClassName();
      w.dispose();
      optimizer.dispose();
      return { values, name };
    };
    const withMomentum = run(0.9);
    expect(withMomentum.name).toBe('Momentum');
    expect(withMomentum.values[0]).toBeCloseTo(0.9, 6);
    expect(withMomentum.values[1]).toBeCloseTo(0.72, 6);
    const plain = run(0);
    expect(plain.name).toBe('SGD');
    expect(plain.values[1]).toBeCloseTo(0.81, 6);
  });
});

describe('callbacks and memory', () => {
  it('keep the number of tensors flat over 5 epochs, and free the best weights at the end', async () => {
    const counts: number[] = [];
    const model = linear();
    const before = tf.memory().numTensors;
    const epochs: MetricPoint[] = [];
    const r = await train(
      tf,
      model,
      { ...line(200, 12), validation: line(50, 13).train },
      settings({
        optimizer: 'sgd',
        learningRate: 0.1,
        batchSize: 30,
        epochs: 5,
        metrics: ['mae', 'mse'],
        // The best weights are copied every epoch (val_loss keeps falling); the rate (SGD keeps it
        // as a tensor) is lowered at the end of every epoch from the second.
        earlyStopping: { patience: 10 },
        reduceLrOnPlateau: { patience: 0, minDelta: 100, factor: 0.5 },
      }),
      {
        onEpoch: (p) => {
          epochs.push(p);
          counts.push(tf.memory().numTensors);
        },
        shouldStop: () => false,
      },
    );
    expect(r.epochsDone).toBe(5);
    // Each epoch logs the rate it trained with; the cut at its end shows in the next one.
    expect(epochs.map((p) => p.logs['lr'])).toEqual([0.1, 0.1, 0.05, 0.025, 0.0125]);
    expect(r.earlyStopping?.bestEpoch).toBe(4);
    expect(counts).toEqual([counts[0], counts[0], counts[0], counts[0], counts[0]]);
    // The copy of the best weights (kernel and bias) is gone; the model and SGD's rate remain.
    expect(tf.memory().numTensors).toBe(counts[0]! - 2);
    model.optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('settings', () => {
  it('accepts stored settings without the new fields, and the new ones with partial values', () => {
    expect(trainSettingsSchema.safeParse(DEFAULT_TRAIN_SETTINGS).success).toBe(true);
    const parsed = trainSettingsSchema.parse({ ...DEFAULT_TRAIN_SETTINGS, earlyStopping: { patience: 3 }, reduceLrOnPlateau: {}, classWeight: 'balanced' });
    expect(parsed.earlyStopping).toEqual({ patience: 3 });
  });

  it('refuses a factor that would not lower the rate, and a negative patience', () => {
    expect(trainSettingsSchema.safeParse({ ...DEFAULT_TRAIN_SETTINGS, reduceLrOnPlateau: { factor: 1 } }).success).toBe(false);
    expect(trainSettingsSchema.safeParse({ ...DEFAULT_TRAIN_SETTINGS, earlyStopping: { patience: -1 } }).success).toBe(false);
  });

  it('fields left undefined take the defaults', async () => {
    const r = await train(tf, linear(), line(64, 15), settings({ epochs: 30, earlyStopping: { monitor: undefined, patience: undefined, minDelta: 100 } }), {
      shouldStop: () => false,
    });
    // Default patience 10, default monitor val_loss → loss without a validation split.
    expect(r.earlyStopping).toMatchObject({ monitor: 'loss', bestEpoch: 0, stoppedEpoch: 10 });
  });

  it('the engine refuses them too, for callers that skip the api', async () => {
    const err = await train(tf, linear(), line(8, 14), settings({ reduceLrOnPlateau: { factor: 2 } }), { shouldStop: () => false }).catch((e: unknown) => e);
    expect((err as AppError).message).toBe("Training setting 'reduceLrOnPlateau.factor' must be between 0 and 1 (exclusive), as the rate is multiplied by it; got 2.");
  });
});

describe('a metric that is the loss', () => {
  const withValidation = (d: TrainData): TrainData => ({ ...d, validation: line(64, 99).train });

  it('is logged with the loss value, without computing it twice', async () => {
    const epochs: MetricPoint[] = [];
    await train(tf, linear(), withValidation(line(128, 5)), settings({ epochs: 2, loss: 'meanAbsoluteError', metrics: ['mae', 'mse'] }), {
      onEpoch: (p) => void epochs.push(p),
      shouldStop: () => false,
    });
    for (const { logs } of epochs) {
      expect(logs['mae']).toBe(logs['loss']);
      expect(logs['val_mae']).toBe(logs['val_loss']);
      // Another metric is still its own.
      expect(logs['mse']).not.toBe(logs['loss']);
    }
  });

  it('is computed apart when a regularizer adds to the loss', async () => {
    const model = withSeed(3, () => tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1], kernelRegularizer: tf.regularizers.l2({ l2: 1 }) })] }));
    const epochs: MetricPoint[] = [];
    await train(tf, model, line(128, 5), settings({ epochs: 1, loss: 'meanAbsoluteError', metrics: ['mae'] }), { onEpoch: (p) => void epochs.push(p), shouldStop: () => false });
    expect(epochs[0]!.logs['loss']).toBeGreaterThan(epochs[0]!.logs['mae']!);
  });
});
