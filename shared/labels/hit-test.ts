/**
 * What is under the pointer: a handle of the selected box, a box, or nothing; and the order Tab
 * walks the boxes in. Handles are sized in screen pixels, so they stay grabbable at any zoom.
 */
import type { Box, BoxGeometry } from '../images.js';
import { HANDLES, handlePoint, type Handle, type Point } from './geometry.js';
import { imageToScreen, screenToImage, type Viewport } from './viewport.js';

/** A handle's drawn side, in screen pixels. */
export const HANDLE_SIZE = 8;
/** Extra reach around a handle and a box's edge, in screen pixels (thin boxes stay grabbable). */
export const HIT_SLOP = 3;

export type Hit = { kind: 'handle'; id: number; handle: Handle } | { kind: 'box'; id: number };

/** The handle of `g` under the screen point, the nearest when several overlap (tiny boxes), or null. */
export function handleAt(g: BoxGeometry, screen: Point, v: Viewport, size = HANDLE_SIZE, slop = HIT_SLOP): Handle | null {
  const reach = size / 2 + slop;
  let best: Handle | null = null;
  let bestDist = Infinity;
  for (const handle of HANDLES) {
    const p = imageToScreen(v, handlePoint(g, handle));
    const d = Math.max(Math.abs(p.x - screen.x), Math.abs(p.y - screen.y));
    if (d <= reach && d < bestDist) {
      best = handle;
      bestDist = d;
    }
  }
  return best;
}

/**
 * The box under an image point. Nested boxes: the smallest wins (so a face inside a person can be
 * picked); at equal size a confirmed box wins over a proposal, then the one drawn last (on top).
 * `slop` is in image pixels.
 */
export function boxAt<B extends Box>(boxes: readonly B[], p: Point, slop = 0): B | null {
  let best: B | null = null;
  for (const b of boxes) {
    if (p.x < b.x - slop || p.x > b.x + b.w + slop || p.y < b.y - slop || p.y > b.y + b.h + slop) continue;
    if (best === null || beats(b, best)) best = b;
  }
  return best;
}

function beats(a: Box, b: Box): boolean {
  const areaA = a.w * a.h;
  const areaB = b.w * b.h;
  if (areaA !== areaB) return areaA < areaB;
  if (a.status !== b.status) return a.status === 'confirmed';
  return true; // later in the list: drawn on top
}

/** Handles of the selected box first (they stick out past its edges), then boxes. */
export function hitTest(
  boxes: readonly Box[],
  selectedId: number | null,
  screen: Point,
  v: Viewport,
  options: { handleSize?: number; slop?: number } = {},
): Hit | null {
  const slop = options.slop ?? HIT_SLOP;
  const selected = selectedId === null ? undefined : boxes.find((b) => b.id === selectedId);
  if (selected) {
    const handle = handleAt(selected, screen, v, options.handleSize ?? HANDLE_SIZE, slop);
    if (handle) return { kind: 'handle', id: selected.id, handle };
  }
  const box = boxAt(boxes, screenToImage(v, screen), slop / v.zoom);
  return box ? { kind: 'box', id: box.id } : null;
}

const CURSORS: Record<Handle, string> = {
  nw: 'nwse-resize',
  se: 'nwse-resize',
  ne: 'nesw-resize',
  sw: 'nesw-resize',
  n: 'ns-resize',
  s: 'ns-resize',
  e: 'ew-resize',
  w: 'ew-resize',
};

/** The CSS cursor for a handle. */
export function handleCursor(handle: Handle): string {
  return CURSORS[handle];
}

/** Boxes in reading order (top to bottom, then left to right): the order Tab visits them. */
export function readingOrder<B extends Box>(boxes: readonly B[]): B[] {
  return [...boxes].sort((a, b) => a.y - b.y || a.x - b.x || a.id - b.id);
}

/**
 * The box Tab (or Shift+Tab) selects after `currentId`: the next in reading order, wrapping
 * around; the first (or last) when none is selected; null without boxes.
 */
export function cycleBox(boxes: readonly Box[], currentId: number | null, backwards = false): number | null {
  const order = readingOrder(boxes);
  if (order.length === 0) return null;
  const i = currentId === null ? -1 : order.findIndex((b) => b.id === currentId);
  if (i < 0) return (backwards ? order[order.length - 1]! : order[0]!).id;
  const n = order.length;
  return order[(i + (backwards ? n - 1 : 1)) % n]!.id;
}
