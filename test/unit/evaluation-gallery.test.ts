/** Which test samples an evaluation keeps for its gallery, and their top classes. */
import { describe, expect, it } from 'vitest';
import { keepPerCell, roundProbability, topK } from '../../shared/evaluation-gallery.js';

describe('keepPerCell', () => {
  it('keeps everything up to the limit', () => {
    expect(keepPerCell([0, 1, 1], [0, 1, 0], 3)).toEqual([0, 1, 2]);
  });

  it('beyond it gives every confusion cell the same quota, so rare mistakes all survive', () => {
    // Cells: (0,0) × 10 at samples 0–9, (0,1) × 2 at 10–11, (1,1) × 8 at 12–19; keep 10.
    // Quota: the 2 of (0,1) fit under 10/3, leaving 8 for two cells → 4 each.
    const actual = [...Array(10).fill(0), 0, 0, ...Array(8).fill(1)];
    const predicted = [...Array(10).fill(0), 1, 1, ...Array(8).fill(1)];
    const kept = keepPerCell(actual, predicted, 10);
    expect(kept).toHaveLength(10);
    expect(kept.filter((i) => i >= 10 && i < 12)).toEqual([10, 11]);
    // Evenly spread within a cell: every 10/4-th of (0,0), every 8/4-th of (1,1).
    expect(kept.filter((i) => i < 10)).toEqual([0, 2, 5, 7]);
    expect(kept.filter((i) => i >= 12)).toEqual([12, 14, 16, 18]);
  });

  it('topK orders classes by probability, ties by class', () => {
    expect(topK([0.1, 0.5, 0.1, 0.3])).toEqual([1, 3, 0]);
    expect(topK([0.6, 0.4], 3)).toEqual([0, 1]);
    expect(roundProbability(0.123456)).toBe(0.1235);
  });
});
