import { z } from 'zod';
import { method } from './contract.js';
import type { Dataset, FeatureLayout, ImageDataset, TabularDataset } from '../dataset.js';

const id = z.string().min(1);

export const columnSettingSchema = z.object({
  name: z.string(),
  role: z.enum(['feature', 'target', 'ignore']),
  encoding: z.enum(['onehot', 'integer']),
  input: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an input name: a letter, then letters, digits or _').optional(),
});

export const datasetConfigSchema = z.object({
  columns: z.array(columnSettingSchema).min(1),
  scaling: z.enum(['minmax', 'standard', 'none']),
  lookback: z.number().int().min(0).max(10_000),
  horizon: z.number().int().min(0).max(10_000).optional(),
  targetAsInput: z.boolean().optional(),
  split: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('chronological'),
      trainRows: z.number().int().min(1),
      validationFraction: z.number().min(0).max(0.9),
    }),
    z.object({
      kind: z.literal('random'),
      seed: z.number().int(),
      testFraction: z.number().min(0.01).max(0.9),
      validationFraction: z.number().min(0).max(0.9),
    }),
  ]),
});

export const datasetsSpec = {
  list: method<Dataset[]>()(z.object({})),
  get: method<Dataset>()(z.object({ id })),
  /** Imports a CSV file on the machine that runs the core; emits `import.progress`. */
  importCsv: method<TabularDataset>()(
    z.object({
      path: z.string().min(1),
      name: z.string().trim().min(1).max(200).optional(),
      /** Chosen by the caller so it can cancel before the first progress event arrives. */
      importId: z.string().min(1).max(100).optional(),
    }),
  ),
  /**
   * Imports images from a folder or file on the machine that runs the core: class folders, plain
   * folders, IDX, COCO, Pascal VOC, YOLO, or a video (sampled into frames). Bad files are listed
   * in the dataset's profile and the rest imported; emits `import.progress`.
   */
  importImages: method<ImageDataset>()(
    z.object({
      path: z.string().min(1),
      name: z.string().trim().min(1).max(200).optional(),
      importId: z.string().min(1).max(100).optional(),
      video: z
        .object({
          everyFrames: z.number().int().min(1).optional(),
          everySeconds: z.number().positive().optional(),
          skipSimilar: z.boolean().optional(),
          /** Frames at least this similar to the last one kept are skipped (0–1, default 0.995). */
          similarity: z.number().min(0).max(1).optional(),
        })
        .refine((v) => v.everyFrames === undefined || v.everySeconds === undefined, 'a frame every N frames or every S seconds, not both')
        .optional(),
    }),
  ),
  /** Writes an image dataset's images and confirmed labels as COCO, Pascal VOC or YOLO, with its split. */
  exportImages: method<{ dir: string; images: number }>()(
    z.object({ id, format: z.enum(['coco', 'voc', 'yolo']), dir: z.string().min(1).optional() }),
  ),
  /** Stops an import in progress; the project is left as it was before it began. */
  cancelImport: method<void>()(z.object({ importId: z.string() })),
  configure: method<TabularDataset>()(z.object({ id, config: datasetConfigSchema })),
  layout: method<FeatureLayout>()(z.object({ id })),
  rename: method<Dataset>()(z.object({ id, name: z.string().trim().min(1).max(200) })),
  remove: method<void>()(z.object({ id })),
};
