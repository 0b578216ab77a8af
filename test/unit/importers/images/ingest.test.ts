/** Ingest, thumbnails and the training decode on real files: what a user sees in the grid and what a model is fed. */
import { describe, it, expect, afterAll } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { decodeForTraining, ingestImage, makeThumbnail } from '../../../../main/importers/images/ingest.js';
import { bmp, failure, jpegWithOrientation, pixels, put } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-ingest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const media = path.join(tmp, 'media');

describe('ingestImage', () => {
  it('stores a BMP as PNG with its pixels: 24-bit bottom-up and 32-bit with alpha', async () => {
    const rgb = pixels(5, 3, 4);
    const got = await ingestImage({ path: put(path.join(tmp, 'a.bmp'), bmp(5, 3, rgb, { bits: 24 })), relPath: 'a.bmp' }, media);
    expect(got).toMatchObject({ ext: '.png', width: 5, height: 3, orientation: 1 });
    const back = await sharp(path.join(media, `${got.sha256}.png`)).raw().toBuffer();
    expect([...back]).toEqual([...rgb]);

    const rgba = pixels(3, 2, 9, 4);
    const got32 = await ingestImage({ path: put(path.join(tmp, 'b.bmp'), bmp(3, 2, rgba, { bits: 32, topDown: true })), relPath: 'b.bmp' }, media);
    const back32 = await sharp(path.join(media, `${got32.sha256}.png`)).raw().toBuffer({ resolveWithObject: true });
    expect(back32.info.channels).toBe(4);
    expect([...back32.data]).toEqual([...rgba]);
  });

  it('a 32-bit BMP whose fourth byte is always 0 is opaque, not invisible', async () => {
    const rgba = pixels(2, 2, 3, 4);
    for (let i = 3; i < rgba.length; i += 4) rgba[i] = 0;
    const got = await ingestImage({ bytes: bmp(2, 2, rgba, { bits: 32 }), relPath: 'x.bmp' }, media);
    const data = await sharp(path.join(media, `${got.sha256}.png`)).raw().toBuffer();
    expect([3, 7, 11, 15].map((i) => data[i])).toEqual([255, 255, 255, 255]);
  });

  it('a truncated BMP and a 16-bit BMP are named with what was found', async () => {
    const whole = bmp(4, 4, pixels(4, 4, 1), { bits: 24 });
    const cut = await failure(ingestImage({ bytes: whole.subarray(0, 70), relPath: 'cut.bmp' }, media));
    expect([cut.code, cut.message]).toEqual(['IMAGE_CORRUPT', 'cut.bmp is truncated: a 4×4 24-bit BMP needs 102 bytes, found 70.']);
    const b16 = Buffer.from(whole);
    b16.writeUInt16LE(16, 28);
    const e16 = await failure(ingestImage({ bytes: b16, relPath: 'deep.bmp' }, media));
    expect([e16.code, e16.message]).toEqual(['IMAGE_UNSUPPORTED', 'deep.bmp is a 16-bit BI_RGB BMP; expected an uncompressed 24- or 32-bit or an 8-bit palette BMP. Convert it to PNG first.']);
  });

  it('a PNG named .jpg is stored under .png; an unreadable file is IMAGE_UNREADABLE', async () => {
    const pngBytes = await sharp(pixels(4, 4, 2), { raw: { width: 4, height: 4, channels: 3 } }).png().toBuffer();
    const got = await ingestImage({ path: put(path.join(tmp, 'really-png.jpg'), pngBytes), relPath: 'really-png.jpg' }, media);
    expect(got.ext).toBe('.png');
    expect(statSync(path.join(media, `${got.sha256}.png`)).size).toBe(pngBytes.length);

    const missing = await failure(ingestImage({ path: path.join(tmp, 'gone.jpg'), relPath: 'gone.jpg' }, media));
    expect([missing.code, missing.message]).toEqual(['IMAGE_UNREADABLE', 'Cannot read gone.jpg: no such file (ENOENT).']);
    if (process.getuid?.() !== 0) {
      const locked = put(path.join(tmp, 'locked.jpg'), pngBytes);
      chmodSync(locked, 0o000);
      const denied = await failure(ingestImage({ path: locked, relPath: 'locked.jpg' }, media));
      expect([denied.code, denied.message]).toEqual(['IMAGE_UNREADABLE', 'Cannot read locked.jpg: permission denied (EACCES).']);
    }
  });

  it('ingesting the same image four times at once stores one whole file', async () => {
    const dir = path.join(tmp, 'race');
    const bytes = await jpegWithOrientation(64, 48, 1, 5);
    const all = await Promise.all([1, 2, 3, 4].map((k) => ingestImage({ bytes, relPath: `copy${k}.jpg` }, dir)));
    expect(new Set(all.map((g) => g.sha256)).size).toBe(1);
    expect(readdirSync(dir)).toEqual([`${all[0]!.sha256}.jpg`]);
    expect(statSync(path.join(dir, readdirSync(dir)[0]!)).size).toBe(bytes.length);
  });
});

describe('makeThumbnail and decodeForTraining', () => {
  it('a thumbnail is upright WebP inside size×size, never enlarged', async () => {
    const file = put(path.join(tmp, 'o6.jpg'), await jpegWithOrientation(400, 200, 6));
    const thumb = path.join(tmp, 'thumbs', 'o6.webp');
    await makeThumbnail(file, thumb, 100);
    expect(await sharp(thumb).metadata()).toMatchObject({ format: 'webp', width: 50, height: 100 });
    const small = put(path.join(tmp, 'small.jpg'), await jpegWithOrientation(30, 20, 1));
    await makeThumbnail(small, path.join(tmp, 'thumbs', 'small.webp'));
    expect(await sharp(path.join(tmp, 'thumbs', 'small.webp')).metadata()).toMatchObject({ width: 30, height: 20 });
    expect(readdirSync(path.join(tmp, 'thumbs')).sort()).toEqual(['o6.webp', 'small.webp']);
  });

  it('training pixels are upright, resized and in the channels asked for', async () => {
    // Left half black, right half white, stored 2×1 and rotated by EXIF 6 (90° clockwise): upright it is top black, bottom white.
    const raw = Buffer.from([0, 0, 0, 255, 255, 255]);
    const file = put(path.join(tmp, 'halves.png'), await sharp(raw, { raw: { width: 2, height: 1, channels: 3 } }).png().withMetadata({ orientation: 6 }).toBuffer());
    const grey = await decodeForTraining(file, { width: 1, height: 2, channels: 1 });
    expect([...grey]).toEqual([0, 255]);
    const rgb = await decodeForTraining(file, { width: 3, height: 4, channels: 3 });
    expect(rgb.length).toBe(3 * 4 * 3);
    expect(rgb[0]).toBe(0);
    expect(rgb[rgb.length - 1]).toBe(255);
  });
});
