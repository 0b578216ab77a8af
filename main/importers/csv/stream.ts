import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { AppError, CancelledError } from '../../../shared/errors.js';
import { displayName, encodingError, type CsvLayout } from './sniff.js';
import { locateInvalidUtf8 } from './utf8.js';

export interface StreamProgress {
  bytesRead: number;
  bytesTotal: number;
  rows: number;
}

export interface StreamRowsOptions {
  layout: CsvLayout;
  /** Every data row: header and blank lines skipped, field count checked. `line` is the 1-based line it starts on. */
  onRow(fields: string[], rowIndex: number, line: number): void;
  /** After each chunk of the file (about 1 MB). */
  onProgress?(p: StreamProgress): void;
  signal?: AbortSignal;
}

const READ_CHUNK = 1 << 20;

/**
 * Streams the data rows of a CSV file: bytes → strict UTF-8 decoding → papaparse, one chunk in
 * memory at a time. Resolves with the number of data rows.
 */
export function streamRows(path: string, opts: StreamRowsOptions): Promise<number> {
  const { layout, signal } = opts;
  const file = displayName(path);
  const expected = layout.names.length;
  const lineChar = layout.newline === '\r' ? '\r' : '\n';
  const source = layout.hasHeader ? 'as in the header' : 'as in the first row';

  return new Promise<number>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    let settled = false;
    let bytesRead = 0;
    let sawQuote = false;
    let line = 1;
    let rows = 0;
    let headerPending = layout.hasHeader;
    // In a one-column file a blank line is a missing value, unless only blank lines follow it.
    let blankRun = 0;
    let blankStart = 0;

    async function* decode(): AsyncGenerator<string> {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      const src = createReadStream(path, { highWaterMark: READ_CHUNK });
      try {
        for await (const buf of src as AsyncIterable<Buffer>) {
          if (signal?.aborted) throw new CancelledError();
          bytesRead += buf.length;
          let text: string;
          try {
            text = decoder.decode(buf, { stream: true });
          } catch {
            throw encodingError(path, await locateInvalidUtf8(path));
          }
          // Only a quoted field can hold a line break, so until a quote shows up no field is searched for one.
          if (!sawQuote && text.includes('"')) sawQuote = true;
          if (text.length > 0) yield text;
        }
        let tail: string;
        try {
          tail = decoder.decode();
        } catch {
          throw encodingError(path, await locateInvalidUtf8(path));
        }
        if (tail.length > 0) yield tail;
      } finally {
        src.destroy();
      }
    }
    const input = Readable.from(decode(), { objectMode: true });

    const onAbort = () => finish(new CancelledError());
    signal?.addEventListener('abort', onAbort, { once: true });

    function finish(error?: unknown): void {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        input.destroy();
        reject(error);
      } else resolve(rows);
    }

    function emit(fields: string[], at: number): void {
      if (fields.length !== expected) {
        throw new AppError('CSV_RAGGED', `${file}, row ${at}: expected ${expected} fields (${source}) but found ${fields.length}.`, {
          file,
          row: at,
          expected,
          found: fields.length,
        });
      }
      opts.onRow(fields, rows++, at);
    }

    function onRecords(records: string[][]): void {
      for (const fields of records) {
        const start = line;
        line++;
        if (sawQuote) {
          for (const f of fields) {
            for (let k = f.indexOf(lineChar); k >= 0; k = f.indexOf(lineChar, k + 1)) line++;
          }
        }
        const blank = fields.length === 1 && (fields[0] ?? '').trim() === '';
        if (blank && (expected > 1 || headerPending)) continue;
        if (headerPending) {
          headerPending = false;
          continue;
        }
        if (blank) {
          if (blankRun === 0) blankStart = start;
          blankRun++;
          continue;
        }
        for (; blankRun > 0; blankRun--) emit([''], blankStart++);
        emit(fields, start);
      }
    }

    Papa.parse<string[]>(input as unknown as NodeJS.ReadableStream, {
      delimiter: layout.delimiter,
      newline: layout.newline,
      quoteChar: '"',
      chunk(results) {
        if (settled) return;
        onRecords(results.data);
        opts.onProgress?.({ bytesRead, bytesTotal: layout.bytesTotal, rows });
        if (signal?.aborted) throw new CancelledError();
      },
      complete() {
        finish();
      },
      error(err: unknown) {
        finish(err);
      },
    });
  });
}
