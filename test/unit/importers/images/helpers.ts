/** Makers of small real files for the image importer tests (sharp for the formats it writes, by hand for BMP and IDX). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { planImageImport } from '../../../../main/importers/images/index.js';
import { ingestImage, type IngestedImage } from '../../../../main/importers/images/ingest.js';
import { AppError } from '../../../../shared/errors.js';
import type { ImageImportPlan, ImportedImage, ImportProblem } from '../../../../shared/images.js';

export function put(file: string, data: string | Uint8Array): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

/** Deterministic pixels, different for each seed: RGB, row-major. */
export function pixels(width: number, height: number, seed: number, channels = 3): Buffer {
  const b = Buffer.alloc(width * height * channels);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + seed * 97 + ((i * seed) >> 3)) & 255;
  return b;
}

export async function image(format: 'jpeg' | 'png' | 'webp' | 'gif', width: number, height: number, seed: number): Promise<Buffer> {
  const s = sharp(pixels(width, height, seed), { raw: { width, height, channels: 3 } });
  if (format === 'jpeg') return s.jpeg({ quality: 90 }).toBuffer();
  if (format === 'png') return s.png().toBuffer();
  if (format === 'webp') return s.webp({ lossless: true }).toBuffer();
  return s.gif().toBuffer();
}

/** An animated GIF: the first frame one colour, the second another. */
export async function animatedGif(width: number, height: number): Promise<Buffer> {
  const a = await sharp({ create: { width, height, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const b = await sharp({ create: { width, height, channels: 3, background: '#0000ff' } }).png().toBuffer();
  return sharp([a, b], { join: { animated: true } }).gif().toBuffer();
}

export async function jpegWithOrientation(width: number, height: number, orientation: number, seed = 1): Promise<Buffer> {
  return sharp(pixels(width, height, seed), { raw: { width, height, channels: 3 } }).jpeg().withMetadata({ orientation }).toBuffer();
}

/** A noisy JPEG (big enough that cutting it loses scan data), cut to `keep` of its length. */
export async function truncatedJpeg(keep = 0.5): Promise<Buffer> {
  const full = await sharp(pixels(200, 150, 7), { raw: { width: 200, height: 150, channels: 3 } }).jpeg().toBuffer();
  return full.subarray(0, Math.floor(full.length * keep));
}

/**
 * A Windows bitmap from RGB(A) pixels: 24-bit or 32-bit BI_RGB, or 8-bit with the given palette
 * (pixels are then palette indices), bottom-up unless `topDown`.
 */
export function bmp(
  width: number,
  height: number,
  data: Uint8Array,
  opts: { bits: 8 | 24 | 32; topDown?: boolean; palette?: [number, number, number][]; compression?: number } = { bits: 24 },
): Buffer {
  const bpp = opts.bits;
  const stride = Math.ceil((width * bpp) / 32) * 4;
  const palette = bpp === 8 ? (opts.palette ?? []) : [];
  const offset = 14 + 40 + palette.length * 4;
  const b = Buffer.alloc(offset + stride * height);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(offset, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(width, 18);
  b.writeInt32LE(opts.topDown ? -height : height, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(bpp, 28);
  b.writeUInt32LE(opts.compression ?? 0, 30);
  b.writeUInt32LE(stride * height, 34);
  b.writeUInt32LE(palette.length, 46);
  palette.forEach(([r, g, bl], i) => {
    b[54 + i * 4] = bl;
    b[55 + i * 4] = g;
    b[56 + i * 4] = r;
  });
  const ch = bpp === 8 ? 1 : bpp / 8;
  for (let y = 0; y < height; y++) {
    const row = offset + (opts.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * ch;
      const o = row + x * ch;
      if (bpp === 8) b[o] = data[s]!;
      else {
        b[o] = data[s + 2]!;
        b[o + 1] = data[s + 1]!;
        b[o + 2] = data[s]!;
        if (bpp === 32) b[o + 3] = data[s + 3]!;
      }
    }
  }
  return b;
}

/** An IDX file: images (n×rows×cols) or labels (n). */
export function idxFile(kind: 'images' | 'labels', dims: number[], data: Uint8Array, opts: { magic?: number; gzip?: boolean } = {}): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(opts.magic ?? (kind === 'images' ? 0x803 : 0x801), 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const b = Buffer.concat([header, data]);
  return opts.gzip ? gzipSync(b) : b;
}

export interface ImportResult {
  plan: ImageImportPlan;
  /** Problems of the plan and of ingesting, in that order. */
  problems: ImportProblem[];
  ingested: { img: ImportedImage; got: IngestedImage }[];
}

/** What the import handler does with our functions: plan, then ingest every image, listing the failures. */
export async function importAll(p: string, mediaDir: string): Promise<ImportResult> {
  const plan = await planImageImport(p);
  const problems = [...plan.problems];
  const ingested: ImportResult['ingested'] = [];
  for (const img of plan.images) {
    try {
      ingested.push({ img, got: await ingestImage(img, mediaDir) });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push({ file: img.relPath, code: e.code, message: e.message });
    }
  }
  return { plan, problems, ingested };
}

export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the promise to reject');
}
