/**
 * The training loop. We batch ourselves (seeded shuffle, TF.js's train function) instead of
 * calling `model.fit`, so that a stop request is honoured between two batches, progress is
 * reported per batch, and the order samples are seen in and the noise of each step (dropout)
 * depend only on the seed. Early stopping and learning-rate schedules are callbacks
 * (./callbacks.ts), built from the settings.
 */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors.js';
import {
  EARLY_STOPPING_DEFAULTS,
  REDUCE_LR_DEFAULTS,
  type EarlyStoppingReport,
  type Loss,
  type Metric,
  type MetricPoint,
  type Optimizer,
  type TrainSettings,
} from '../../shared/training.js';
import { mulberry32, shuffle } from '../../shared/random.js';
import { Callback, CallbackList, EarlyStopping, ReduceLrOnPlateau, resolveMonitor, type Trainer } from './callbacks.js';
import { batchInputs, gather, makeTrainStep, size } from './train-step.js';
import { fusedAdam } from './fused-optimizers.js';
import { gridDetectionLoss } from './detection-loss.js';

type Tf = typeof import('@tensorflow/tfjs');

/**
 * Row-major samples: `xs[k]` holds count × prod(inputShapes[k]) values, `y` count × outputUnits.
 * A Uint8Array input holds image bytes, fed as value / 255 and converted batch by batch, so a
 * large image dataset stays a quarter of its float size in memory.
 */
export interface DataSplit {
  xs: (Float32Array | Uint8Array)[];
  y: Float32Array;
  count: number;
}

export interface TrainData {
  train: DataSplit;
  validation?: DataSplit;
  /** Per-sample shape of each model input, in the model's input order. */
  inputShapes: number[][];
  outputUnits: number;
  /** Per-sample shape of the target when it is not (outputUnits): a detector's (rows, cols, 5 + C), outputUnits their product. */
  targetShape?: number[];
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
  /** A returned promise (a checkpoint being saved) is awaited before the next epoch; other results are ignored. */
  onEpoch?(point: MetricPoint, stats: TrainStats): unknown;
  shouldStop(): boolean;
  /** While the run is paused, a promise that settles when it may go on (asked before every batch). */
  whilePaused?(): Promise<void> | undefined;
}

export interface TrainResult {
  stopped: boolean;
  /** Epochs run to the end (a stopped epoch does not count). */
  epochsDone: number;
  /**
   * The last finished epoch's logs, or the stopped epoch's running averages if none finished.
   * When early stopping restored the best epoch's weights, that epoch's logs: they describe the
   * weights the run keeps.
   */
  finalLogs: Record<string, number>;
  samplesPerSec: number;
  /** Early stopping ended the run before its last epoch (see `earlyStopping.stoppedEpoch`). */
  stoppedEarly: boolean;
  /** Present when early stopping was on. */
  earlyStopping?: EarlyStoppingReport;
}

/** TF.js's own losses by name; ours (the grid detector's, which TF.js lacks) as a function. */
const LOSSES: Record<Loss, string | ((tf: Tf) => (yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Tensor)> = {
  meanAbsoluteError: 'meanAbsoluteError',
  meanSquaredError: 'meanSquaredError',
  categoricalCrossentropy: 'categoricalCrossentropy',
  binaryCrossentropy: 'binaryCrossentropy',
  gridDetection: (tf) => (yTrue, yPred) => gridDetectionLoss(tf, yTrue, yPred),
};

function lossOf(tf: Tf, loss: Loss): string | ((yTrue: TF.Tensor, yPred: TF.Tensor) => TF.Tensor) {
  const l = LOSSES[loss];
  return typeof l === 'string' ? l : l(tf);
}

// TF.js picks binary or categorical accuracy from the loss and logs it as 'acc'.
const METRIC_NAMES: Record<Metric, string> = { mae: 'mae', mse: 'mse', accuracy: 'accuracy' };

/** The metric each loss is, value for value, when nothing else is added to the loss. */
const SAME_AS_LOSS: Partial<Record<Loss, Metric>> = { meanAbsoluteError: 'mae', meanSquaredError: 'mse' };

interface LayerLosses {
  losses?: unknown[];
  layer?: LayerLosses;
  forwardLayer?: LayerLosses;
  backwardLayer?: LayerLosses;
  cell?: LayerLosses;
}

/** True when some layer (or one it wraps) adds a regularization loss to the training loss. */
function adds(model: TF.LayersModel): boolean {
  const has = (l: LayerLosses | undefined): boolean =>
    !!l && ((l.losses?.length ?? 0) > 0 || has(l.layer) || has(l.forwardLayer) || has(l.backwardLayer) || has(l.cell));
  return model.layers.some((l) => has(l as unknown as LayerLosses));
}


/** `momentum` applies to SGD (TF.js's MomentumOptimizer: accumulator = m·accumulator + g, value −= rate·accumulator). */
export function makeOptimizer(tf: Tf, name: Optimizer, learningRate: number, momentum = 0): TF.Optimizer {
  switch (name) {
    case 'adam':
      return fusedAdam(tf, learningRate);
    case 'sgd':
      return momentum > 0 ? tf.train.momentum(learningRate, momentum) : tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
  }
}

// The optimizers read `learningRate` at every step; TF.js types it protected. SGD caches it as
// a tensor, so it has a setter that replaces that tensor.
interface LearningRateField {
  learningRate: number;
  setLearningRate?(lr: number): void;
}

/** The optimizer's current learning rate. */
export function getLearningRate(optimizer: TF.Optimizer): number {
  return (optimizer as unknown as LearningRateField).learningRate;
}

/** Changes the rate the optimizer's next steps use (tf.train.adam/sgd/rmsprop/adagrad). */
export function setLearningRate(optimizer: TF.Optimizer, lr: number): void {
  const o = optimizer as unknown as LearningRateField;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  else o.learningRate = lr;
}

/** `initialEpoch`: resuming, the first epoch (0-based) still to train, as Keras's fit(initial_epoch). */
export async function train(
  tf: Tf,
  model: TF.LayersModel,
  data: TrainData,
  settings: TrainSettings,
  hooks: TrainHooks,
  options: { initialEpoch?: number } = {},
): Promise<TrainResult> {
  const initialEpoch = Math.max(0, Math.min(options.initialEpoch ?? 0, settings.epochs));
  checkSettings(settings);
  checkSplit('train', data.train, data.inputShapes, data.outputUnits);
  if (data.validation) checkSplit('validation', data.validation, data.inputShapes, data.outputUnits);
  const validation = data.validation && data.validation.count > 0 ? data.validation : undefined;

  const optimizer = makeOptimizer(tf, settings.optimizer, settings.learningRate, settings.momentum);
  // A metric that is the loss itself (MAE with an MAE loss, J1's case) is not computed twice: its
  // value is the loss's. Only when nothing else adds to the loss (regularizers, class weights).
  const same = SAME_AS_LOSS[settings.loss];
  const aliased = settings.metrics.filter((m) => m === same && !adds(model) && (settings.classWeight ?? 'none') === 'none');
  const compiled = settings.metrics.filter((m) => !aliased.includes(m));
  model.compile({ optimizer, loss: lossOf(tf, settings.loss), metrics: compiled.map((m) => METRIC_NAMES[m]) });
  const names = [...model.metricsNames, ...aliased.map((m) => METRIC_NAMES[m])];
  const withAliases = (values: number[]): number[] => [...values, ...aliased.map(() => values[0] ?? NaN)];
  const compiledStep = makeTrainStep(tf, model, data, settings);
  const trainStep: typeof compiledStep = async (rows, at) => withAliases(await compiledStep(rows, at));
  const { callbacks, earlyStopping } = makeCallbacks(settings, names, validation !== undefined);
  const trainer: Trainer = {
    model,
    stopTraining: false,
    get learningRate() {
      return getLearningRate(optimizer);
    },
    set learningRate(lr: number) {
      setLearningRate(optimizer, lr);
    },
  };
  callbacks.setTrainer(trainer);

  const { count } = data.train;
  const batchSize = Math.min(settings.batchSize, count);
  const batchesPerEpoch = Math.ceil(count / batchSize);
  const totalBatches = (settings.epochs - initialEpoch) * batchesPerEpoch;
  const started = performance.now();
  // Steps are counted over the whole run, resumed or not, so charts continue where they stopped.
  const firstStep = initialEpoch * batchesPerEpoch;
  let step = firstStep;
  let pausedMs = 0;
  let samplesSeen = 0;
  let epochsDone = initialEpoch;
  let finalLogs: Record<string, number> = {};

  const stats = (): TrainStats => {
    const elapsedMs = performance.now() - started - pausedMs;
    const fraction = totalBatches > 0 ? (step - firstStep) / totalBatches : 1;
    return {
      samplesPerSec: elapsedMs > 0 ? (samplesSeen * 1000) / elapsedMs : 0,
      elapsedMs,
      etaMs: fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : 0,
      fraction,
      batchesPerEpoch,
    };
  };
  const result = (stopped: boolean): TrainResult => {
    // Asked to stop after the last epoch is not stopping early.
    const stoppedEarly = trainer.stopTraining && epochsDone < settings.epochs;
    const r: TrainResult = { stopped, epochsDone, finalLogs, samplesPerSec: stats().samplesPerSec, stoppedEarly };
    if (earlyStopping) {
      r.earlyStopping = earlyStopping.report();
      if (!stoppedEarly) delete r.earlyStopping.stoppedEpoch;
    }
    return r;
  };

  try {
    callbacks.onTrainBegin();
    for (let epoch = initialEpoch; epoch < settings.epochs && !trainer.stopTraining; epoch++) {
      const order = shuffledIndices(count, settings.seed, epoch);
      // Running sums over the epoch: batch points carry the epoch's mean so far, as Keras's do.
      const sums = new Float64Array(names.length);
      let epochSamples = 0;
      let lastReported = -1;
      const running = (): Record<string, number> => logsOf(names, sums, epochSamples);

      for (let batch = 0; batch < batchesPerEpoch; batch++) {
        // A macrotask turn, so a stop or pause message queued by the parent process is seen now.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const hold = hooks.whilePaused?.();
        if (hold) {
          const pausedAt = performance.now();
          await hold;
          // Time spent paused is not training time: samples/s and the ETA leave it out.
          pausedMs += performance.now() - pausedAt;
        }
        if (hooks.shouldStop()) {
          if (batch > 0 && lastReported !== batch - 1) hooks.onBatch?.({ kind: 'batch', epoch, batch: batch - 1, step, logs: running() }, stats());
          if (epochsDone === initialEpoch && epochSamples > 0) finalLogs = running();
          // The user's stop keeps the weights reached so far: no onTrainEnd, so no restoring.
          return result(true);
        }
        const rows = order.subarray(batch * batchSize, Math.min((batch + 1) * batchSize, count));
        const values = await trainStep(rows, { epoch, batch });
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
      if (validation) Object.assign(logs, evaluate(tf, model, validation, data.inputShapes, data.outputUnits, batchSize, names, withAliases, data.targetShape));
      epochsDone = epoch + 1;
      // Callbacks first: they may add to the logs (the learning rate) and ask to stop.
      callbacks.onEpochEnd(epoch, logs);
      finalLogs = logs;
      // Awaited: a checkpoint reads the weights before the next batch changes them.
      await hooks.onEpoch?.({ kind: 'epoch', epoch, batch: batchesPerEpoch - 1, step, logs }, stats());
    }
    callbacks.onTrainEnd();
    const restored = earlyStopping?.restoredLogs;
    if (restored) finalLogs = restored;
    return result(false);
  } finally {
    callbacks.dispose();
  }
}

/** The callbacks the settings ask for, in the order Keras users list them. */
function makeCallbacks(settings: TrainSettings, logNames: string[], hasValidation: boolean): { callbacks: CallbackList; earlyStopping?: EarlyStopping } {
  const list: Callback[] = [];
  let earlyStopping: EarlyStopping | undefined;
  if (settings.reduceLrOnPlateau) {
    const { monitor, ...options } = withDefaults(REDUCE_LR_DEFAULTS, settings.reduceLrOnPlateau);
    list.push(new ReduceLrOnPlateau(resolveMonitor(monitor, settings.metrics, logNames, hasValidation, 'reduceLrOnPlateau.monitor'), options));
  }
  if (settings.earlyStopping) {
    const { monitor, ...options } = withDefaults(EARLY_STOPPING_DEFAULTS, settings.earlyStopping);
    earlyStopping = new EarlyStopping(resolveMonitor(monitor, settings.metrics, logNames, hasValidation, 'earlyStopping.monitor'), options);
    list.push(earlyStopping);
  }
  return earlyStopping ? { callbacks: new CallbackList(list), earlyStopping } : { callbacks: new CallbackList(list) };
}

/** `defaults` overridden by the fields `given` sets (a field present as undefined is not set). */
function withDefaults<T extends object>(defaults: Required<T>, given: T): Required<T> {
  const set = Object.entries(given).filter(([, v]) => v !== undefined);
  return { ...defaults, ...Object.fromEntries(set) };
}

/** Validation loss and metrics, in batches so memory is bounded by the batch, not the split. */
function evaluate(
  tf: Tf,
  model: TF.LayersModel,
  split: DataSplit,
  inputShapes: number[][],
  outputUnits: number,
  batchSize: number,
  names: string[],
  withAliases: (values: number[]) => number[],
  targetShape: number[] = [outputUnits],
): Record<string, number> {
  const all = new Uint32Array(split.count).map((_, i) => i);
  const sums = new Float64Array(names.length);
  for (let start = 0; start < split.count; start += batchSize) {
    const rows = all.subarray(start, Math.min(start + batchSize, split.count));
    const values = tf.tidy(() => {
      const xs = batchInputs(tf, split, inputShapes, rows);
      const ys = tf.tensor(gather(split.y, rows, outputUnits), [rows.length, ...targetShape]);
      const out = model.evaluate(xs.length === 1 ? xs[0]! : xs, ys, { batchSize: rows.length });
      return withAliases((Array.isArray(out) ? out : [out]).map((t) => t.dataSync()[0] ?? NaN));
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
  const atLeast0 = (name: string, v: number | undefined, int: boolean) => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v < 0 || (int && !Number.isInteger(v)))
      throw new AppError('INVALID_REQUEST', `Training setting '${name}' must be ${int ? 'a whole number' : 'a number'} of at least 0; got ${v}.`);
  };
  const es = s.earlyStopping;
  if (es) {
    atLeast0('earlyStopping.patience', es.patience, true);
    atLeast0('earlyStopping.minDelta', es.minDelta, false);
  }
  const rl = s.reduceLrOnPlateau;
  if (rl) {
    atLeast0('reduceLrOnPlateau.patience', rl.patience, true);
    atLeast0('reduceLrOnPlateau.minDelta', rl.minDelta, false);
    atLeast0('reduceLrOnPlateau.minLearningRate', rl.minLearningRate, false);
    if (rl.factor !== undefined && !(rl.factor > 0 && rl.factor < 1))
      throw new AppError('INVALID_REQUEST', `Training setting 'reduceLrOnPlateau.factor' must be between 0 and 1 (exclusive), as the rate is multiplied by it; got ${rl.factor}.`);
  }
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
