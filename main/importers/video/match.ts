/** Is this file a video? Cheap: the extension and the container's signature in the first bytes. */
import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';

export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.mkv', '.webm', '.avi', '.m4v'] as const;

export type VideoContainer = 'iso-bmff' | 'matroska' | 'avi';

/** What the first bytes say: MP4/MOV/M4V (ISO base media), MKV/WebM (EBML), AVI (RIFF), or null. */
export function sniffVideo(b: Uint8Array): VideoContainer | null {
  const at = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  // ISO base media: a box size, then its type. Files start with 'ftyp'; old QuickTime files may start with another top-level box.
  if (b.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot'].includes(at(4, 8))) return 'iso-bmff';
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'matroska';
  if (b.length >= 12 && at(0, 4) === 'RIFF' && at(8, 12) === 'AVI ') return 'avi';
  return null;
}

/** A video extension, whatever the bytes: for routing a damaged .mp4 to the video importer, which then says what is wrong with it. */
export function isVideoName(path: string): boolean {
  return (VIDEO_EXTENSIONS as readonly string[]).includes(extname(path).toLowerCase());
}

/**
 * A video extension and a video signature. `head` is the file's first bytes (16 are enough);
 * without it the first bytes are read from `path`.
 */
export function matchVideo(path: string, head?: Uint8Array): boolean {
  if (!isVideoName(path)) return false;
  return sniffVideo(head ?? readHead(path, 16)) !== null;
}

function readHead(path: string, n: number): Uint8Array {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buf = new Uint8Array(n);
    const got = readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } catch {
    return new Uint8Array(0);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
