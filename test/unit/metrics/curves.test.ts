/** PR and ROC curves, average precision and AUC on tiny cases worked by hand, and on perfect, inverted and random scorers. */
import { describe, expect, it } from 'vitest';
import { asProbabilities, binaryCurves, oneVsRestCurves, thinCurve } from '../../../shared/metrics/curves.js';
import { mulberry32 } from '../../../shared/random.js';

describe('binaryCurves', () => {
  it('matches the hand-computed curve of five scores', () => {
    // scores 0.9 0.8 0.7 0.6 0.5, truth + − + + −: 3 positives, 2 negatives.
    // threshold 0.9: TP 1 FP 0 → recall 1/3, precision 1,   FPR 0,   TPR 1/3
    //           0.8: TP 1 FP 1 → recall 1/3, precision 1/2, FPR 1/2, TPR 1/3
    //           0.7: TP 2 FP 1 → recall 2/3, precision 2/3, FPR 1/2, TPR 2/3
    //           0.6: TP 3 FP 1 → recall 1,   precision 3/4, FPR 1/2, TPR 1
    //           0.5: TP 3 FP 2 → recall 1,   precision 3/5, FPR 1,   TPR 1
    const c = binaryCurves([0.9, 0.8, 0.7, 0.6, 0.5], [true, false, true, true, false]);
    expect(c.pr.recall).toEqual([0, 1 / 3, 1 / 3, 2 / 3, 1, 1]);
    expect(c.pr.precision).toEqual([1, 1, 1 / 2, 2 / 3, 3 / 4, 3 / 5]);
    expect(c.roc.fpr).toEqual([0, 0, 1 / 2, 1 / 2, 1 / 2, 1]);
    expect(c.roc.tpr).toEqual([0, 1 / 3, 1 / 3, 2 / 3, 1, 1]);
    // AP = Σ ΔR·P = 1/3·1 + 0·1/2 + 1/3·2/3 + 1/3·3/4 + 0·3/5 = 12/36 + 8/36 + 9/36 = 29/36.
    expect(c.averagePrecision).toBeCloseTo(29 / 36, 12);
    // AUC by trapezoids: 1/2·1/3 (FPR 0→1/2 at TPR 1/3) + 1/2·1 (FPR 1/2→1 at TPR 1) = 2/3,
    // the share of (positive, negative) pairs ranked right: .9>.8 .9>.5 .7>.5 .6>.5 = 4 of 6.
    expect(c.auc).toBeCloseTo(2 / 3, 12);
    expect([c.positives, c.negatives]).toEqual([3, 2]);
  });

  it('tied scores make one step: AP 1/2 and AUC 1/2 for a positive and a negative scored alike', () => {
    const c = binaryCurves([0.5, 0.5], [true, false]);
    expect(c.pr).toEqual({ recall: [0, 1], precision: [1, 1 / 2] });
    expect(c.roc).toEqual({ fpr: [0, 1], tpr: [0, 1] });
    expect(c.averagePrecision).toBe(0.5);
    expect(c.auc).toBe(0.5);
  });

  it('a perfect scorer has AP 1 and AUC 1; an inverted one AUC 0', () => {
    const truth = [true, true, false, false, false];
    const perfect = binaryCurves([0.9, 0.8, 0.3, 0.2, 0.1], truth);
    expect(perfect.averagePrecision).toBe(1);
    expect(perfect.auc).toBe(1);
    const inverted = binaryCurves([0.1, 0.2, 0.7, 0.8, 0.9], truth);
    expect(inverted.auc).toBe(0);
    // Positives found last: precision 1/4 at recall 1/2, 2/5 at recall 1 → AP = 1/2·1/4 + 1/2·2/5 = 13/40.
    expect(inverted.averagePrecision).toBeCloseTo(13 / 40, 12);
  });

  it('a random scorer has AUC near 1/2 and AP near the positive rate', () => {
    const rnd = mulberry32(42);
    const truth = Array.from({ length: 20_000 }, () => rnd() < 0.3);
    const scores = truth.map(() => rnd());
    const c = binaryCurves(scores, truth);
    expect(c.auc!).toBeGreaterThan(0.48);
    expect(c.auc!).toBeLessThan(0.52);
    const rate = c.positives / truth.length;
    expect(Math.abs(c.averagePrecision! - rate)).toBeLessThan(0.02);
  });

  it('has no AP without positives and no AUC without negatives', () => {
    expect(binaryCurves([0.3, 0.4], [false, false])).toMatchObject({ averagePrecision: null, auc: null });
    const allPositive = binaryCurves([0.3, 0.4], [true, true]);
    expect(allPositive.averagePrecision).toBe(1);
    expect(allPositive.auc).toBeNull();
    expect(() => binaryCurves([0.1], [])).toThrow('1 scores but 0 truths');
  });
});

describe('oneVsRestCurves', () => {
  it('scores each class by its own probability column', () => {
    // Class 0 is ranked perfectly by column 0; class 1 by column 1 puts its one positive second of three.
    const probs = [
      [0.9, 0.05, 0.05],
      [0.1, 0.6, 0.3],
      [0.2, 0.7, 0.1],
      [0.1, 0.1, 0.8],
    ];
    const c = oneVsRestCurves(probs, [0, 1, 0, 2], 3);
    // Class 0: scores .9 .1 .2 .1 with positives at .9 and .2 → both ranked first → AP 1, AUC 1.
    expect(c[0]!.averagePrecision).toBe(1);
    expect(c[0]!.auc).toBe(1);
    // Class 1: scores .05 .6 .7 .1, positive .6: one negative (.7) above it → AP 1/2; AUC 2/3 (beats .05 and .1, not .7).
    expect(c[1]!.averagePrecision).toBe(0.5);
    expect(c[1]!.auc).toBeCloseTo(2 / 3, 12);
    expect(c[2]!.auc).toBe(1);
  });

  it('thins long curves to at most the given points, keeping both ends', () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const t = thinCurve(xs, xs, 11);
    expect(t.xs).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(thinCurve([1, 2], [3, 4], 11)).toEqual({ xs: [1, 2], ys: [3, 4] });
    // No points at all: only the areas are kept.
    expect(thinCurve([1, 2], [3, 4], 0)).toEqual({ xs: [], ys: [] });
  });
});

describe('asProbabilities', () => {
  it('keeps distributions and turns logits into a softmax', () => {
    expect(asProbabilities([[0.2, 0.8]])).toEqual([[0.2, 0.8]]);
    const [p] = asProbabilities([[0, Math.log(3)]]);
    expect(p![0]).toBeCloseTo(1 / 4, 12);
    expect(p![1]).toBeCloseTo(3 / 4, 12);
  });
});
