/**
 * The trainer's side of an image dataset: the bytes the core decoded into the cache, read back as
 * the engine's splits. Pixels stay bytes (the engine scales each batch to 0..1), labels become
 * one-hot rows over the dataset's classes.
 */
import { promises as fsp } from 'node:fs';
import { AppError } from '../../shared/errors.js';
import type { ImageDataSource } from './messages.js';

export interface ImageSplit {
  xs: Uint8Array[];
  y: Float32Array;
  count: number;
  labels: number[];
  itemIds: number[];
}

export async function loadImageSplit(data: ImageDataSource, split: 'train' | 'validation' | 'test'): Promise<ImageSplit> {
  const s = data.splits[split];
  const units = data.classes.length;
  if (!s || s.count === 0) return { xs: [new Uint8Array(0)], y: new Float32Array(0), count: 0, labels: [], itemIds: [] };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fsp.readFile(s.file));
  } catch (e) {
    throw new AppError('TRAINING_FAILED', `The decoded ${split} images (${s.file}) could not be read: ${(e as Error).message}. Train again to decode them anew.`);
  }
  const [h, w, c] = data.shape;
  if (bytes.length !== s.count * h * w * c)
    throw new AppError(
      'TRAINING_FAILED',
      `The decoded ${split} images hold ${bytes.length} bytes; expected ${s.count} images × ${h}×${w}×${c} = ${s.count * h * w * c}. Delete the project's cache folder and train again.`,
    );
  const y = new Float32Array(s.count * units);
  s.labels.forEach((label, i) => (y[i * units + label] = 1));
  return { xs: [bytes], y, count: s.count, labels: s.labels, itemIds: s.itemIds };
}
