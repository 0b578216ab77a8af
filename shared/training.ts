/** Training settings, runs and their progress. */
import type { ModelGraph } from './graph.js';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;
/** 'gridDetection': a detector's grid loss (shared/detection.ts, GRID_LOSS_WEIGHTS). */
export const LOSSES = ['meanAbsoluteError', 'meanSquaredError', 'categoricalCrossentropy', 'binaryCrossentropy', 'gridDetection'] as const;
export const METRICS = ['mae', 'mse', 'accuracy'] as const;
export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

export type Optimizer = (typeof OPTIMIZERS)[number];
export type Loss = (typeof LOSSES)[number];
export type Metric = (typeof METRICS)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** What early stopping and reduce-on-plateau watch: the loss or a metric, on validation or training data. */
export const MONITORS = ['val_loss', 'loss', 'val_accuracy', 'accuracy', 'val_mae', 'mae', 'val_mse', 'mse'] as const;
export type Monitor = (typeof MONITORS)[number];
export const CLASS_WEIGHTS = ['none', 'balanced'] as const;
export type ClassWeightMode = (typeof CLASS_WEIGHTS)[number];

/**
 * Keras `EarlyStopping`: ends the run once `monitor` has not improved by more than `minDelta` for
 * `patience` epochs. A `val_*` monitor falls back to its training value when there is no
 * validation split. Accuracy is watched for a rise, the others for a fall.
 */
export interface EarlyStoppingSettings {
  monitor?: Monitor;
  patience?: number;
  minDelta?: number;
  /** At the end, put back the weights of the best epoch (a run stopped by the user keeps its own). */
  restoreBestWeights?: boolean;
}

/** Keras `ReduceLROnPlateau`: multiplies the learning rate by `factor` after `patience` epochs without improvement. */
export interface ReduceLrOnPlateauSettings {
  monitor?: Monitor;
  /** Between 0 and 1. */
  factor?: number;
  patience?: number;
  minDelta?: number;
  /** The rate is never lowered below this. */
  minLearningRate?: number;
}

export const EARLY_STOPPING_DEFAULTS: Required<EarlyStoppingSettings> = { monitor: 'val_loss', patience: 10, minDelta: 0, restoreBestWeights: true };
export const REDUCE_LR_DEFAULTS: Required<ReduceLrOnPlateauSettings> = { monitor: 'val_loss', factor: 0.1, patience: 5, minDelta: 1e-4, minLearningRate: 1e-6 };

export interface TrainSettings {
  optimizer: Optimizer;
  learningRate: number;
  /** SGD only: Keras's SGD(momentum), 0 ≤ m < 1; absent or 0 is plain SGD. */
  momentum?: number;
  loss: Loss;
  metrics: Metric[];
  batchSize: number;
  epochs: number;
  seed: number;
  backend: BackendChoice;
  /** Send a batch-level progress event every this many batches (epochs always report). */
  batchReportEvery: number;
  /** On when present; missing fields take EARLY_STOPPING_DEFAULTS. */
  earlyStopping?: EarlyStoppingSettings;
  /** On when present; missing fields take REDUCE_LR_DEFAULTS. Epoch logs then carry the rate as `lr`. */
  reduceLrOnPlateau?: ReduceLrOnPlateauSettings;
  /**
   * 'balanced' weighs each training sample's loss by n / (classes × samples of its class), as
   * scikit-learn's compute_class_weight; needs a cross-entropy loss. Default 'none'.
   */
  classWeight?: ClassWeightMode;
  /** Random changes to image inputs (height × width × channels) of training batches; off when absent. */
  augmentation?: Augmentation;
}

export interface Augmentation {
  /** Mirror left to right, half of the time. */
  flip?: boolean;
  /** Move by up to this fraction of the width and height (0–0.5). */
  shift?: number;
  /** Add up to ± this to every value (in the input's units: 0.1 on images scaled to 0–1). */
  brightness?: number;
  /** Scale each image about its mean by 1 ± up to this (0–1). */
  contrast?: number;
}

export const DEFAULT_TRAIN_SETTINGS: TrainSettings = {
  optimizer: 'adam',
  learningRate: 0.001,
  loss: 'meanAbsoluteError',
  metrics: ['mae'],
  batchSize: 72,
  epochs: 50,
  seed: 42,
  backend: 'auto',
  batchReportEvery: 10,
};

/** What early stopping did in a run. Epochs are 0-based, as in MetricPoint. */
export interface EarlyStoppingReport {
  /** The log key watched (after the `val_*` fallback), e.g. 'val_loss' or 'acc'. */
  monitor: string;
  /** The epoch at whose end the run was ended; absent when it ran all its epochs. */
  stoppedEpoch?: number;
  bestEpoch: number;
  best: number;
  /** The weights were put back to the best epoch's (they differed from the last epoch's). */
  restoredBestWeights: boolean;
}

/** 'paused' is a running run held between two batches; it goes on from there. */
export type RunStatus = 'queued' | 'running' | 'paused' | 'completed' | 'stopped' | 'failed';

/** One backend the engine tried: whether it loaded, and why not. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendInfo {
  name: BackendName;
  device: string;
  attempts: BackendAttempt[];
}

export interface MetricPoint {
  kind: 'batch' | 'epoch';
  epoch: number;
  /** Batch index within the epoch (batch points), or the last batch (epoch points). */
  batch: number;
  /** Global step: batches seen since the run began. */
  step: number;
  logs: Record<string, number>;
}

export interface RunSummary {
  id: string;
  name: string;
  datasetId: string;
  status: RunStatus;
  error?: string;
  settings: TrainSettings;
  backend?: BackendInfo;
  epochsDone: number;
  finalLogs?: Record<string, number>;
  samplesPerSec?: number;
  startedAt: string;
  endedAt?: string;
  hasWeights: boolean;
  /** What early stopping decided, when it was on. */
  earlyStopping?: EarlyStoppingReport;
  /** The epochs (0-based) whose weights the run checkpointed: its best so far and its latest. */
  checkpoints?: { best?: number; last?: number };
  /** Hidden from the run lists by the user (present only when true); the run and its weights are kept. */
  hidden?: boolean;
}

export interface Run extends RunSummary {
  graph: ModelGraph;
  metrics: MetricPoint[];
}

export interface TrainingProgress {
  runId: string;
  point: MetricPoint;
  epochs: number;
  batchesPerEpoch: number;
  samplesPerSec: number;
  elapsedMs: number;
  etaMs: number;
  /** 0..1 of the whole run. */
  fraction: number;
}

export interface TrainingStatusEvent {
  runId: string;
  status: RunStatus;
  error?: string;
  backend?: BackendInfo;
}
