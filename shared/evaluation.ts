/** Evaluation results and the pure metric functions behind them. */

export interface RegressionEvaluation {
  task: 'regression';
  runId: string;
  target: string;
  count: number;
  /** In the target's original units. */
  mae: number;
  rmse: number;
  /**
   * Predicted and actual values in original units, in file order (over time for time series), with
   * the data row (0-based) of each; evenly thinned to at most 50,000 points for the plot.
   */
  actual: number[];
  predicted: number[];
  rows: number[];
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
}

export type Evaluation = RegressionEvaluation | ClassificationEvaluation;

export function meanAbsoluteError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += Math.abs(actual[i]! - predicted[i]!);
  return actual.length ? s / actual.length : NaN;
}

export function rootMeanSquaredError(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (actual[i]! - predicted[i]!) ** 2;
  return actual.length ? Math.sqrt(s / actual.length) : NaN;
}

export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]!]![predicted[i]!]! += 1;
  return m;
}

export function accuracyOf(confusion: number[][]): number {
  let right = 0;
  let all = 0;
  confusion.forEach((row, i) => row.forEach((n, j) => ((all += n), i === j && (right += n))));
  return all ? right / all : NaN;
}
