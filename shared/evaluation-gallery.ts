/**
 * What an evaluation keeps so the confusion matrix's cells open a gallery of their test items
 * without running the model again: for a bounded number of samples, the actual and predicted
 * class, where the item is (data row or image), and its most probable classes. Pure.
 */

/** At most this many samples are kept with an evaluation (a bounded row in the project file). */
export const MAX_GALLERY_SAMPLES = 20_000;
/** Classes kept per sample, most probable first: what the gallery's bars show. */
export const TOP_CLASSES = 3;

export interface GallerySamples {
  actual: number[];
  predicted: number[];
  /** The data row (0-based, header excluded) each sample predicts. */
  rows: number[];
  /** Image datasets: the image item of each sample. */
  itemIds?: number[];
  /** Per sample: its TOP_CLASSES most probable classes and their probabilities. */
  topClasses: number[][];
  topProbs: number[][];
  /** Per sample: the probability given to its actual class (it may not be among the top). */
  actualProb: number[];
}

/** One item of a confusion-matrix cell, as the gallery shows it. */
export interface GalleryItem {
  /** The data row (tables) the sample predicts. */
  row: number;
  /** Tables: the row's input columns and their values as written in the file. */
  values?: { column: string; value: string }[];
  /** Images: the item, for its thumbnail. */
  image?: { id: number; sha256: string; ext: string; name: string };
  actual: number;
  predicted: number;
  top: { classIndex: number; probability: number }[];
  actualProbability: number;
}

export interface GalleryPage {
  actual: number;
  predicted: number;
  /** Test samples in this cell of the confusion matrix. */
  total: number;
  /** Of those, the ones kept with the evaluation (fewer than total only for very large test splits). */
  kept: number;
  offset: number;
  /** Most confident prediction first. */
  items: GalleryItem[];
}

/**
 * Which samples to keep when there are more than `max`: every cell of the confusion matrix
 * gets the same quota (cells smaller than it keep all theirs), so rare mistakes survive
 * thinning; within a cell, samples evenly spread over the test order. Returns sample indices, ascending.
 */
export function keepPerCell(actual: ArrayLike<number>, predicted: ArrayLike<number>, max = MAX_GALLERY_SAMPLES): number[] {
  const n = actual.length;
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const cells = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = `${actual[i]}:${predicted[i]}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = []));
    c.push(i);
  }
  // Water-filling: the largest quota q with Σ min(size, q) ≤ max.
  const sizes = [...cells.values()].map((c) => c.length).sort((a, b) => a - b);
  let budget = max;
  let quota = 0;
  for (let k = 0; k < sizes.length; k++) {
    const left = sizes.length - k;
    const even = Math.floor(budget / left);
    if (sizes[k]! > even) {
      quota = even;
      break;
    }
    budget -= sizes[k]!;
    quota = sizes[k]!;
  }
  const kept: number[] = [];
  for (const members of cells.values()) {
    if (members.length <= quota) kept.push(...members);
    else for (let k = 0; k < quota; k++) kept.push(members[Math.floor((k * members.length) / quota)]!);
  }
  return kept.sort((a, b) => a - b);
}

/** The `k` most probable classes of one probability row, most probable first (ties: lower class first). */
export function topK(probabilities: ArrayLike<number>, k = TOP_CLASSES): number[] {
  return Array.from({ length: probabilities.length }, (_, i) => i)
    .sort((a, b) => probabilities[b]! - probabilities[a]! || a - b)
    .slice(0, k);
}

/** Probabilities kept to 4 decimals: enough for a bar and a percent, a third of the JSON. */
export const roundProbability = (p: number): number => Math.round(p * 1e4) / 1e4;
