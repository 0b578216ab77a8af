import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { AppError } from '../../../shared/errors.js';
import { isDateTime, isMissing, parseNumber } from './values.js';
import { locateInvalidUtf8, type Utf8Fault } from './utf8.js';

/** How much of the file is read up front to reject bad files and guess the layout. */
export const SNIFF_BYTES = 64 * 1024;
export const DELIMITERS = [',', ';', '\t', '|'] as const;
const SAMPLE_RECORDS = 200;

export interface CsvLayout {
  delimiter: string;
  newline: '\r\n' | '\n' | '\r';
  hasHeader: boolean;
  /** Column names: the header's (trimmed, empty ones and repeats made unique) or column_1, column_2, ... */
  names: string[];
  bytesTotal: number;
}

export function displayName(path: string): string {
  return basename(path);
}

export function encodingError(path: string, fault: Utf8Fault | undefined): AppError {
  const file = displayName(path);
  if (!fault) return new AppError('CSV_ENCODING', `${file}: expected UTF-8 text but the file could not be decoded as UTF-8.`, { file });
  const hex = `0x${fault.value.toString(16).toUpperCase().padStart(2, '0')}`;
  return new AppError(
    'CSV_ENCODING',
    `${file}, line ${fault.line} (byte ${fault.byte}): expected UTF-8 text but found the byte ${hex}, which is not valid UTF-8. Save the file as UTF-8 (for example "CSV UTF-8" in Excel) and import it again.`,
    { file, line: fault.line, byte: fault.byte },
  );
}

/** Reads the first bytes and rejects empty, binary and non-UTF-8 files before any parsing. */
export async function sniffLayout(path: string, override?: { delimiter: string; hasHeader: boolean }): Promise<CsvLayout> {
  const file = displayName(path);
  const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') throw new AppError('NOT_FOUND', `No file at ${path}.`, { file });
    if (e.code === 'EISDIR') throw new AppError('INVALID_REQUEST', `${path} is a folder; expected a CSV file.`, { file });
    throw e;
  });
  let head: Uint8Array;
  let bytesTotal: number;
  try {
    bytesTotal = (await handle.stat()).size;
    const buf = Buffer.alloc(Math.min(SNIFF_BYTES, bytesTotal));
    const { bytesRead } = buf.length > 0 ? await handle.read(buf, 0, buf.length, 0) : { bytesRead: 0 };
    head = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const whole = head.length >= bytesTotal;
  const empty = () => new AppError('CSV_EMPTY', `${file} is empty: expected a header row and data rows.`, { file });
  if (bytesTotal === 0) throw empty();
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
    throw new AppError('CSV_ENCODING', `${file} is UTF-16 text; expected UTF-8 text. Save the file as UTF-8 (for example "CSV UTF-8" in Excel) and import it again.`, { file, byte: 0 });
  }
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new AppError('CSV_BINARY', `${file} looks like a binary file, not text (found a NUL byte at byte ${nul}).`, { file, byte: nul });
  }
  let text: string;
  try {
    // stream: true so a character cut in two by the 64 KB boundary is not taken for bad UTF-8.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !whole });
  } catch {
    throw encodingError(path, await locateInvalidUtf8(path));
  }
  if (whole && text.trim().length === 0) throw empty();

  const newline = detectNewline(text);
  // Parse only complete lines: the last one may be cut by the sniff boundary.
  if (!whole) {
    const cut = text.lastIndexOf(newline);
    if (cut > 0) text = text.slice(0, cut);
  }
  const delimiter = override?.delimiter ?? detectDelimiter(text, newline);
  const records = parseSample(text, delimiter, newline, SAMPLE_RECORDS);
  const first = records[0] ?? [];
  const hasHeader = override?.hasHeader ?? detectHeader(records);
  return { delimiter, newline, hasHeader, names: columnNames(first, hasHeader), bytesTotal };
}

export function detectNewline(text: string): '\r\n' | '\n' | '\r' {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (lf < 0) return cr < 0 ? '\n' : '\r';
  if (cr >= 0 && cr < lf) return cr === lf - 1 ? '\r\n' : '\r';
  return '\n';
}

function parseSample(text: string, delimiter: string, newline: CsvLayout['newline'], max: number): string[][] {
  const out = Papa.parse<string[]>(text, { delimiter, newline, preview: max * 2, quoteChar: '"' });
  return out.data.filter((r) => !(r.length === 1 && (r[0] ?? '').trim() === '')).slice(0, max);
}

/**
 * The candidate that splits the most lines into the same number (> 1) of fields. Papa's own
 * guess picks the delimiter with the most fields on average, which a text column full of
 * semicolons can fool; consistency across lines cannot be fooled as easily.
 */
export function detectDelimiter(text: string, newline: CsvLayout['newline']): string {
  let best: { delimiter: string; consistency: number; fields: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const records = parseSample(text, delimiter, newline, 100);
    if (records.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of records) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    let fields = 1;
    let top = 0;
    for (const [n, c] of counts) if (c > top || (c === top && n > fields)) [fields, top] = [n, c];
    if (fields < 2) continue;
    const consistency = top / records.length;
    if (!best || consistency > best.consistency) best = { delimiter, consistency, fields };
  }
  return best?.delimiter ?? ',';
}

type Kind = 'number' | 'datetime' | 'other' | 'none';

function kindOf(cells: string[]): Kind {
  let kind: Kind = 'none';
  for (const c of cells) {
    if (isMissing(c)) continue;
    const k: Kind = !Number.isNaN(parseNumber(c)) ? 'number' : isDateTime(c) ? 'datetime' : 'other';
    if (kind === 'none') kind = k;
    else if (kind !== k) return 'other';
  }
  return kind;
}

/**
 * The first row is a header when some column holds numbers or dates below a cell that is not
 * one; when all columns are text, when its cells are all present and none recurs below it.
 */
export function detectHeader(records: string[][]): boolean {
  const first = records[0];
  if (!first) return true;
  const body = records.slice(1);
  if (body.length === 0) return !first.every((c) => !Number.isNaN(parseNumber(c)));
  let headerVotes = 0;
  let dataVotes = 0;
  let textRecurs = false;
  for (let j = 0; j < first.length; j++) {
    const cell = first[j] ?? '';
    const column = body.map((r) => r[j] ?? '');
    const kind = kindOf(column);
    if (kind === 'number' || kind === 'datetime') {
      if (isMissing(cell)) continue;
      const fits = kind === 'number' ? !Number.isNaN(parseNumber(cell)) : isDateTime(cell);
      if (fits) dataVotes++;
      else headerVotes++;
    } else if (isMissing(cell) || column.includes(cell)) textRecurs = true;
  }
  if (headerVotes > 0) return true;
  return dataVotes === 0 && !textRecurs;
}

export function columnNames(first: string[], hasHeader: boolean): string[] {
  const seen = new Set<string>();
  return first.map((cell, j) => {
    let name = hasHeader ? cell.trim() : '';
    if (name === '') name = `column_${j + 1}`;
    let unique = name;
    for (let k = 2; seen.has(unique); k++) unique = `${name}_${k}`;
    seen.add(unique);
    return unique;
  });
}
