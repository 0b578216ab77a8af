/**
 * The core's side of training a classifier on an image dataset: which images train, validate and
 * test (their own split; images without one get the seeded stratified split the Label view
 * makes), their classes, and decoding them at the model's Input shape into the cache while the
 * trainer starts, with progress as `training.preparing` events.
 */
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { ImageDataset } from '../../shared/dataset.js';
import type { Split } from '../../shared/images.js';
import { stratifiedSplit } from '../../shared/labels-split.js';
import { imageClassificationProblem, imageDetectionProblem, imageLayout, imageTask } from '../../shared/image-layout.js';
import type { FeatureLayout } from '../../shared/dataset.js';
import type { ModelGraph } from '../../shared/graph.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { prepareTrainingImages, type PreparedSplit, type TrainingImage } from '../importers/images/training-data.js';
import type { ImageDataSource } from '../jobs/messages.js';
import type { ProjectStore } from '../store/index.js';
import type { CoreContext } from '../core.js';
import { detectionImagesForTraining, detectionPrepNote, type DetectionImages } from './detection-data.js';

/** As the Label view's Split button starts: seed 42, 10 % validation, 20 % test. */
export const DEFAULT_IMAGE_SPLIT = { seed: 42, validationFraction: 0.1, testFraction: 0.2 };
const PROGRESS_MS = 100;
const NAMED_SKIPS = 5;

/** The dataset's layout for a classifier (or a detector); throws when it cannot train one yet (no image with a class, one class only; no confirmed box). */
export function trainableImageLayout(store: ProjectStore, d: ImageDataset): FeatureLayout {
  const stats = store.images.stats(d.id);
  const task = imageTask(d, stats);
  const problem = task === 'detection' ? imageDetectionProblem(d.name, stats) : imageClassificationProblem(d.name, stats);
  if (problem) throw new AppError('LABEL_INVALID', problem, { datasetId: d.id });
  return imageLayout(d, store.images.classes(d.id).map((c) => c.name), task);
}

/** The layout templates are sized from: as trainableImageLayout, but never refusing (a template may come before the labels). */
export function imageLayoutFor(store: ProjectStore, d: ImageDataset): FeatureLayout {
  return imageLayout(d, store.images.classes(d.id).map((c) => c.name), imageTask(d, store.images.stats(d.id)));
}

/** The (height, width, channels) the graph's single Input takes: what the images are resized to (model fit checked it). */
export function imageShapeOf(graph: ModelGraph): [number, number, number] {
  const a = analyzeGraph(graph);
  const shape = a.nodes[a.inputs[0] ?? '']?.outputShape?.slice(1) ?? [];
  if (a.inputs.length !== 1 || shape.length !== 3 || shape.some((v) => typeof v !== 'number') || ![1, 3].includes(shape[2] as number))
    throw new AppError('GRAPH_INVALID', `An image model takes one Input of (height, width, channels) with 1 or 3 channels; this one takes ${JSON.stringify(shape)}.`);
  return shape as [number, number, number];
}

/**
 * The labelled images with their class index and split; unlabelled ones are only counted.
 * `keepSplit` (starting a run): labelled images without a split get the stratified split and keep
 * it, as the Label view's Split button would give them, so a later relabel does not reshuffle the
 * test images into training and the run's evaluation sees the images it was tested on.
 */
export function imagesForTraining(store: ProjectStore, d: ImageDataset, opts: { keepSplit?: boolean } = {}): { images: TrainingImage[]; classes: string[]; unlabelled: number } {
  const classes = store.images.classes(d.id);
  const index = new Map(classes.map((c, i) => [c.id, i]));
  const rows = store.images.trainingItems(d.id);
  const labelled = rows.filter((r) => r.classId !== null && index.has(r.classId));
  const unsplit = labelled.filter((r) => r.split === null).map((r) => ({ id: r.id, stratum: r.classId }));
  const drawn = unsplit.length ? stratifiedSplit(unsplit, DEFAULT_IMAGE_SPLIT) : new Map<number, Split>();
  if (opts.keepSplit && drawn.size > 0) store.images.apply(d.id, { kind: 'setSplit', items: [...drawn].map(([itemId, split]) => ({ itemId, split })) });
  const images = labelled.map((r) => ({
    id: r.id,
    file: path.join(store.mediaDir, `${r.sha256}${r.ext}`),
    relPath: r.relPath,
    label: index.get(r.classId!)!,
    split: r.split ?? drawn.get(r.id) ?? 'train',
  }));
  return { images, classes: classes.map((c) => c.name), unlabelled: rows.length - labelled.length };
}

/**
 * Decodes (or finds in the cache) the asked splits at `shape`, reporting progress for `runId`.
 * Returns what the trainer reads and a summary the run keeps (counts, images skipped and why).
 */
export async function prepareImageData(
  ctx: CoreContext,
  store: ProjectStore,
  d: ImageDataset,
  shape: [number, number, number],
  splits: Split[],
  opts: { runId?: string; signal?: AbortSignal; images?: ReturnType<typeof imagesForTraining> | DetectionImages; task?: 'classification' | 'detection' } = {},
): Promise<{ data: ImageDataSource; prep: Record<string, unknown> }> {
  // 70,000 rows take a good part of a second to read: a caller that has them passes them.
  const task = opts.task ?? imageTask(d, store.images.stats(d.id));
  const chosen = opts.images ?? (task === 'detection' ? detectionImagesForTraining(store, d) : imagesForTraining(store, d));
  const { images, classes, unlabelled } = chosen;
  const detection = 'truths' in chosen ? (chosen as DetectionImages) : null;
  let last = 0;
  const skippedFiles: string[] = [];
  const note = detection ? detectionPrepNote(detection) : unlabelledNote(unlabelled);
  const emit = (p: { images: number; total: number; skipped: number }, done: boolean) => {
    if (!opts.runId) return;
    const now = Date.now();
    if (!done && now - last < PROGRESS_MS) return;
    last = now;
    ctx.emit('training.preparing', { runId: opts.runId, ...p, skippedFiles: skippedFiles.slice(0, NAMED_SKIPS), done, ...(done && note ? { note } : {}) });
  };
  let progress = { images: 0, total: 0, skipped: 0 };
  const prepared = await prepareTrainingImages({
    cacheDir: store.cacheDir,
    datasetId: d.id,
    shape: { height: shape[0], width: shape[1], channels: shape[2] as 1 | 3 },
    classes,
    images,
    splits,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onProgress: (p) => emit((progress = p), false),
  });
  const kept = splits.map((s) => prepared[s]).filter((s): s is PreparedSplit => !!s);
  const skipped = kept.flatMap((s) => s.skipped);
  skippedFiles.push(...skipped.slice(0, NAMED_SKIPS).map((s) => s.message));
  emit({ ...progress, skipped: skipped.length }, true);
  if (kept.every((s) => s.count === 0) && skipped.length > 0)
    throw new AppError('IMAGE_CORRUPT', `None of the ${skipped.length} images could be decoded; the first: ${skipped[0]!.message}`);
  const data: ImageDataSource = {
    kind: 'images',
    shape,
    classes,
    splits: Object.fromEntries(splits.flatMap((s) => (prepared[s] ? [[s, { file: prepared[s].file, count: prepared[s].count, labels: prepared[s].labels, itemIds: prepared[s].itemIds }]] : []))),
    ...(detection ? { detection: { truths: detection.truths } } : {}),
  };
  const counts = Object.fromEntries(splits.map((s) => [s, prepared[s]?.count ?? 0]));
  const summary = { shape, classes, counts, unlabelled, skipped: skipped.length, skippedFiles: skipped.slice(0, 50) };
  return {
    data,
    prep: { images: detection ? { ...summary, task: 'detection', negatives: detection.negatives, ...(note ? { note } : {}) } : summary },
  };
}

/** A classifier's images without a class are left out: said once, so the user knows to label them. */
function unlabelledNote(unlabelled: number): string | null {
  if (unlabelled === 0) return null;
  return `${unlabelled} image${unlabelled === 1 ? ' has' : 's have'} no class and ${unlabelled === 1 ? 'is' : 'are'} left out (give ${unlabelled === 1 ? 'it a class' : 'them classes'} in the Label view to train on ${unlabelled === 1 ? 'it' : 'them'}).`;
}
