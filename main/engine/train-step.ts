/**
 * One training step and the batches it takes: a batch's rows gathered into tensors (image inputs
 * augmented, a detector's grid targets mirrored with its flipped images, class weights attached),
 * run through the train function TF.js builds for fit, with the run's seeded noise.
 */
import type * as TF from '@tensorflow/tfjs';
import { flipGridTarget, GRID_BOX_CHANNELS } from '../../shared/detection.js';
import { AppError } from '../../shared/errors.js';
import type { Augmentation, Loss, TrainSettings } from '../../shared/training.js';
import { balancedClassWeights, classIndices, sampleWeights } from './class-weights.js';
import { seededRandom, withRandom } from './seed.js';
import { augmentImages, augmentationActive, isImageShape } from './augment.js';
import type { DataSplit, TrainData } from './train.js';

type Tf = typeof import('@tensorflow/tfjs');

export const CLASSIFICATION_LOSSES: readonly Loss[] = ['categoricalCrossentropy', 'binaryCrossentropy'];

/**
 * The parts of a compiled LayersModel that `trainOnBatch` runs: its input checks and its train
 * function, which (unlike `trainOnBatch`) takes per-sample loss weights, as `fit`'s classWeight
 * uses them. Protected in TF.js's types; present in tfjs-layers 4.x.
 */
interface ModelTrainInternals {
  standardizeUserDataXY(x: TF.Tensor[], y: TF.Tensor[], checkBatchAxis?: boolean): [TF.Tensor[], TF.Tensor[]];
  makeTrainFunction(): (data: TF.Tensor[]) => TF.Scalar[];
}

type TrainStep = (rows: Uint32Array, at: { epoch: number; batch: number }) => Promise<number[]>;

/**
 * One optimizer step on the given training rows; resolves to the batch's loss and metrics.
 * The step runs synchronously inside a seeded `Math.random`, so dropout masks follow the seed.
 */
export function makeTrainStep(tf: Tf, model: TF.LayersModel, data: TrainData, settings: TrainSettings): TrainStep {
  // A Sequential model trains the functional model it wraps, as its own trainOnBatch does.
  const internals = (model instanceof tf.Sequential ? (model as unknown as { model: TF.LayersModel }).model : model) as unknown as ModelTrainInternals;
  if (typeof internals.makeTrainFunction !== 'function' || typeof internals.standardizeUserDataXY !== 'function')
    throw new Error('This TF.js version has no LayersModel.makeTrainFunction/standardizeUserDataXY; train.ts needs updating.');
  const trainFunction = internals.makeTrainFunction();
  const noise = seededRandom(settings.seed, 'noise');
  const weighting = classWeighting(settings, data);
  const augmentation = augmentationActive(settings.augmentation) ? settings.augmentation : undefined;
  // Its own stream, so turning augmentation on does not change the dropout masks.
  const augmentRandom = seededRandom(settings.seed, 'augment');
  const grid = augmentation ? flippedGrid(settings, data, augmentation) : undefined;

  return async (rows, at) => {
    let flipped: Uint8Array | undefined;
    const xs = batchInputs(tf, data.train, data.inputShapes, rows, augmentation, augmentRandom, grid ? (f) => (flipped = f) : undefined);
    const targets = gather(data.train.y, rows, data.outputUnits);
    if (grid && flipped) mirrorTargets(targets, flipped, grid);
    const ys = tf.tensor(targets, [rows.length, ...(data.targetShape ?? [data.outputUnits])]);
    const weights = weighting ? tf.tensor1d(sampleWeights(weighting.classes, weighting.weights, rows)) : undefined;
    const made: TF.Tensor[] = [...xs, ys, ...(weights ? [weights] : [])];
    let outs: TF.Scalar[] = [];
    try {
      const [x, y] = internals.standardizeUserDataXY(xs, [ys], true);
      made.push(...x, ...y);
      outs = withRandom(noise, () => trainFunction([...x, ...y, ...(weights ? [weights] : [])]));
      const values: number[] = [];
      for (const out of outs) values.push((await out.data())[0] ?? NaN);
      return values;
    } catch (e) {
      throw new AppError('TRAINING_FAILED', `Training failed at epoch ${at.epoch + 1}, batch ${at.batch + 1}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      tf.dispose(outs);
      // The checked inputs may be the tensors we made or new ones; dispose each once.
      new Set(made).forEach((t) => t.dispose());
    }
  };
}

/** Each training sample's class and the weight of each class, when class weights are on. */
function classWeighting(settings: TrainSettings, data: TrainData): { classes: Int32Array; weights: Float64Array } | undefined {
  if ((settings.classWeight ?? 'none') === 'none') return undefined;
  if (!CLASSIFICATION_LOSSES.includes(settings.loss))
    throw new AppError('INVALID_REQUEST', `Class weights apply to a classification loss (categorical or binary cross-entropy); this run uses ${settings.loss}.`);
  const classes = classIndices(data.train.y, data.train.count, data.outputUnits);
  return { classes, weights: balancedClassWeights(classes, data.outputUnits === 1 ? 2 : data.outputUnits) };
}

interface GridLayout {
  rows: number;
  cols: number;
  classes: number;
}

/**
 * A detector run with flip on: the grid its targets are laid out in, so a flipped image's target
 * is mirrored with it. A detector's target follows its one image input; with two, each flipped
 * on its own draw, no single mirror fits. A shift would move the objects off their boxes.
 */
function flippedGrid(settings: TrainSettings, data: TrainData, augmentation: Augmentation): GridLayout | undefined {
  if (settings.loss !== 'gridDetection') return undefined;
  if ((augmentation.shift ?? 0) > 0)
    throw new AppError('INVALID_REQUEST', `A detector trains without shift augmentation (it moves the objects but not their boxes); this run asks for shift ${augmentation.shift}.`);
  if (!augmentation.flip) return undefined;
  const [rows, cols, depth] = data.targetShape ?? [];
  if (data.targetShape?.length !== 3 || !rows || !cols || !depth || depth <= GRID_BOX_CHANNELS)
    throw new AppError('INVALID_REQUEST', `A detector's targets are (rows, cols, ${GRID_BOX_CHANNELS} + classes) per image; this run's are (${(data.targetShape ?? [data.outputUnits]).join(', ')}).`);
  const images = data.inputShapes.filter(isImageShape).length;
  if (images !== 1)
    throw new AppError('INVALID_REQUEST', `Flip augmentation of a detector needs exactly one image input, whose boxes the grid target holds; this model has ${images}.`);
  return { rows, cols, classes: depth - GRID_BOX_CHANNELS };
}

/** Mirrors, in place, the grid target of each sample whose image was flipped. */
function mirrorTargets(targets: Float32Array, flipped: Uint8Array, grid: GridLayout): void {
  const per = grid.rows * grid.cols * (GRID_BOX_CHANNELS + grid.classes);
  flipped.forEach((f, i) => {
    if (f) targets.set(flipGridTarget(targets.subarray(i * per, (i + 1) * per), grid.rows, grid.cols, grid.classes), i * per);
  });
}

/**
 * One tensor per model input for the given samples, image inputs augmented when asked.
 * `onFlipped` hears, for each augmented image input, which samples it flipped (1) or not (0).
 */
export function batchInputs(
  tf: Tf,
  split: DataSplit,
  shapes: number[][],
  rows: Uint32Array,
  augmentation?: Augmentation,
  random?: () => number,
  onFlipped?: (flipped: Uint8Array) => void,
): TF.Tensor[] {
  return shapes.map((shape, k) => {
    const values = gather(split.xs[k]!, rows, size(shape));
    if (augmentation && random && isImageShape(shape)) {
      const flipped = augmentImages(values, rows.length, shape, augmentation, random);
      onFlipped?.(flipped);
    }
    return tf.tensor(values, [rows.length, ...shape]);
  });
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}


/** The given rows of `src` as floats; image bytes (a Uint8Array) are scaled to 0..1. */
export function gather(src: Float32Array | Uint8Array, rows: Uint32Array, width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  if (src instanceof Uint8Array) {
    rows.forEach((r, i) => {
      const from = r * width;
      const to = i * width;
      for (let j = 0; j < width; j++) out[to + j] = src[from + j]! / 255;
    });
  } else rows.forEach((r, i) => out.set(src.subarray(r * width, (r + 1) * width), i * width));
  return out;
}
