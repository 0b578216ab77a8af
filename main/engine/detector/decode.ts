/**
 * Decodes a photo for detection with sharp: EXIF orientation applied (boxes are in pixels of the
 * image as displayed, see shared/images.ts), alpha dropped, grey or CMYK turned into sRGB, so the
 * result is always three bytes a pixel. Large photos are shrunk first (the detectors take 416 or
 * 512 pixels, and sharp's resampling beats bilinear from 6000 pixels); `displayWidth/Height` keep
 * the full size so proposals can be mapped back.
 */
import sharp from 'sharp';
import { AppError } from '../../../shared/errors.js';
import type { RgbImage } from './types.js';

export interface DecodedImage extends RgbImage {
  /** The oriented image's full size; `width`/`height` are smaller when it was shrunk. */
  displayWidth: number;
  displayHeight: number;
}

export interface DecodeOptions {
  /** Shrink so the longer side is at most this (never enlarge); 0 keeps the full size. Default 1024. */
  maxSide?: number;
}

export async function decodeImage(file: string, opts: DecodeOptions = {}): Promise<DecodedImage> {
  const maxSide = opts.maxSide ?? 1024;
  try {
    const meta = await sharp(file).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const displayWidth = turned ? meta.height : meta.width;
    const displayHeight = turned ? meta.width : meta.height;
    let img = sharp(file).rotate().removeAlpha().toColourspace('srgb');
    if (maxSide > 0 && Math.max(displayWidth, displayHeight) > maxSide)
      img = img.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true });
    const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`sharp gave ${info.channels} channels; expected 3`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, displayWidth, displayHeight };
  } catch (e) {
    throw new AppError('IMAGE_UNREADABLE', `Image '${file}' could not be decoded: ${(e as Error).message}.`, { file });
  }
}

/** The oriented photo at full size: proposals made on it need no mapping back. */
export async function decodeRgb(file: string): Promise<RgbImage> {
  const { data, width, height } = await decodeImage(file, { maxSide: 0 });
  return { data, width, height };
}
