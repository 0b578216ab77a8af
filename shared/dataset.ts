/** Datasets: what the CSV importer finds and how the user wants it used; image datasets are in images.ts. */
import type { ImageDatasetConfig, ImageDatasetProfile } from './images.js';

export type ColumnType = 'number' | 'categorical' | 'datetime' | 'text';
export type ColumnRole = 'feature' | 'target' | 'ignore';
export type Encoding = 'onehot' | 'integer';
export type Scaling = 'minmax' | 'standard' | 'none';

export interface ColumnProfile {
  name: string;
  index: number;
  type: ColumnType;
  /** Empty cells, "NA", "NaN", "null". */
  missing: number;
  /** Distinct non-missing values, counted up to 1,000 (then reported as 1000). */
  distinct: number;
  min?: number;
  max?: number;
  mean?: number;
  std?: number;
  /** Numbers: counts over `bins` equal-width bins from min to max. */
  histogram?: number[];
  /** Categorical and text: the most frequent values (at most 20). */
  topValues?: { value: string; count: number }[];
  /** Categorical only: every category, sorted; the order fixes one-hot and integer codes. */
  categories?: string[];
}

export interface CsvProfile {
  delimiter: string;
  hasHeader: boolean;
  rowCount: number;
  columns: ColumnProfile[];
  /** The first rows as read (strings), for the preview table. */
  preview: string[][];
}

export interface ColumnSetting {
  name: string;
  role: ColumnRole;
  /** For categorical features and targets. */
  encoding: Encoding;
  /**
   * Which model input a feature feeds (the Input layer's name). Missing means {@link DEFAULT_INPUT}.
   * Two-input models (J3: an image and a question) take their columns in two groups.
   */
  input?: string;
}

/** The name of the one input of a single-input model, and of columns not assigned to another. */
export const DEFAULT_INPUT = 'input';

/**
 * The input a column feeds by default: the part of its name before a '/' ("image/p0" feeds
 * 'image'), so a CSV written for a two-input model needs no clicks; otherwise {@link DEFAULT_INPUT}.
 */
export function defaultInputFor(column: string): string {
  const slash = column.indexOf('/');
  const prefix = slash > 0 ? column.slice(0, slash).trim() : '';
  return /^[A-Za-z][A-Za-z0-9_]*$/.test(prefix) ? prefix : DEFAULT_INPUT;
}

export type SplitConfig =
  | { kind: 'chronological'; trainRows: number; validationFraction: number }
  | { kind: 'random'; seed: number; testFraction: number; validationFraction: number };

export interface DatasetConfig {
  columns: ColumnSetting[];
  scaling: Scaling;
  /** Time-series windows: each sample is `lookback` consecutive rows of features; 0 means plain rows (no time axis). */
  lookback: number;
  /**
   * How many rows ahead the target is: 0 predicts the window's last row, 1 the row after it
   * (J1: the next hour's pollution from this hour's weather). Missing in configs saved before it existed: 0.
   */
  horizon?: number;
  /** With horizon ≥ 1, the target's own past values are an input too (placed first). */
  targetAsInput?: boolean;
  split: SplitConfig;
}

export interface TabularDataset {
  id: string;
  name: string;
  kind: 'tabular';
  sourceName: string;
  sha256: string;
  bytes: number;
  profile: CsvProfile;
  config: DatasetConfig;
  createdAt: string;
}

/** Images with classes or boxes: the images, classes and boxes are rows of their own (labels api). */
export interface ImageDataset {
  id: string;
  name: string;
  kind: 'images';
  /** The folder or file imported. */
  sourceName: string;
  /** Images are stored one media file each; this is '' for image datasets. */
  sha256: string;
  /** The media bytes of its images when imported. */
  bytes: number;
  profile: ImageDatasetProfile;
  config: ImageDatasetConfig;
  createdAt: string;
}

export type Dataset = TabularDataset | ImageDataset;

/** Progress of a long import, sent as an event. */
export interface ImportProgress {
  importId: string;
  file: string;
  bytesRead: number;
  bytesTotal: number;
  rows: number;
  done: boolean;
  /** Image imports: what is happening, images handled of those found, and files skipped so far. */
  phase?: 'scanning' | 'copying';
  images?: number;
  imagesTotal?: number;
  problems?: number;
}

/** Sensible defaults from a profile: last numeric column is the target, ids and free text are ignored. */
export function defaultDatasetConfig(profile: CsvProfile): DatasetConfig {
  const numeric = profile.columns.filter((c) => c.type === 'number');
  const target = numeric[numeric.length - 1] ?? profile.columns[profile.columns.length - 1];
  return {
    columns: profile.columns.map((c) => ({
      name: c.name,
      role: c === target ? 'target' : c.type === 'text' || c.type === 'datetime' ? 'ignore' : 'feature',
      encoding: 'onehot',
      ...(defaultInputFor(c.name) !== DEFAULT_INPUT ? { input: defaultInputFor(c.name) } : {}),
    })),
    scaling: 'minmax',
    lookback: 0,
    horizon: 0,
    targetAsInput: false,
    split: { kind: 'random', seed: 42, testFraction: 0.2, validationFraction: 0.1 },
  };
}

/** 'detection': an image dataset's boxes, learnt by a grid detector (shared/detection.ts). */
export type Task = 'regression' | 'classification' | 'detection';

/** One model input: the columns that feed it, and the per-sample shape they make. */
export interface InputLayout {
  /** Matches the model's Input layer of the same name. */
  name: string;
  /** [features] or [lookback, features], without the batch dimension. */
  shape: number[];
  featureNames: string[];
  /** The largest value in its columns as imported (ids for an Embedding need input_dim above it); null if any is not a number. */
  maxValue: number | null;
  /** Images: resized to whatever (height, width, 1 or 3 channels) the model's Input takes; `shape` is only the default. */
  image?: true;
}

/** What the model sees and predicts once a config is applied: fixes the template's input and output. */
export interface FeatureLayout {
  /** The first input's per-sample shape (the only one for single-input data). */
  inputShape: number[];
  /** Every input, in the order its first column appears. */
  inputs: InputLayout[];
  /** All features, input by input. */
  featureNames: string[];
  target: string;
  task: Task;
  classes?: string[];
  outputUnits: number;
}

export function featureLayout(profile: CsvProfile, config: DatasetConfig): FeatureLayout {
  const byName = new Map(profile.columns.map((c) => [c.name, c]));
  const groups = new Map<string, string[]>();
  const maxima = new Map<string, number | null>();
  const autoregressive = (config.horizon ?? 0) >= 1 && config.targetAsInput === true;
  for (const s of config.columns) {
    if (s.role !== 'feature' && !(autoregressive && s.role === 'target')) continue;
    const col = byName.get(s.name);
    if (!col) continue;
    const input = inputOf(s);
    const names = groups.get(input) ?? [];
    groups.set(input, names);
    const before = maxima.has(input) ? maxima.get(input)! : -Infinity;
    maxima.set(input, before === null || col.type !== 'number' || col.max === undefined ? null : Math.max(before, col.max));
    if (col.type === 'categorical' && s.encoding === 'onehot') {
      for (const cat of col.categories ?? []) names.push(`${col.name}=${cat}`);
    } else names.push(col.name);
  }
  const inputs: InputLayout[] = [...groups].map(([name, names]) => ({
    name,
    shape: config.lookback > 0 ? [config.lookback, names.length] : [names.length],
    featureNames: names,
    maxValue: maxima.get(name) ?? null,
  }));
  const featureNames = inputs.flatMap((i) => i.featureNames);
  const targets = config.columns.filter((c) => c.role === 'target');
  const target = targets[0] ? byName.get(targets[0].name) : undefined;
  const task: Task = target?.type === 'categorical' ? 'classification' : 'regression';
  const classes = task === 'classification' ? (target?.categories ?? []) : undefined;
  return {
    inputShape: inputs[0]?.shape ?? (config.lookback > 0 ? [config.lookback, 0] : [0]),
    inputs,
    featureNames,
    target: target?.name ?? '',
    task,
    classes,
    outputUnits: task === 'classification' ? (classes?.length ?? 0) : 1,
  };
}

/** The input a column setting feeds. */
export function inputOf(setting: ColumnSetting): string {
  return setting.input ?? DEFAULT_INPUT;
}
