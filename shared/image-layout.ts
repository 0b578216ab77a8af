/**
 * How an image dataset feeds a model: one image input and, for a classifier, one of the dataset's
 * classes out (one-hot over all of them, in the Label view's order; boxes play no part), for a
 * detector (task 'detection') a grid of cells of 5 + C values each (shared/detection.ts). The
 * input's shape is only a default: training resizes every image to whatever the model's Input takes.
 */
import type { FeatureLayout, ImageDataset } from './dataset.js';
import type { ImageDatasetStats } from './images.js';
import { GRID_BOX_CHANNELS } from './detection.js';

export const IMAGE_INPUT_NAME = 'image';
/** Images larger than this start at this side: a CNN on 224×224 photos is slow to train in TF.js. */
export const DEFAULT_IMAGE_SIDE = 64;

/** The (height, width, channels) a template starts from: the images' own when small (IDX: 28×28×1), else at most 64 a side. */
export function defaultImageShape(d: ImageDataset): [number, number, number] {
  const { height, width, channels } = d.config;
  const scale = Math.min(1, DEFAULT_IMAGE_SIDE / Math.max(height, width));
  return [Math.max(2, Math.round(height * scale)), Math.max(2, Math.round(width * scale)), channels];
}

/** A detector starts at 128×128 (or the images' size when smaller): a multiple of 16, the grid template's stride. */
export const DEFAULT_DETECTOR_SIDE = 128;
export const DETECTOR_STRIDE = 16;

export function defaultDetectorShape(d: ImageDataset): [number, number, number] {
  const side = (v: number) => Math.max(DETECTOR_STRIDE, Math.round(Math.min(v, DEFAULT_DETECTOR_SIDE) / DETECTOR_STRIDE) * DETECTOR_STRIDE);
  return [side(d.config.height), side(d.config.width), d.config.channels];
}

/**
 * What an image dataset trains: a classifier when its images carry classes and no confirmed box,
 * a detector when they carry confirmed boxes and no class; otherwise (both, or nothing labelled
 * yet) what the import found (`config.task`: a plain folder of photos is for detection).
 */
export function imageTask(d: ImageDataset, stats: ImageDatasetStats): 'classification' | 'detection' {
  const withClass = stats.classes.some((c) => c.images > 0);
  const withBoxes = stats.classes.some((c) => c.boxes > 0);
  if (withClass && !withBoxes) return 'classification';
  if (withBoxes && !withClass) return 'detection';
  return d.config.task;
}

/** `task` defaults to the import's (`config.task`); imageTask gives the one the labels say. */
export function imageLayout(d: ImageDataset, classes: string[], task: 'classification' | 'detection' = d.config.task): FeatureLayout {
  if (task === 'detection') {
    const shape = defaultDetectorShape(d);
    return {
      inputShape: shape,
      inputs: [{ name: IMAGE_INPUT_NAME, shape, featureNames: [], maxValue: null, image: true }],
      featureNames: [],
      target: 'boxes',
      task: 'detection',
      classes,
      outputUnits: GRID_BOX_CHANNELS + classes.length,
    };
  }
  const shape = defaultImageShape(d);
  return {
    inputShape: shape,
    inputs: [{ name: IMAGE_INPUT_NAME, shape, featureNames: [], maxValue: null, image: true }],
    featureNames: [],
    target: 'class',
    task: 'classification',
    classes,
    outputUnits: classes.length,
  };
}

/** Why a classifier cannot train on this dataset yet (no image has a class, or only one class has images), or null. */
export function imageClassificationProblem(name: string, stats: ImageDatasetStats): string | null {
  const used = stats.classes.filter((c) => c.images > 0);
  const withClass = used.reduce((n, c) => n + c.images, 0);
  if (withClass === 0) {
    const boxes = stats.classes.reduce((n, c) => n + c.boxes, 0);
    return (
      `Dataset '${name}' has no image with a class (${stats.images} images${boxes ? `, ${boxes} boxes` : ''}): ` +
      'give images a class in the Label view to train a classifier (boxes are not used for classification).'
    );
  }
  if (used.length < 2)
    return `Dataset '${name}' has images of one class only ('${used[0]!.name}', ${used[0]!.images} images); a classifier needs images of at least two classes.`;
  return null;
}

/** Why a detector cannot train on this dataset yet (no confirmed box), or null. Nothing labelled at all: says how to train either. */
export function imageDetectionProblem(name: string, stats: ImageDatasetStats): string | null {
  const boxes = stats.classes.reduce((n, c) => n + c.boxes, 0);
  if (boxes > 0) return null;
  const counts = `${stats.images} images${stats.proposals ? `, ${stats.proposals} proposals` : ''}`;
  const detector = 'draw boxes, or accept proposed ones, in the Label view to train a detector (proposals are not used until they are confirmed)';
  if (stats.classes.some((c) => c.images > 0)) return `Dataset '${name}' has no confirmed box (${counts}): ${detector}.`;
  return (
    `Dataset '${name}' has no image with a class (${counts}) and no confirmed box: ` +
    `give images a class in the Label view to train a classifier, or ${detector}.`
  );
}
