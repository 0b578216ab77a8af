import { inputOf, type ColumnProfile, type CsvProfile, type DatasetConfig, type Scaling } from '../../../shared/dataset.js';
import { AppError } from '../../../shared/errors.js';
import { encodeRow, encodedWidth, rawCode, type PreprocessedFeature, type Preprocessing } from './preprocessing.js';
export { applyPreprocessing, splitInputs, unscaleTarget, scaleTarget, type Preprocessing, type PreprocessedFeature } from './preprocessing.js';
import { mulberry32, shuffle } from '../../../shared/random.js';
import { readRows } from './read.js';
import { displayName } from './sniff.js';
import { MAX_CATEGORIES } from './profile.js';

export interface SplitArrays {
  /** One array per input (in `inputs` order): count × that input's shape, row-major. */
  xs: Float32Array[];
  /** count × outputUnits: the scaled value (regression) or one-hot class (classification). */
  y: Float32Array;
  count: number;
  /** The data row (0-based, header excluded) whose target each sample predicts. */
  rowIndex: Int32Array;
}

export interface PreparedTabular {
  pre: Preprocessing;
  /** The model inputs the features feed, in order; one for single-input data. */
  inputs: { name: string; shape: number[] }[];
  outputUnits: number;
  train: SplitArrays;
  validation: SplitArrays;
  test: SplitArrays;
  /** Data rows left out because their target is missing. */
  skippedRows: number;
}

interface Plan {
  file: string;
  /** Grouped by input (inputs in the order their first column appears), then in column order. */
  features: { profile: ColumnProfile; kind: PreprocessedFeature['kind']; input: string }[];
  target: ColumnProfile;
  task: 'regression' | 'classification';
}

function badConfig(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('CSV_BAD_CONFIG', message, details);
}

/** Checks the config against the profile; every message names the column and what was expected. */
function plan(path: string, profile: CsvProfile, config: DatasetConfig): Plan {
  const file = displayName(path);
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  for (const s of config.columns) {
    if (!byName.has(s.name)) {
      const names = profile.columns.map((c) => `'${c.name}'`).join(', ');
      throw badConfig(`Column '${s.name}' is not in ${file}; its columns are ${names}.`, { file, column: s.name });
    }
  }
  const targets = config.columns.filter((s) => s.role === 'target');
  if (targets.length === 0) throw badConfig(`No target column: expected one column with the role 'target'.`, { file });
  if (targets.length > 1) {
    throw badConfig(`Expected one target column but found ${targets.length}: ${targets.map((t) => `'${t.name}'`).join(', ')}.`, { file });
  }
  const target = byName.get(targets[0]!.name)!;
  if (target.missing >= profile.rowCount) {
    throw new AppError('CSV_NO_TARGET_VALUES', `${file}: target column '${target.name}' has no values (all ${profile.rowCount} rows are empty).`, {
      file,
      column: target.name,
      rows: profile.rowCount,
    });
  }
  if (target.type !== 'number' && target.type !== 'categorical') {
    const what = target.type === 'datetime' ? 'holds dates and times' : `has ${target.distinct >= 1000 ? 'over 1000' : target.distinct} distinct text values`;
    throw badConfig(
      `Target column '${target.name}' ${what}; expected numbers (regression) or at most ${MAX_CATEGORIES} categories (classification).`,
      { file, column: target.name },
    );
  }
  const horizon = config.horizon ?? 0;
  if (!Number.isInteger(horizon) || horizon < 0) throw badConfig(`horizon must be a whole number ≥ 0 but is ${horizon}.`, { file });
  if (config.targetAsInput && horizon < 1) {
    throw badConfig(`Using the target '${target.name}' as an input needs a horizon of at least 1 row; with horizon 0 the model would see the answer.`, { file, column: target.name });
  }
  const autoregressive = horizon >= 1 && config.targetAsInput === true;
  const features: Plan['features'] = [];
  for (const s of config.columns) {
    if (s.role !== 'feature' && !(autoregressive && s.role === 'target')) continue;
    const col = byName.get(s.name)!;
    const input = inputOf(s);
    if (col.type === 'number') features.push({ profile: col, kind: 'number', input });
    else if (col.type === 'categorical') features.push({ profile: col, kind: s.encoding, input });
    else {
      const what = col.type === 'datetime' ? 'holds dates and times' : `has ${col.distinct >= 1000 ? 'over 1000' : col.distinct} distinct text values`;
      throw badConfig(
        `Column '${col.name}' ${what}; a feature must be numbers or at most ${MAX_CATEGORIES} categories. Set its role to 'ignore'.`,
        { file, column: col.name },
      );
    }
  }
  if (features.length === 0) throw badConfig(`No feature columns: expected at least one column with the role 'feature'.`, { file });
  // Each input's columns side by side, so an encoded row splits into inputs by slicing.
  const inputOrder = [...new Set(features.map((f) => f.input))];
  features.sort((a, b) => inputOrder.indexOf(a.input) - inputOrder.indexOf(b.input));
  if (!Number.isInteger(config.lookback) || config.lookback < 0) {
    throw badConfig(`lookback must be a whole number ≥ 0 but is ${config.lookback}.`, { file });
  }
  const split = config.split;
  const fraction = (name: string, v: number) => {
    if (!(v >= 0 && v < 1)) throw badConfig(`split.${name} must be at least 0 and below 1 but is ${v}.`, { file });
  };
  fraction('validationFraction', split.validationFraction);
  if (split.kind === 'chronological') {
    if (!Number.isInteger(split.trainRows) || split.trainRows < 1 || split.trainRows >= profile.rowCount) {
      throw badConfig(
        `split.trainRows must be a whole number from 1 to ${profile.rowCount - 1} (${file} has ${profile.rowCount} data rows, and some must be left for testing) but is ${split.trainRows}.`,
        { file },
      );
    }
  } else {
    fraction('testFraction', split.testFraction);
    if (split.testFraction + split.validationFraction >= 1) {
      throw badConfig(`split.testFraction + split.validationFraction must be below 1 but is ${split.testFraction + split.validationFraction}.`, { file });
    }
  }
  return { file, features, target, task: target.type === 'categorical' ? 'classification' : 'regression' };
}

/** A growable column of float64 values. */
class Column {
  data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(capacity, 16));
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[i] = v;
  }
}

function fitScale(values: Iterable<number>, scaling: Scaling): { offset: number; divisor: number; mean: number; count: number } {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0 || scaling === 'none') return { offset: 0, divisor: 1, mean, count };
  if (scaling === 'minmax') return { offset: min, divisor: max - min || 1, mean, count };
  return { offset: mean, divisor: Math.sqrt(m2 / count) || 1, mean, count };
}

function* at(column: Float64Array, rows: Int32Array): Generator<number> {
  for (const r of rows) yield column[r]!;
}

/**
 * Reads the CSV once more and turns it into training arrays: encodes categories, fills missing
 * values, scales (fitted on the train split only), cuts lookback windows and splits.
 */
export async function prepareTabular(
  path: string,
  profile: CsvProfile,
  config: DatasetConfig,
  opts: { signal?: AbortSignal } = {},
): Promise<PreparedTabular> {
  const p = plan(path, profile, config);
  const raw = p.features.map(() => new Column(profile.rowCount));
  const target = new Column(profile.rowCount);
  const featureIndex = p.features.map((f) => f.profile.index);
  const codes = p.features.map((f) => ({ kind: f.kind, categories: f.profile.categories }));
  const targetCode = p.task === 'classification' ? { kind: 'integer' as const, categories: p.target.categories } : { kind: 'number' as const };
  const rowCount = await readRows(
    path,
    profile,
    (fields, r) => {
      for (let j = 0; j < raw.length; j++) raw[j]!.set(r, rawCode(codes[j]!, fields[featureIndex[j]!]!));
      target.set(r, rawCode(targetCode, fields[p.target.index]!));
    },
    opts.signal,
  );

  // Samples are named by the row of their target: every row with a target and a full window before it.
  const lookback = config.lookback;
  const horizon = config.horizon ?? 0;
  // The window of a sample ends `horizon` rows before its target row.
  const first = Math.max(lookback - 1, 0) + horizon;
  const ends: number[] = [];
  let present = 0;
  for (let r = 0; r < rowCount; r++) {
    if (Number.isNaN(target.data[r]!)) continue;
    present++;
    if (r >= first) ends.push(r);
  }
  if (present === 0) {
    throw new AppError('CSV_NO_TARGET_VALUES', `${p.file}: target column '${p.target.name}' has no values (all ${rowCount} rows are empty).`, {
      file: p.file,
      column: p.target.name,
      rows: rowCount,
    });
  }
  const { train, validation, test } = split(ends, config);
  if (train.length === 0) {
    throw badConfig(`The split leaves no rows for training (${ends.length} samples with lookback ${lookback}); expected more train rows or a smaller lookback.`, {
      file: p.file,
    });
  }

  // Fit fills and scaling on the train split.
  const features: PreprocessedFeature[] = [];
  const offset: number[] = [];
  const divisor: number[] = [];
  const featureNames: string[] = [];
  p.features.forEach((f, j) => {
    const column = raw[j]!.data;
    const name = f.profile.name;
    if (f.kind === 'number' || f.kind === 'integer') {
      const s = fitScale(at(column, train), config.scaling);
      const fill = f.kind === 'number' ? (s.count > 0 ? s.mean : (f.profile.mean ?? 0)) : mode(column, train, f.profile.categories?.length ?? 0);
      features.push(f.kind === 'number' ? { column: name, kind: 'number', fill } : { column: name, kind: 'integer', categories: f.profile.categories ?? [], fill });
      offset.push(s.offset);
      divisor.push(s.divisor);
      featureNames.push(name);
    } else {
      const categories = f.profile.categories ?? [];
      features.push({ column: name, kind: 'onehot', categories, fill: mode(column, train, categories.length) });
      for (const c of categories) {
        offset.push(0);
        divisor.push(1);
        featureNames.push(`${name}=${c}`);
      }
    }
  });
  const classes = p.task === 'classification' ? (p.target.categories ?? []) : undefined;
  const t = p.task === 'regression' ? fitScale(at(target.data, train), config.scaling) : { offset: 0, divisor: 1 };
  const pre: Preprocessing = {
    features,
    scaling: config.scaling,
    scale: { offset, divisor },
    target: { column: p.target.name, task: p.task, ...(classes ? { classes } : {}), offset: t.offset, divisor: t.divisor },
    lookback,
    horizon,
    featureNames,
    inputs: inputWidths(p.features.map((f) => f.input), features),
  };

  // Every row encoded once; windows then copy slices of it.
  const width = encodedWidth(pre);
  const encoded = new Float32Array(rowCount * width);
  for (let r = 0; r < rowCount; r++) encodeRow(pre, (j) => raw[j]!.data[r]!, encoded, r * width);
  const steps = Math.max(lookback, 1);
  const outputUnits = classes ? classes.length : 1;
  const groups = pre.inputs ?? [];
  const build = (rows: Int32Array): SplitArrays => {
    const xs = groups.map((g) => new Float32Array(rows.length * steps * g.width));
    const y = new Float32Array(rows.length * outputUnits);
    rows.forEach((r, i) => {
      const last = r - horizon;
      for (let s = 0; s < steps; s++) {
        const row = (last - steps + 1 + s) * width;
        let start = 0;
        groups.forEach((g, k) => {
          xs[k]!.set(encoded.subarray(row + start, row + start + g.width), (i * steps + s) * g.width);
          start += g.width;
        });
      }
      const v = target.data[r]!;
      if (classes) y[i * outputUnits + v] = 1;
      else y[i] = (v - t.offset) / t.divisor;
    });
    return { xs, y, count: rows.length, rowIndex: rows };
  };
  return {
    pre,
    inputs: groups.map((g) => ({ name: g.name, shape: lookback > 0 ? [lookback, g.width] : [g.width] })),
    outputUnits,
    train: build(train),
    validation: build(validation),
    test: build(test),
    skippedRows: rowCount - present,
  };
}

/** How many encoded columns each input takes, in order (a one-hot feature takes one per category). */
function inputWidths(inputs: string[], features: PreprocessedFeature[]): { name: string; width: number }[] {
  const out: { name: string; width: number }[] = [];
  features.forEach((f, j) => {
    const w = f.kind === 'onehot' ? (f.categories?.length ?? 0) : 1;
    const name = inputs[j]!;
    const last = out[out.length - 1];
    if (last && last.name === name) last.width += w;
    else out.push({ name, width: w });
  });
  return out;
}

/** The most frequent code among the rows (ties to the lowest code). */
function mode(column: Float64Array, rows: Int32Array, k: number): number {
  const counts = new Array<number>(k).fill(0);
  for (const r of rows) {
    const v = column[r]!;
    if (!Number.isNaN(v)) counts[v] = (counts[v] ?? 0) + 1;
  }
  let best = 0;
  for (let i = 1; i < k; i++) if (counts[i]! > counts[best]!) best = i;
  return best;
}

function split(ends: number[], config: DatasetConfig): { train: Int32Array; validation: Int32Array; test: Int32Array } {
  const s = config.split;
  if (s.kind === 'chronological') {
    const pool = ends.filter((r) => r < s.trainRows);
    const nVal = Math.round(pool.length * s.validationFraction);
    return {
      train: Int32Array.from(pool.slice(0, pool.length - nVal)),
      validation: Int32Array.from(pool.slice(pool.length - nVal)),
      test: Int32Array.from(ends.filter((r) => r >= s.trainRows)),
    };
  }
  const order = Int32Array.from(ends);
  shuffle(order, mulberry32(s.seed));
  const nTest = Math.round(order.length * s.testFraction);
  const nVal = Math.round(order.length * s.validationFraction);
  // Each split back in file order, so test predictions plot as a series.
  return {
    test: order.slice(0, nTest).sort(),
    validation: order.slice(nTest, nTest + nVal).sort(),
    train: order.slice(nTest + nVal).sort(),
  };
}
