import { z } from 'zod';
import { method } from './contract.js';
import type { RunSummary } from '../training.js';
import { COMPARE_MAX, COMPARE_MIN, type RunComparison } from '../runs.js';

const runId = z.string().min(1);

/** Looking after the runs a project has made: names, what the lists show, deleting, comparing. */
export const runsSpec = {
  rename: method<RunSummary>()(z.object({ runId, name: z.string().trim().min(1, 'a run name cannot be empty').max(200) })),
  /** Hidden runs are kept with their weights; the run lists leave them out until shown again. */
  hide: method<RunSummary>()(z.object({ runId, hidden: z.boolean() })),
  /** Deletes a run that is not training, with its metrics, weights, checkpoints, evaluation and prep. */
  remove: method<void>()(z.object({ runId })),
  /** Two to four runs side by side: settings (differences flagged), best and final metrics, per-epoch curves. */
  compare: method<RunComparison>()(
    z.object({
      runIds: z
        .array(runId)
        .min(COMPARE_MIN, `pick at least ${COMPARE_MIN} runs to compare`)
        .max(COMPARE_MAX, `pick at most ${COMPARE_MAX} runs to compare`)
        .refine((ids) => new Set(ids).size === ids.length, 'each run can be picked once'),
    }),
  ),
};
