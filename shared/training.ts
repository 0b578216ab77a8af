/** Training settings, runs and their progress. */
import type { ModelGraph } from './graph.js';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;
export const LOSSES = ['meanAbsoluteError', 'meanSquaredError', 'categoricalCrossentropy', 'binaryCrossentropy'] as const;
export const METRICS = ['mae', 'mse', 'accuracy'] as const;
export const BACKENDS = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

export type Optimizer = (typeof OPTIMIZERS)[number];
export type Loss = (typeof LOSSES)[number];
export type Metric = (typeof METRICS)[number];
export type BackendChoice = (typeof BACKENDS)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

export interface TrainSettings {
  optimizer: Optimizer;
  learningRate: number;
  loss: Loss;
  metrics: Metric[];
  batchSize: number;
  epochs: number;
  seed: number;
  backend: BackendChoice;
  /** Send a batch-level progress event every this many batches (epochs always report). */
  batchReportEvery: number;
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

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed';

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
