export { profileCsv, MAX_CATEGORIES, HISTOGRAM_SAMPLE, type ProfileOptions } from './profile.js';
export { readRows } from './read.js';
export { prepareTabular, type PreparedTabular, type SplitArrays } from './prepare.js';
export {
  applyPreprocessing,
  unscaleTarget,
  scaleTarget,
  encodedWidth,
  type Preprocessing,
  type PreprocessedFeature,
} from './preprocessing.js';
export type { StreamProgress } from './stream.js';
export { DELIMITERS } from './sniff.js';

import { extname } from 'node:path';

/** Cheap test for the registry: a CSV-like extension and no NUL byte in the first bytes. */
export function matchCsv(path: string, head: Uint8Array): boolean {
  return ['.csv', '.tsv', '.txt'].includes(extname(path).toLowerCase()) && !head.includes(0);
}
