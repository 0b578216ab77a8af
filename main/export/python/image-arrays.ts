/**
 * An image classifier's dataset as .npy arrays (data/), exactly as training decoded it: the bytes
 * of the decode cache (main/importers/images/training-data.ts, every image stretched to the
 * model's Input and stored height × width × channels, uint8) streamed into
 * `x0_<input>.npy` [N, H, W, C] without ever holding a float copy, then y.npy (one-hot float32),
 * split.npy (0 train, 1 validation, 2 test), items.npy (the image's item id), files.json (its
 * name as imported) and dataset.json saying the pixels are scaled by 1/255 when batched, as the
 * app's training loop does.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { npyBytes, npyHeader } from './npy.js';
import type { ImagePreprocessing } from '../metadata.js';

/** One split as the decode cache holds it: `count` images of H × W × C bytes in `file`. */
export interface CachedSplit {
  file: string;
  count: number;
  /** Class index of each image. */
  labels: number[];
  itemIds: number[];
}

export interface ImageArraysExport {
  /** The model's single Input: its name and (height, width, channels). */
  input: { name: string; shape: [number, number, number] };
  classes: string[];
  splits: { train?: CachedSplit; validation?: CachedSplit; test?: CachedSplit };
  /** Each item's name as imported, for files.json. */
  names: ReadonlyMap<number, string>;
  /** What the app does to the bytes before the model sees them. */
  preprocessing: ImagePreprocessing;
}

const SPLIT_CODES = { train: 0, validation: 1, test: 2 } as const;

/** Writes data/*.npy, files.json and dataset.json; returns the files written. */
export async function writeImageArrays(dir: string, d: ImageArraysExport): Promise<string[]> {
  await fsp.mkdir(dir, { recursive: true });
  const order = (['train', 'validation', 'test'] as const).flatMap((s) => (d.splits[s] ? [[s, d.splits[s]] as const] : []));
  const count = order.reduce((a, [, s]) => a + s.count, 0);
  const [h, w, c] = d.input.shape;
  const bytesPerImage = h * w * c;
  const files: string[] = [];
  const write = async (file: string, bytes: Uint8Array | string) => {
    await fsp.writeFile(path.join(dir, file), bytes);
    files.push(path.join(dir, file));
  };

  const xFile = `x0_${d.input.name.replace(/[^A-Za-z0-9_-]/g, '_')}.npy`;
  for (const [name, s] of order) {
    const size = (await fsp.stat(s.file)).size;
    if (size !== s.count * bytesPerImage)
      throw new Error(`The decoded ${name} images (${s.file}) hold ${size} bytes; expected ${s.count} images of ${h}×${w}×${c} = ${s.count * bytesPerImage}`);
  }
  // Header, then each split's cache file appended as it is: memory stays at a stream buffer.
  const out = createWriteStream(path.join(dir, `${xFile}.partial`));
  await new Promise<void>((resolve, reject) => out.write(npyHeader('|u1', [count, h, w, c]), (e) => (e ? reject(e) : resolve())));
  for (const [i, [, s]] of order.entries()) await pipeline(createReadStream(s.file), out, { end: i === order.length - 1 });
  if (order.length === 0) await new Promise<void>((resolve) => out.end(resolve));
  await fsp.rename(path.join(dir, `${xFile}.partial`), path.join(dir, xFile));
  files.push(path.join(dir, xFile));

  const y = new Float32Array(count * d.classes.length);
  const split = new Uint8Array(count);
  const items = new Int32Array(count);
  const names: string[] = [];
  let k = 0;
  for (const [name, s] of order) {
    for (let i = 0; i < s.count; i++, k++) {
      y[k * d.classes.length + s.labels[i]!] = 1;
      split[k] = SPLIT_CODES[name];
      items[k] = s.itemIds[i]!;
      names.push(d.names.get(s.itemIds[i]!) ?? '');
    }
  }
  await write('y.npy', npyBytes(y, [count, d.classes.length]));
  await write('split.npy', npyBytes(split, [count]));
  await write('items.npy', npyBytes(items, [count]));
  await write('files.json', JSON.stringify(names));
  const counts = Object.fromEntries((['train', 'validation', 'test'] as const).map((s) => [s, d.splits[s]?.count ?? 0]));
  const meta = {
    format: 'layerbench-arrays',
    version: 1,
    task: 'classification',
    kind: 'images',
    classes: d.classes,
    inputs: [{ name: d.input.name, shape: d.input.shape, file: xFile, dtype: 'uint8', divide_by: 255, meaning: 'pixels as training decoded them (EXIF-rotated, stretched to the Input), channels last; divided by 255 as float32 per batch, as the app does' }],
    y: { file: 'y.npy', shape: [d.classes.length], meaning: 'one-hot class' },
    split: { file: 'split.npy', values: SPLIT_CODES },
    items: { file: 'items.npy', meaning: "each image's item id in the project; files.json holds its name as imported" },
    counts,
    preprocessing: d.preprocessing,
  };
  await write('dataset.json', JSON.stringify(meta, null, 2));
  return files;
}
