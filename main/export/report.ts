/**
 * export-report.json and EXPORT.md, written next to every export's files: what was exported (run,
 * dataset, classes, preprocessing, input and output shapes, files) and the parity measured when it
 * was written. The JSON is for tools; the Markdown for the person who opens the folder.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ExportFormat, ExportReport, ParityCheck } from '../../shared/api/export.js';

export type ReportSubject = Omit<ExportReport, 'version' | 'exportedAt' | 'files' | 'parity'>;

const FORMAT_NAMES: Record<ExportFormat, string> = {
  tfjs: 'TF.js LayersModel',
  keras: 'Keras (.keras and legacy .h5)',
  onnx: 'ONNX',
  python: 'Python code (PyTorch and Keras)',
};

const shape = (s: (number | null)[]) => `(batch, ${s.map((d) => d ?? '?').join(', ')})`;

function parityLine(p: ParityCheck): string {
  const diff = p.maxAbsDiff === undefined ? '' : ` max abs difference ${p.maxAbsDiff === 0 ? '0 (exact)' : p.maxAbsDiff.toExponential(2)}`;
  const tol = p.tolerance === undefined ? '' : ` (tolerance ${p.tolerance})`;
  const on = p.samples ? ` on ${p.samples} sample${p.samples === 1 ? '' : 's'}${p.inputs ? ` (${p.inputs})` : ''}` : '';
  return `- **${p.status}**: ${p.method}.${diff}${tol}${on}${p.note ? `. ${p.note}` : ''}`;
}

export function exportMarkdown(r: ExportReport): string {
  const lines = [
    `# ${r.run.name}: ${FORMAT_NAMES[r.format]}`,
    '',
    `Exported by Layerbench on ${r.exportedAt} from run \`${r.run.id}\` (${r.run.epochsDone} epoch${r.run.epochsDone === 1 ? "" : "s"}${r.run.finalLogs ? `; ${Object.entries(r.run.finalLogs).map(([k, v]) => `${k} ${Number(v).toPrecision(4)}`).join(', ')}` : ''}).`,
    r.dataset ? `Dataset: ${r.dataset.name} (${r.dataset.sourceName}).` : 'Dataset: none recorded.',
    ...(r.task ? [`Task: ${r.task}${r.target ? ` of '${r.target}'` : ''}${r.classes ? `; classes ${r.classes.join(', ')}` : ''}.`] : []),
    ...(r.threshold
      ? [`Score threshold: ${r.threshold.value} (${r.threshold.source === 'evaluation' ? "the run's evaluation: best F1 at IoU 0.5" : 'the default: the run has not been evaluated'}).`]
      : []),
    ...(r.data ? [r.data.format === 'none' ? `Dataset files: not written (${r.data.reason}).` : `Dataset files: ${r.data.summary}.`] : []),
    '',
    '## Inputs and outputs',
    '',
    ...r.inputs.map((i) => `- input \`${i.name}\`: ${shape(i.shape)}, channels last`),
    ...r.outputs.map((o) => `- output \`${o.name}\`: ${shape(o.shape)}`),
    '',
    r.dataset?.kind === 'images'
      ? `Images are EXIF-rotated, stretched to the input's height and width (aspect ratio not kept) and divided by 255, channels last${r.task === 'detection' ? '; the output is a grid of cells (objectness, cx, cy, w, h, class probabilities), as export-report.json\'s `preprocessing.head` says' : ''}.`
      : r.preprocessing
        ? 'The preprocessing the inputs need (columns, encodings, scaling) is in export-report.json under `preprocessing`.'
        : 'No preprocessing was recorded for this run.',
    '',
    '## Parity measured at export',
    '',
    ...r.parity.map(parityLine),
    '',
    '## Files',
    '',
    ...r.files.map((f) => `- \`${f.path}\` (${f.bytes} bytes)`),
    '',
  ];
  return lines.join('\n');
}

/** Writes export-report.json and EXPORT.md into dir (listing `files` and themselves); returns the report. */
export async function writeExportReport(dir: string, subject: ReportSubject, parity: ParityCheck[], files: string[], now = new Date()): Promise<{ report: ExportReport; files: string[] }> {
  const listed = await Promise.all(files.map(async (f) => ({ path: path.relative(dir, f).split(path.sep).join('/'), bytes: (await fsp.stat(f)).size })));
  const report: ExportReport = { ...subject, version: 1, exportedAt: now.toISOString(), files: listed, parity };
  const json = path.join(dir, 'export-report.json');
  const md = path.join(dir, 'EXPORT.md');
  await fsp.writeFile(json, JSON.stringify(report, null, 2));
  await fsp.writeFile(md, exportMarkdown(report));
  return { report, files: [json, md] };
}
