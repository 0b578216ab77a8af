/** The renderer's pure helpers: chart downsampling. */
import { describe, it, expect } from 'vitest';
import { downsample, niceTicks } from '../../../renderer/src/lib/downsample.js';

describe('downsample', () => {
  it('keeps short series as they are', () => {
    const pts = [1, 2, 3].map((x) => ({ x, y: x }));
    expect(downsample(pts, 10)).toEqual(pts);
  });

  it('shortens long series but keeps every spike and both ends', () => {
    const pts = Array.from({ length: 100_000 }, (_, x) => ({ x, y: x === 51_234 ? 100 : x === 77_777 ? -100 : Math.sin(x / 100) }));
    const out = downsample(pts, 500);
    expect(out.length).toBeLessThanOrEqual(2000);
    expect(out[0]).toEqual(pts[0]);
    expect(out.at(-1)).toEqual(pts.at(-1));
    expect(out.some((p) => p.y === 100)).toBe(true);
    expect(out.some((p) => p.y === -100)).toBe(true);
    expect(out.every((p, i) => i === 0 || p.x > out[i - 1]!.x)).toBe(true);
  });

  it('makes round axis ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
