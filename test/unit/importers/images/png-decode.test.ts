/**
 * The training fast path decodes plain PNGs itself; it must give exactly the bytes sharp gives
 * (which the slow path uses) for every filter sharp writes, and step aside for what it does not cover.
 */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { deflateSync } from 'node:zlib';
import { decodeSimplePng } from '../../../../main/importers/images/png-decode.js';
import { encodeGreyPng } from '../../../../main/importers/images/png.js';

function noise(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (seed = (seed * 16807) % 2147483647) & 255;
  return b;
}

/** A smooth gradient with noise: sharp's adaptive filtering then picks Sub, Up, Average and Paeth rows. */
function picture(w: number, h: number, channels: number): Buffer {
  const n = noise(w * h * channels, 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < channels; c++) n[(y * w + x) * channels + c] = (x * 5 + y * 3 + c * 40 + (n[(y * w + x) * channels + c]! % 9)) & 255;
  return n;
}

async function sharpRaw(png: Buffer, channels: 1 | 3): Promise<Uint8Array> {
  let p = sharp(png).removeAlpha();
  p = channels === 1 ? p.toColourspace('b-w') : p.toColourspace('srgb');
  return new Uint8Array(await p.raw().toBuffer());
}

describe('decodeSimplePng', () => {
  it('reads the IDX importer’s grey PNGs byte for byte', () => {
    const px = noise(28 * 28, 7);
    const got = decodeSimplePng(encodeGreyPng(px, 28, 28));
    expect(got).toMatchObject({ width: 28, height: 28, channels: 1 });
    expect(Buffer.from(got!.data).equals(px)).toBe(true);
  });

  for (const [name, channels, adaptive] of [
    ['grey', 1, true],
    ['RGB', 3, true],
    ['RGBA (alpha dropped)', 4, true],
    ['RGB without filters', 3, false],
  ] as const) {
    it(`gives what sharp gives for ${name} PNGs`, async () => {
      const raw = sharp(picture(37, 23, channels), { raw: { width: 37, height: 23, channels } });
      // sharp writes one raw channel as RGB unless told it is grey.
      const png = await (channels === 1 ? raw.toColourspace('b-w') : raw)
        .png({ adaptiveFiltering: adaptive, compressionLevel: 9 })
        .toBuffer();
      const got = decodeSimplePng(png);
      const want = channels === 1 ? 1 : 3;
      expect(got).toMatchObject({ width: 37, height: 23, channels: want });
      expect(Buffer.from(got!.data).equals(await sharpRaw(png, want))).toBe(true);
    });
  }

  it('undoes each of the five row filters (sharp writes only some of them)', () => {
    const [w, h, bpp] = [9, 10, 3];
    const px = picture(w, h, bpp);
    const stride = w * bpp;
    const at = (y: number, x: number) => (y < 0 || x < 0 ? 0 : px[y * stride + x]!);
    const raw = Buffer.alloc((stride + 1) * h);
    for (let y = 0; y < h; y++) {
      const filter = y % 5;
      raw[y * (stride + 1)] = filter;
      for (let x = 0; x < stride; x++) {
        const [a, b, c] = [at(y, x - bpp), at(y - 1, x), at(y - 1, x - bpp)];
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter]!;
        raw[y * (stride + 1) + 1 + x] = (at(y, x) - pred) & 0xff;
      }
    }
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(data.length);
      head.write(type, 4, 'latin1');
      return Buffer.concat([head, data, Buffer.alloc(4)]); // the decoder does not check CRCs
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w);
    ihdr.writeUInt32BE(h, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
    expect(Buffer.from(decodeSimplePng(png)!.data).equals(px)).toBe(true);
  });

  it('leaves palettes, 16-bit images, JPEGs and damaged files to sharp', async () => {
    const rgb = { raw: { width: 8, height: 8, channels: 3 as const } };
    expect(decodeSimplePng(await sharp(picture(8, 8, 3), rgb).png({ palette: true }).toBuffer())).toBeNull();
    expect(decodeSimplePng(await sharp(picture(8, 8, 3), rgb).png().toColourspace('rgb16').toBuffer())).toBeNull();
    expect(decodeSimplePng(await sharp(picture(8, 8, 3), rgb).jpeg().toBuffer())).toBeNull();
    const whole = encodeGreyPng(noise(64, 1), 8, 8);
    expect(decodeSimplePng(whole.subarray(0, whole.length - 20))).toBeNull();
    expect(decodeSimplePng(new TextEncoder().encode('not a PNG at all, just some text'))).toBeNull();
  });
});
