/**
 * One image into the project: read it, check that it decodes (a truncated JPEG only shows when the
 * pixels are read; sharp's metadata reads the header alone), measure it as displayed (EXIF
 * orientations 5–8 swap width and height), and store it as media/<sha256><ext>, written to a
 * `.partial` file and renamed so a crash never leaves half a file under a hash name. Content
 * addressed: the same bytes are stored once. BMPs, which sharp cannot read, are decoded here and
 * stored as PNG; GIFs keep their bytes and are read at their first frame.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { ImportedImage } from '../../../shared/images.js';
import { ImageFileError, ioReason } from './errors.js';
import { decodeBmp } from './bmp.js';
import { describeBytes, EXT_OF, sniffImage } from './sniff.js';

export interface IngestedImage {
  sha256: string;
  /** Lower case with the dot, from the content (a PNG named .jpg is stored as .png). */
  ext: string;
  /** Bytes stored. */
  bytes: number;
  /** As displayed, after the EXIF orientation. */
  width: number;
  height: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
}

/** Side the check decodes to: JPEG shrink-on-load still reads every block, so truncation shows, at a fraction of a full decode. */
const CHECK_SIDE = 64;

export async function ingestImage(img: ImportedImage, mediaDir: string): Promise<IngestedImage> {
  const name = img.relPath;
  let data: Uint8Array;
  if (img.bytes) data = img.bytes;
  else if (img.path) {
    try {
      data = await fsp.readFile(img.path);
    } catch (e) {
      throw new ImageFileError('IMAGE_UNREADABLE', name, `Cannot read ${name}: ${ioReason(e)}.`);
    }
  } else throw new ImageFileError('IMAGE_UNREADABLE', name, `${name} has neither a path nor bytes.`);

  const kind = sniffImage(data);
  if (!kind) throw new ImageFileError('IMAGE_UNSUPPORTED', name, `${name} is not an image: expected JPEG, PNG, WebP, BMP or GIF data, found ${describeBytes(data)}.`);

  let stored: Uint8Array = data;
  let ext = EXT_OF[kind];
  if (kind === 'bmp') {
    const bmp = decodeBmp(data, name);
    stored = await sharp(bmp.data, { raw: { width: bmp.width, height: bmp.height, channels: bmp.channels } }).png().toBuffer();
    ext = '.png';
  }

  let width: number;
  let height: number;
  let orientation: number;
  try {
    const meta = await sharp(stored).metadata();
    orientation = meta.orientation ?? 1;
    if (!meta.width || !meta.height) throw new Error('no size in the header');
    const swap = orientation >= 5 && orientation <= 8;
    width = swap ? meta.height : meta.width;
    height = swap ? meta.width : meta.height;
    await sharp(stored).resize(CHECK_SIDE, CHECK_SIDE, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Vips\w*: /, '').replace(/\s+$/, '') : String(e);
    throw new ImageFileError('IMAGE_CORRUPT', name, `${name} is a damaged ${kind.toUpperCase()} file: ${why}.`);
  }

  const sha256 = createHash('sha256').update(stored).digest('hex');
  const target = path.join(mediaDir, `${sha256}${ext}`);
  if (!existsSync(target)) await writeAtomic(target, stored);
  return { sha256, ext, bytes: stored.byteLength, width, height, orientation };
}

/** Writes `file` through `<file>.<random>.partial` and a rename (several writers of the same content may race; each rename is whole). */
export async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
  try {
    await fsp.writeFile(partial, data);
    await fsp.rename(partial, file);
  } catch (e) {
    await fsp.rm(partial, { force: true });
    throw e;
  }
}

/** A WebP thumbnail that fits in size×size, upright (auto-oriented), written atomically. */
export async function makeThumbnail(mediaFile: string, thumbFile: string, size = 256): Promise<void> {
  const webp = await sharp(mediaFile).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
  await writeAtomic(thumbFile, webp);
}

/**
 * Pixels for training: upright, stretched to width×height (as Keras' image_dataset_from_directory
 * does by default), `channels` 1 (luminance) or 3 (sRGB, alpha dropped), row-major HWC bytes.
 */
export async function decodeForTraining(mediaFile: string, shape: { width: number; height: number; channels: 1 | 3 }): Promise<Uint8Array> {
  let p = sharp(mediaFile).rotate().resize(shape.width, shape.height, { fit: 'fill' }).removeAlpha();
  p = shape.channels === 1 ? p.toColourspace('b-w') : p.toColourspace('srgb');
  const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== shape.channels) {
    throw new Error(`decodeForTraining(${mediaFile}): expected ${shape.channels} channels, sharp gave ${info.channels}`);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
