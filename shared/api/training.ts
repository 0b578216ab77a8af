import { z } from 'zod';
import { method } from './contract.js';
import { BACKENDS, LOSSES, METRICS, OPTIMIZERS, type BackendInfo, type Run, type RunSummary } from '../training.js';

export const trainSettingsSchema = z.object({
  optimizer: z.enum(OPTIMIZERS),
  learningRate: z.number().positive().max(10),
  loss: z.enum(LOSSES),
  metrics: z.array(z.enum(METRICS)),
  batchSize: z.number().int().min(1).max(65_536),
  epochs: z.number().int().min(1).max(100_000),
  seed: z.number().int(),
  backend: z.enum(BACKENDS),
  batchReportEvery: z.number().int().min(1).max(100_000),
});

const runId = z.string().min(1);

export const trainingSpec = {
  /** Starts training the current model on a dataset in a trainer process; resolves once it is running. */
  start: method<RunSummary>()(z.object({ datasetId: z.string().min(1), settings: trainSettingsSchema, name: z.string().max(200).optional() })),
  /**
   * Ends a run after its current batch (a trainer that does not answer within a second is killed).
   * The run is kept as "stopped", with the weights it had reached when it stopped.
   */
  stop: method<void>()(z.object({ runId })),
  list: method<RunSummary[]>()(z.object({})),
  get: method<Run>()(z.object({ runId })),
  /** Resolves when the run has ended (completed, stopped or failed). */
  wait: method<RunSummary>()(z.object({ runId })),
  /** Which backends load on this machine, best first, and why the others do not. */
  backends: method<BackendInfo>()(z.object({ backend: z.enum(BACKENDS).optional() })),
};
