/** An image's size as displayed (EXIF orientation applied) from its header only: no pixels are decoded. */
import { promises as fsp } from 'node:fs';
import sharp from 'sharp';
import { readBmpHeader } from './bmp.js';
import { ImageFileError } from './errors.js';

export async function displaySize(file: string, rel: string): Promise<{ width: number; height: number }> {
  if (file.toLowerCase().endsWith('.bmp')) {
    const fh = await fsp.open(file, 'r');
    try {
      const buf = Buffer.alloc(70);
      const { bytesRead } = await fh.read(buf, 0, 70, 0);
      const h = readBmpHeader(buf.subarray(0, bytesRead), rel);
      return { width: h.width, height: h.height };
    } finally {
      await fh.close();
    }
  }
  let m: sharp.Metadata;
  try {
    m = await sharp(file).metadata();
  } catch (e) {
    throw new ImageFileError('IMAGE_CORRUPT', rel, `${rel} has no readable image header: ${(e as Error).message}.`);
  }
  if (!m.width || !m.height) throw new ImageFileError('IMAGE_CORRUPT', rel, `${rel} has no size in its header.`);
  const swap = (m.orientation ?? 1) >= 5;
  return swap ? { width: m.height, height: m.width } : { width: m.width, height: m.height };
}
