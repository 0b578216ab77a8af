/** The viewport: image↔screen, zoom about a point, pan, fit, what is in view. */
import { describe, expect, it } from 'vitest';
import {
  MAX_ZOOM,
  MIN_ZOOM,
  boxToScreen,
  fitViewport,
  imageToScreen,
  panBy,
  screenToImage,
  visibleImageRect,
  zoomAt,
  zoomCentered,
} from '../../../shared/labels/viewport.js';

const v = { zoom: 2, panX: 30, panY: -10 };

describe('viewport', () => {
  it('maps image points to the screen and back', () => {
    expect(imageToScreen(v, { x: 10, y: 20 })).toEqual({ x: 50, y: 30 });
    expect(screenToImage(v, { x: 50, y: 30 })).toEqual({ x: 10, y: 20 });
    expect(boxToScreen(v, { x: 10, y: 20, w: 5, h: 6 })).toEqual({ x: 50, y: 30, w: 10, h: 12 });
  });

  it('zooms about the pointer: the image point under it stays under it', () => {
    const at = { x: 123, y: 77 };
    const before = screenToImage(v, at);
    const z = zoomAt(v, 1.7, at);
    expect(z.zoom).toBeCloseTo(3.4);
    const after = screenToImage(z, at);
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });

  it('keeps the zoom within its limits (and the anchor still fixed)', () => {
    expect(zoomAt(v, 1e6, { x: 0, y: 0 }).zoom).toBe(MAX_ZOOM);
    const tiny = zoomAt(v, 1e-6, { x: 40, y: 40 });
    expect(tiny.zoom).toBe(MIN_ZOOM);
    expect(screenToImage(tiny, { x: 40, y: 40 }).x).toBeCloseTo(screenToImage(v, { x: 40, y: 40 }).x, 9);
  });

  it('zooms the + and - keys about the middle of the canvas', () => {
    const c = { width: 800, height: 600 };
    const mid = screenToImage(v, { x: 400, y: 300 });
    const z = zoomCentered(v, 1.25, c);
    expect(screenToImage(z, { x: 400, y: 300 }).x).toBeCloseTo(mid.x, 9);
  });

  it('pans by screen pixels', () => {
    expect(panBy(v, 5, 5)).toEqual({ zoom: 2, panX: 35, panY: -5 });
  });

  it('fits a large image, centred, and does not blow up a small one', () => {
    const big = fitViewport({ width: 4000, height: 3000 }, { width: 824, height: 424 }, { padding: 12 });
    expect(big.zoom).toBeCloseTo(0.1333, 3); // height-bound: 400 / 3000
    const screenW = 4000 * big.zoom;
    expect(big.panX).toBeCloseTo((824 - screenW) / 2);
    expect(big.panY).toBeCloseTo(12);
    const small = fitViewport({ width: 28, height: 28 }, { width: 800, height: 600 });
    expect(small.zoom).toBe(1);
    expect(small.panX).toBe(386);
    expect(fitViewport({ width: 28, height: 28 }, { width: 800, height: 600 }, { upscale: true, padding: 0 }).zoom).toBeCloseTo(600 / 28);
    expect(fitViewport({ width: 28, height: 28 }, { width: 0, height: 0 })).toEqual({ zoom: 1, panX: 0, panY: 0 });
  });

  it('says which part of the image is in view', () => {
    const image = { width: 1000, height: 800 };
    const c = { width: 400, height: 300 };
    expect(visibleImageRect({ zoom: 2, panX: -200, panY: -100 }, image, c)).toEqual({ x: 100, y: 50, w: 200, h: 150 });
    // The whole image fits: the whole image is in view.
    expect(visibleImageRect(fitViewport(image, c), image, c)).toEqual({ x: 0, y: 0, w: 1000, h: 800 });
    // Panned away from the image: fall back to all of it.
    expect(visibleImageRect({ zoom: 1, panX: 5000, panY: 0 }, image, c)).toEqual({ x: 0, y: 0, w: 1000, h: 800 });
  });
});
