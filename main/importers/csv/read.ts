import type { CsvProfile } from '../../../shared/dataset.js';
import { AppError, CancelledError } from '../../../shared/errors.js';
import { displayName, sniffLayout } from './sniff.js';
import { streamRows } from './stream.js';

/**
 * Streams the data rows of a profiled CSV file again, with the delimiter and header the profile
 * found. Fields are the parser's strings, uncopied: keep only what you need.
 * Resolves with the number of data rows read.
 */
export async function readRows(
  path: string,
  profile: CsvProfile,
  onRow: (fields: string[], rowIndex: number) => void,
  signal?: AbortSignal,
): Promise<number> {
  if (signal?.aborted) throw new CancelledError();
  const layout = await sniffLayout(path, { delimiter: profile.delimiter, hasHeader: profile.hasHeader });
  if (layout.names.length !== profile.columns.length) {
    const file = displayName(path);
    throw new AppError(
      'CSV_BAD_CONFIG',
      `${file} has ${layout.names.length} columns but had ${profile.columns.length} when it was imported; the file changed, import it again.`,
      { file, expected: profile.columns.length, found: layout.names.length },
    );
  }
  return streamRows(path, { layout, signal, onRow: (fields, rowIndex) => onRow(fields, rowIndex) });
}
