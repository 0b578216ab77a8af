/** Box geometry: drags in any direction, the image's edges, minimum size, moves, the eight handles with flipping, nudges. */
import { describe, expect, it } from 'vitest';
import {
  HANDLES,
  boxFromDrag,
  clampToImage,
  handlePoint,
  moveBox,
  normalizeRect,
  nudgeBox,
  resizeBox,
  roundGeometry,
} from '../../../shared/labels/geometry.js';

const image = { width: 640, height: 480 };
const box = { x: 100, y: 100, w: 200, h: 100 };

describe('drawing a box', () => {
  it('gives the same box whichever way the drag goes', () => {
    const want = { x: 10, y: 20, w: 30, h: 40 };
    expect(normalizeRect({ x: 10, y: 20 }, { x: 40, y: 60 })).toEqual(want);
    expect(normalizeRect({ x: 40, y: 60 }, { x: 10, y: 20 })).toEqual(want);
    expect(normalizeRect({ x: 40, y: 20 }, { x: 10, y: 60 })).toEqual(want);
    expect(normalizeRect({ x: 10, y: 60 }, { x: 40, y: 20 })).toEqual(want);
  });

  it('stops a drag that leaves the image at its edge', () => {
    expect(boxFromDrag({ x: 600, y: 400 }, { x: 900, y: -50 }, image)).toEqual({ x: 600, y: 0, w: 40, h: 400 });
    expect(clampToImage({ x: -10, y: -10, w: 5, h: 5 }, image)).toEqual({ x: 0, y: 0, w: 0, h: 0 });
  });

  it('treats a drag shorter than the minimum as a click, not a box', () => {
    expect(boxFromDrag({ x: 10, y: 10 }, { x: 11, y: 50 }, image)).toBeNull();
    expect(boxFromDrag({ x: 10, y: 10 }, { x: 13, y: 13 }, image)).toEqual({ x: 10, y: 10, w: 3, h: 3 });
    expect(boxFromDrag({ x: 10, y: 10 }, { x: 13, y: 13 }, image, 5)).toBeNull();
  });
});

describe('moving', () => {
  it('keeps the size and stops at the edges', () => {
    expect(moveBox(box, 15, -5, image)).toEqual({ x: 115, y: 95, w: 200, h: 100 });
    expect(moveBox(box, 1000, 1000, image)).toEqual({ x: 440, y: 380, w: 200, h: 100 });
    expect(moveBox(box, -1000, -1000, image)).toEqual({ x: 0, y: 0, w: 200, h: 100 });
  });
});

describe('resizing by handles', () => {
  it('each handle moves only its own edges', () => {
    const to = { x: 50, y: 50 };
    expect(resizeBox(box, 'nw', to, image)).toEqual({ x: 50, y: 50, w: 250, h: 150 });
    expect(resizeBox(box, 'n', to, image)).toEqual({ x: 100, y: 50, w: 200, h: 150 });
    expect(resizeBox(box, 'w', to, image)).toEqual({ x: 50, y: 100, w: 250, h: 100 });
    const far = { x: 400, y: 300 };
    expect(resizeBox(box, 'se', far, image)).toEqual({ x: 100, y: 100, w: 300, h: 200 });
    expect(resizeBox(box, 'e', far, image)).toEqual({ x: 100, y: 100, w: 300, h: 100 });
    expect(resizeBox(box, 's', far, image)).toEqual({ x: 100, y: 100, w: 200, h: 200 });
    expect(resizeBox(box, 'ne', { x: 400, y: 50 }, image)).toEqual({ x: 100, y: 50, w: 300, h: 150 });
    expect(resizeBox(box, 'sw', { x: 50, y: 300 }, image)).toEqual({ x: 50, y: 100, w: 250, h: 200 });
  });

  it('flips when a handle is dragged past the opposite edge', () => {
    // The east edge dragged left of the west edge (x 100): the box now spans 40..100.
    expect(resizeBox(box, 'e', { x: 40, y: 0 }, image)).toEqual({ x: 40, y: 100, w: 60, h: 100 });
    // The north-west corner dragged below and right of the south-east corner (300, 200).
    expect(resizeBox(box, 'nw', { x: 350, y: 260 }, image)).toEqual({ x: 300, y: 200, w: 50, h: 60 });
  });

  it('keeps the minimum size, even where the edges meet', () => {
    expect(resizeBox(box, 'e', { x: 100, y: 0 }, image)).toEqual({ x: 100, y: 100, w: 2, h: 100 });
    expect(resizeBox(box, 'w', { x: 299.5, y: 0 }, image)).toEqual({ x: 298, y: 100, w: 2, h: 100 });
    // Against the image's right edge there is no room to the right: it grows left instead.
    const edge = { x: 630, y: 10, w: 10, h: 10 };
    expect(resizeBox(edge, 'w', { x: 640, y: 0 }, image)).toEqual({ x: 638, y: 10, w: 2, h: 10 });
  });

  it('stops at the image edges', () => {
    expect(resizeBox(box, 'se', { x: 9999, y: 9999 }, image)).toEqual({ x: 100, y: 100, w: 540, h: 380 });
    expect(resizeBox(box, 'nw', { x: -50, y: -50 }, image)).toEqual({ x: 0, y: 0, w: 300, h: 200 });
  });

  it('puts handles on the corners and edge midpoints', () => {
    const points = Object.fromEntries(HANDLES.map((h) => [h, handlePoint(box, h)]));
    expect(points).toEqual({
      nw: { x: 100, y: 100 },
      n: { x: 200, y: 100 },
      ne: { x: 300, y: 100 },
      e: { x: 300, y: 150 },
      se: { x: 300, y: 200 },
      s: { x: 200, y: 200 },
      sw: { x: 100, y: 200 },
      w: { x: 100, y: 150 },
    });
  });
});

describe('nudging', () => {
  it('moves with the arrows and resizes with Alt from the bottom-right corner', () => {
    expect(nudgeBox(box, 1, 0, 'move', image)).toEqual({ x: 101, y: 100, w: 200, h: 100 });
    expect(nudgeBox(box, 0, -10, 'move', image)).toEqual({ x: 100, y: 90, w: 200, h: 100 });
    expect(nudgeBox(box, 10, 0, 'resize', image)).toEqual({ x: 100, y: 100, w: 210, h: 100 });
    expect(nudgeBox(box, 0, -1, 'resize', image)).toEqual({ x: 100, y: 100, w: 200, h: 99 });
  });

  it('shrinks no further than the minimum and grows no further than the image', () => {
    const small = { x: 10, y: 10, w: 3, h: 3 };
    expect(nudgeBox(small, -10, -10, 'resize', image)).toEqual({ x: 10, y: 10, w: 2, h: 2 });
    expect(nudgeBox({ x: 630, y: 470, w: 5, h: 5 }, 10, 10, 'resize', image)).toEqual({ x: 630, y: 470, w: 10, h: 10 });
    expect(nudgeBox({ x: 635, y: 0, w: 5, h: 5 }, 10, 0, 'move', image).x).toBe(635);
  });
});

it('rounds to whole pixels inside the image', () => {
  expect(roundGeometry({ x: 10.4, y: 9.6, w: 20.4, h: 0.9 }, image)).toEqual({ x: 10, y: 10, w: 21, h: 1 });
  expect(roundGeometry({ x: 630.2, y: 0, w: 20, h: 5 }, image)).toEqual({ x: 630, y: 0, w: 10, h: 5 });
});
