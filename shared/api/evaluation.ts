import { z } from 'zod';
import { method } from './contract.js';
import type { Evaluation } from '../evaluation.js';

export const evaluationSpec = {
  /** Evaluates a finished run on its dataset's test split and stores the result. */
  run: method<Evaluation>()(z.object({ runId: z.string().min(1) })),
  /** The stored evaluation of a run, or null if it has not been evaluated. */
  get: method<Evaluation | null>()(z.object({ runId: z.string().min(1) })),
};
