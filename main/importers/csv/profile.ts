import type { ColumnProfile, ColumnType, CsvProfile } from '../../../shared/dataset.js';
import { AppError, CancelledError } from '../../../shared/errors.js';
import { mulberry32 } from '../../../shared/random.js';
import { displayName, sniffLayout } from './sniff.js';
import { streamRows, type StreamProgress } from './stream.js';
import { detach, isDateTime, isMissing, parseNumber } from './values.js';

export interface ProfileOptions {
  onProgress?(p: StreamProgress): void;
  signal?: AbortSignal;
  /** Data rows kept for the preview table (default 50). */
  previewRows?: number;
}

/** At most this many distinct values make a non-numeric column categorical. */
export const MAX_CATEGORIES = 50;
const DISTINCT_CAP = 1000;
const TOP_VALUES = 20;
const BINS = 20;
/** Histograms are built from a uniform reservoir sample of this many values per numeric column (exact below it). */
export const HISTOGRAM_SAMPLE = 10_000;

class ColumnStats {
  missing = 0;
  present = 0;
  numbers = 0;
  datetimes = 0;
  // Welford's running mean and sum of squared deviations.
  mean = 0;
  m2 = 0;
  min = Infinity;
  max = -Infinity;
  reservoir: Float64Array | undefined = new Float64Array(HISTOGRAM_SAMPLE);
  counts = new Map<string, number>();
  /** More distinct values than DISTINCT_CAP were seen; `counts` stopped taking new ones. */
  overflow = false;

  constructor(private readonly random: () => number) {}

  add(cell: string): void {
    if (isMissing(cell)) {
      this.missing++;
      return;
    }
    this.present++;
    const value = cell.trim();
    const count = this.counts.get(value);
    if (count !== undefined) this.counts.set(value, count + 1);
    else if (this.counts.size < DISTINCT_CAP) this.counts.set(detach(value), 1);
    else this.overflow = true;

    // Once one cell is not a number the column is not numeric: stop paying for the statistics.
    if (this.numbers === this.present - 1) {
      const v = parseNumber(value);
      if (!Number.isNaN(v)) {
        this.numbers++;
        this.addNumber(v);
        return;
      }
      this.reservoir = undefined;
    }
    if (this.datetimes === this.present - 1 && isDateTime(value)) this.datetimes++;
  }

  private addNumber(v: number): void {
    const n = this.numbers;
    const delta = v - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (v - this.mean);
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    const r = this.reservoir;
    if (!r) return;
    if (n <= r.length) r[n - 1] = v;
    else {
      const j = Math.floor(this.random() * n);
      if (j < r.length) r[j] = v;
    }
  }

  type(): ColumnType {
    if (this.present === 0) return 'text';
    if (this.numbers === this.present) return 'number';
    if (this.datetimes === this.present) return 'datetime';
    return !this.overflow && this.counts.size <= MAX_CATEGORIES ? 'categorical' : 'text';
  }

  profile(name: string, index: number): ColumnProfile {
    const type = this.type();
    const col: ColumnProfile = { name, index, type, missing: this.missing, distinct: this.overflow ? DISTINCT_CAP : this.counts.size };
    if (type === 'number') {
      col.min = this.min;
      col.max = this.max;
      col.mean = this.mean;
      col.std = Math.sqrt(this.m2 / this.numbers);
      col.histogram = this.histogram();
    }
    if (type === 'categorical' || type === 'text') {
      col.topValues = [...this.counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, TOP_VALUES)
        .map(([value, count]) => ({ value, count }));
    }
    if (type === 'categorical') col.categories = [...this.counts.keys()].sort();
    return col;
  }

  private histogram(): number[] {
    const bins = new Array<number>(BINS).fill(0);
    const r = this.reservoir;
    if (!r) return bins;
    const size = Math.min(this.numbers, r.length);
    const width = (this.max - this.min) / BINS;
    for (let i = 0; i < size; i++) {
      const b = width > 0 ? Math.min(BINS - 1, Math.floor((r[i]! - this.min) / width)) : 0;
      bins[b]!++;
    }
    // From the sample back to the whole column, so the bars still add up to the number of values.
    const scale = this.numbers / size;
    return scale === 1 ? bins : bins.map((c) => Math.round(c * scale));
  }
}

/**
 * Reads a CSV file once, streaming, and describes it: delimiter, header, and per column its type,
 * missing values and statistics. Memory stays bounded by the 1 MB read chunk, the preview, the
 * distinct values (≤ 1,000 per column) and the histogram samples (≤ 10,000 numbers per column).
 */
export async function profileCsv(path: string, opts: ProfileOptions = {}): Promise<CsvProfile> {
  if (opts.signal?.aborted) throw new CancelledError();
  const layout = await sniffLayout(path);
  const random = mulberry32(0x5eed);
  const stats = layout.names.map(() => new ColumnStats(random));
  const previewRows = opts.previewRows ?? 50;
  const preview: string[][] = [];
  const rowCount = await streamRows(path, {
    layout,
    signal: opts.signal,
    onProgress: opts.onProgress,
    onRow(fields) {
      for (let j = 0; j < stats.length; j++) stats[j]!.add(fields[j]!);
      if (preview.length < previewRows) preview.push(fields.map(detach));
    },
  });
  if (rowCount === 0) {
    const file = displayName(path);
    throw layout.hasHeader && layout.names.length > 0
      ? new AppError('CSV_EMPTY', `${file} has a header row but no data rows: expected a header row and data rows.`, { file })
      : new AppError('CSV_EMPTY', `${file} is empty: expected a header row and data rows.`, { file });
  }
  opts.onProgress?.({ bytesRead: layout.bytesTotal, bytesTotal: layout.bytesTotal, rows: rowCount });
  return {
    delimiter: layout.delimiter,
    hasHeader: layout.hasHeader,
    rowCount,
    columns: stats.map((s, j) => s.profile(layout.names[j]!, j)),
    preview,
  };
}
