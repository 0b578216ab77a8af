/**
 * Drawing a box with no mouse. N (or B) puts a draft box in the middle of what is in view; the
 * arrows move it (Shift: 10 px), Alt+arrows grow or shrink it from its bottom-right corner, Enter
 * makes it a box of the active class and Esc drops it. The canvas keeps the draft; these are the
 * rules it follows, so they are tested without a DOM.
 */
import type { BoxGeometry } from '../images.js';
import { MIN_BOX_SIZE, nudgeBox, type Size } from './geometry.js';

/** The draft's side as a share of the shorter side of what is in view. */
export const DRAFT_FRACTION = 0.25;

/**
 * A square draft centred in `visible` (the image part in view, see visibleImageRect), a quarter of
 * its shorter side, on whole pixels and inside the image.
 */
export function startDraft(visible: BoxGeometry, image: Size, fraction = DRAFT_FRACTION): BoxGeometry {
  const side = Math.max(MIN_BOX_SIZE, Math.round(Math.min(visible.w, visible.h) * fraction));
  const w = Math.min(side, image.width);
  const h = Math.min(side, image.height);
  const x = Math.min(Math.max(0, Math.round(visible.x + visible.w / 2 - w / 2)), image.width - w);
  const y = Math.min(Math.max(0, Math.round(visible.y + visible.h / 2 - h / 2)), image.height - h);
  return { x, y, w, h };
}

/** One arrow press on the draft: a move, or with Alt a resize (see nudgeBox). */
export function stepDraft(draft: BoxGeometry, dx: number, dy: number, mode: 'move' | 'resize', image: Size): BoxGeometry {
  return nudgeBox(draft, dx, dy, mode, image);
}
