/**
 * Trying a trained run on new input: the form built from the columns it trained on, and reading a
 * pasted CSV row (or window of rows) into that form's cells. Pure, so the renderer fills its form
 * from a paste with the same rules the core checks a prediction request with.
 */
import { AppError } from './errors.js';
import type { Task } from './dataset.js';
import type { TryDetection } from './detection.js';

export interface TryColumn {
  name: string;
  kind: 'number' | 'category';
  /** Categories: the values the run knows, in their code order. */
  categories?: string[];
  /** What the form starts with: the training split's mean (numbers) or most frequent value (categories). */
  initial: string;
  /** With the target as an input (time series), this column is the target's own past value. */
  isTarget?: boolean;
}

export type TryForm =
  | {
      kind: 'table';
      runId: string;
      runName: string;
      task: Task;
      target: string;
      /** Classification: the classes, in the model's output order. */
      classes?: string[];
      /** The model's input columns, in the order a row of cells is given. */
      columns: TryColumn[];
      /** Consecutive rows one prediction reads: the lookback window (1 for plain rows). */
      steps: number;
      /** The target is this many rows after the last row given (0: the last row itself). */
      horizon: number;
      /** Every column of the dataset's file, so a row copied from it whole is understood. */
      fileColumns: string[];
      delimiter: string;
      sourceName: string;
    }
  | {
      kind: 'images';
      runId: string;
      runName: string;
      /** (height, width, channels) every image is resized to, as in training. */
      shape: [number, number, number];
      classes: string[];
      /** A detector (grid head): boxes are drawn; `threshold` is where the slider starts (the evaluation's F1-optimal one). */
      detector?: { threshold: number };
    }
  | { kind: 'unavailable'; runId: string; runName: string; reason: string };

export type TableForm = Extract<TryForm, { kind: 'table' }>;

export interface TryPrediction {
  task: Task;
  target: string;
  /** Regression: the prediction in the target's original units. */
  value?: number;
  /** Classification: every class with its probability, most likely first. */
  probabilities?: { label: string; p: number }[];
  /** Input columns left empty and filled as training filled them (mean or most frequent value). */
  filled: string[];
}

/** Images a user dropped, as the renderer sends them: the file's name and its bytes in base64. */
export const TRY_MAX_IMAGES = 32;

export interface TryImageResult {
  name: string;
  /** Every class with its probability, most likely first; absent when the file could not be read. */
  probabilities?: { label: string; p: number }[];
  /** A detector's boxes instead of probabilities. */
  detection?: TryDetection;
  error?: string;
}

function bad(message: string, details?: Record<string, unknown>): AppError {
  return new AppError('INVALID_REQUEST', message, details);
}

/** One CSV line into its cells: quotes may wrap a cell (with "" for a quote inside), as in RFC 4180. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (ch === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw bad(`A quoted value is not closed: ${JSON.stringify(line.length > 60 ? `${line.slice(0, 60)}…` : line)}.`);
  cells.push(cell);
  return cells.map((c) => c.trim());
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Reads pasted text into `form.steps` rows of cells in the form's column order. A header line is
 * optional: with one, columns are found by name (others, such as the target, are ignored); without,
 * a line holds either the input columns in order or every column of the dataset's file. Spreadsheet
 * pastes (tab-separated) are understood too.
 */
export function rowsFromPaste(form: TableForm, text: string): string[][] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw bad(`Nothing to read: paste ${plural(form.steps, 'row')} of ${form.columns.map((c) => c.name).join(', ')}.`);
  const delimiter = !lines[0]!.includes(form.delimiter) && lines[0]!.includes('\t') ? '\t' : form.delimiter;
  let rows = lines.map((l) => splitCsvLine(l, delimiter));
  const names = form.columns.map((c) => c.name);
  const header = rows[0]!;
  const isHeader = names.every((n) => header.includes(n));
  let pick: (row: string[], line: number) => string[];
  if (isHeader) {
    const at = names.map((n) => header.indexOf(n));
    rows = rows.slice(1);
    pick = (row, line) => {
      if (row.length !== header.length)
        throw bad(`Line ${line} has ${plural(row.length, 'value')} but the header names ${plural(header.length, 'column')}.`, { line });
      return at.map((k) => row[k]!);
    };
  } else {
    const fileAt = names.map((n) => form.fileColumns.indexOf(n));
    pick = (row, line) => {
      if (row.length === names.length) return row;
      if (row.length === form.fileColumns.length) return fileAt.map((k) => row[k]!);
      const whole = form.fileColumns.length !== names.length ? ` or all ${form.fileColumns.length} columns of ${form.sourceName}` : '';
      throw bad(`Line ${line} has ${plural(row.length, 'value')}; expected ${names.length} (${names.join(', ')})${whole}.`, { line });
    };
  }
  const first = isHeader ? 2 : 1;
  if (rows.length !== form.steps) {
    const what = form.steps === 1 ? 'one row' : `${form.steps} consecutive rows (this run reads a window of ${form.steps})`;
    throw bad(`Expected ${what} after ${isHeader ? 'the header' : 'pasting'} but found ${plural(rows.length, 'row')}.`, { rows: rows.length });
  }
  return rows.map((r, i) => pick(r, i + first));
}
