/**
 * Classification metrics from a confusion matrix (confusion[actual][predicted]): accuracy,
 * per-class precision / recall / F1 / support with macro and weighted averages, and the pairs
 * of classes most often confused. Pure.
 */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Test samples whose actual class this is. */
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface ConfusedPair {
  actual: number;
  predicted: number;
  count: number;
  /** count / the actual class's samples: "12% of cats were called dogs". */
  share: number;
}

export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const p = predicted[i]!;
    if (!(a >= 0 && a < classes && p >= 0 && p < classes) || !Number.isInteger(a) || !Number.isInteger(p)) {
      throw new RangeError(`confusionMatrix: sample ${i} has actual ${a} and predicted ${p}; expected whole numbers from 0 to ${classes - 1}.`);
    }
    m[a]![p]! += 1;
  }
  return m;
}

export function accuracyOf(confusion: number[][]): number {
  let right = 0;
  let all = 0;
  confusion.forEach((row, i) => row.forEach((n, j) => ((all += n), i === j && (right += n))));
  return all ? right / all : NaN;
}

/**
 * Precision, recall and F1 of each class, one-vs-rest. A ratio with nothing to divide by is 0
 * (a class never predicted has precision 0), as scikit-learn's zero_division=0, so the averages
 * stay defined and a class the model ignores pulls the macro average down.
 */
export function perClassMetrics(confusion: number[][]): { perClass: ClassMetrics[]; macro: AveragedMetrics; weighted: AveragedMetrics } {
  const n = confusion.length;
  const perClass: ClassMetrics[] = [];
  for (let k = 0; k < n; k++) {
    const tp = confusion[k]![k]!;
    let support = 0;
    let predictedK = 0;
    for (let j = 0; j < n; j++) {
      support += confusion[k]![j]!;
      predictedK += confusion[j]![k]!;
    }
    const precision = predictedK ? tp / predictedK : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass.push({ precision, recall, f1, support });
  }
  const total = perClass.reduce((s, c) => s + c.support, 0);
  const avg = (weight: (c: ClassMetrics) => number, sum: number): AveragedMetrics => {
    const w = (f: (c: ClassMetrics) => number) => (sum ? perClass.reduce((s, c) => s + weight(c) * f(c), 0) / sum : 0);
    return { precision: w((c) => c.precision), recall: w((c) => c.recall), f1: w((c) => c.f1) };
  };
  return { perClass, macro: avg(() => 1, n), weighted: avg((c) => c.support, total) };
}

/** The `k` largest off-diagonal cells, largest first (ties: by actual, then predicted class). */
export function mostConfused(confusion: number[][], k = 5): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  confusion.forEach((row, i) => {
    const support = row.reduce((a, b) => a + b, 0);
    row.forEach((count, j) => {
      if (i !== j && count > 0) pairs.push({ actual: i, predicted: j, count, share: count / support });
    });
  });
  pairs.sort((a, b) => b.count - a.count || a.actual - b.actual || a.predicted - b.predicted);
  return pairs.slice(0, k);
}
