/**
 * Labelling image datasets: the images page by page, their classes and boxes, and the edits.
 * Every edit is a {@link LabelOp} applied in one transaction; the core answers with the op that
 * undoes it, so the renderer's undo stack is a list of (op, inverse) pairs it sends back.
 */
import { z } from 'zod';
import { method } from './contract.js';
import type { Box, ImageDatasetStats, ImageItem, ItemFilter, LabelClass } from '../images.js';

const id = z.string().min(1);
const itemId = z.number().int().positive();
const split = z.enum(['train', 'validation', 'test']);
const coord = z.number().finite();

const newBox = z.object({
  /** Given when an undo puts back a deleted box, so later ops that name it still apply. */
  id: z.number().int().positive().optional(),
  itemId,
  classId: z.number().int().positive(),
  x: coord,
  y: coord,
  w: coord.positive(),
  h: coord.positive(),
  status: z.enum(['confirmed', 'proposal']),
  score: z.number().min(0).max(1).nullable(),
  source: z.string().max(200).nullable(),
});

const boxChange = z.object({
  id: z.number().int().positive(),
  x: coord.optional(),
  y: coord.optional(),
  w: coord.positive().optional(),
  h: coord.positive().optional(),
  classId: z.number().int().positive().optional(),
  status: z.enum(['confirmed', 'proposal']).optional(),
});

export type NewBox = z.infer<typeof newBox>;
export type BoxChange = z.infer<typeof boxChange>;

export type LabelOp =
  | { kind: 'setClass'; items: { itemId: number; classId: number | null }[] }
  | { kind: 'setSplit'; items: { itemId: number; split: 'train' | 'validation' | 'test' | null }[] }
  | { kind: 'setReviewed'; items: { itemId: number; reviewed: boolean }[] }
  | { kind: 'addBoxes'; boxes: NewBox[] }
  | { kind: 'deleteBoxes'; ids: number[] }
  | { kind: 'updateBoxes'; boxes: BoxChange[] }
  | { kind: 'batch'; ops: LabelOp[] };

export const labelOpSchema: z.ZodType<LabelOp> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('setClass'), items: z.array(z.object({ itemId, classId: z.number().int().positive().nullable() })).min(1) }),
    z.object({ kind: z.literal('setSplit'), items: z.array(z.object({ itemId, split: split.nullable() })).min(1) }),
    z.object({ kind: z.literal('setReviewed'), items: z.array(z.object({ itemId, reviewed: z.boolean() })).min(1) }),
    z.object({ kind: z.literal('addBoxes'), boxes: z.array(newBox).min(1) }),
    z.object({ kind: z.literal('deleteBoxes'), ids: z.array(z.number().int().positive()).min(1) }),
    z.object({ kind: z.literal('updateBoxes'), boxes: z.array(boxChange).min(1) }),
    z.object({ kind: z.literal('batch'), ops: z.array(labelOpSchema).min(1) }),
  ]),
);

export const itemFilterSchema = z.object({
  datasetId: id,
  status: z.enum(['all', 'unlabelled', 'labelled', 'has-proposals', 'unreviewed']).optional(),
  classId: z.number().int().positive().optional(),
  split: z.enum(['train', 'validation', 'test', 'none']).optional(),
  minScore: z.number().min(0).max(1).optional(),
  maxScore: z.number().min(0).max(1).optional(),
  search: z.string().max(500).optional(),
  sort: z.enum(['name', 'added', 'review', 'confidence']).optional(),
});

export interface ItemPage {
  total: number;
  offset: number;
  items: ImageItem[];
}

export interface ApplyResult {
  /** Apply this to undo the op; null when the op changed nothing (nothing to undo). */
  inverse: LabelOp | null;
  /** The op the core built and applied (split, accept proposals): what a redo applies again. */
  op?: LabelOp;
  /** The items the op touched, as they are now (counters updated). */
  items: ImageItem[];
  /** The boxes of those items, as they are now. */
  boxes: Box[];
}

export interface PrelabelProgress {
  jobId: string;
  datasetId: string;
  done: number;
  total: number;
  proposals: number;
  imagesPerSec: number;
  finished: boolean;
  /** Images that could not be read (they keep what they had), and the first one's reason. */
  failed?: number;
  firstFailure?: string;
  /** Set when the job ended with an error (the proposals made until then are kept). */
  error?: string;
  cancelled?: boolean;
}

export interface ProposerInfo {
  id: string;
  name: string;
  classes: string[];
  /** Why it cannot run here, if it cannot. */
  unavailable?: string;
}

export const labelsSpec = {
  /** One page of a dataset's images, filtered and sorted. */
  items: method<ItemPage>()(z.object({ filter: itemFilterSchema, offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) })),
  /** The ids of every image the filter keeps, in its order (select all, the review queue). */
  itemIds: method<number[]>()(z.object({ filter: itemFilterSchema })),
  /** One image with its boxes. */
  item: method<{ item: ImageItem; boxes: Box[] }>()(z.object({ itemId })),
  /** Boxes of several images at once (the neighbours of the current one, prefetched). */
  boxes: method<Box[]>()(z.object({ itemIds: z.array(itemId).max(1000) })),
  classes: method<LabelClass[]>()(z.object({ datasetId: id })),
  addClass: method<LabelClass>()(z.object({ datasetId: id, name: z.string().trim().min(1).max(100) })),
  updateClass: method<LabelClass>()(
    z.object({
      classId: z.number().int().positive(),
      name: z.string().trim().min(1).max(100).optional(),
      key: z.string().length(1).nullable().optional(),
      color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
    }),
  ),
  apply: method<ApplyResult>()(z.object({ datasetId: id, op: labelOpSchema })),
  /** Accepts every proposal at or above minScore (on the given images, or the whole dataset). */
  acceptProposals: method<ApplyResult>()(z.object({ datasetId: id, minScore: z.number().min(0).max(1), itemIds: z.array(itemId).optional() })),
  stats: method<ImageDatasetStats>()(z.object({ datasetId: id })),
  /** A stratified random split (by each image's class, or its boxes' first class) with a seed; undoable. */
  split: method<ApplyResult>()(
    z.object({
      datasetId: id,
      seed: z.number().int(),
      validationFraction: z.number().min(0).max(0.9),
      testFraction: z.number().min(0).max(0.9),
    }),
  ),
  proposers: method<ProposerInfo[]>()(z.object({ datasetId: id })),
  /** Starts proposing boxes in a background process; emits `prelabel.progress`. */
  prelabel: method<{ jobId: string }>()(
    z.object({ datasetId: id, proposer: z.string().min(1).optional(), itemIds: z.array(itemId).optional(), minScore: z.number().min(0).max(1).optional() }),
  ),
  cancelPrelabel: method<void>()(z.object({ jobId: z.string().min(1) })),
};

export type { ItemFilter };
