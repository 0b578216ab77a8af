/**
 * Precision-recall and ROC curves of a score against a yes/no truth, and their one-vs-rest form
 * for each class of a classifier's predicted probabilities. Definitions follow scikit-learn's
 * `precision_recall_curve`, `average_precision_score`, `roc_curve` and `roc_auc_score`: one point
 * per distinct score (tied scores move together), average precision as the step sum
 * Σ (Rₙ − Rₙ₋₁)·Pₙ without interpolation, AUC by the trapezoid rule. Pure.
 */

export interface BinaryCurves {
  /** From the highest threshold down; starts at recall 0, precision 1. */
  pr: { recall: number[]; precision: number[] };
  /** From (0, 0) to (1, 1). */
  roc: { fpr: number[]; tpr: number[] };
  /** Null when there are no positives (nothing to recall). */
  averagePrecision: number | null;
  /** Null when there are no positives or no negatives (one of the rates is undefined). */
  auc: number | null;
  positives: number;
  negatives: number;
}

export function binaryCurves(scores: ArrayLike<number>, positive: ArrayLike<boolean>): BinaryCurves {
  const n = scores.length;
  if (positive.length !== n) throw new RangeError(`binaryCurves: ${n} scores but ${positive.length} truths; expected one truth per score.`);
  // Positives' and negatives' scores each sorted by the typed array's native numeric sort, then
  // walked together from the top: much faster than sorting indices with a comparator, which
  // matters for one-vs-rest over many classes (100 classes × 20,000 samples).
  let positives = 0;
  for (let i = 0; i < n; i++) if (positive[i]) positives++;
  const negatives = n - positives;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < n; i++) {
    if (positive[i]) pos[p++] = scores[i]!;
    else neg[q++] = scores[i]!;
  }
  pos.sort();
  neg.sort();
  const recall = [0];
  const precision = [1];
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  let ap = 0;
  let auc = 0;
  // Indices count down from the highest score; tied samples are on the same side of any threshold,
  // so every sample with the current score is taken before a point is made.
  let i = positives - 1;
  let j = negatives - 1;
  while (i >= 0 || j >= 0) {
    const s = Math.max(i >= 0 ? pos[i]! : -Infinity, j >= 0 ? neg[j]! : -Infinity);
    for (; i >= 0 && pos[i] === s; i--) tp++;
    for (; j >= 0 && neg[j] === s; j--) fp++;
    const r = positives ? tp / positives : 0;
    const f = negatives ? fp / negatives : 0;
    ap += (r - recall[recall.length - 1]!) * (tp / (tp + fp));
    auc += ((f - fpr[fpr.length - 1]!) * (r + tpr[tpr.length - 1]!)) / 2;
    recall.push(r);
    precision.push(tp / (tp + fp));
    fpr.push(f);
    tpr.push(r);
  }
  return {
    pr: { recall, precision },
    roc: { fpr, tpr },
    averagePrecision: positives ? ap : null,
    auc: positives && negatives ? auc : null,
    positives,
    negatives,
  };
}

/**
 * At most `max` points of a curve, evenly spread by index, always keeping the first and last,
 * so a stored curve stays small while its shape (and the areas measured before thinning) hold.
 */
export function thinCurve(xs: number[], ys: number[], max: number): { xs: number[]; ys: number[] } {
  if (max < 2) return { xs: [], ys: [] };
  if (xs.length <= max) return { xs, ys };
  const keep: number[] = [];
  for (let k = 0; k < max; k++) keep.push(Math.round((k * (xs.length - 1)) / (max - 1)));
  return { xs: keep.map((i) => xs[i]!), ys: keep.map((i) => ys[i]!) };
}

export interface ClassCurves {
  pr: { recall: number[]; precision: number[] };
  roc: { fpr: number[]; tpr: number[] };
  averagePrecision: number | null;
  auc: number | null;
}

/**
 * Each class against the rest, scored by its predicted probability; curves thinned to
 * `maxPoints` (fewer than 2: AP and AUC only, no points).
 */
export function oneVsRestCurves(probabilities: number[][], actual: ArrayLike<number>, classes: number, maxPoints = 200): ClassCurves[] {
  if (probabilities.length !== actual.length) {
    throw new RangeError(`oneVsRestCurves: ${probabilities.length} probability rows but ${actual.length} actual classes; expected one row per sample.`);
  }
  const out: ClassCurves[] = [];
  for (let k = 0; k < classes; k++) {
    const scores = new Float64Array(probabilities.length);
    const truth = new Array<boolean>(probabilities.length);
    for (let i = 0; i < probabilities.length; i++) {
      scores[i] = probabilities[i]![k] ?? 0;
      truth[i] = actual[i] === k;
    }
    const c = binaryCurves(scores, truth);
    const pr = thinCurve(c.pr.recall, c.pr.precision, maxPoints);
    const roc = thinCurve(c.roc.fpr, c.roc.tpr, maxPoints);
    out.push({ pr: { recall: pr.xs, precision: pr.ys }, roc: { fpr: roc.xs, tpr: roc.ys }, averagePrecision: c.averagePrecision, auc: c.auc });
  }
  return out;
}

/**
 * Rows of model outputs as probabilities: rows that already are distributions (in [0, 1],
 * summing to 1 within float error) unchanged, others through a softmax, as a model ending in
 * a linear layer gives logits.
 */
export function asProbabilities(rows: number[][]): number[][] {
  return rows.map((r) => {
    const sum = r.reduce((a, b) => a + b, 0);
    if (r.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3) return r;
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}
