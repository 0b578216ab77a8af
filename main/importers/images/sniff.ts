/** What the first bytes of a file say it is: cheap, and it does not trust the extension. */

export type ImageKind = 'jpeg' | 'png' | 'gif' | 'webp' | 'bmp';

export const EXT_OF: Record<ImageKind, string> = { jpeg: '.jpg', png: '.png', gif: '.gif', webp: '.webp', bmp: '.bmp' };

export function sniffImage(b: Uint8Array): ImageKind | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a) return 'png';
  if (b.length >= 6 && ascii(b, 0, 4) === 'GIF8') return 'gif';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  return null;
}

/** A few words on what the bytes are instead, for "expected an image, found …". */
export function describeBytes(b: Uint8Array): string {
  if (b.length === 0) return 'an empty file';
  if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a)) return 'a TIFF image';
  if (ascii(b, 4, 8) === 'ftyp') return `an ISO media file ('${ascii(b, 8, 12)}': HEIC, AVIF or video)`;
  if (ascii(b, 0, 4) === '%PDF') return 'a PDF document';
  if (b[0] === 0x50 && b[1] === 0x4b) return 'a ZIP archive';
  if (b[0] === 0x1f && b[1] === 0x8b) return 'gzip-compressed data';
  if (ascii(b, 0, 5).toLowerCase() === '<?xml' || ascii(b, 0, 4).toLowerCase() === '<svg') return 'XML or SVG text';
  const sample = b.subarray(0, 512);
  const text = sample.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127) || c >= 128);
  if (text) {
    const start = Buffer.from(b.subarray(0, 24)).toString('utf8').replace(/\s+/g, ' ').trim();
    return `text ('${start}${b.length > 24 ? '…' : ''}')`;
  }
  return `bytes ${Array.from(b.subarray(0, 8), (c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}
