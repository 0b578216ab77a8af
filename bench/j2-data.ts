/**
 * J2's data: Fashion-MNIST from its IDX files (Debian's `dataset-fashion-mnist` puts them,
 * gzipped, in /usr/share/datasets/fashion-mnist). As in the reference experiment, the first
 * 55,000 of the 60,000 training images train and the 10,000 test images measure accuracy;
 * pixels are scaled to [0, 1] and labels one-hot encoded.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AppError } from '../shared/errors.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
/** The training images used (of 60,000); the last 5,000 were the reference's validation set. */
export const J2_TRAIN_COUNT = 55_000;
export const J2_CLASSES = 10;
export const J2_SIDE = 28;

/** The four files by role, as named in the Fashion-MNIST (and MNIST) distribution. */
const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export type IdxRole = keyof typeof FILES;

export interface J2Split {
  /** count × 28 × 28 × 1, row-major, in [0, 1]. */
  x: Float32Array;
  /** count × 10 one-hot. */
  y: Float32Array;
  labels: Uint8Array;
  count: number;
}

export interface J2Data {
  train: J2Split;
  test: J2Split;
  /** The IDX file behind each role, gzipped or not, for the peer script to read the same bytes. */
  files: Record<IdxRole, string>;
}

/** Finds each file in `dir`, plain or `.gz`; says which are missing and how to get them. */
export function findFashionMnist(dir = FASHION_MNIST_DIR): Record<IdxRole, string> {
  const found: Partial<Record<IdxRole, string>> = {};
  const missing: string[] = [];
  for (const [role, name] of Object.entries(FILES) as [IdxRole, string][]) {
    const file = [name, `${name}.gz`].map((n) => path.join(dir, n)).find((f) => existsSync(f));
    if (file) found[role] = file;
    else missing.push(`${name}[.gz]`);
  }
  if (missing.length > 0)
    throw new AppError(
      'NOT_FOUND',
      `Fashion-MNIST is not in ${dir}: missing ${missing.join(', ')}. Install it with \`apt-get install dataset-fashion-mnist\`, or pass --data DIR with the four IDX files.`,
    );
  return found as Record<IdxRole, string>;
}

const bad = (message: string) => new AppError('UNSUPPORTED_FILE', message);

interface Idx {
  dims: number[];
  data: Uint8Array;
}

/** An IDX file of unsigned bytes (type 0x08): big-endian magic, then one uint32 per dimension. */
export function readIdx(file: string): Idx {
  const raw = readFileSync(file);
  const buf = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw bad(`${file} is not an IDX file (its first bytes are not 0 0).`);
  if (buf[2] !== 0x08) throw bad(`${file} holds IDX type 0x${buf[2]!.toString(16)}; expected 0x08 (unsigned bytes).`);
  const rank = buf[3]!;
  const dims = Array.from({ length: rank }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + size) throw bad(`${file}: dimensions [${dims.join(', ')}] need ${offset + size} bytes; the file has ${buf.length}.`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}

function split(images: Idx, labels: Idx, count: number, what: string): J2Split {
  const [n, h, w] = images.dims;
  if (images.dims.length !== 3 || h !== J2_SIDE || w !== J2_SIDE) throw bad(`${what} images have shape [${images.dims.join(', ')}]; expected [n, 28, 28].`);
  if (labels.dims.length !== 1 || labels.dims[0] !== n) throw bad(`${what}: ${labels.dims[0]} labels for ${n} images.`);
  if (count > n!) throw bad(`${what}: asked for ${count} images; the file has ${n}.`);
  const pixels = J2_SIDE * J2_SIDE;
  const x = new Float32Array(count * pixels);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
  const y = new Float32Array(count * J2_CLASSES);
  const lab = labels.data.slice(0, count);
  lab.forEach((c, i) => {
    if (c >= J2_CLASSES) throw bad(`${what}: label ${c} at ${i} is not a class 0–9.`);
    y[i * J2_CLASSES + c] = 1;
  });
  return { x, y, labels: lab, count };
}

/** Train: the first min(limit, 55,000) training images; test: all 10,000. */
export function loadJ2(dir = FASHION_MNIST_DIR, limit?: number): J2Data {
  const files = findFashionMnist(dir);
  const trainCount = Math.min(limit ?? J2_TRAIN_COUNT, J2_TRAIN_COUNT);
  const testImages = readIdx(files.testImages);
  return {
    train: split(readIdx(files.trainImages), readIdx(files.trainLabels), trainCount, 'Fashion-MNIST train'),
    test: split(testImages, readIdx(files.testLabels), testImages.dims[0]!, 'Fashion-MNIST test'),
    files,
  };
}
