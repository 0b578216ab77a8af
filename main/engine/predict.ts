/** Batched inference: memory is bounded by the batch, whatever the number of samples. */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../shared/errors.js';

type Tf = typeof import('@tensorflow/tfjs');

/**
 * Runs `model` on `count` samples, `xs[k]` holding the row-major values of input k (shape
 * `inputShapes[k]`), and returns the outputs row-major (count × units). Single-output models only.
 */
export function predict(tf: Tf, model: TF.LayersModel, xs: Float32Array[], count: number, inputShapes: number[][], batchSize = 256): Float32Array {
  const sizes = inputShapes.map((s) => s.reduce((a, b) => a * b, 1));
  if (xs.length !== inputShapes.length) throw new AppError('INVALID_REQUEST', `predict: got ${xs.length} input array(s) for ${inputShapes.length} input shape(s).`);
  xs.forEach((x, k) => {
    const perSample = sizes[k]!;
    if (x.length !== count * perSample)
      throw new AppError('INVALID_REQUEST', `predict: input ${k + 1} holds ${x.length} values; expected ${count} samples × ${perSample} (shape [${inputShapes[k]!.join(', ')}]) = ${count * perSample}.`);
  });
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new AppError('INVALID_REQUEST', `predict: batchSize must be a whole number of at least 1; got ${batchSize}.`);
  let out: Float32Array | undefined;
  let units = 0;
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const values = tf.tidy(() => {
      const batch = xs.map((x, k) => tf.tensor(x.subarray(start * sizes[k]!, (start + n) * sizes[k]!), [n, ...inputShapes[k]!]));
      const y = model.predict(batch.length === 1 ? batch[0]! : batch);
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
