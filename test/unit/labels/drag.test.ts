/** Pointer gestures: draw, move, resize, pan, and clicks that change nothing; one report per gesture. */
import { describe, expect, it } from 'vitest';
import { beginDrag, dragGeometry, dragViewport, endDrag, updateDrag, type Drag } from '../../../shared/labels/drag.js';
import { hitTest } from '../../../shared/labels/hit-test.js';
import { screenToImage, type Viewport } from '../../../shared/labels/viewport.js';
import { box } from './boxes.js';

const image = { width: 640, height: 480 };
const view: Viewport = { zoom: 2, panX: 10, panY: 10 };
const boxes = [box(1, 100, 100, 50, 40)];
const geometryOf = (id: number) => boxes.find((b) => b.id === id);

/** A press at `from` and moves through `path`, in screen pixels, as the canvas would feed them. */
function gesture(from: { x: number; y: number }, path: { x: number; y: number }[], selectedId: number | null = null, pan = false) {
  const hit = hitTest(boxes, selectedId, from, view);
  let d: Drag = beginDrag(hit, geometryOf, screenToImage(view, from), from, view, pan);
  for (const p of path) d = updateDrag(d, screenToImage(view, p), p);
  return d;
}

describe('pointer gestures', () => {
  it('dragging on empty ground draws a box, reported once on release in whole pixels', () => {
    // Screen (20,20)→(121,81) is image (5,5)→(55.5,35.5).
    const d = gesture({ x: 20, y: 20 }, [{ x: 60, y: 50 }, { x: 121, y: 81 }]);
    expect(d.kind).toBe('draw');
    expect(dragGeometry(d, image)).toEqual({ x: 5, y: 5, w: 50.5, h: 30.5 });
    expect(endDrag(d, image)).toEqual({ kind: 'create', geom: { x: 5, y: 5, w: 51, h: 31 } });
  });

  it('a click on empty ground deselects and draws nothing', () => {
    const d = gesture({ x: 20, y: 20 }, [{ x: 21, y: 22 }]);
    expect(dragGeometry(d, image)).toBeNull();
    expect(endDrag(d, image)).toEqual({ kind: 'deselect' });
  });

  it('dragging a box moves it; a click on it changes nothing', () => {
    // Box 1 spans screen (210,210)–(310,290).
    const d = gesture({ x: 250, y: 250 }, [{ x: 270, y: 250 }, { x: 290, y: 230 }]);
    expect(d.kind).toBe('move');
    expect(endDrag(d, image)).toEqual({ kind: 'change', id: 1, geom: { x: 120, y: 90, w: 50, h: 40 } });
    expect(endDrag(gesture({ x: 250, y: 250 }, [{ x: 252, y: 251 }]), image)).toBeNull();
  });

  it('dragging a handle of the selected box resizes it, flipping past the far edge', () => {
    // The east handle of box 1 at screen (310, 250), dragged to screen x 150 (image 70), left of its west edge (100).
    const d = gesture({ x: 310, y: 250 }, [{ x: 150, y: 250 }], 1);
    expect(d.kind).toBe('resize');
    expect(endDrag(d, image)).toEqual({ kind: 'change', id: 1, geom: { x: 70, y: 100, w: 30, h: 40 } });
    // Not selected: the same press grabs the box to move it instead.
    expect(gesture({ x: 309, y: 250 }, [], null).kind).toBe('move');
  });

  it('a move that ends where it started reports nothing', () => {
    const d = gesture({ x: 250, y: 250 }, [{ x: 300, y: 250 }, { x: 250, y: 250 }]);
    expect(endDrag(d, image)).toBeNull();
  });

  it('panning shifts the view by the pointer travel and changes no box', () => {
    const d = gesture({ x: 250, y: 250 }, [{ x: 300, y: 200 }], null, true);
    expect(dragViewport(d, view)).toEqual({ zoom: 2, panX: 60, panY: -40 });
    expect(endDrag(d, image)).toBeNull();
  });
});
