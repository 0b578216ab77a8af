/**
 * Near-duplicate frames: a 64×64 grey thumbnail of each frame, compared with the last frame kept.
 *
 * Similarity is the share of thumbnail pixels that stayed within CHANGE_LEVEL grey levels (of 255):
 * 1 for the same picture, lower the more of the picture changed. A frame is skipped when its
 * similarity to the last kept frame is at least the threshold (default 0.995: under 0.5 % of the
 * picture changed, i.e. fewer than 21 of 4096 thumbnail pixels).
 *
 * Why not a dHash/aHash: on a fixed camera, a person walking across the picture barely changes a
 * gradient hash (a person of 2 % of a 640×360 frame, moved by 24 px: 0–8 % of a 64-bit dHash's bits,
 * often 0, and 1.6–6.6 % of a 256-bit one), while the thumbnail difference sees 2–3 % of its pixels
 * change, against 0 % for a still scene with sensor noise and re-encoding. Missing a person who moved
 * is the costly mistake for a detection dataset, so the measure that sees them decides.
 */
import sharp from 'sharp';

export const THUMB_SIDE = 64;
/** A pixel "changed" when its grey level moved by more than this: above noise and JPEG artefacts. */
export const CHANGE_LEVEL = 24;
export const DEFAULT_SIMILARITY = 0.995;

/** A 64×64 grey thumbnail (4096 bytes) of a JPEG; JPEG shrink-on-load keeps this cheap for large frames. */
export async function thumbnail(jpeg: Uint8Array): Promise<Uint8Array> {
  const data = await sharp(jpeg).greyscale().resize(THUMB_SIDE, THUMB_SIDE, { fit: 'fill' }).raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

/** The share of pixels within CHANGE_LEVEL of each other, in [0, 1]. */
export function similarity(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) <= CHANGE_LEVEL) same++;
  return same / a.length;
}
