/** Per-class precision / recall / F1, their averages and the most-confused pairs, against hand-computed values. */
import { describe, expect, it } from 'vitest';
import { accuracyOf, confusionMatrix, mostConfused, perClassMetrics } from '../../../shared/metrics/classification.js';

// confusion[actual][predicted] for classes A, B, C:
//        pred A  B  C   support
// A          5   2  1   8
// B          1   6  0   7
// C          0   3  4   7
// predicted  6  11  5   22
const confusion = [
  [5, 2, 1],
  [1, 6, 0],
  [0, 3, 4],
];

describe('classification metrics', () => {
  it('counts a confusion matrix from class indices and refuses out-of-range classes', () => {
    expect(confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow('sample 1 has actual 3 and predicted 0; expected whole numbers from 0 to 2');
  });

  it('accuracy is the diagonal over all: (5 + 6 + 4) / 22', () => {
    expect(accuracyOf(confusion)).toBeCloseTo(15 / 22, 12);
    expect(accuracyOf([[0]])).toBeNaN();
  });

  it('precision = diagonal / predicted column, recall = diagonal / support, F1 = 2TP / (2TP + FP + FN)', () => {
    const { perClass, macro, weighted } = perClassMetrics(confusion);
    // A: TP 5, FP 1 (B→A), FN 3 → P 5/6, R 5/8, F1 10/14.
    // B: TP 6, FP 5 (2 from A, 3 from C), FN 1 → P 6/11, R 6/7, F1 12/18.
    // C: TP 4, FP 1, FN 3 → P 4/5, R 4/7, F1 8/12.
    const expected = [
      { precision: 5 / 6, recall: 5 / 8, f1: 10 / 14, support: 8 },
      { precision: 6 / 11, recall: 6 / 7, f1: 12 / 18, support: 7 },
      { precision: 4 / 5, recall: 4 / 7, f1: 8 / 12, support: 7 },
    ];
    perClass.forEach((c, k) => {
      expect(c.support).toBe(expected[k]!.support);
      for (const m of ['precision', 'recall', 'f1'] as const) expect(c[m]).toBeCloseTo(expected[k]![m], 12);
    });
    expect(macro.precision).toBeCloseTo((5 / 6 + 6 / 11 + 4 / 5) / 3, 12);
    expect(macro.recall).toBeCloseTo((5 / 8 + 6 / 7 + 4 / 7) / 3, 12);
    expect(macro.f1).toBeCloseTo((10 / 14 + 12 / 18 + 8 / 12) / 3, 12);
    // Weighted by support; weighted recall is then the accuracy.
    expect(weighted.precision).toBeCloseTo((8 * (5 / 6) + 7 * (6 / 11) + 7 * (4 / 5)) / 22, 12);
    expect(weighted.recall).toBeCloseTo(15 / 22, 12);
    expect(weighted.f1).toBeCloseTo((8 * (10 / 14) + 7 * (12 / 18) + 7 * (8 / 12)) / 22, 12);
  });

  it('a class never predicted has precision 0 (not NaN) and pulls the macro average down', () => {
    const { perClass, macro } = perClassMetrics([
      [3, 0],
      [1, 0],
    ]);
    expect(perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(perClass[0]!.precision).toBeCloseTo(3 / 4, 12);
    expect(macro.precision).toBeCloseTo(3 / 8, 12);
  });

  it('the most-confused pairs are the largest off-diagonal cells with their share of the actual class', () => {
    // Off-diagonal: C→B 3 (3/7), A→B 2 (2/8), A→C 1 (1/8), B→A 1 (1/7); the tie keeps actual-class order.
    expect(mostConfused(confusion, 5)).toEqual([
      { actual: 2, predicted: 1, count: 3, share: 3 / 7 },
      { actual: 0, predicted: 1, count: 2, share: 2 / 8 },
      { actual: 0, predicted: 2, count: 1, share: 1 / 8 },
      { actual: 1, predicted: 0, count: 1, share: 1 / 7 },
    ]);
    expect(mostConfused(confusion, 2)).toHaveLength(2);
    expect(mostConfused([[4, 0], [0, 2]])).toEqual([]);
  });
});
