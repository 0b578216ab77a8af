/**
 * Stored weights ({ modelTopology, weightSpecs, weightData }) as named float arrays, grouped by
 * layer. TF.js names every weight `<layer>/<weight>` (a Bidirectional's `<layer>/forward_layer_lstm/kernel`)
 * and concatenates the values in `weightSpecs` order; the Keras and ONNX writers both read them here.
 */
import { AppError } from '../../../shared/errors.js';

export interface StoredWeights {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: Uint8Array;
}

export interface NamedWeight {
  /** The TF.js name: `<layer>/<rest>`. */
  name: string;
  /** The name within its layer (`kernel`, `forward_layer_lstm/bias`). */
  local: string;
  shape: number[];
  values: Float32Array;
}

interface Spec {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}

function isSpec(v: unknown): v is Spec {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return typeof s['name'] === 'string' && Array.isArray(s['shape']) && s['shape'].every((d) => Number.isInteger(d));
}

/** Every weight, in `weightSpecs` order. Throws AppError('EXPORT_UNSUPPORTED') for non-float32 or quantized weights. */
export function readWeights(w: StoredWeights): NamedWeight[] {
  if (!Array.isArray(w.weightSpecs) || !w.weightSpecs.every(isSpec))
    throw new AppError('EXPORT_UNSUPPORTED', 'The stored weights have no readable weightSpecs: expected a list of {name, shape, dtype}');
  // Copy so the floats are aligned (the stored bytes may be a view at any offset).
  const bytes = w.weightData.slice();
  let offset = 0;
  const out: NamedWeight[] = [];
  for (const spec of w.weightSpecs) {
    if ((spec.dtype ?? 'float32') !== 'float32' || spec.quantization !== undefined)
      throw new AppError('EXPORT_UNSUPPORTED', `Weight '${spec.name}' is ${spec.quantization ? 'quantized' : spec.dtype}; expected float32`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const end = offset + count * 4;
    if (end > bytes.byteLength)
      throw new AppError('EXPORT_UNSUPPORTED', `The stored weights end after ${bytes.byteLength} bytes; weight '${spec.name}' needs bytes ${offset}–${end}`);
    const values = new Float32Array(bytes.buffer, bytes.byteOffset + offset, count);
    offset = end;
    const slash = spec.name.indexOf('/');
    out.push({ name: spec.name, local: slash < 0 ? spec.name : spec.name.slice(slash + 1), shape: [...spec.shape], values });
  }
  if (offset !== bytes.byteLength)
    throw new AppError('EXPORT_UNSUPPORTED', `The stored weights hold ${bytes.byteLength} bytes; their specs describe ${offset}`);
  return out;
}

/** Weights grouped by layer name, each layer's in stored order. */
export function weightsByLayer(w: StoredWeights): Map<string, NamedWeight[]> {
  const map = new Map<string, NamedWeight[]>();
  for (const weight of readWeights(w)) {
    const layer = weight.name.split('/')[0]!;
    map.set(layer, [...(map.get(layer) ?? []), weight]);
  }
  return map;
}
