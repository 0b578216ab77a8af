import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from '../../shared/labels-split.js';

const items = [
  ...Array.from({ length: 100 }, (_, i) => ({ id: i + 1, stratum: 1 })),
  ...Array.from({ length: 20 }, (_, i) => ({ id: 101 + i, stratum: 2 })),
  ...Array.from({ length: 10 }, (_, i) => ({ id: 121 + i, stratum: null })),
];

function counts(split: Map<number, string>, stratum: number | null) {
  const c = { train: 0, validation: 0, test: 0 };
  for (const it of items) if (it.stratum === stratum) c[split.get(it.id) as keyof typeof c]++;
  return c;
}

describe('stratifiedSplit', () => {
  it('splits every class in proportion', () => {
    const s = stratifiedSplit(items, { seed: 7, validationFraction: 0.1, testFraction: 0.2 });
    expect(s.size).toBe(130);
    expect(counts(s, 1)).toEqual({ train: 70, validation: 10, test: 20 });
    expect(counts(s, 2)).toEqual({ train: 14, validation: 2, test: 4 });
    expect(counts(s, null)).toEqual({ train: 7, validation: 1, test: 2 });
  });

  it('gives the same split for the same seed whatever the input order, and another for another seed', () => {
    const a = stratifiedSplit(items, { seed: 7, validationFraction: 0.1, testFraction: 0.2 });
    const b = stratifiedSplit([...items].reverse(), { seed: 7, validationFraction: 0.1, testFraction: 0.2 });
    const c = stratifiedSplit(items, { seed: 8, validationFraction: 0.1, testFraction: 0.2 });
    expect([...b].sort((x, y) => x[0] - y[0])).toEqual([...a].sort((x, y) => x[0] - y[0]));
    expect([...c].filter(([id, s]) => a.get(id) !== s).length).toBeGreaterThan(10);
  });

  it('refuses fractions that leave nothing to train on', () => {
    expect(() => stratifiedSplit(items, { seed: 1, validationFraction: 0.5, testFraction: 0.5 })).toThrow('validation + test fractions must leave some images to train on; got 0.5 + 0.5.');
  });
});
