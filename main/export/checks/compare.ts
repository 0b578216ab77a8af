/** Comparing an exported model's outputs with the app's, output by output. */
import type { ParityTensor } from '../../jobs/messages.js';

export interface Compared {
  /** Infinity when a shape differs or a value is NaN on one side only. */
  maxAbsDiff: number;
  /** What did not line up (a missing output, a shape), when something did not. */
  mismatch?: string;
}

export function compareOutputs(want: ParityTensor[], got: { shape: number[]; values: ArrayLike<number> }[]): Compared {
  if (got.length !== want.length) return { maxAbsDiff: Infinity, mismatch: `expected ${want.length} output(s); the export gave ${got.length}` };
  let worst = 0;
  for (const [k, w] of want.entries()) {
    const g = got[k]!;
    if (g.shape.join(',') !== w.shape.join(',')) return { maxAbsDiff: Infinity, mismatch: `output '${w.name}' is (${g.shape.join(', ')}); expected (${w.shape.join(', ')})` };
    for (let i = 0; i < w.values.length; i++) {
      const a = w.values[i]!;
      const b = g.values[i]!;
      // Both NaN is agreement (the app's model gives NaN too); one side only is not.
      if (Number.isNaN(a) && Number.isNaN(b)) continue;
      const d = Math.abs(a - b);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
    }
  }
  return { maxAbsDiff: worst };
}
