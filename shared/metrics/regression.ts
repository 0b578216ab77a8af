/** Regression metrics in the target's own units, and the residual histogram. Pure. */

function checkLengths(name: string, actual: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${name}: ${actual.length} actual values but ${predicted.length} predictions; expected one prediction per value.`);
  }
}

export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths('meanAbsoluteError', actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - predicted[i]!);
  return actual.length ? s / actual.length : NaN;
}

export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths('rootMeanSquaredError', actual, predicted);
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - predicted[i]!) ** 2;
  return actual.length ? Math.sqrt(s / actual.length) : NaN;
}

/**
 * R² = 1 − Σ(actual − predicted)² / Σ(actual − mean)²: 1 is perfect, 0 is no better than always
 * predicting the mean, below 0 is worse. NaN when every actual value is the same (no variance to explain).
 */
export function rSquared(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  checkLengths('rSquared', actual, predicted);
  const n = actual.length;
  if (!n) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i]!;
  mean /= n;
  let res = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    res += (actual[i]! - predicted[i]!) ** 2;
    tot += (actual[i]! - mean) ** 2;
  }
  return tot ? 1 - res / tot : NaN;
}

export interface Histogram {
  /** Lower edge of the first bin and upper edge of the last; bins are equal width. */
  min: number;
  max: number;
  counts: number[];
}

/**
 * Equal-width bins from the smallest to the largest finite value (the last bin includes its
 * upper edge). All values equal: one bin. No finite values: no bins.
 */
export function histogram(values: ArrayLike<number>, bins = 30): Histogram {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 0, counts: [] };
  if (min === max) return { min, max, counts: [Array.from(values).filter(Number.isFinite).length] };
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - min) / width))]! += 1;
  }
  return { min, max, counts };
}

/** actual − predicted, per sample: positive where the model predicted too low. */
export function residuals(actual: ArrayLike<number>, predicted: ArrayLike<number>): number[] {
  checkLengths('residuals', actual, predicted);
  return Array.from(actual, (a, i) => a - predicted[i]!);
}
