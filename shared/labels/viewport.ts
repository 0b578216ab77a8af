/**
 * The canvas viewport: how the image maps onto the screen. A screen point is
 * `image point × zoom + pan`, with screen coordinates relative to the canvas's top-left corner.
 */
import type { BoxGeometry } from '../images.js';
import type { Point, Size } from './geometry.js';

export interface Viewport {
  zoom: number;
  panX: number;
  panY: number;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 32;
/** One press of + or -. */
export const ZOOM_STEP = 1.25;
/** Space left around the image when it is fitted, in screen pixels. */
export const FIT_PADDING = 12;

export const IDENTITY: Viewport = { zoom: 1, panX: 0, panY: 0 };

export function imageToScreen(v: Viewport, p: Point): Point {
  return { x: p.x * v.zoom + v.panX, y: p.y * v.zoom + v.panY };
}

export function screenToImage(v: Viewport, p: Point): Point {
  return { x: (p.x - v.panX) / v.zoom, y: (p.y - v.panY) / v.zoom };
}

/** A box in screen pixels (same shape, scaled and shifted). */
export function boxToScreen(v: Viewport, g: BoxGeometry): BoxGeometry {
  return { x: g.x * v.zoom + v.panX, y: g.y * v.zoom + v.panY, w: g.w * v.zoom, h: g.h * v.zoom };
}

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** Zooms by `factor` keeping the image point under `at` (screen) where it is: wheel zoom about the pointer. */
export function zoomAt(v: Viewport, factor: number, at: Point): Viewport {
  const zoom = clampZoom(v.zoom * factor);
  const anchor = screenToImage(v, at);
  return { zoom, panX: at.x - anchor.x * zoom, panY: at.y - anchor.y * zoom };
}

/** Zooms about the middle of the container (the + and - keys). */
export function zoomCentered(v: Viewport, factor: number, container: Size): Viewport {
  return zoomAt(v, factor, { x: container.width / 2, y: container.height / 2 });
}

export function panBy(v: Viewport, dx: number, dy: number): Viewport {
  return { zoom: v.zoom, panX: v.panX + dx, panY: v.panY + dy };
}

/**
 * The whole image, as large as fits, centred. Small images are not blown up past 1:1 unless
 * `upscale`; a container or image with no size gives the identity.
 */
export function fitViewport(image: Size, container: Size, options: { padding?: number; upscale?: boolean } = {}): Viewport {
  const pad = options.padding ?? FIT_PADDING;
  const cw = Math.max(1, container.width - 2 * pad);
  const ch = Math.max(1, container.height - 2 * pad);
  if (image.width <= 0 || image.height <= 0 || container.width <= 0 || container.height <= 0) return { ...IDENTITY };
  let zoom = Math.min(cw / image.width, ch / image.height);
  if (!options.upscale) zoom = Math.min(zoom, 1);
  zoom = clampZoom(zoom);
  return {
    zoom,
    panX: (container.width - image.width * zoom) / 2,
    panY: (container.height - image.height * zoom) / 2,
  };
}

/** The part of the image visible in the container (image pixels), for placing a new box in view. */
export function visibleImageRect(v: Viewport, image: Size, container: Size): BoxGeometry {
  const a = screenToImage(v, { x: 0, y: 0 });
  const b = screenToImage(v, { x: container.width, y: container.height });
  const x0 = Math.max(0, a.x);
  const y0 = Math.max(0, a.y);
  const x1 = Math.min(image.width, b.x);
  const y1 = Math.min(image.height, b.y);
  // Panned off the image entirely: fall back to the whole image.
  if (x1 <= x0 || y1 <= y0) return { x: 0, y: 0, w: image.width, h: image.height };
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
