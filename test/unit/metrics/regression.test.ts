/** MAE, RMSE, R², residuals and their histogram on a case worked by hand. */
import { describe, expect, it } from 'vitest';
import { histogram, meanAbsoluteError, residuals, rootMeanSquaredError, rSquared } from '../../../shared/metrics/regression.js';

// actual 1 2 3 4, predicted 1.5 2 2 5 → residuals (actual − predicted) −0.5 0 1 −1.
const actual = [1, 2, 3, 4];
const predicted = [1.5, 2, 2, 5];

describe('regression metrics', () => {
  it('MAE = (0.5 + 0 + 1 + 1) / 4 and RMSE = √((0.25 + 0 + 1 + 1) / 4)', () => {
    expect(meanAbsoluteError(actual, predicted)).toBe(0.625);
    expect(rootMeanSquaredError(actual, predicted)).toBe(0.75);
  });

  it('R² = 1 − SS_res / SS_tot = 1 − 2.25 / 5 (mean 2.5: 2.25 + 0.25 + 0.25 + 2.25)', () => {
    expect(rSquared(actual, predicted)).toBeCloseTo(0.55, 12);
    expect(rSquared(actual, actual)).toBe(1);
    // Predicting the mean explains nothing.
    expect(rSquared(actual, [2.5, 2.5, 2.5, 2.5])).toBe(0);
    expect(rSquared([3, 3], [3, 4])).toBeNaN();
  });

  it('residuals are actual − predicted; the histogram bins them from min to max', () => {
    const r = residuals(actual, predicted);
    expect(r).toEqual([-0.5, 0, 1, -1]);
    // 4 bins of width 0.5 over [−1, 1]: −1 → bin 0, −0.5 → 1, 0 → 2, 1 (the upper edge) → 3.
    expect(histogram(r, 4)).toEqual({ min: -1, max: 1, counts: [1, 1, 1, 1] });
    expect(histogram([0.1, 0.2, 0.2, 0.9], 2)).toEqual({ min: 0.1, max: 0.9, counts: [3, 1] });
    expect(histogram([2, 2, NaN])).toEqual({ min: 2, max: 2, counts: [2] });
    expect(histogram([])).toEqual({ min: 0, max: 0, counts: [] });
  });

  it('refuses arrays of different lengths, naming both', () => {
    expect(() => meanAbsoluteError([1, 2], [1])).toThrow('2 actual values but 1 predictions');
  });
});
