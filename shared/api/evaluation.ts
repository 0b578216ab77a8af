import { z } from 'zod';
import { method } from './contract.js';
import type { Evaluation } from '../evaluation.js';
import type { GalleryPage } from '../evaluation-gallery.js';
import type { DetectionImagePage } from '../detection.js';

const classIndex = z.number().int().min(0);

export const evaluationSpec = {
  /** Evaluates a finished run on its dataset's test split and stores the result. */
  run: method<Evaluation>()(z.object({ runId: z.string().min(1) })),
  /** The stored evaluation of a run, or null if it has not been evaluated. */
  get: method<Evaluation | null>()(z.object({ runId: z.string().min(1) })),
  /**
   * The test items of one confusion-matrix cell (actual class × predicted class), most confident
   * first, a page at a time, with their top predicted probabilities: from the stored evaluation.
   */
  items: method<GalleryPage>()(
    z.object({
      runId: z.string().min(1),
      actual: classIndex,
      predicted: classIndex,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(200).default(24),
    }),
  ),
  /**
   * A detector's test images, a page at a time, with each box judged at `threshold` (default: the
   * evaluation's F1-optimal one): true positives, false positives and misses. 'errors' lists only
   * images with a false positive or a miss, most errors first.
   */
  detectionImages: method<DetectionImagePage>()(
    z.object({
      runId: z.string().min(1),
      threshold: z.number().min(0).max(1).optional(),
      show: z.enum(['all', 'errors']).default('all'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(100).default(12),
    }),
  ),
};
