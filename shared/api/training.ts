import { z } from 'zod';
import { method } from './contract.js';
import { BACKENDS, CLASS_WEIGHTS, LOSSES, METRICS, MONITORS, OPTIMIZERS, type BackendInfo, type Run, type RunSummary } from '../training.js';

const patience = z.number().int().min(0).max(100_000);
const minDelta = z.number().min(0).max(1e9);

export const earlyStoppingSchema = z.object({
  monitor: z.enum(MONITORS).optional(),
  patience: patience.optional(),
  minDelta: minDelta.optional(),
  restoreBestWeights: z.boolean().optional(),
});

export const reduceLrOnPlateauSchema = z.object({
  monitor: z.enum(MONITORS).optional(),
  factor: z.number().gt(0).lt(1).optional(),
  patience: patience.optional(),
  minDelta: minDelta.optional(),
  minLearningRate: z.number().min(0).max(10).optional(),
});

export const trainSettingsSchema = z.object({
  optimizer: z.enum(OPTIMIZERS),
  learningRate: z.number().positive().max(10),
  momentum: z.number().min(0).lt(1).optional(),
  loss: z.enum(LOSSES),
  metrics: z.array(z.enum(METRICS)),
  batchSize: z.number().int().min(1).max(65_536),
  epochs: z.number().int().min(1).max(100_000),
  seed: z.number().int(),
  backend: z.enum(BACKENDS),
  batchReportEvery: z.number().int().min(1).max(100_000),
  earlyStopping: earlyStoppingSchema.optional(),
  reduceLrOnPlateau: reduceLrOnPlateauSchema.optional(),
  classWeight: z.enum(CLASS_WEIGHTS).optional(),
  augmentation: z
    .object({
      flip: z.boolean().optional(),
      shift: z.number().min(0).max(0.5).optional(),
      brightness: z.number().min(0).max(10).optional(),
      contrast: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

const runId = z.string().min(1);

/** A run on an image dataset decodes its images (once; then they are cached) before it trains. */
export interface TrainingPreparing {
  runId: string;
  /** Images handled so far, of `total` still to decode (0 when every split came from the cache). */
  images: number;
  total: number;
  /** Images that could not be decoded, and the first few of them, named with the reason. */
  skipped: number;
  skippedFiles: string[];
  done: boolean;
  /** Once done: the images left out as unlabelled, or trained as negatives (a detector), in a sentence. */
  note?: string;
}

export const trainingSpec = {
  /** Starts training the current model on a dataset in a trainer process; resolves once it is running. */
  start: method<RunSummary>()(z.object({ datasetId: z.string().min(1), settings: trainSettingsSchema, name: z.string().max(200).optional() })),
  /**
   * Ends a run after its current batch (a trainer that does not answer within a second is killed).
   * The run is kept as "stopped", with the weights it had reached when it stopped.
   */
  stop: method<void>()(z.object({ runId })),
  /** Holds a training run between two batches (paused: true), or lets it go on (false). Its clock stops too. */
  pause: method<void>()(z.object({ runId, paused: z.boolean() })),
  /**
   * Trains a stopped or failed run further, as a new run with the same graph, dataset and settings:
   * from its latest weights (the ones it stopped with, else its latest checkpoint) or its best
   * checkpoint, up to `epochs` in all (default: the run's own). Optimizer state starts afresh.
   */
  resume: method<RunSummary>()(
    z.object({ runId, from: z.enum(['latest', 'best']).optional(), epochs: z.number().int().min(1).max(100_000).optional() }),
  ),
  list: method<RunSummary[]>()(z.object({})),
  get: method<Run>()(z.object({ runId })),
  /** Resolves when the run has ended (completed, stopped or failed). */
  wait: method<RunSummary>()(z.object({ runId })),
  /** Which backends load on this machine, best first, and why the others do not. */
  backends: method<BackendInfo>()(z.object({ backend: z.enum(BACKENDS).optional() })),
};
