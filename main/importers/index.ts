/**
 * The importers, one entry per format, as Netron's ModelFactoryService lists its formats: a cheap
 * `match()` on the name and first bytes picks the importer; the format's own module does the work.
 */
import { matchCsv } from './csv/index.js';

export type ImporterId = 'csv';

export interface ImporterEntry {
  id: ImporterId;
  /** Lower case, with the dot. */
  extensions: string[];
  /** Cheap: looks at the path and the first bytes (up to 64 KB) only. */
  match(path: string, head: Uint8Array): boolean;
}

export const importers: readonly ImporterEntry[] = [{ id: 'csv', extensions: ['.csv', '.tsv', '.txt'], match: matchCsv }];

/** The first importer that accepts the file, or undefined. */
export function findImporter(path: string, head: Uint8Array): ImporterEntry | undefined {
  return importers.find((i) => i.match(path, head));
}

export * as csv from './csv/index.js';
