/**
 * Comparing runs side by side: which settings each used (and which differ), how well each did,
 * and their per-epoch curves. Pure, so the core builds it and tests check it without a project.
 */
import { analyzeGraph } from './catalog/analyze.js';
import type { ModelGraph } from './graph.js';
import { EARLY_STOPPING_DEFAULTS, REDUCE_LR_DEFAULTS, type MetricPoint, type RunSummary } from './training.js';

/** At least two runs make a comparison; more than four no longer reads side by side. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

export interface SettingRow {
  key: string;
  label: string;
  /** One per run, in the comparison's run order, as shown. */
  values: string[];
  /** Not every run has the same value. */
  differs: boolean;
}

/** The best epoch by the monitored loss: val_loss when the run validated, else loss. */
export interface BestEpoch {
  key: string;
  value: number;
  /** 0-based. */
  epoch: number;
  logs: Record<string, number>;
}

export type EvaluationBrief =
  | { task: 'classification'; accuracy: number; count: number }
  | { task: 'regression'; rmse: number; mae: number; count: number; target: string };

export interface ComparedRun {
  summary: RunSummary;
  datasetName: string;
  /** One point per finished epoch (0-based), oldest first. */
  epochs: { epoch: number; logs: Record<string, number> }[];
  best?: BestEpoch;
  /** The stored test-split evaluation, when the run has one. */
  evaluation?: EvaluationBrief;
}

export interface RunComparison {
  runs: ComparedRun[];
  settings: SettingRow[];
  /** The metric keys any run logged per epoch (loss, val_loss, mae, …), loss first. */
  metricKeys: string[];
}

/** The run, its graph and dataset name: what the settings table is made from. */
export interface RunForComparison {
  summary: RunSummary;
  graph: ModelGraph;
  datasetName: string;
  metrics: MetricPoint[];
  evaluation?: EvaluationBrief;
}

export function compareRuns(runs: RunForComparison[]): RunComparison {
  const compared = runs.map((r): ComparedRun => {
    const epochs = epochPoints(r.metrics);
    const best = bestEpoch(epochs);
    return {
      summary: r.summary,
      datasetName: r.datasetName,
      epochs,
      ...(best ? { best } : {}),
      ...(r.evaluation ? { evaluation: r.evaluation } : {}),
    };
  });
  const keys = new Set<string>();
  for (const r of compared) for (const e of r.epochs) for (const k of Object.keys(e.logs)) if (k !== 'lr') keys.add(k);
  const metricKeys = [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { runs: compared, settings: settingRows(runs), metricKeys };
}

/** loss, val_loss, then each metric followed by its validation twin. */
function rank(key: string): number {
  const base = key.replace(/^val_/, '');
  return (base === 'loss' ? 0 : 10) + (key.startsWith('val_') ? 1 : 0);
}

/** The last point logged for each epoch (a resumed run logs its epochs once; a stray repeat keeps the latest). */
export function epochPoints(metrics: readonly MetricPoint[]): { epoch: number; logs: Record<string, number> }[] {
  const byEpoch = new Map<number, Record<string, number>>();
  for (const m of metrics) if (m.kind === 'epoch') byEpoch.set(m.epoch, m.logs);
  return [...byEpoch.entries()].sort((a, b) => a[0] - b[0]).map(([epoch, logs]) => ({ epoch, logs }));
}

export function bestEpoch(epochs: readonly { epoch: number; logs: Record<string, number> }[]): BestEpoch | undefined {
  const key = epochs.some((e) => Number.isFinite(e.logs['val_loss'])) ? 'val_loss' : 'loss';
  let best: BestEpoch | undefined;
  for (const e of epochs) {
    const v = e.logs[key];
    if (v === undefined || !Number.isFinite(v)) continue;
    if (!best || v < best.value) best = { key, value: v, epoch: e.epoch, logs: e.logs };
  }
  return best;
}

/** Every setting that shapes a run, one row each, flagged where the runs differ. */
export function settingRows(runs: readonly Pick<RunForComparison, 'summary' | 'graph' | 'datasetName'>[]): SettingRow[] {
  const rows: { key: string; label: string; value: (r: Pick<RunForComparison, 'summary' | 'graph' | 'datasetName'>) => string }[] = [
    { key: 'dataset', label: 'Dataset', value: (r) => r.datasetName },
    { key: 'model', label: 'Model', value: (r) => layerSummary(r.graph) },
    { key: 'params', label: 'Parameters', value: (r) => paramCount(r.graph) },
    { key: 'optimizer', label: 'Optimizer', value: (r) => r.summary.settings.optimizer },
    { key: 'learningRate', label: 'Learning rate', value: (r) => String(r.summary.settings.learningRate) },
    { key: 'loss', label: 'Loss', value: (r) => r.summary.settings.loss },
    { key: 'metrics', label: 'Metrics', value: (r) => r.summary.settings.metrics.join(', ') || 'none' },
    { key: 'batchSize', label: 'Batch size', value: (r) => String(r.summary.settings.batchSize) },
    { key: 'epochs', label: 'Epochs (planned)', value: (r) => String(r.summary.settings.epochs) },
    { key: 'seed', label: 'Seed', value: (r) => String(r.summary.settings.seed) },
    { key: 'backend', label: 'Backend', value: (r) => r.summary.backend?.name ?? `${r.summary.settings.backend} (never started)` },
    { key: 'earlyStopping', label: 'Early stopping', value: (r) => earlyStoppingText(r.summary) },
    { key: 'reduceLr', label: 'Reduce LR on plateau', value: (r) => reduceLrText(r.summary) },
    { key: 'classWeight', label: 'Class weights', value: (r) => r.summary.settings.classWeight ?? 'none' },
    { key: 'augmentation', label: 'Augmentation', value: (r) => augmentationText(r.summary) },
  ];
  return rows.map((row) => {
    const values = runs.map((r) => row.value(r));
    return { key: row.key, label: row.label, values, differs: new Set(values).size > 1 };
  });
}

/** "LSTM(50) → Dense(1)": the layers in order with their size, Input left out. */
export function layerSummary(graph: ModelGraph): string {
  let order: string[];
  try {
    order = analyzeGraph(graph).order;
  } catch {
    order = [];
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = (order.length ? order.map((id) => byId.get(id)!) : graph.nodes).filter((n) => n && n.type !== 'Input');
  if (nodes.length === 0) return 'no layers';
  return nodes
    .map((n) => {
      const c = n.config;
      const size = c['units'] ?? c['filters'] ?? c['rate'] ?? c['output_dim'];
      return size !== undefined && size !== null ? `${n.type}(${String(size)})` : n.type;
    })
    .join(' → ');
}

function paramCount(graph: ModelGraph): string {
  try {
    return analyzeGraph(graph).totalParams.toLocaleString('en-US');
  } catch {
    return '–';
  }
}

function earlyStoppingText(s: RunSummary): string {
  const e = s.settings.earlyStopping;
  if (!e) return 'off';
  const v = { ...EARLY_STOPPING_DEFAULTS, ...e };
  return `${v.monitor}, patience ${v.patience}${v.minDelta ? `, min Δ ${v.minDelta}` : ''}${v.restoreBestWeights ? ', best weights' : ''}`;
}

function reduceLrText(s: RunSummary): string {
  const r = s.settings.reduceLrOnPlateau;
  if (!r) return 'off';
  const v = { ...REDUCE_LR_DEFAULTS, ...r };
  return `${v.monitor} ×${v.factor} after ${v.patience}`;
}

function augmentationText(s: RunSummary): string {
  const a = s.settings.augmentation;
  if (!a) return 'off';
  const parts = [a.flip ? 'flip' : '', a.shift ? `shift ${a.shift}` : '', a.brightness ? `brightness ${a.brightness}` : '', a.contrast ? `contrast ${a.contrast}` : ''].filter(Boolean);
  return parts.length ? parts.join(', ') : 'off';
}

/**
 * The number for the next "Run N": past every "Run N" still in the project and past the count of
 * runs, so deleting or renaming runs never makes two runs share a default name.
 */
export function nextRunNumber(runs: readonly Pick<RunSummary, 'name'>[]): number {
  let max = runs.length;
  for (const r of runs) {
    const m = /^Run (\d+)\b/.exec(r.name);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return max + 1;
}
