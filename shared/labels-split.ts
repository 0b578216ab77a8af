/**
 * A stratified random split: within each stratum (a class, or "no class"), images are shuffled
 * with the seed and cut into test, validation and train by the fractions, so every class is
 * represented in each split in proportion. The same seed and images give the same split.
 */
import { mulberry32, shuffle } from './random.js';
import type { Split } from './images.js';

export function stratifiedSplit(
  items: { id: number; stratum: number | null }[],
  opts: { seed: number; validationFraction: number; testFraction: number },
): Map<number, Split> {
  if (opts.validationFraction + opts.testFraction >= 1)
    throw new RangeError(`validation + test fractions must leave some images to train on; got ${opts.validationFraction} + ${opts.testFraction}.`);
  const random = mulberry32(opts.seed);
  const strata = new Map<number | null, number[]>();
  for (const it of items) {
    const list = strata.get(it.stratum) ?? [];
    list.push(it.id);
    strata.set(it.stratum, list);
  }
  const out = new Map<number, Split>();
  // Strata in a fixed order (by key), so the random stream does not depend on insertion order.
  const keys = [...strata.keys()].sort((a, b) => (a ?? -1) - (b ?? -1));
  for (const key of keys) {
    const ids = strata.get(key)!.sort((a, b) => a - b);
    shuffle(ids, random);
    const test = Math.round(ids.length * opts.testFraction);
    const validation = Math.round(ids.length * opts.validationFraction);
    ids.forEach((id, i) => out.set(id, i < test ? 'test' : i < test + validation ? 'validation' : 'train'));
  }
  return out;
}
