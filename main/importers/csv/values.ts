/** How one CSV cell is read: missing markers, numbers, ISO-like date-times. Shared by profiling and preparation. */

const MISSING = new Set(['', 'na', 'n/a', 'nan', 'null', 'none']);

/** Empty, NA, N/A, NaN, null, None (any case, surrounding spaces ignored). */
export function isMissing(cell: string): boolean {
  if (cell.length === 0) return true;
  if (cell.length > 6) return cell.trim().length === 0;
  return MISSING.has(cell.trim().toLowerCase());
}

// Plain decimal notation only: Number() would also accept '0x1F', 'Infinity' and '' which are not numbers in a CSV.
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** The cell as a finite number, or NaN when it is missing or not a number. */
export function parseNumber(cell: string): number {
  if (!NUMBER.test(cell)) return NaN;
  const v = Number(cell);
  return Number.isFinite(v) ? v : NaN;
}

// 2010-01-02, 2010/01/02, 2010-01-02 00:00, 2010-01-02T00:00:00.000Z, 2010-01-02 00:00:00+08:00
const DATETIME = /^\s*\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?\s*$/;

export function isDateTime(cell: string): boolean {
  return DATETIME.test(cell);
}

/**
 * A copy of a string that does not share memory with the chunk it was cut from. V8 keeps the
 * whole parent string alive behind a slice, so values kept for the whole import (distinct values,
 * preview rows) are flattened, or a 1 GB file would stay in memory piece by piece.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : s.split('').join('');
}
