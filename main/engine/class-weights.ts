/**
 * Class weights (Keras `class_weight`): each training sample's loss is multiplied by its class's
 * weight, so a rare class counts as much as a common one. Pure: no TF.js.
 */
import { AppError } from '../../shared/errors.js';

/**
 * The class of each sample from its target row: the index of the 1 in a one-hot row, or 0/1 for
 * a single binary output. Refuses rows that are not one class (soft or multi-label targets).
 */
export function classIndices(y: Float32Array, count: number, units: number): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (units === 1) {
      const v = y[i]!;
      if (v !== 0 && v !== 1) throw notOneClass(i, `target ${v}`);
      out[i] = v;
      continue;
    }
    let hot = -1;
    for (let j = 0; j < units; j++) {
      const v = y[i * units + j]!;
      if (v === 1 && hot < 0) hot = j;
      else if (v !== 0) {
        hot = -2;
        break;
      }
    }
    if (hot < 0) throw notOneClass(i, `target [${Array.from(y.subarray(i * units, (i + 1) * units)).join(', ')}]`);
    out[i] = hot;
  }
  return out;
}

function notOneClass(row: number, what: string): AppError {
  return new AppError(
    'INVALID_REQUEST',
    `Class weights need one class per training sample (a one-hot target, or 0/1 for a single output); sample ${row + 1} has ${what}.`,
  );
}

/**
 * scikit-learn's 'balanced' weights: n / (k × n_c) for a class with n_c of the n samples, k being
 * the number of classes present. The weights average to 1 over the samples, so the loss keeps its
 * scale. A class absent from the split gets 0 (no sample carries it).
 */
export function balancedClassWeights(classes: Int32Array, numClasses: number): Float64Array {
  const counts = new Float64Array(numClasses);
  classes.forEach((c) => counts[c]!++);
  const present = counts.filter((n) => n > 0).length;
  return counts.map((n) => (n > 0 ? classes.length / (present * n) : 0));
}

/** The weight of each sample in `rows`. */
export function sampleWeights(classes: Int32Array, weights: Float64Array, rows: Uint32Array): Float32Array {
  return Float32Array.from(rows, (r) => weights[classes[r]!]!);
}
