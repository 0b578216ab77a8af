import { z } from 'zod';
import { method } from './contract.js';
import type { TryForm, TryPrediction } from '../tryit.js';

const runId = z.string().min(1);
const cell = z.string().max(10_000);

/** Trying a trained run on new input, with exactly the preprocessing it trained with. */
export const tryitSpec = {
  /** What the run takes: its input columns (kinds, categories, starting values), window and target. */
  form: method<TryForm>()(z.object({ runId })),
  /**
   * Predicts one sample: either `rows` (the form's cells, one row per step of the window, in the
   * form's column order) or `csv` (pasted text, read as the form reads a paste).
   */
  predict: method<TryPrediction>()(
    z
      .object({ runId, rows: z.array(z.array(cell).max(10_000)).min(1).max(10_000).optional(), csv: z.string().max(5_000_000).optional() })
      .refine((i) => (i.rows === undefined) !== (i.csv === undefined), 'give either rows or csv, not both or neither'),
  ),
};
