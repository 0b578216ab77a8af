/**
 * Pure geometry between a photo and a detector's fixed-size input: how the photo is fitted into
 * the input (stretched, or scaled to fit and padded: letterbox), how a box found in the input maps
 * back to the photo, and non-max suppression. No TF.js here, so it is tested on plain numbers.
 */
import { iou, type BoxGeometry } from '../../../shared/images.js';

export type Fit = 'letterbox' | 'stretch';

/** Where the photo lands in the input: input = photo × scale + offset, per axis. */
export interface FitTransform {
  /** The input size the model takes. */
  inputWidth: number;
  inputHeight: number;
  /** The photo's size once resized, before padding. */
  resizedWidth: number;
  resizedHeight: number;
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

export function fitTransform(imageWidth: number, imageHeight: number, inputWidth: number, inputHeight: number, fit: Fit): FitTransform {
  if (!(imageWidth > 0 && imageHeight > 0)) throw new RangeError(`image size must be positive; got ${imageWidth}×${imageHeight}`);
  if (fit === 'stretch')
    return {
      inputWidth,
      inputHeight,
      resizedWidth: inputWidth,
      resizedHeight: inputHeight,
      scaleX: inputWidth / imageWidth,
      scaleY: inputHeight / imageHeight,
      offsetX: 0,
      offsetY: 0,
    };
  const scale = Math.min(inputWidth / imageWidth, inputHeight / imageHeight);
  const resizedWidth = Math.max(1, Math.min(inputWidth, Math.round(imageWidth * scale)));
  const resizedHeight = Math.max(1, Math.min(inputHeight, Math.round(imageHeight * scale)));
  return {
    inputWidth,
    inputHeight,
    resizedWidth,
    resizedHeight,
    // The scale actually applied after rounding, so a box at the resized edge maps to the photo's edge.
    scaleX: resizedWidth / imageWidth,
    scaleY: resizedHeight / imageHeight,
    offsetX: Math.floor((inputWidth - resizedWidth) / 2),
    offsetY: Math.floor((inputHeight - resizedHeight) / 2),
  };
}

/**
 * A box given by its corners in input pixels, mapped back to the photo and clipped to it; null
 * when nothing of it is left inside the photo (a box found in the padding).
 */
export function toImageBox(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  t: FitTransform,
  imageWidth: number,
  imageHeight: number,
): BoxGeometry | null {
  const left = clamp((Math.min(x1, x2) - t.offsetX) / t.scaleX, 0, imageWidth);
  const right = clamp((Math.max(x1, x2) - t.offsetX) / t.scaleX, 0, imageWidth);
  const top = clamp((Math.min(y1, y2) - t.offsetY) / t.scaleY, 0, imageHeight);
  const bottom = clamp((Math.max(y1, y2) - t.offsetY) / t.scaleY, 0, imageHeight);
  if (right - left < 1 || bottom - top < 1) return null;
  return { x: left, y: top, w: right - left, h: bottom - top };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export interface Scored extends BoxGeometry {
  score: number;
  className: string;
}

/**
 * Greedy non-max suppression per class: best first, a box is dropped when it overlaps a kept box
 * of the same class by more than `iouThreshold`. Returns at most `maxBoxes`, best first.
 */
export function nonMaxSuppression<T extends Scored>(boxes: readonly T[], iouThreshold: number, maxBoxes = Infinity): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const b of sorted) {
    if (kept.length >= maxBoxes) break;
    if (!kept.some((k) => k.className === b.className && iou(k, b) > iouThreshold)) kept.push(b);
  }
  return kept;
}
