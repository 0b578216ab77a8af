/**
 * Box geometry for the annotation canvas, in image pixels (see shared/images.ts): building a box
 * from a drag, keeping it inside the image and above a minimum size, moving, resizing by its eight
 * handles and nudging with the keyboard. Every function is pure and returns a new geometry, so a
 * drag is always computed from where it started (no drift from accumulated rounding).
 *
 * The viewport (zoom and pan) lives in viewport.ts, hit-testing in hit-test.ts.
 */
import type { BoxGeometry } from '../images.js';

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** Boxes smaller than this (in image pixels, either side) are not made: a drag that short is a click. */
export const MIN_BOX_SIZE = 2;

/** The eight resize handles, by compass direction. */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w';
export const HANDLES: readonly Handle[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** The box spanned by two corners, whichever way the drag went. */
export function normalizeRect(a: Point, b: Point): BoxGeometry {
  return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.abs(b.x - a.x), h: Math.abs(b.y - a.y) };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

export function clampPoint(p: Point, image: Size): Point {
  return { x: clamp(p.x, 0, image.width), y: clamp(p.y, 0, image.height) };
}

/** The part of `g` inside the image (a box drawn past the edge stops at the edge); may be empty. */
export function clampToImage(g: BoxGeometry, image: Size): BoxGeometry {
  const x0 = clamp(g.x, 0, image.width);
  const y0 = clamp(g.y, 0, image.height);
  const x1 = clamp(g.x + g.w, 0, image.width);
  const y1 = clamp(g.y + g.h, 0, image.height);
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

export function isTooSmall(g: BoxGeometry, min = MIN_BOX_SIZE): boolean {
  return g.w < min || g.h < min;
}

/** A drawn box: the rectangle between the two corners, inside the image; null when it is too small to be a box. */
export function boxFromDrag(start: Point, end: Point, image: Size, min = MIN_BOX_SIZE): BoxGeometry | null {
  const g = clampToImage(normalizeRect(start, end), image);
  return isTooSmall(g, min) ? null : g;
}

/** `g` moved by (dx, dy), its size kept, stopped at the image's edges. */
export function moveBox(g: BoxGeometry, dx: number, dy: number, image: Size): BoxGeometry {
  return {
    x: clamp(g.x + dx, 0, Math.max(0, image.width - g.w)),
    y: clamp(g.y + dy, 0, Math.max(0, image.height - g.h)),
    w: g.w,
    h: g.h,
  };
}

/**
 * One axis of a resize: `fixed` is the edge that stays, `moving` where the dragged edge is now.
 * Past the fixed edge the box flips; it keeps at least `min` and stays inside [0, limit].
 * `towards` is the side the dragged edge starts on (+1 right/down, -1 left/up), used when the
 * two edges meet exactly.
 */
function resizeAxis(fixed: number, moving: number, limit: number, min: number, towards: 1 | -1): [number, number] {
  let m = clamp(moving, 0, limit);
  let dir = m > fixed ? 1 : m < fixed ? -1 : towards;
  if (Math.abs(m - fixed) < min) {
    m = fixed + dir * min;
    // No room on that side of the fixed edge: grow to the other.
    if (m < 0 || m > limit) {
      dir = -dir as 1 | -1;
      m = fixed + dir * min;
    }
    m = clamp(m, 0, limit);
  }
  return [Math.min(fixed, m), Math.abs(m - fixed)];
}

/**
 * `start` resized by dragging `handle` to `to` (image pixels). Edges the handle does not hold stay
 * put; dragging past the opposite edge flips the box rather than giving it a negative size.
 */
export function resizeBox(start: BoxGeometry, handle: Handle, to: Point, image: Size, min = MIN_BOX_SIZE): BoxGeometry {
  let { x, w } = start;
  let { y, h } = start;
  const right = start.x + start.w;
  const bottom = start.y + start.h;
  if (handle.includes('w')) [x, w] = resizeAxis(right, to.x, image.width, min, -1);
  else if (handle.includes('e')) [x, w] = resizeAxis(start.x, to.x, image.width, min, 1);
  if (handle.includes('n')) [y, h] = resizeAxis(bottom, to.y, image.height, min, -1);
  else if (handle.includes('s')) [y, h] = resizeAxis(start.y, to.y, image.height, min, 1);
  return { x, y, w, h };
}

/** Where a handle sits on a box (image pixels). */
export function handlePoint(g: BoxGeometry, handle: Handle): Point {
  const x = handle.includes('w') ? g.x : handle.includes('e') ? g.x + g.w : g.x + g.w / 2;
  const y = handle.includes('n') ? g.y : handle.includes('s') ? g.y + g.h : g.y + g.h / 2;
  return { x, y };
}

/** Arrow-key steps in image pixels: 1, or 10 with Shift. */
export const NUDGE_STEP = 1;
export const NUDGE_STEP_LARGE = 10;

/**
 * A keyboard nudge. Moving shifts the box by (dx, dy). Resizing (Alt+arrows) moves the right or
 * bottom edge: right/down grow the box, left/up shrink it, never below `min`, never past the image.
 */
export function nudgeBox(g: BoxGeometry, dx: number, dy: number, mode: 'move' | 'resize', image: Size, min = MIN_BOX_SIZE): BoxGeometry {
  if (mode === 'move') return moveBox(g, dx, dy, image);
  const w = clamp(g.w + dx, Math.min(min, image.width - g.x), image.width - g.x);
  const h = clamp(g.h + dy, Math.min(min, image.height - g.y), image.height - g.y);
  return { x: g.x, y: g.y, w, h };
}

export function sameGeometry(a: BoxGeometry, b: BoxGeometry, eps = 1e-6): boolean {
  return Math.abs(a.x - b.x) < eps && Math.abs(a.y - b.y) < eps && Math.abs(a.w - b.w) < eps && Math.abs(a.h - b.h) < eps;
}

/** Rounds to whole pixels, as a box is stored once a drag ends (keeps the box inside the image). */
export function roundGeometry(g: BoxGeometry, image: Size): BoxGeometry {
  const x0 = clamp(Math.round(g.x), 0, image.width);
  const y0 = clamp(Math.round(g.y), 0, image.height);
  const x1 = clamp(Math.round(g.x + g.w), 0, image.width);
  const y1 = clamp(Math.round(g.y + g.h), 0, image.height);
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
