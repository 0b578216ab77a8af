/**
 * The training loop. We batch ourselves (seeded shuffle, `trainOnBatch`) instead of calling
 * `model.fit`, so that a stop request is honoured between two batches, progress is reported per
 * batch, and the order samples are seen in depends only on the seed.
 */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors.js';
import type { Loss, Metric, MetricPoint, Optimizer, TrainSettings } from '../../shared/training.js';
import { mulberry32, shuffle } from '../../shared/random.js';

type Tf = typeof import('@tensorflow/tfjs');

/** Row-major samples: `xs[k]` holds count × prod(inputShapes[k]) values, `y` count × outputUnits. */
export interface DataSplit {
  xs: Float32Array[];
  y: Float32Array;
  count: number;
}

export interface TrainData {
  train: DataSplit;
  validation?: DataSplit;
  /** Per-sample shape of each model input, in the model's input order. */
  inputShapes: number[][];
  outputUnits: number;
}

export interface TrainStats {
  samplesPerSec: number;
  elapsedMs: number;
  etaMs: number;
  /** 0..1 of the whole run. */
  fraction: number;
  batchesPerEpoch: number;
}

/** Keras-style callbacks. `shouldStop` is asked before every batch. */
export interface TrainHooks {
  onBatch?(point: MetricPoint, stats: TrainStats): void;
  onEpoch?(point: MetricPoint, stats: TrainStats): void;
  shouldStop(): boolean;
}

export interface TrainResult {
  stopped: boolean;
  /** Epochs run to the end (a stopped epoch does not count). */
  epochsDone: number;
  /** The last finished epoch's logs, or the stopped epoch's running averages if none finished. */
  finalLogs: Record<string, number>;
  samplesPerSec: number;
}

const LOSS_NAMES: Record<Loss, string> = {
  meanAbsoluteError: 'meanAbsoluteError',
  meanSquaredError: 'meanSquaredError',
  categoricalCrossentropy: 'categoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy',
};

// TF.js picks binary or categorical accuracy from the loss and logs it as 'acc'.
const METRIC_NAMES: Record<Metric, string> = { mae: 'mae', mse: 'mse', accuracy: 'accuracy' };

export function makeOptimizer(tf: Tf, name: Optimizer, learningRate: number): TF.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
  }
}

export async function train(tf: Tf, model: TF.LayersModel, data: TrainData, settings: TrainSettings, hooks: TrainHooks): Promise<TrainResult> {
  checkSettings(settings);
  checkSplit('train', data.train, data.inputShapes, data.outputUnits);
  if (data.validation) checkSplit('validation', data.validation, data.inputShapes, data.outputUnits);

  model.compile({
    optimizer: makeOptimizer(tf, settings.optimizer, settings.learningRate),
    loss: LOSS_NAMES[settings.loss],
    metrics: settings.metrics.map((m) => METRIC_NAMES[m]),
  });
  const names = model.metricsNames;

  const { count } = data.train;
  const batchSize = Math.min(settings.batchSize, count);
  const batchesPerEpoch = Math.ceil(count / batchSize);
  const totalBatches = settings.epochs * batchesPerEpoch;
  const started = performance.now();
  let step = 0;
  let samplesSeen = 0;
  let epochsDone = 0;
  let finalLogs: Record<string, number> = {};

  const stats = (): TrainStats => {
    const elapsedMs = performance.now() - started;
    const fraction = totalBatches > 0 ? step / totalBatches : 1;
    return {
      samplesPerSec: elapsedMs > 0 ? (samplesSeen * 1000) / elapsedMs : 0,
      elapsedMs,
      etaMs: fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : 0,
      fraction,
      batchesPerEpoch,
    };
  };

  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const order = shuffledIndices(count, settings.seed, epoch);
    // Running sums over the epoch: batch points carry the epoch's mean so far, as Keras's do.
    const sums = new Float64Array(names.length);
    let epochSamples = 0;
    let lastReported = -1;
    const running = (): Record<string, number> => logsOf(names, sums, epochSamples);

    for (let batch = 0; batch < batchesPerEpoch; batch++) {
      // A macrotask turn, so a stop message queued by the parent process is seen now.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (hooks.shouldStop()) {
        if (batch > 0 && lastReported !== batch - 1) hooks.onBatch?.({ kind: 'batch', epoch, batch: batch - 1, step, logs: running() }, stats());
        if (epochsDone === 0 && epochSamples > 0) finalLogs = running();
        return { stopped: true, epochsDone, finalLogs, samplesPerSec: stats().samplesPerSec };
      }
      const rows = order.subarray(batch * batchSize, Math.min((batch + 1) * batchSize, count));
      const values = await trainBatch(tf, model, data, rows, { epoch, batch });
      values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * rows.length));
      epochSamples += rows.length;
      samplesSeen += rows.length;
      step++;
      const last = batch === batchesPerEpoch - 1;
      if (hooks.onBatch && ((batch + 1) % settings.batchReportEvery === 0 || last)) {
        lastReported = batch;
        hooks.onBatch({ kind: 'batch', epoch, batch, step, logs: running() }, stats());
      }
    }

    const logs = running();
    if (data.validation && data.validation.count > 0) Object.assign(logs, evaluate(tf, model, data.validation, data.inputShapes, data.outputUnits, batchSize, names));
    epochsDone = epoch + 1;
    finalLogs = logs;
    hooks.onEpoch?.({ kind: 'epoch', epoch, batch: batchesPerEpoch - 1, step, logs }, stats());
  }
  return { stopped: false, epochsDone, finalLogs, samplesPerSec: stats().samplesPerSec };
}

async function trainBatch(
  tf: Tf,
  model: TF.LayersModel,
  data: TrainData,
  rows: Uint32Array,
  at: { epoch: number; batch: number },
): Promise<number[]> {
  const xs = batchInputs(tf, data.train, data.inputShapes, rows);
  const ys = tf.tensor2d(gather(data.train.y, rows, data.outputUnits), [rows.length, data.outputUnits]);
  try {
    const out = await model.trainOnBatch(xs.length === 1 ? xs[0]! : xs, ys);
    return Array.isArray(out) ? out : [out];
  } catch (e) {
    throw new AppError('TRAINING_FAILED', `Training failed at epoch ${at.epoch + 1}, batch ${at.batch + 1}: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    xs.forEach((x) => x.dispose());
    ys.dispose();
  }
}

/** One tensor per model input for the given samples. */
function batchInputs(tf: Tf, split: DataSplit, shapes: number[][], rows: Uint32Array): TF.Tensor[] {
  return shapes.map((shape, k) => tf.tensor(gather(split.xs[k]!, rows, size(shape)), [rows.length, ...shape]));
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Validation loss and metrics, in batches so memory is bounded by the batch, not the split. */
function evaluate(tf: Tf, model: TF.LayersModel, split: DataSplit, inputShapes: number[][], outputUnits: number, batchSize: number, names: string[]): Record<string, number> {
  const all = new Uint32Array(split.count).map((_, i) => i);
  const sums = new Float64Array(names.length);
  for (let start = 0; start < split.count; start += batchSize) {
    const rows = all.subarray(start, Math.min(start + batchSize, split.count));
    const values = tf.tidy(() => {
      const xs = batchInputs(tf, split, inputShapes, rows);
      const ys = tf.tensor2d(gather(split.y, rows, outputUnits), [rows.length, outputUnits]);
      const out = model.evaluate(xs.length === 1 ? xs[0]! : xs, ys, { batchSize: rows.length });
      return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync()[0] ?? NaN);
    });
    values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v * rows.length));
  }
  const logs = logsOf(names, sums, split.count);
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [`val_${k}`, v]));
}

function logsOf(names: string[], sums: Float64Array, samples: number): Record<string, number> {
  const logs: Record<string, number> = {};
  names.forEach((name, i) => (logs[name] = samples > 0 ? (sums[i] ?? 0) / samples : NaN));
  return logs;
}

function gather(src: Float32Array, rows: Uint32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(src.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/** The order samples are visited in an epoch: a Fisher–Yates shuffle seeded by (seed, epoch). */
export function shuffledIndices(count: number, seed: number, epoch: number): Uint32Array {
  const order = new Uint32Array(count).map((_, i) => i);
  shuffle(order, mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(epoch + 1, 0x85ebca6b)) >>> 0));
  return order;
}

function checkSettings(s: TrainSettings): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new AppError('INVALID_REQUEST', `Training setting '${name}' must be a whole number of at least 1; got ${v}.`);
  };
  positiveInt('batchSize', s.batchSize);
  positiveInt('epochs', s.epochs);
  positiveInt('batchReportEvery', s.batchReportEvery);
  if (!(s.learningRate > 0) || !Number.isFinite(s.learningRate))
    throw new AppError('INVALID_REQUEST', `Training setting 'learningRate' must be a positive number; got ${s.learningRate}.`);
}

function checkSplit(name: string, s: DataSplit, inputShapes: number[][], outputUnits: number): void {
  if (name === 'train' && s.count < 1) throw new AppError('TRAINING_FAILED', 'The training split is empty.');
  if (s.xs.length !== inputShapes.length)
    throw new AppError('TRAINING_FAILED', `The ${name} split feeds ${s.xs.length} input(s); the model has ${inputShapes.length}.`);
  inputShapes.forEach((shape, k) => {
    const perSample = size(shape);
    const x = s.xs[k]!;
    const which = inputShapes.length > 1 ? ` of input ${k + 1}` : '';
    if (x.length !== s.count * perSample)
      throw new AppError('TRAINING_FAILED', `The ${name} inputs${which} hold ${x.length} values; expected ${s.count} samples × ${perSample} (shape [${shape.join(', ')}]) = ${s.count * perSample}.`);
  });
  if (s.y.length !== s.count * outputUnits)
    throw new AppError('TRAINING_FAILED', `The ${name} targets hold ${s.y.length} values; expected ${s.count} samples × ${outputUnits} outputs = ${s.count * outputUnits}.`);
}
