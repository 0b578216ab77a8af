/**
 * What turns raw CSV cells into model inputs and back: plain JSON, fitted once by prepareTabular
 * and stored with the model and its exports. Pure (no Node), so the try-it panel and exporters
 * can apply exactly the same steps.
 */
import type { Scaling, Task } from '../../../shared/dataset.js';
import { AppError } from '../../../shared/errors.js';
import { isMissing, parseNumber } from './values.js';

export interface PreprocessedFeature {
  column: string;
  kind: 'number' | 'onehot' | 'integer';
  /** onehot and integer: the codes' order. */
  categories?: string[];
  /** The raw value used for a missing cell: the train mean for numbers, the train mode's code for categories. */
  fill: number;
}

export interface Preprocessing {
  features: PreprocessedFeature[];
  /** Fitted on the train split only. */
  scaling: Scaling;
  /** Per encoded feature column: x' = (x - offset) / divisor; divisor is never 0. One-hot columns stay 0/1. */
  scale: { offset: number[]; divisor: number[] };
  /** Regression targets are scaled like features; a prediction y is unscaled as y * divisor + offset. */
  target: { column: string; task: Task; classes?: string[]; offset: number; divisor: number };
  /** 0 = plain rows; else a sample is `lookback` consecutive rows. */
  lookback: number;
  /** The target is this many rows after the window's last row (0: that row itself). */
  horizon: number;
  featureNames: string[];
  /**
   * The model inputs, in order, and how many encoded columns of a row each takes (side by side).
   * Missing in runs saved before multi-input data: one input named 'input' takes them all.
   */
  inputs?: { name: string; width: number }[];
}

/** Splits one encoded sample ([steps, width], row-major) into one array per input. */
export function splitInputs(pre: Preprocessing, sample: Float32Array): Float32Array[] {
  const width = encodedWidth(pre);
  const groups = pre.inputs ?? [{ name: 'input', width }];
  if (groups.length === 1) return [sample];
  const steps = sample.length / width;
  const out = groups.map((g) => new Float32Array(steps * g.width));
  for (let s = 0; s < steps; s++) {
    let start = 0;
    groups.forEach((g, k) => {
      out[k]!.set(sample.subarray(s * width + start, s * width + start + g.width), s * g.width);
      start += g.width;
    });
  }
  return out;
}

/** Width of one encoded row. */
export function encodedWidth(pre: Preprocessing): number {
  return pre.scale.offset.length;
}

/** A raw cell as the number prepare works with: the number itself, or the category's code; NaN when missing or unknown. */
export function rawCode(feature: Pick<PreprocessedFeature, 'kind' | 'categories'>, cell: string): number {
  if (isMissing(cell)) return NaN;
  if (feature.kind === 'number') return parseNumber(cell);
  const k = (feature.categories ?? []).indexOf(cell.trim());
  return k < 0 ? NaN : k;
}

/** Encodes and scales one row given each feature's raw code (NaN = missing), writing `encodedWidth` values at `at`. */
export function encodeRow(pre: Preprocessing, raw: (feature: number) => number, out: Float32Array, at: number): void {
  const { offset, divisor } = pre.scale;
  let c = 0;
  for (let j = 0; j < pre.features.length; j++) {
    const f = pre.features[j]!;
    let v = raw(j);
    if (Number.isNaN(v)) v = f.fill;
    if (f.kind === 'onehot') {
      const k = f.categories?.length ?? 0;
      for (let i = 0; i < k; i++) out[at + c + i] = 0;
      if (v >= 0 && v < k) out[at + c + v] = 1;
      c += k;
    } else {
      out[at + c] = (v - offset[c]!) / divisor[c]!;
      c++;
    }
  }
}

/**
 * One sample from raw cells: `rows` holds max(lookback, 1) rows, each with one cell per entry of
 * `pre.features`, in that order. Returns the model input, flattened ([lookback, features] or [features]).
 */
export function applyPreprocessing(pre: Preprocessing, rows: string[][]): Float32Array {
  const steps = Math.max(pre.lookback, 1);
  if (rows.length !== steps) {
    throw new AppError('INVALID_REQUEST', `Expected ${steps} row${steps === 1 ? '' : 's'} of feature values (lookback ${pre.lookback}) but received ${rows.length}.`);
  }
  const width = encodedWidth(pre);
  const out = new Float32Array(steps * width);
  rows.forEach((row, s) => {
    if (row.length !== pre.features.length) {
      const names = pre.features.map((f) => f.column).join(', ');
      throw new AppError('INVALID_REQUEST', `Expected ${pre.features.length} values per row (${names}) but row ${s + 1} has ${row.length}.`);
    }
    encodeRow(pre, (j) => rawCode(pre.features[j]!, row[j]!), out, s * width);
  });
  return out;
}

/** A regression target in the units of the file, from the model's scaled output. */
export function unscaleTarget(pre: Preprocessing, v: number): number {
  return v * pre.target.divisor + pre.target.offset;
}

/** The inverse of unscaleTarget: a target in file units as the model is trained to output it. */
export function scaleTarget(pre: Preprocessing, v: number): number {
  return (v - pre.target.offset) / pre.target.divisor;
}
