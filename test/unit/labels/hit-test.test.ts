/** Hit-testing: handles in screen pixels at any zoom, nested boxes, proposals under confirmed boxes, Tab order. */
import { describe, expect, it } from 'vitest';
import { boxAt, cycleBox, handleAt, hitTest, readingOrder } from '../../../shared/labels/hit-test.js';
import { box } from './boxes.js';

const at1 = { zoom: 1, panX: 0, panY: 0 };

describe('handles', () => {
  it('finds the handle under the pointer, sized in screen pixels whatever the zoom', () => {
    const g = { x: 100, y: 100, w: 200, h: 100 };
    expect(handleAt(g, { x: 300, y: 200 }, at1)).toBe('se');
    expect(handleAt(g, { x: 200, y: 97 }, at1)).toBe('n');
    expect(handleAt(g, { x: 200, y: 150 }, at1)).toBeNull();
    // Zoomed out 10×: the box is 20×10 on screen, the handles still reach 7 screen px.
    const out = { zoom: 0.1, panX: 0, panY: 0 };
    expect(handleAt(g, { x: 30 + 6, y: 20 + 6 }, out)).toBe('se');
    expect(handleAt(g, { x: 30 + 9, y: 20 + 9 }, out)).toBeNull();
    // Zoomed in 8×: 7 screen px is under 1 image px.
    const zin = { zoom: 8, panX: -700, panY: -700 };
    expect(handleAt(g, { x: 100, y: 100 }, zin)).toBe('nw');
    expect(handleAt(g, { x: 110, y: 100 }, zin)).toBeNull();
  });

  it('picks the nearest handle when a tiny box puts them on top of each other', () => {
    const g = { x: 10, y: 10, w: 4, h: 4 };
    expect(handleAt(g, { x: 15, y: 15 }, at1)).toBe('se');
    expect(handleAt(g, { x: 9, y: 9 }, at1)).toBe('nw');
  });
});

describe('boxes under the pointer', () => {
  it('the smallest of nested boxes wins, whatever the drawing order', () => {
    const person = box(1, 0, 0, 300, 400);
    const face = box(2, 100, 20, 60, 60);
    expect(boxAt([person, face], { x: 120, y: 40 })?.id).toBe(2);
    expect(boxAt([face, person], { x: 120, y: 40 })?.id).toBe(2);
    expect(boxAt([face, person], { x: 10, y: 300 })?.id).toBe(1);
    expect(boxAt([face, person], { x: 500, y: 300 })).toBeNull();
  });

  it('a confirmed box wins over a proposal of the same size; a smaller proposal still wins', () => {
    const confirmed = box(1, 10, 10, 100, 100);
    const sameProposal = box(2, 10, 10, 100, 100, 'proposal', 0.9);
    expect(boxAt([confirmed, sameProposal], { x: 50, y: 50 })?.id).toBe(1);
    expect(boxAt([sameProposal, confirmed], { x: 50, y: 50 })?.id).toBe(1);
    const innerProposal = box(3, 20, 20, 50, 50, 'proposal', 0.4);
    expect(boxAt([confirmed, innerProposal], { x: 50, y: 50 })?.id).toBe(3);
  });

  it('grabs a thin box within a few screen pixels of it', () => {
    const line = box(1, 100, 100, 200, 1);
    const v = { zoom: 0.5, panX: 0, panY: 0 };
    // 2 screen px below the box's bottom edge (at screen y 50.5).
    expect(hitTest([line], null, { x: 100, y: 52.5 }, v)).toEqual({ kind: 'box', id: 1 });
    expect(hitTest([line], null, { x: 100, y: 60 }, v)).toBeNull();
  });

  it("puts the selected box's handles before any box", () => {
    const big = box(1, 0, 0, 400, 400);
    const small = box(2, 100, 100, 50, 50);
    // The big box's se corner is inside nothing else; the small box's nw corner sits inside the big one.
    expect(hitTest([big, small], 2, { x: 100, y: 100 }, at1)).toEqual({ kind: 'handle', id: 2, handle: 'nw' });
    expect(hitTest([big, small], null, { x: 100, y: 100 }, at1)).toEqual({ kind: 'box', id: 2 });
    // With the big one selected, its handle just outside the small box is found.
    expect(hitTest([big, small], 1, { x: 200, y: 1 }, at1)).toEqual({ kind: 'handle', id: 1, handle: 'n' });
  });
});

describe('Tab order', () => {
  const boxes = [box(5, 300, 10, 10, 10), box(6, 10, 200, 10, 10), box(7, 10, 10, 10, 10)];

  it('walks the boxes top to bottom, left to right, and wraps', () => {
    expect(readingOrder(boxes).map((b) => b.id)).toEqual([7, 5, 6]);
    expect(cycleBox(boxes, null)).toBe(7);
    expect(cycleBox(boxes, 7)).toBe(5);
    expect(cycleBox(boxes, 6)).toBe(7);
  });

  it('Shift+Tab walks back; nothing to select without boxes', () => {
    expect(cycleBox(boxes, null, true)).toBe(6);
    expect(cycleBox(boxes, 7, true)).toBe(6);
    expect(cycleBox([], null)).toBeNull();
    // A selection that is gone (deleted) starts over.
    expect(cycleBox(boxes, 99)).toBe(7);
  });
});
