/**
 * One pointer gesture on the canvas, from press to release: draw a box on empty ground, move a
 * box, resize it by a handle, or pan. The canvas feeds pointer positions in; the live geometry is
 * drawn while the gesture lasts and endDrag() says what, if anything, to report, once.
 *
 * A press that moves less than CLICK_SLOP screen pixels is a click: it selects or deselects, and
 * changes no box (a shaky click must not nudge a box by a pixel).
 */
import type { BoxGeometry } from '../images.js';
import { MIN_BOX_SIZE, boxFromDrag, moveBox, resizeBox, roundGeometry, sameGeometry, type Handle, type Point, type Size } from './geometry.js';
import type { Hit } from './hit-test.js';
import { panBy, type Viewport } from './viewport.js';

export const CLICK_SLOP = 3;

interface Base {
  /** Where the press was, in screen pixels (for the click test). */
  originScreen: Point;
  moved: boolean;
}

export type Drag =
  | (Base & { kind: 'draw'; origin: Point; at: Point })
  | (Base & { kind: 'move'; id: number; start: BoxGeometry; origin: Point; at: Point })
  | (Base & { kind: 'resize'; id: number; handle: Handle; start: BoxGeometry; at: Point })
  | (Base & { kind: 'pan'; view: Viewport; atScreen: Point });

export type DragResult = { kind: 'create'; geom: BoxGeometry } | { kind: 'change'; id: number; geom: BoxGeometry } | { kind: 'deselect' } | null;

/**
 * Starts a gesture. `pan` (Space held, or the middle button) pans whatever is under the pointer;
 * otherwise a handle resizes, a box moves (`geometryOf` gives its current geometry) and empty
 * ground draws. Coordinates: `image` is the pointer in image pixels, `screen` in canvas pixels.
 */
export function beginDrag(
  hit: Hit | null,
  geometryOf: (id: number) => BoxGeometry | undefined,
  image: Point,
  screen: Point,
  view: Viewport,
  pan: boolean,
): Drag {
  const base = { originScreen: screen, moved: false };
  if (pan) return { ...base, kind: 'pan', view, atScreen: screen };
  const start = hit ? geometryOf(hit.id) : undefined;
  if (hit && start) {
    if (hit.kind === 'handle') return { ...base, kind: 'resize', id: hit.id, handle: hit.handle, start, at: image };
    return { ...base, kind: 'move', id: hit.id, start, origin: image, at: image };
  }
  return { ...base, kind: 'draw', origin: image, at: image };
}

export function updateDrag(d: Drag, image: Point, screen: Point): Drag {
  const moved = d.moved || Math.hypot(screen.x - d.originScreen.x, screen.y - d.originScreen.y) > CLICK_SLOP;
  if (d.kind === 'pan') return { ...d, moved, atScreen: screen };
  return { ...d, moved, at: image };
}

/** The geometry to draw while the gesture lasts: the box being drawn, moved or resized; null for none yet. */
export function dragGeometry(d: Drag, image: Size, min = MIN_BOX_SIZE): BoxGeometry | null {
  if (!d.moved) return null;
  switch (d.kind) {
    case 'draw':
      return boxFromDrag(d.origin, d.at, image, min);
    case 'move':
      return moveBox(d.start, d.at.x - d.origin.x, d.at.y - d.origin.y, image);
    case 'resize':
      return resizeBox(d.start, d.handle, d.at, image, min);
    case 'pan':
      return null;
  }
}

/** The viewport while panning (the one the gesture started with otherwise). */
export function dragViewport(d: Drag, current: Viewport): Viewport {
  if (d.kind !== 'pan') return current;
  return panBy(d.view, d.atScreen.x - d.originScreen.x, d.atScreen.y - d.originScreen.y);
}

/** What the gesture did, on release: one create or change, in whole pixels; or a click on empty ground. */
export function endDrag(d: Drag, image: Size, min = MIN_BOX_SIZE): DragResult {
  if (d.kind === 'pan') return null;
  if (!d.moved) return d.kind === 'draw' ? { kind: 'deselect' } : null;
  const live = dragGeometry(d, image, min);
  if (!live) return d.kind === 'draw' ? { kind: 'deselect' } : null;
  const geom = roundGeometry(live, image);
  if (geom.w < 1 || geom.h < 1) return null;
  if (d.kind === 'draw') return { kind: 'create', geom };
  return sameGeometry(geom, d.start) ? null : { kind: 'change', id: d.id, geom };
}
