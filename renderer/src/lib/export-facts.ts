/**
 * The lines of an export report a user reads beside task and classes: a detector's score
 * threshold and what the Python export's data/ holds. Worded as EXPORT.md words them (the CLI
 * prints the same), plus what to do when the threshold is only the default. Pure.
 */
import type { ExportReport } from '../../../shared/api/export.js';

export interface ExportFacts {
  /** "Score threshold 0.12 (the run's evaluation: best F1 at IoU 0.5)", or null (not a detector). */
  threshold: string | null;
  /** True when the threshold is the default because the run has not been evaluated. */
  thresholdIsDefault: boolean;
  /** "Dataset files: <what data/ holds>", or why none were written; null when the export has no data/. */
  data: string | null;
}

export function exportFacts(r: Pick<ExportReport, 'threshold' | 'data'>): ExportFacts {
  const t = r.threshold;
  const threshold = t
    ? `Score threshold ${t.value.toFixed(2)} (${t.source === 'evaluation' ? "the run's evaluation: best F1 at IoU 0.5" : 'the default: not evaluated yet — evaluate the run to set it'})`
    : null;
  const d = r.data;
  const data = !d ? null : d.format === 'none' ? `Dataset files: not written (${d.reason})` : `Dataset files: ${d.summary}`;
  return { threshold, thresholdIsDefault: t?.source === 'default', data };
}
