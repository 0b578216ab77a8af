/**
 * Image augmentation for training batches: random horizontal flips, shifts, brightness and
 * contrast, drawn per sample from the run's seeded stream, applied to the batch's values before
 * they become tensors (so nothing is left on the backend, and the same seed gives the same run).
 * Only inputs shaped as images (height, width, channels) are changed; validation data never is.
 * A detector's targets are not images: the caller mirrors a flipped sample's grid target itself
 * (`flipGridTarget` in shared/detection.ts), told which samples were flipped.
 */
import type { Augmentation } from '../../shared/training.js';

/** Is this per-sample shape an image (height, width, channels with 1, 3 or 4 channels)? */
export function isImageShape(shape: readonly number[]): boolean {
  return shape.length === 3 && shape[0]! > 1 && shape[1]! > 1 && [1, 3, 4].includes(shape[2]!);
}

export function augmentationActive(a: Augmentation | undefined): a is Augmentation {
  return !!a && (a.flip === true || (a.shift ?? 0) > 0 || (a.brightness ?? 0) > 0 || (a.contrast ?? 0) > 0);
}

/**
 * Augments `count` images of `shape` stored one after another in `values`, in place.
 * shift: the largest move, as a fraction of the width and height (pixels moved in from outside
 * are the edge's); brightness: the largest value added or taken; contrast: the largest change of
 * the factor around 1 that scales each image about its mean.
 * Returns which samples were mirrored left to right (1) and which not (0).
 */
export function augmentImages(values: Float32Array, count: number, shape: readonly number[], a: Augmentation, random: () => number): Uint8Array {
  const [h, w, c] = shape as [number, number, number];
  const size = h * w * c;
  const scratch = new Float32Array(size);
  const maxDy = Math.round((a.shift ?? 0) * h);
  const maxDx = Math.round((a.shift ?? 0) * w);
  const flipped = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const img = values.subarray(n * size, (n + 1) * size);
    // Draw every parameter for every sample, so one setting does not change the others' draws.
    const flip = random() < 0.5;
    const dy = Math.round((random() * 2 - 1) * maxDy);
    const dx = Math.round((random() * 2 - 1) * maxDx);
    const delta = (random() * 2 - 1) * (a.brightness ?? 0);
    const factor = 1 + (random() * 2 - 1) * (a.contrast ?? 0);
    if (a.flip && flip) flipped[n] = 1;
    if ((a.flip && flip) || dx !== 0 || dy !== 0) {
      scratch.set(img);
      for (let y = 0; y < h; y++) {
        const sy = Math.min(h - 1, Math.max(0, y - dy));
        for (let x = 0; x < w; x++) {
          let sx = Math.min(w - 1, Math.max(0, x - dx));
          if (a.flip && flip) sx = w - 1 - sx;
          const to = (y * w + x) * c;
          const from = (sy * w + sx) * c;
          for (let k = 0; k < c; k++) img[to + k] = scratch[from + k]!;
        }
      }
    }
    if (factor !== 1) {
      let mean = 0;
      for (let i = 0; i < size; i++) mean += img[i]!;
      mean /= size;
      for (let i = 0; i < size; i++) img[i] = (img[i]! - mean) * factor + mean;
    }
    if (delta !== 0) for (let i = 0; i < size; i++) img[i] = img[i]! + delta;
  }
  return flipped;
}
