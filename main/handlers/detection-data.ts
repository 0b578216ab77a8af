/**
 * The core's side of training a detector on an image dataset: which images train (only
 * confirmed boxes are ground truth; proposals are not), their split, and the boxes the trainer
 * encodes as grid targets. An image without a confirmed box trains as a negative (nothing in it)
 * only once someone marked it reviewed; otherwise it may simply not be labelled yet, and is left
 * out and counted.
 */
import path from 'node:path';
import type { ImageDataset } from '../../shared/dataset.js';
import type { Split } from '../../shared/images.js';
import { stratifiedSplit } from '../../shared/labels-split.js';
import type { TrainingImage } from '../importers/images/training-data.js';
import type { DetectionTruths } from '../jobs/messages.js';
import type { ProjectStore } from '../store/index.js';
import { DEFAULT_IMAGE_SPLIT } from './image-data.js';

/** The stratum of images without a box (negatives) in the seeded split. */
const NO_BOX = -1;

export interface DetectionImages {
  images: TrainingImage[];
  classes: string[];
  /** Images left out: no confirmed box and not marked reviewed. */
  unlabelled: number;
  /** Each kept image's size and confirmed boxes, by item id. */
  truths: DetectionTruths;
  negatives: number;
}

/**
 * The images a detector trains, validates and tests on. `keepSplit` (starting a run): images
 * without a split get the seeded split (stratified by their first box's class, negatives apart)
 * and keep it, as for classification, so the run's evaluation sees the images it was tested on.
 */
export function detectionImagesForTraining(store: ProjectStore, d: ImageDataset, opts: { keepSplit?: boolean } = {}): DetectionImages {
  const classes = store.images.classes(d.id);
  const index = new Map(classes.map((c, i) => [c.id, i]));
  const kept: { id: number; file: string; relPath: string; split: Split | null; stratum: number }[] = [];
  const truths: DetectionTruths = {};
  let unlabelled = 0;
  let negatives = 0;
  for (const { item, boxes } of store.images.allWithBoxes(d.id)) {
    const own = boxes.filter((b) => index.has(b.classId)).map((b) => ({ classIndex: index.get(b.classId)!, box: { x: b.x, y: b.y, w: b.w, h: b.h } }));
    if (own.length === 0 && !item.reviewed) {
      unlabelled++;
      continue;
    }
    if (own.length === 0) negatives++;
    truths[item.id] = { width: item.width, height: item.height, boxes: own };
    kept.push({ id: item.id, file: path.join(store.mediaDir, `${item.sha256}${item.ext}`), relPath: item.relPath, split: item.split, stratum: own[0]?.classIndex ?? NO_BOX });
  }
  const unsplit = kept.filter((k) => k.split === null).map((k) => ({ id: k.id, stratum: k.stratum }));
  const drawn = unsplit.length ? stratifiedSplit(unsplit, DEFAULT_IMAGE_SPLIT) : new Map<number, Split>();
  if (opts.keepSplit && drawn.size > 0) store.images.apply(d.id, { kind: 'setSplit', items: [...drawn].map(([itemId, split]) => ({ itemId, split })) });
  const images = kept.map((k) => ({
    id: k.id,
    file: k.file,
    relPath: k.relPath,
    // The decoded bytes do not depend on the boxes; the label only names the image's stratum in the cache's index.
    label: Math.max(0, k.stratum),
    split: k.split ?? drawn.get(k.id) ?? 'train',
  }));
  return { images, classes: classes.map((c) => c.name), unlabelled, truths, negatives };
}

/** What a detection run's prep summary says about the images it left out and trained as negatives. */
export function detectionPrepNote(chosen: DetectionImages): string | null {
  const parts: string[] = [];
  if (chosen.unlabelled > 0)
    parts.push(
      `${chosen.unlabelled} image${chosen.unlabelled === 1 ? ' has' : 's have'} no confirmed box and ${chosen.unlabelled === 1 ? 'is' : 'are'} not marked reviewed: left out (mark an image reviewed in the Label view to train it as one with nothing to find)`,
    );
  if (chosen.negatives > 0) parts.push(`${chosen.negatives} reviewed image${chosen.negatives === 1 ? '' : 's'} without boxes train as negatives`);
  return parts.length ? `${parts.join('; ')}.` : null;
}

/** What an image run trained: a detector when its trainer said so (its prep), else a classifier. Resuming and evaluating follow it, not the labels now. */
export function runTask(store: ProjectStore, runId: string): 'classification' | 'detection' {
  const prep = store.getRunPrep(runId) as { preprocessing?: { images?: { task?: string } } } | null;
  return prep?.preprocessing?.images?.task === 'detection' ? 'detection' : 'classification';
}
