/**
 * The Keras export's weights read back with h5wasm: every weight of the app's model must be in
 * the legacy .h5 (model_weights/<layer>/<weight name>) and in the .keras zip's model.weights.h5
 * (<group>/vars/<index>) with the same shape and the same float32 values, bit for bit.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Dataset, File as H5File, Group } from 'h5wasm/node';
import type { ModelGraph } from '../../../shared/graph.js';
import type { StoredWeights } from '../keras/layer-weights.js';
import { placeWeights } from '../keras/layout.js';

/** A stored (uncompressed) zip entry, found through the central directory, as zipStored writes them. */
function storedEntry(zip: Uint8Array, name: string): Uint8Array | null {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) return null;
  let at = v.getUint32(end + 16, true);
  for (let i = 0; i < v.getUint16(end + 10, true); i++) {
    const size = v.getUint32(at + 20, true);
    const nameLength = v.getUint16(at + 28, true);
    const skip = nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
    const entry = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (entry === name) {
      const local = v.getUint32(at + 42, true);
      const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
      return zip.subarray(start, start + size);
    }
    at += 46 + skip;
  }
  return null;
}

export interface ReadBack {
  weights: number;
  /** Weights missing or different, by name and file; empty when all are equal. */
  problems: string[];
}

function check(file: string, lookup: (f: H5File) => [string, Dataset | null][], want: Map<string, { shape: number[]; values: Float32Array }>, problems: string[]): void {
  const f = new h5wasm.File(file, 'r');
  try {
    for (const [name, d] of lookup(f)) {
      const w = want.get(name)!;
      if (!d) {
        problems.push(`${path.basename(file)}: '${name}' is missing`);
        continue;
      }
      const values = d.value as Float32Array;
      const same = d.shape?.join(',') === w.shape.join(',') && values.length === w.values.length && values.every((x, i) => Object.is(x, w.values[i]));
      if (!same) problems.push(`${path.basename(file)}: '${name}' differs from the app's weight`);
    }
  } finally {
    f.close();
  }
}

const dataset = (g: Group | H5File, p: string): Dataset | null => {
  try {
    const d = g.get(p);
    return d instanceof h5wasm.Dataset ? d : null;
  } catch {
    return null;
  }
};

export async function readBackKeras(kerasFile: string, h5File: string, artifacts: StoredWeights, graph: ModelGraph): Promise<ReadBack> {
  await h5wasm.ready;
  const layers = placeWeights(graph, artifacts);
  const placed = layers.flatMap((l) => l.weights.map((p) => ({ layer: l.name, ...p })));
  const want = new Map(placed.map((p) => [p.weight.name, { shape: p.weight.shape, values: p.weight.values }]));
  const problems: string[] = [];
  check(h5File, (f) => placed.map((p) => [p.weight.name, dataset(f, `model_weights/${p.layer}/${p.legacyName}`)]), want, problems);
  const inner = storedEntry(new Uint8Array(await fsp.readFile(kerasFile)), 'model.weights.h5');
  if (!inner) problems.push(`${path.basename(kerasFile)} holds no model.weights.h5`);
  else {
    const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'layerbench-keras-check-'));
    try {
      const file = path.join(tmp, 'model.weights.h5');
      await fsp.writeFile(file, inner);
      check(file, (f) => placed.map((p) => [p.weight.name, dataset(f, `${p.group}/vars/${p.index}`)]), want, problems);
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }
  }
  return { weights: placed.length, problems };
}
