/**
 * An image dataset made ready for training: every image of a split decoded once, at the model's
 * (height, width, channels), into one file of bytes (`<split>-<key>.u8`, image after image) and a
 * small index beside it (`<split>-<key>.json`: count, labels, item ids, images skipped), under
 * `cache/images/<dataset>/<h>x<w>x<c>/`. The key is a hash of what went in (the images, their
 * media files, classes and split), so relabelling or re-splitting makes a new file and the old one
 * is deleted; an unchanged split is read back instead of decoded. The cache is safe to delete.
 * Memory stays bounded by a chunk of images: decoded bytes are appended to the file as they come.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { CancelledError } from '../../../shared/errors.js';
import type { Split } from '../../../shared/images.js';
import { decodeForTraining, writeAtomic } from './ingest.js';
import { decodeSimplePng } from './png-decode.js';
import { mapLimit } from './pool.js';
import { ioReason } from './errors.js';

export interface TrainingImage {
  /** The image item's id. */
  id: number;
  /** Its media file (content-addressed, so the name is its hash). */
  file: string;
  /** As imported, to name it when it cannot be decoded. */
  relPath: string;
  /** Index into the dataset's classes. */
  label: number;
  split: Split;
}

export interface ImageShape {
  height: number;
  width: number;
  channels: 1 | 3;
}

export interface SkippedImage {
  itemId: number;
  relPath: string;
  message: string;
}

/** One split, decoded: `count` images of height × width × channels bytes in `file`. */
export interface PreparedSplit {
  file: string;
  count: number;
  labels: number[];
  itemIds: number[];
  skipped: SkippedImage[];
}

export interface PrepareProgress {
  images: number;
  total: number;
  skipped: number;
}

export interface PrepareOptions {
  cacheDir: string;
  datasetId: string;
  shape: ImageShape;
  classes: string[];
  images: TrainingImage[];
  /** Which splits to prepare (evaluation needs the test split only). */
  splits: Split[];
  signal?: AbortSignal;
  onProgress?(p: PrepareProgress): void;
}

const INDEX_VERSION = 1;
/** Images decoded between two writes (and progress reports): 256 of 64×64×3 is 3 MB. */
const CHUNK = 256;
/** sharp decodes on libuv's threads; more in flight than it has threads only queues. */
const CONCURRENCY = 4;

/** Prepares the asked splits, reusing what the cache holds; returns them by split. */
export async function prepareTrainingImages(o: PrepareOptions): Promise<Record<Split, PreparedSplit | undefined>> {
  const dir = path.join(o.cacheDir, 'images', o.datasetId, `${o.shape.height}x${o.shape.width}x${o.shape.channels}`);
  await fsp.mkdir(dir, { recursive: true });
  const bySplit = new Map<Split, TrainingImage[]>(o.splits.map((s) => [s, []]));
  for (const img of o.images) bySplit.get(img.split)?.push(img);
  const keys = new Map([...bySplit].map(([split, images]) => [split, contentKey(o.shape, o.classes, images)]));

  const out: Record<Split, PreparedSplit | undefined> = { train: undefined, validation: undefined, test: undefined };
  const missing: Split[] = [];
  for (const split of o.splits) {
    const cached = await readIndex(dir, split, keys.get(split)!, o.shape.height * o.shape.width * o.shape.channels);
    if (cached) out[split] = cached;
    else missing.push(split);
  }
  const total = missing.reduce((n, s) => n + bySplit.get(s)!.length, 0);
  const progress: PrepareProgress = { images: 0, total, skipped: 0 };
  o.onProgress?.({ ...progress });
  for (const split of missing) {
    out[split] = await decodeSplit(dir, split, keys.get(split)!, bySplit.get(split)!, o, progress);
  }
  return out;
}

/** A hash of everything a split's bytes and labels follow from. */
function contentKey(shape: ImageShape, classes: string[], images: TrainingImage[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ v: INDEX_VERSION, shape, classes }));
  // The media file name is the image's content hash: a changed image is a changed key.
  for (const img of images) h.update(`${img.id}\t${path.basename(img.file)}\t${img.label}\n`);
  return h.digest('hex').slice(0, 20);
}

async function readIndex(dir: string, split: Split, key: string, bytesPerImage: number): Promise<PreparedSplit | undefined> {
  try {
    const index = JSON.parse(await fsp.readFile(path.join(dir, `${split}-${key}.json`), 'utf8')) as PreparedSplit & { version: number };
    const file = path.join(dir, `${split}-${key}.u8`);
    const stat = await fsp.stat(file);
    if (index.version !== INDEX_VERSION || index.labels.length !== index.count || stat.size !== index.count * bytesPerImage) return undefined;
    return { file, count: index.count, labels: index.labels, itemIds: index.itemIds, skipped: index.skipped };
  } catch {
    // Missing or half-written: decode again.
    return undefined;
  }
}

async function decodeSplit(dir: string, split: Split, key: string, images: TrainingImage[], o: PrepareOptions, progress: PrepareProgress): Promise<PreparedSplit> {
  const file = path.join(dir, `${split}-${key}.u8`);
  const partial = `${file}.partial`;
  const size = o.shape.height * o.shape.width * o.shape.channels;
  const labels: number[] = [];
  const itemIds: number[] = [];
  const skipped: SkippedImage[] = [];
  const fh = await fsp.open(partial, 'w');
  try {
    for (let start = 0; start < images.length; start += CHUNK) {
      if (o.signal?.aborted) throw new CancelledError('Preparing the images was cancelled.');
      const chunk = images.slice(start, start + CHUNK);
      const decoded = await mapLimit(chunk, CONCURRENCY, async (img) => {
        try {
          return await pixelsOf(img, o.shape);
        } catch (e) {
          skipped.push({ itemId: img.id, relPath: img.relPath, message: reasonOf(img, e) });
          return null;
        }
      });
      const kept = decoded.filter((d): d is Uint8Array => d !== null);
      const bytes = new Uint8Array(kept.length * size);
      let k = 0;
      decoded.forEach((d, i) => {
        if (!d) return;
        bytes.set(d, k++ * size);
        labels.push(chunk[i]!.label);
        itemIds.push(chunk[i]!.id);
      });
      await fh.write(bytes);
      progress.images += chunk.length;
      progress.skipped = progress.skipped + chunk.length - kept.length;
      o.onProgress?.({ ...progress });
    }
  } catch (e) {
    await fh.close();
    await fsp.rm(partial, { force: true });
    throw e;
  }
  await fh.close();
  await fsp.rename(partial, file);
  skipped.sort((a, b) => a.itemId - b.itemId);
  const index = { version: INDEX_VERSION, count: labels.length, labels, itemIds, skipped };
  // The index is written last: its presence says the bytes beside it are whole.
  await writeAtomic(path.join(dir, `${split}-${key}.json`), JSON.stringify(index));
  await removeStale(dir, split, key);
  return { file, count: labels.length, labels, itemIds, skipped };
}

/** Earlier versions of this split (before a relabel) only take space. */
async function removeStale(dir: string, split: Split, key: string): Promise<void> {
  for (const name of await fsp.readdir(dir)) {
    if (name.startsWith(`${split}-`) && !name.startsWith(`${split}-${key}.`)) await fsp.rm(path.join(dir, name), { force: true });
  }
}

/**
 * Height × width × channels bytes of one image: plain PNGs of the right size directly, anything
 * else through sharp. The fast path reads synchronously: a 28×28 PNG is read and inflated in
 * about 70 µs, less than the thread-pool round trips of an asynchronous read, and a chunk of
 * them holds the event loop for a few tens of milliseconds at most.
 */
async function pixelsOf(img: TrainingImage, shape: ImageShape): Promise<Uint8Array> {
  const bytes = readFileSync(img.file);
  const png = decodeSimplePng(bytes);
  if (png && png.width === shape.width && png.height === shape.height) {
    if (png.channels === shape.channels) return png.data;
    // Grey to RGB is a copy per channel, as sharp's sRGB conversion of a grey image gives.
    if (png.channels === 1) {
      const out = new Uint8Array(png.data.length * 3);
      for (let i = 0; i < png.data.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = png.data[i]!;
      return out;
    }
  }
  return decodeForTraining(img.file, shape);
}

function reasonOf(img: TrainingImage, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${img.relPath}: its file is missing from the project's media folder.`;
  if (code) return `${img.relPath}: cannot be read (${ioReason(e)}).`;
  const why = e instanceof Error ? e.message.replace(/^Vips\w*: /, '').replace(/\s+$/, '') : String(e);
  return `${img.relPath} could not be decoded: ${why}.`;
}
