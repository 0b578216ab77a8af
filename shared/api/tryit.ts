import { z } from 'zod';
import { method } from './contract.js';
import { TRY_MAX_IMAGES, type TryForm, type TryImageResult, type TryPrediction } from '../tryit.js';

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
  /**
   * Classifies images (an image run): each file decoded and resized as training decoded its images.
   * A file that is not a readable image gets its own error; the others are still classified.
   */
  predictImages: method<TryImageResult[]>()(
    z.object({
      runId,
      /** Detectors: keep boxes scoring at least this (default: the form's threshold). */
      threshold: z.number().min(0).max(1).optional(),
      images: z
        .array(z.object({ name: z.string().min(1).max(1_000), data: z.string().min(1, 'an image file is empty').max(70_000_000, 'an image file is over 50 MB') }))
        .min(1, 'drop at least one image')
        .max(TRY_MAX_IMAGES, `at most ${TRY_MAX_IMAGES} images at a time`),
    }),
  ),
};
