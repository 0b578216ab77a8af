/** Batched inference: memory is bounded by the batch, whatever the number of samples. */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors.js';

type Tf = typeof import('@tensorflow/tfjs');

/**
 * Runs `model` on `count` row-major samples of `inputShape` and returns the outputs row-major
 * (count × units). Single-output models only.
 */
export function predict(tf: Tf, model: TF.LayersModel, x: Float32Array, count: number, inputShape: number[], batchSize = 256): Float32Array {
  const perSample = inputShape.reduce((a, b) => a * b, 1);
  if (x.length !== count * perSample)
    throw new AppError('INVALID_REQUEST', `predict: the inputs hold ${x.length} values; expected ${count} samples × ${perSample} (shape [${inputShape.join(', ')}]) = ${count * perSample}.`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new AppError('INVALID_REQUEST', `predict: batchSize must be a whole number of at least 1; got ${batchSize}.`);
  let out: Float32Array | undefined;
  let units = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const values = tf.tidy(() => {
      const xs = tf.tensor(x.subarray(start * perSample, (start + n) * perSample), [n, ...inputShape]);
      const y = model.predict(xs);
      if (Array.isArray(y)) throw new AppError('INVALID_REQUEST', `predict takes a model with one output; this one has ${y.length}.`);
      return y.dataSync() as Float32Array;
    });
    if (!out) {
      units = values.length / n;
      out = new Float32Array(count * units);
    }
    out.set(values, start * units);
  }
  return out ?? new Float32Array(0);
}
