/**
 * How an image dataset feeds a classifier: one image input, and one of the dataset's classes
 * out (one-hot over all of them, in the Label view's order). Boxes play no part. The input's
 * shape is only a default: training resizes every image to whatever the model's Input takes.
 */
import type { FeatureLayout, ImageDataset } from './dataset.js';
import type { ImageDatasetStats } from './images.js';

export const IMAGE_INPUT_NAME = 'image';
/** Images larger than this start at this side: a CNN on 224×224 photos is slow to train in TF.js. */
export const DEFAULT_IMAGE_SIDE = 64;

/** The (height, width, channels) a template starts from: the images' own when small (IDX: 28×28×1), else at most 64 a side. */
export function defaultImageShape(d: ImageDataset): [number, number, number] {
  const { height, width, channels } = d.config;
  const scale = Math.min(1, DEFAULT_IMAGE_SIDE / Math.max(height, width));
  return [Math.max(2, Math.round(height * scale)), Math.max(2, Math.round(width * scale)), channels];
}

export function imageLayout(d: ImageDataset, classes: string[]): FeatureLayout {
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
