/** Axis ticks for counted x (epochs, batches): whole numbers only. */
import { describe, it, expect } from 'vitest';
import { niceTicks } from '../../../renderer/src/lib/downsample.js';

describe('niceTicks with integer steps', () => {
  it('puts no tick between two epochs of a short run', () => {
    expect(niceTicks(1, 3, 6)).toContain(1.5); // what the Train chart showed before
    expect(niceTicks(1, 3, 6, true)).toEqual([1, 2, 3]);
    expect(niceTicks(1, 2, 6, true)).toEqual([1, 2]);
  });

  it('keeps round spacing on long runs', () => {
    expect(niceTicks(1, 120, 6, true)).toEqual([20, 40, 60, 80, 100, 120]);
  });

  it('has no tick at a fractional lone point', () => {
    expect(niceTicks(2.5, 2.5, 6, true)).toEqual([]);
    expect(niceTicks(3, 3, 6, true)).toEqual([3]);
  });
});
