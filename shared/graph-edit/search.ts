/**
 * Palette search: the catalog's layers ranked for what the user typed. Type names first
 * (exact, then prefix, then the start of a word inside it: 'pool' finds MaxPooling2D, then
 * anywhere in it), then the group ('merging'), then the one-line doc ('memory' finds LSTM).
 * Case, spaces, '_' and '-' do not matter in type names: 'max pool' and 'max_pooling' find MaxPooling2D.
 */
import { CATALOG } from '../catalog/index.js';
import type { LayerSpec } from '../catalog/types.js';

export interface LayerMatch {
  spec: LayerSpec;
  /** 0 exact type, 1 type prefix, 2 word start in the type, 3 inside the type, 4 group, 5 doc. */
  rank: number;
}

/** Matching layers, best first; an empty query gives the whole catalog in its order. */
export function searchLayers(query: string, specs: LayerSpec[] = CATALOG): LayerSpec[] {
  return rankLayers(query, specs).map((m) => m.spec);
}

export function rankLayers(query: string, specs: LayerSpec[] = CATALOG): LayerMatch[] {
  const q = query.trim().toLowerCase();
  if (!q) return specs.map((spec) => ({ spec, rank: 0 }));
  const compact = q.replace(/[\s_-]+/g, '');
  const words = q.split(/\s+/);
  const matches: (LayerMatch & { index: number })[] = [];
  specs.forEach((spec, index) => {
    const rank = rankOne(spec, compact, words);
    if (rank !== null) matches.push({ spec, rank, index });
  });
  // Within a rank the shorter type is the closer match ('Conv1D' before 'Conv1DTranspose').
  matches.sort((a, b) => a.rank - b.rank || a.spec.type.length - b.spec.type.length || a.index - b.index);
  return matches.map(({ spec, rank }) => ({ spec, rank }));
}

function rankOne(spec: LayerSpec, compact: string, words: string[]): number | null {
  const type = spec.type.toLowerCase();
  if (compact) {
    if (type === compact) return 0;
    if (type.startsWith(compact)) return 1;
    if (wordStarts(spec.type).some((i) => type.startsWith(compact, i))) return 2;
    if (type.includes(compact)) return 3;
  }
  const group = spec.group.toLowerCase();
  if (words.every((w) => group.startsWith(w) || group.includes(` ${w}`))) return 4;
  const doc = spec.doc.toLowerCase();
  if (words.every((w) => doc.includes(w) || type.includes(w))) return 5;
  return null;
}

/** Where words begin in a class name: 'GlobalAveragePooling1D' → Global, Average, Pooling, 1D; 'ConvLSTM2D' → Conv, LSTM, 2D. */
export function wordStarts(type: string): number[] {
  const starts = [0];
  const upper = (c: string | undefined) => c !== undefined && c >= 'A' && c <= 'Z';
  const lower = (c: string | undefined) => c !== undefined && c >= 'a' && c <= 'z';
  const digit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
  for (let i = 1; i < type.length; i++) {
    const [prev, cur, next] = [type[i - 1], type[i], type[i + 1]];
    if ((upper(cur) && (lower(prev) || (upper(prev) && lower(next)))) || (digit(cur) && !digit(prev))) starts.push(i);
  }
  return starts;
}
