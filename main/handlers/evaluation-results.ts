/**
 * Turns what the trainer predicted on the test split into the stored evaluation: the metrics,
 * the curves and the gallery's bounded samples (a detector's: detection-evaluation.ts). Also brings evaluations saved by an older
 * Layerbench up to date with what can be derived from what they kept.
 */
import {
  accuracyOf,
  confusionMatrix,
  histogram,
  meanAbsoluteError,
  mostConfused,
  perClassMetrics,
  residuals,
  rootMeanSquaredError,
  rSquared,
  type Evaluation,
  type StoredEvaluation,
} from '../../shared/evaluation.js';
import { asProbabilities, oneVsRestCurves } from '../../shared/metrics/curves.js';
import { keepPerCell, roundProbability, topK, type GallerySamples } from '../../shared/evaluation-gallery.js';
import type { EvaluationOutput } from '../jobs/messages.js';
import { AppError } from '../../shared/errors.js';

const MAX_PLOT_POINTS = 50_000;
const HISTOGRAM_BINS = 40;

/** Every k-th item, so a plot of a long test split still spans all of it. */
function thin<T>(a: T[], max: number): T[] {
  if (a.length <= max) return a;
  const step = a.length / max;
  return Array.from({ length: max }, (_, i) => a[Math.floor(i * step)]!);
}

export function toEvaluation(runId: string, o: EvaluationOutput, opts: { timeSeries?: boolean } = {}): StoredEvaluation {
  if (o.task === 'detection') throw new AppError('INTERNAL', "A detector's evaluation needs its test boxes: toDetectionEvaluation makes it.");
  if (o.task === 'classification') {
    const classes = o.classes ?? [];
    const confusion = confusionMatrix(o.actual, o.predicted, classes.length);
    const probabilities = o.probabilities ? asProbabilities(o.probabilities) : undefined;
    const samples = probabilities ? gallerySamples(o, probabilities) : undefined;
    return {
      task: 'classification',
      runId,
      target: o.target,
      count: o.actual.length,
      accuracy: accuracyOf(confusion),
      classes,
      confusion,
      ...perClassMetrics(confusion),
      confusedPairs: mostConfused(confusion, 5),
      ...(probabilities ? { curves: oneVsRestCurves(probabilities, o.actual, classes.length, curvePoints(classes.length)) } : {}),
      gallerySamples: samples?.actual.length ?? 0,
      ...(samples ? { samples } : {}),
    };
  }
  return {
    task: 'regression',
    runId,
    target: o.target,
    count: o.actual.length,
    mae: meanAbsoluteError(o.actual, o.predicted),
    rmse: rootMeanSquaredError(o.actual, o.predicted),
    r2: rSquared(o.actual, o.predicted),
    actual: thin(o.actual, MAX_PLOT_POINTS),
    predicted: thin(o.predicted, MAX_PLOT_POINTS),
    rows: thin(o.rows, MAX_PLOT_POINTS),
    residualHistogram: histogram(residuals(o.actual, o.predicted), HISTOGRAM_BINS),
    timeSeries: opts.timeSeries ?? false,
  };
}

/**
 * Points kept per curve: fewer as classes grow, so a 1,427-class model (J3) stores its AP and
 * AUC per class but not 570,000 curve points nobody could read on one chart.
 */
export function curvePoints(classes: number): number {
  return classes <= 20 ? 200 : classes <= 100 ? 50 : 0;
}

function gallerySamples(o: EvaluationOutput, probabilities: number[][]): GallerySamples {
  const keep = keepPerCell(o.actual, o.predicted);
  const top = keep.map((i) => topK(probabilities[i]!));
  return {
    actual: keep.map((i) => o.actual[i]!),
    predicted: keep.map((i) => o.predicted[i]!),
    rows: keep.map((i) => o.rows[i]!),
    ...(o.itemIds ? { itemIds: keep.map((i) => o.itemIds![i]!) } : {}),
    topClasses: top,
    topProbs: top.map((t, k) => t.map((c) => roundProbability(probabilities[keep[k]!]![c]!))),
    actualProb: keep.map((i) => roundProbability(probabilities[i]![o.actual[i]!]!)),
  };
}

/**
 * The evaluation as the api answers it: without the gallery's samples (the gallery pages
 * through them), and with the metrics an older saved evaluation lacks but its confusion matrix
 * (or its unthinned values) still give.
 */
export function publicEvaluation(stored: StoredEvaluation): Evaluation {
  const { samples: _samples, detectionSamples: _boxes, ...e } = stored;
  if (e.task === 'detection') return e;
  if (e.task === 'classification') {
    if (e.perClass && e.confusedPairs) return e;
    return { ...e, ...perClassMetrics(e.confusion), confusedPairs: mostConfused(e.confusion, 5) };
  }
  if (e.r2 !== undefined || e.actual.length !== e.count) return e;
  return { ...e, r2: rSquared(e.actual, e.predicted), residualHistogram: histogram(residuals(e.actual, e.predicted), HISTOGRAM_BINS) };
}
