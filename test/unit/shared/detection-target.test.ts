import { describe, expect, it } from 'vitest';
import { encodeGridTarget, GRID_BOX_CHANNELS } from '../../../shared/detection.js';

const depth = (classes: number) => GRID_BOX_CHANNELS + classes;
const cell = (t: Float32Array, classes: number, cols: number, row: number, col: number) =>
  Array.from(t.subarray((row * cols + col) * depth(classes), (row * cols + col + 1) * depth(classes)));

describe('encodeGridTarget', () => {
  it('puts a box in the cell holding its centre, with offsets within the cell and sizes as fractions', () => {
    // 200×100 image, 4×4 grid: centre (130, 30) → fraction (0.65, 0.3) → column 2, row 1.
    const t = encodeGridTarget([{ classIndex: 1, box: { x: 110, y: 20, w: 40, h: 20 } }], 200, 100, 4, 4, 2);
    expect(t.length).toBe(4 * 4 * 7);
    const c = cell(t, 2, 4, 1, 2);
    expect(c[0]).toBe(1);
    expect(c[1]).toBeCloseTo(0.65 * 4 - 2, 6);
    expect(c[2]).toBeCloseTo(0.3 * 4 - 1, 6);
    expect(c[3]).toBeCloseTo(0.2, 6);
    expect(c[4]).toBeCloseTo(0.2, 6);
    expect(c.slice(5)).toEqual([0, 1]);
    // Every other cell is empty.
    expect(t.reduce((n, v) => n + v, 0)).toBeCloseTo(c.reduce((n, v) => n + v, 0), 5);
  });

  it('keeps the larger of two boxes sharing a cell, whichever comes first', () => {
    const small = { classIndex: 0, box: { x: 40, y: 40, w: 10, h: 10 } };
    const large = { classIndex: 1, box: { x: 30, y: 30, w: 30, h: 30 } };
    for (const boxes of [[small, large], [large, small]]) {
      const c = cell(encodeGridTarget(boxes, 100, 100, 2, 2, 2), 2, 2, 0, 0);
      expect(c[3]).toBeCloseTo(0.3, 6);
      expect(c.slice(5)).toEqual([0, 1]);
    }
  });

  it('clips boxes to the image, and ignores boxes without area or with an unknown class', () => {
    const t = encodeGridTarget(
      [
        { classIndex: 0, box: { x: -20, y: 80, w: 40, h: 40 } },
        { classIndex: 0, box: { x: 50, y: 50, w: 0, h: 10 } },
        { classIndex: 3, box: { x: 10, y: 10, w: 10, h: 10 } },
      ],
      100,
      100,
      2,
      2,
      1,
    );
    // Clipped to (0, 80)–(20, 100): centre (0.1, 0.9) → row 1, column 0.
    const c = cell(t, 1, 2, 1, 0);
    expect(c[0]).toBe(1);
    expect(c[3]).toBeCloseTo(0.2, 6);
    expect(c[4]).toBeCloseTo(0.2, 6);
    expect(t.filter((v, i) => i % depth(1) === 0 && v === 1)).toHaveLength(1);
  });
});
