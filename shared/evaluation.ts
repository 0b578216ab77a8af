/**
 * Evaluation results: what a run scores on its dataset's test split, as stored and shown.
 * The metric functions are in shared/metrics/; the gallery's samples in evaluation-gallery.ts.
 *
 * Fields marked "absent in evaluations saved before …" were added later; an older evaluation
 * read back lacks them (the core fills what it can derive from what was stored).
 */
import type { AveragedMetrics, ClassMetrics, ConfusedPair } from './metrics/classification.js';
import type { ClassCurves } from './metrics/curves.js';
import type { Histogram } from './metrics/regression.js';
import type { GallerySamples } from './evaluation-gallery.js';
import type { DetectionEvaluation, DetectionSamples } from './detection.js';

export type { DetectionEvaluation } from './detection.js';

export { meanAbsoluteError, rootMeanSquaredError, rSquared, histogram, residuals, type Histogram } from './metrics/regression.js';
export { accuracyOf, confusionMatrix, perClassMetrics, mostConfused, type ClassMetrics, type AveragedMetrics, type ConfusedPair } from './metrics/classification.js';
export type { ClassCurves } from './metrics/curves.js';

export interface RegressionEvaluation {
  task: 'regression';
  runId: string;
  target: string;
  count: number;
  /** In the target's original units. */
  mae: number;
  rmse: number;
  /** Coefficient of determination (unit-free). Absent in evaluations saved before it was measured. */
  r2?: number;
  /**
   * Predicted and actual values in original units, in file order (over time for time series), with
   * the data row (0-based) of each; evenly thinned to at most 50,000 points for the plot.
   */
  actual: number[];
  predicted: number[];
  rows: number[];
  /** actual − predicted over every test sample (not thinned). Absent in older evaluations. */
  residualHistogram?: Histogram;
  /** The rows are in time order (a chronological split or time windows): residuals are plotted over time. */
  timeSeries?: boolean;
}

export interface ClassificationEvaluation {
  task: 'classification';
  runId: string;
  target: string;
  count: number;
  accuracy: number;
  classes: string[];
  /** confusion[actual][predicted] */
  confusion: number[][];
  /** Per class, in `classes` order. Derived from the confusion matrix. */
  perClass?: ClassMetrics[];
  macro?: AveragedMetrics;
  weighted?: AveragedMetrics;
  /** The most frequent mistakes, largest first. */
  confusedPairs?: ConfusedPair[];
  /** One-vs-rest PR and ROC curves per class, from the predicted probabilities. Absent in older evaluations. */
  curves?: ClassCurves[];
  /** Test samples kept for the gallery (all of them up to 20,000). 0 or absent: evaluate again to browse items. */
  gallerySamples?: number;
}

export type Evaluation = RegressionEvaluation | ClassificationEvaluation | DetectionEvaluation;

/**
 * What the store keeps: the evaluation and, for classification, the gallery's samples, for
 * detection every test image's boxes (neither is ever sent whole).
 */
export type StoredEvaluation = Evaluation & { samples?: GallerySamples; detectionSamples?: DetectionSamples };
