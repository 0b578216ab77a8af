import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { mulberry32 } from '../../../shared/random.js';
import { shuffledIndices, train, type TrainData, type TrainStats } from '../../../main/engine/train.js';
import { loadFromArtifacts, saveArtifacts } from '../../../main/engine/artifacts.js';
import { predict } from '../../../main/engine/predict.js';
import { AppError } from '../../../shared/errors.js';
import { DEFAULT_TRAIN_SETTINGS, type MetricPoint, type TrainSettings } from '../../../shared/training.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
});

/** y = 2x + 1 plus a little noise, x in [-1, 1]. */
function line(count: number, seed: number): TrainData {
  const random = mulberry32(seed);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    x[i] = random() * 2 - 1;
    y[i] = 2 * x[i]! + 1 + (random() - 0.5) * 0.1;
  }
  return { train: { xs: [x], y, count }, inputShapes: [[1]], outputUnits: 1 };
}

function linear(): TF.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
}

const settings = (s: Partial<TrainSettings>): TrainSettings => ({ ...DEFAULT_TRAIN_SETTINGS, backend: 'wasm', ...s });

describe('train', () => {
  it('fits a line to low loss, with validation logs and progress', async () => {
    const data = line(512, 1);
    const validation = line(128, 2).train;
    const epochs: MetricPoint[] = [];
    const batches: MetricPoint[] = [];
    let lastStats: TrainStats | undefined;
    const model = linear();
    const r = await train(
      tf,
      model,
      { ...data, validation },
      settings({ optimizer: 'adam', learningRate: 0.1, loss: 'meanSquaredError', metrics: ['mae'], batchSize: 32, epochs: 20, batchReportEvery: 5 }),
      {
        onBatch: (p) => batches.push(p),
        onEpoch: (p, s) => {
          epochs.push(p);
          lastStats = s;
        },
        shouldStop: () => false,
      },
    );
    expect(r.stopped).toBe(false);
    expect(r.epochsDone).toBe(20);
    expect(Object.keys(r.finalLogs).sort()).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    const first = epochs[0]!.logs.loss!;
    expect(first).toBeGreaterThan(0.1);
    expect(r.finalLogs.loss).toBeLessThan(0.005);
    expect(r.finalLogs.val_mae).toBeLessThan(0.06);
    const [w, b] = model.getWeights().map((t) => t.dataSync()[0]!);
    expect(w).toBeCloseTo(2, 1);
    expect(b).toBeCloseTo(1, 1);
    // 16 batches an epoch, reported every 5th and at the last: 4, 9, 14, 15.
    expect(batches.filter((p) => p.epoch === 0).map((p) => p.batch)).toEqual([4, 9, 14, 15]);
    expect(epochs.map((p) => p.step)).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 16));
    expect(lastStats).toMatchObject({ batchesPerEpoch: 16, fraction: 1, etaMs: 0 });
    expect(r.samplesPerSec).toBeGreaterThan(0);
  });

  it('stops within the epoch after shouldStop turns true', async () => {
    let trained = 0;
    const batches: MetricPoint[] = [];
    const epochs: MetricPoint[] = [];
    const r = await train(tf, linear(), line(256, 3), settings({ batchSize: 16, epochs: 5, batchReportEvery: 100 }), {
      onBatch: (p) => batches.push(p),
      onEpoch: (p) => epochs.push(p),
      // Asked before each batch: batches 0, 1, 2 run, then it says stop.
      shouldStop: () => trained++ >= 3,
    });
    expect(r.stopped).toBe(true);
    expect(r.epochsDone).toBe(0);
    expect(epochs).toEqual([]);
    // The partly done epoch is still reported once, at its last trained batch.
    expect(batches.map((p) => [p.epoch, p.batch, p.step])).toEqual([[0, 2, 3]]);
    expect(Object.keys(r.finalLogs)).toEqual(['loss', 'mae']);
  });

  it('keeps the number of tensors flat across epochs', async () => {
    const counts: number[] = [];
    const data = line(200, 4);
    await train(
      tf,
      linear(),
      { ...data, validation: line(50, 5).train },
      settings({ optimizer: 'rmsprop', learningRate: 0.01, batchSize: 30, epochs: 5, metrics: ['mae', 'mse'] }),
      { onEpoch: () => counts.push(tf.memory().numTensors), shouldStop: () => false },
    );
    expect(counts).toHaveLength(5);
    expect(counts[4]).toBe(counts[0]);
  });

  it('rejects data whose size does not match the input shape', async () => {
    const data = line(10, 6);
    const err = await train(tf, linear(), { ...data, inputShapes: [[2]] }, settings({}), { shouldStop: () => false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe('The train inputs hold 10 values; expected 10 samples × 2 (shape [2]) = 20.');
  });
});

describe('shuffledIndices', () => {
  it('is a permutation fixed by seed and epoch', () => {
    const a = shuffledIndices(100, 42, 0);
    expect(Array.from(shuffledIndices(100, 42, 0))).toEqual(Array.from(a));
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(shuffledIndices(100, 42, 1))).not.toEqual(Array.from(a));
    expect(Array.from(shuffledIndices(100, 43, 0))).not.toEqual(Array.from(a));
  });

  it('does not change between versions (a changed order would change every seeded run)', () => {
    expect(Array.from(shuffledIndices(10, 42, 0))).toEqual([0, 4, 7, 8, 1, 2, 5, 6, 9, 3]);
  });
});

describe('artifacts', () => {
  it('round trip gives identical predictions', async () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 8, inputShape: [3], activation: 'relu' }), tf.layers.dense({ units: 2, activation: 'softmax' })],
    });
    const random = mulberry32(7);
    const x = Float32Array.from({ length: 300 * 3 }, () => random());
    const before = predict(tf, model, [x], 300, [[3]], 64);
    const artifacts = await saveArtifacts(tf, model);
    expect(artifacts.weightData.byteLength).toBe((3 * 8 + 8 + 8 * 2 + 2) * 4);
    // As it arrives after a structured clone between processes.
    const loaded = await loadFromArtifacts(tf, structuredClone(artifacts));
    const after = predict(tf, loaded, [x], 300, [[3]]);
    expect(after).toHaveLength(600);
    expect(Array.from(after)).toEqual(Array.from(before));
    model.dispose();
    loaded.dispose();
  });

  it('predict leaves no tensors behind', () => {
    const model = linear();
    const n = tf.memory().numTensors;
    const out = predict(tf, model, [new Float32Array([0, 1, 2, 3, 4])], 5, [[1]], 2);
    expect(out).toHaveLength(5);
    expect(tf.memory().numTensors).toBe(n);
  });
});
