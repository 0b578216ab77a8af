/**
 * One training step and the batches it takes: a batch's rows gathered into tensors (image inputs
 * augmented, class weights attached), run through the train function TF.js builds for fit, with
 * the run's seeded noise.
 */
import type * as TF from '@tensorflow/tfjs';
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

  return async (rows, at) => {
    const xs = batchInputs(tf, data.train, data.inputShapes, rows, augmentation, augmentRandom);
    const ys = tf.tensor(gather(data.train.y, rows, data.outputUnits), [rows.length, ...(data.targetShape ?? [data.outputUnits])]);
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

/** One tensor per model input for the given samples, image inputs augmented when asked. */
export function batchInputs(tf: Tf, split: DataSplit, shapes: number[][], rows: Uint32Array, augmentation?: Augmentation, random?: () => number): TF.Tensor[] {
  return shapes.map((shape, k) => {
    const values = gather(split.xs[k]!, rows, size(shape));
    if (augmentation && random && isImageShape(shape)) augmentImages(values, rows.length, shape, augmentation, random);
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
