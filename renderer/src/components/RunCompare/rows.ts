/** The "how did each run do" rows of the comparison, each marking its best run. Pure. */
import type { RunComparison } from '../../../../shared/runs.js';
import { fmtInt, fmtNum, metricLabel } from '../../lib/format.js';

/** One colour per run, the same in the table header and the chart. */
export const RUN_COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'] as const;

export interface ResultRow {
  label: string;
  values: string[];
  /** The index of the best run, when the row has a better direction and more than one value. */
  best?: number;
}

/** Accuracy is better high; losses and errors are better low. */
const higherIsBetter = (key: string) => /accuracy|acc$/.test(key);

function bestOf(values: (number | undefined)[], higher: boolean): number | undefined {
  let best: number | undefined;
  values.forEach((v, i) => {
    if (v === undefined || !Number.isFinite(v)) return;
    if (best === undefined || (higher ? v > values[best]! : v < values[best]!)) best = i;
  });
  // A mark means something only when at least two runs have the value and they are not all equal.
  const present = values.filter((v) => v !== undefined && Number.isFinite(v));
  return present.length >= 2 && new Set(present).size > 1 ? best : undefined;
}

function numberRow(label: string, values: (number | undefined)[], higher: boolean, format = fmtNum): ResultRow {
  const best = bestOf(values, higher);
  return { label, values: values.map((v) => format(v)), ...(best !== undefined ? { best } : {}) };
}

export function resultRows(c: RunComparison): ResultRow[] {
  const runs = c.runs;
  const rows: ResultRow[] = [
    { label: 'Status', values: runs.map((r) => `${r.summary.status} · ${r.summary.epochsDone}/${r.summary.settings.epochs} epochs`) },
  ];
  const finalKeys = new Set<string>();
  for (const r of runs) for (const k of Object.keys(r.summary.finalLogs ?? {})) if (k !== 'lr') finalKeys.add(k);
  const ordered = c.metricKeys.filter((k) => finalKeys.has(k)).concat([...finalKeys].filter((k) => !c.metricKeys.includes(k)));
  for (const k of ordered) rows.push(numberRow(`Final ${metricLabel(k)}`, runs.map((r) => r.summary.finalLogs?.[k]), higherIsBetter(k)));
  const keys = new Set(runs.map((r) => r.best?.key).filter(Boolean));
  const best = runs.map((r) => r.best);
  const row: ResultRow = {
    label: 'Best epoch',
    values: best.map((b) => (b ? `${metricLabel(b.key)} ${fmtNum(b.value)} at epoch ${b.epoch + 1}` : '–')),
  };
  // Best values are comparable only when every run was judged by the same key.
  const mark = keys.size === 1 ? bestOf(best.map((b) => b?.value), false) : undefined;
  rows.push(mark !== undefined ? { ...row, best: mark } : row);
  rows.push(numberRow('Samples/s', runs.map((r) => r.summary.samplesPerSec), true, fmtInt));
  return rows;
}
