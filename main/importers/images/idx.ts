/**
 * IDX files (MNIST, Fashion-MNIST): `<prefix>-images-idx3-ubyte` with `<prefix>-labels-idx1-ubyte`,
 * gzipped (`.gz`) or not. `train-` and `t10k-` prefixes give the split. Each image becomes PNG
 * bytes (png.ts; through sharp, planning Fashion-MNIST took 60 s instead of 4.4 s); classes are "0".."9", or Fashion-MNIST's ten names when the folder or file names
 * say "fashion".
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip as gunzipCb } from 'node:zlib';
import type { ImageImportPlan, ImportedImage, ImportProblem, Split } from '../../../shared/images.js';
import { AppError } from '../../../shared/errors.js';
import { asProblem, checkCancelled, IdxError, ioReason } from './errors.js';
import type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
import { encodeGreyPng } from './png.js';

const gunzip = promisify(gunzipCb);

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

const IMAGES = /^(.*?)[-_.]?images[-_.]idx3[-_.]ubyte(\.gz)?$/i;
const LABELS = /^(.*?)[-_.]?labels[-_.]idx1[-_.]ubyte(\.gz)?$/i;

export function isIdxName(name: string): boolean {
  return IMAGES.test(name) || LABELS.test(name);
}

interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

async function readIdx(file: string, rel: string, ndims: 1 | 3): Promise<IdxArray> {
  let b: Uint8Array;
  try {
    b = await fsp.readFile(file);
  } catch (e) {
    throw new AppError('IMAGE_UNREADABLE', `Cannot read ${rel}: ${ioReason(e)}.`, { file: rel });
  }
  if (b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = await gunzip(b);
    } catch (e) {
      throw new IdxError(rel, `${rel} is gzip-compressed but does not decompress: ${(e as Error).message}.`);
    }
  }
  const want = `0x000008${ndims.toString(16).padStart(2, '0')}`;
  const what = ndims === 3 ? 'images' : 'labels';
  if (b.length < 4) throw new IdxError(rel, `${rel} is ${b.length} bytes; expected an IDX file of ${what} starting with the magic number ${want}.`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = v.getUint32(0, false);
  if (magic !== (0x0800 | ndims)) {
    const found = `0x${magic.toString(16).padStart(8, '0')}`;
    throw new IdxError(rel, `${rel} starts with ${found}; expected the IDX magic number ${want} (unsigned bytes, ${ndims} dimension${ndims === 1 ? '' : 's'}: ${what}).`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (b.length < headerBytes) throw new IdxError(rel, `${rel} is ${b.length} bytes; expected a ${headerBytes}-byte IDX header.`);
  const dims = Array.from({ length: ndims }, (_, i) => v.getUint32(4 + 4 * i, false));
  const expected = headerBytes + dims.reduce((a, d) => a * d, 1);
  if (b.length !== expected) {
    const shape = ndims === 3 ? `${dims[0]} images of ${dims[1]}×${dims[2]}` : `${dims[0]} labels`;
    throw new IdxError(rel, `${rel} is ${b.length} bytes; expected ${expected} (a ${headerBytes}-byte header and ${shape}).`);
  }
  return { dims, data: b.subarray(headerBytes) };
}

function splitOfPrefix(prefix: string): Split | undefined {
  const p = prefix.toLowerCase();
  if (/(^|[-_.])(train|training)$/.test(p) || p === 'train') return 'train';
  if (/(^|[-_.])(t10k|test|testing)$/.test(p)) return 'test';
  if (/(^|[-_.])(val|valid|validation)$/.test(p)) return 'validation';
  return undefined;
}

/** PNG per image: 8-bit greyscale, as the IDX bytes are. Yields to the event loop now and then so cancel and progress get through. */
async function toPngs(a: IdxArray, signal: AbortSignal | undefined, onProgress: (done: number) => void): Promise<Uint8Array[]> {
  const [n, rows, cols] = a.dims as [number, number, number];
  const size = rows * cols;
  const out: Uint8Array[] = new Array<Uint8Array>(n);
  for (let i = 0; i < n; i++) {
    out[i] = encodeGreyPng(a.data.subarray(i * size, (i + 1) * size), cols, rows);
    if ((i & 1023) === 1023) {
      onProgress(i + 1);
      await new Promise<void>((r) => setImmediate(r));
      checkCancelled(signal);
    }
  }
  return out;
}

async function openPair(root: string, imagesName: string, labelsName: string | undefined, classCount: number, opts: PlanOptions, base: number) {
  const prefix = IMAGES.exec(imagesName)![1]!;
  const split = splitOfPrefix(prefix);
  const imgs = await readIdx(path.join(root, imagesName), imagesName, 3);
  const labels = labelsName ? await readIdx(path.join(root, labelsName), labelsName, 1) : null;
  const n = imgs.dims[0]!;
  if (labels && labels.dims[0] !== n) {
    throw new IdxError(labelsName!, `${labelsName} has ${labels.dims[0]} labels but ${imagesName} has ${n} images; expected one label per image.`);
  }
  checkCancelled(opts.signal);
  const pngs = await toPngs(imgs, opts.signal, (done) => opts.onProgress?.(base + done));
  checkCancelled(opts.signal);
  const folder = split ?? (prefix || 'images');
  const width = String(n - 1).length;
  const images: ImportedImage[] = [];
  const problems: ImportProblem[] = [];
  let maxLabel = -1;
  for (let i = 0; i < n; i++) {
    const relPath = `${folder}/${String(i).padStart(width, '0')}.png`;
    const img: ImportedImage = { bytes: pngs[i]!, relPath };
    if (split) img.split = split;
    if (labels) {
      const c = labels.data[i]!;
      if (classCount > 0 && c >= classCount) {
        problems.push({ file: labelsName!, code: 'IDX_INVALID', message: `${labelsName} gives image ${i} the label ${c}; expected 0–${classCount - 1} (${classCount} classes).` });
        continue;
      }
      img.classIndex = c;
      maxLabel = Math.max(maxLabel, c);
    }
    images.push(img);
  }
  return { images, problems, maxLabel, note: `${imagesName}: ${n} images of ${imgs.dims[1]}×${imgs.dims[2]}${labels ? '' : ' (no labels file found)'}` };
}

export const idx: ImageFormatModule = {
  id: 'idx',
  match: (e: SourceEntry) => (e.isDir ? e.entries.some((x) => !x.isDir && IMAGES.test(x.name)) : isIdxName(path.basename(e.path))),
  async open(e: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan> {
    const names = e.entries.filter((x) => !x.isDir).map((x) => x.name);
    let imageFiles = names.filter((n) => IMAGES.test(n));
    if (!e.isDir) {
      // One file picked: its pair only.
      const picked = path.basename(e.path);
      const prefix = (IMAGES.exec(picked) ?? LABELS.exec(picked))![1]!;
      imageFiles = imageFiles.filter((n) => IMAGES.exec(n)![1] === prefix);
      if (imageFiles.length === 0) throw new IdxError(picked, `${picked} is an IDX labels file but there is no ${prefix}-images-idx3-ubyte next to it; expected the images file in the same folder.`);
    }
    // Train before test, so the images keep the order the files were meant to be read in.
    imageFiles.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    const fashion = /fashion/i.test(e.path) || names.some((n) => /fashion/i.test(n));
    const classes = fashion ? [...FASHION_MNIST_CLASSES] : [];
    const images: ImportedImage[] = [];
    const problems: ImportProblem[] = [];
    const notes: string[] = [];
    let maxLabel = -1;
    let firstError: AppError | null = null;
    for (const imagesName of imageFiles) {
      const prefix = IMAGES.exec(imagesName)![1]!;
      const labelsName = names.find((n) => LABELS.exec(n)?.[1] === prefix);
      try {
        const got = await openPair(e.root, imagesName, labelsName, classes.length, opts, images.length);
        images.push(...got.images);
        problems.push(...got.problems);
        notes.push(got.note);
        maxLabel = Math.max(maxLabel, got.maxLabel);
      } catch (err) {
        if (!(err instanceof AppError) || err.code === 'CANCELLED') throw err;
        firstError ??= err;
        problems.push(asProblem(String(err.details?.file ?? imagesName), err));
      }
    }
    // A broken file with nothing else to import is the answer itself, not a footnote.
    if (images.length === 0 && firstError) throw firstError;
    if (!fashion) for (let c = 0; c <= Math.max(9, maxLabel); c++) classes.push(String(c));
    if (fashion) notes.push('Fashion-MNIST class names (the path says "fashion").');
    opts.onProgress?.(images.length);
    return { format: 'idx', classes, images, problems, notes };
  },
};

function rank(name: string): number {
  const s = splitOfPrefix(IMAGES.exec(name)![1]!);
  return s === 'train' ? 0 : s === 'validation' ? 1 : s === 'test' ? 2 : 3;
}
