/**
 * Windows bitmaps, which sharp (libvips) cannot read: uncompressed 24- and 32-bit (BI_RGB, or
 * BI_BITFIELDS with 8-bit masks) and 8-bit palette, bottom-up or top-down. Anything else (RLE,
 * 1/4/16-bit, OS/2 headers, embedded JPEG/PNG) is IMAGE_UNSUPPORTED, saying what was found.
 */
import { ImageFileError } from './errors.js';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  compression: number;
  topDown: boolean;
  dataOffset: number;
  headerSize: number;
  colorsUsed: number;
  masks: [number, number, number, number] | null;
}

export interface DecodedBmp {
  width: number;
  height: number;
  channels: 3 | 4;
  data: Uint8Array;
}

const COMPRESSION = ['BI_RGB', 'BI_RLE8', 'BI_RLE4', 'BI_BITFIELDS', 'BI_JPEG', 'BI_PNG', 'BI_ALPHABITFIELDS'];

/** The header of a BMP; enough for its size without decoding. */
export function readBmpHeader(b: Uint8Array, file: string): BmpHeader {
  if (b.length < 26 || b[0] !== 0x42 || b[1] !== 0x4d) throw new ImageFileError('IMAGE_CORRUPT', file, `${file} is not a BMP: expected a 54-byte header starting 'BM', found ${b.length} bytes.`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dataOffset = v.getUint32(10, true);
  const headerSize = v.getUint32(14, true);
  if (headerSize < 40) throw new ImageFileError('IMAGE_UNSUPPORTED', file, `${file} has an OS/2 BMP header (${headerSize} bytes); expected a Windows BITMAPINFOHEADER (40 bytes or more).`);
  if (b.length < 14 + 40) throw new ImageFileError('IMAGE_CORRUPT', file, `${file} is truncated: expected a 54-byte BMP header, found ${b.length} bytes.`);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bitsPerPixel = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  const colorsUsed = v.getUint32(46, true);
  let masks: BmpHeader['masks'] = null;
  if (compression === 3 || compression === 6) {
    // Masks follow a 40-byte header, or sit inside a V2+ header at the same offset.
    if (b.length < 14 + 40 + 12) throw new ImageFileError('IMAGE_CORRUPT', file, `${file} is truncated: expected BI_BITFIELDS masks after the header.`);
    const alpha = headerSize >= 56 || compression === 6 ? v.getUint32(66, true) : 0;
    masks = [v.getUint32(54, true), v.getUint32(58, true), v.getUint32(62, true), alpha];
  }
  if (width <= 0 || rawHeight === 0) throw new ImageFileError('IMAGE_CORRUPT', file, `${file} has a BMP size of ${width}×${rawHeight}; expected a positive width and a non-zero height.`);
  return { width, height: Math.abs(rawHeight), bitsPerPixel, compression, topDown: rawHeight < 0, dataOffset, headerSize, colorsUsed, masks };
}

export function decodeBmp(b: Uint8Array, file: string): DecodedBmp {
  const h = readBmpHeader(b, file);
  const name = COMPRESSION[h.compression] ?? `compression ${h.compression}`;
  const supported =
    (h.compression === 0 && (h.bitsPerPixel === 24 || h.bitsPerPixel === 32 || h.bitsPerPixel === 8)) ||
    ((h.compression === 3 || h.compression === 6) && h.bitsPerPixel === 32 && h.masks !== null && h.masks.slice(0, 3).every(isByteMask));
  if (!supported) {
    throw new ImageFileError(
      'IMAGE_UNSUPPORTED',
      file,
      `${file} is a ${h.bitsPerPixel}-bit ${name} BMP; expected an uncompressed 24- or 32-bit or an 8-bit palette BMP. Convert it to PNG first.`,
    );
  }
  const { width, height } = h;
  const stride = Math.ceil((width * h.bitsPerPixel) / 32) * 4;
  const need = h.dataOffset + stride * height;
  if (b.length < need) {
    throw new ImageFileError('IMAGE_CORRUPT', file, `${file} is truncated: a ${width}×${height} ${h.bitsPerPixel}-bit BMP needs ${need} bytes, found ${b.length}.`);
  }
  const src = (y: number) => h.dataOffset + (h.topDown ? y : height - 1 - y) * stride;

  if (h.bitsPerPixel === 8) {
    const count = h.colorsUsed || 256;
    const palStart = 14 + h.headerSize;
    if (b.length < palStart + count * 4) throw new ImageFileError('IMAGE_CORRUPT', file, `${file} is truncated: expected a palette of ${count} colours.`);
    const out = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const row = src(y);
      for (let x = 0; x < width; x++) {
        const i = b[row + x]!;
        if (i >= count) throw new ImageFileError('IMAGE_CORRUPT', file, `${file} uses colour ${i} at (${x}, ${y}) but its palette has ${count} colours.`);
        const p = palStart + i * 4;
        const o = (y * width + x) * 3;
        out[o] = b[p + 2]!;
        out[o + 1] = b[p + 1]!;
        out[o + 2] = b[p]!;
      }
    }
    return { width, height, channels: 3, data: out };
  }

  if (h.bitsPerPixel === 24) {
    const out = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) {
      const row = src(y);
      for (let x = 0; x < width; x++) {
        const p = row + x * 3;
        const o = (y * width + x) * 3;
        out[o] = b[p + 2]!;
        out[o + 1] = b[p + 1]!;
        out[o + 2] = b[p]!;
      }
    }
    return { width, height, channels: 3, data: out };
  }

  // 32-bit: BGRA by default; with bitfields, wherever the masks say.
  const [rm, gm, bm, am] = h.masks ?? [0x00ff0000, 0x0000ff00, 0x000000ff, h.compression === 0 ? 0xff000000 : 0];
  const shift = (m: number) => (m === 0 ? 0 : 31 - Math.clz32(m & -m));
  const rs = shift(rm), gs = shift(gm), bs = shift(bm), as = shift(am);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Uint8Array(width * height * 4);
  let anyAlpha = false;
  for (let y = 0; y < height; y++) {
    const row = src(y);
    for (let x = 0; x < width; x++) {
      const px = v.getUint32(row + x * 4, true);
      const o = (y * width + x) * 4;
      out[o] = (px & rm) >>> rs;
      out[o + 1] = (px & gm) >>> gs;
      out[o + 2] = (px & bm) >>> bs;
      const a = am ? (px & am) >>> as : 255;
      out[o + 3] = a;
      if (a !== 0) anyAlpha = true;
    }
  }
  // Many writers leave the fourth byte of BI_RGB pixels at 0: no alpha at all means opaque, not invisible.
  if (!anyAlpha) for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return { width, height, channels: 4, data: out };
}

function isByteMask(m: number): boolean {
  if (m === 0) return false;
  const s = 31 - Math.clz32(m & -m);
  return (m >>> s) === 0xff;
}
