/** Fitting a photo into a detector's input and back, and non-max suppression: plain numbers. */
import { describe, expect, it } from 'vitest';
import { fitTransform, nonMaxSuppression, toImageBox } from '../../../main/engine/detector/geometry.js';

describe('fitTransform', () => {
  it('letterboxes a wide photo: scaled to the input width, centred, padded above and below', () => {
    const t = fitTransform(200, 100, 64, 64, 'letterbox');
    expect(t).toMatchObject({ resizedWidth: 64, resizedHeight: 32, offsetX: 0, offsetY: 16 });
    expect(t.scaleX).toBeCloseTo(0.32);
    expect(t.scaleY).toBeCloseTo(0.32);
  });

  it('letterboxes a tall photo with padding left and right', () => {
    const t = fitTransform(300, 600, 512, 512, 'letterbox');
    expect(t).toMatchObject({ resizedWidth: 256, resizedHeight: 512, offsetX: 128, offsetY: 0 });
  });

  it('stretches each axis on its own', () => {
    const t = fitTransform(768, 576, 512, 512, 'stretch');
    expect(t.scaleX).toBeCloseTo(512 / 768);
    expect(t.scaleY).toBeCloseTo(512 / 576);
    expect(t.offsetX + t.offsetY).toBe(0);
  });

  it('refuses an empty image', () => {
    expect(() => fitTransform(0, 10, 64, 64, 'letterbox')).toThrow(/positive/);
  });
});

describe('toImageBox', () => {
  const t = fitTransform(200, 100, 64, 64, 'letterbox');

  it('maps a box from input pixels back to the photo', () => {
    // Photo box (50, 25)–(150, 75) is (16, 24)–(48, 40) in the input.
    const b = toImageBox(16, 24, 48, 40, t, 200, 100)!;
    expect(b.x).toBeCloseTo(50);
    expect(b.y).toBeCloseTo(25);
    expect(b.w).toBeCloseTo(100);
    expect(b.h).toBeCloseTo(50);
  });

  it('clips a box that runs into the padding to the photo', () => {
    const b = toImageBox(-5, 10, 20, 60, t, 200, 100)!;
    expect(b).toMatchObject({ x: 0, y: 0 });
    expect(b.y + b.h).toBeCloseTo(100);
  });

  it('drops a box found wholly in the padding', () => {
    expect(toImageBox(10, 2, 30, 14, t, 200, 100)).toBeNull();
  });

  it('accepts corners in either order', () => {
    expect(toImageBox(48, 40, 16, 24, t, 200, 100)).toEqual(toImageBox(16, 24, 48, 40, t, 200, 100));
  });
});

describe('nonMaxSuppression', () => {
  const box = (x: number, score: number, className = 'person') => ({ x, y: 0, w: 10, h: 10, score, className });

  it('keeps the best of overlapping boxes of a class and every separate one, best first', () => {
    const kept = nonMaxSuppression([box(1, 0.6), box(0, 0.9), box(30, 0.5)], 0.5);
    expect(kept.map((b) => b.score)).toEqual([0.9, 0.5]);
  });

  it('does not suppress across classes', () => {
    expect(nonMaxSuppression([box(0, 0.9), box(1, 0.8, 'dog')], 0.5)).toHaveLength(2);
  });

  it('keeps boxes that overlap less than the threshold', () => {
    // IoU of x=0 and x=6 (10 wide) is 40/160 = 0.25.
    expect(nonMaxSuppression([box(0, 0.9), box(6, 0.8)], 0.3)).toHaveLength(2);
    expect(nonMaxSuppression([box(0, 0.9), box(6, 0.8)], 0.2)).toHaveLength(1);
  });

  it('stops at maxBoxes', () => {
    expect(nonMaxSuppression([box(0, 0.9), box(20, 0.8), box(40, 0.7)], 0.5, 2).map((b) => b.x)).toEqual([0, 20]);
  });
});
