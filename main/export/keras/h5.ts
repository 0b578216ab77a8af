/**
 * h5wasm in Node: the wasm HDF5 library reads and writes host files directly (NODERAWFS), so a
 * path here is a real path. Groups are created level by level: h5wasm does not create
 * intermediate groups (it logs HDF5 errors and returns a bad handle instead of throwing).
 */
import h5wasm from 'h5wasm/node';
import type { File, Group } from 'h5wasm/node';

export type H5File = File;
export type H5Group = Group;

/** Opens `file` for writing (truncating it), runs `fill`, and always closes it. */
export async function writeH5(file: string, fill: (f: File) => void): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'w');
  try {
    fill(f);
  } finally {
    f.close();
  }
}

/** The group at `path` ("a/b/c"), creating each missing level. */
export function ensureGroup(root: Group, path: string): Group {
  let g = root;
  for (const part of path.split('/').filter(Boolean)) {
    const existing = g.get(part);
    g = existing instanceof h5wasm.Group ? existing : g.create_group(part);
  }
  return g;
}

/** A float32 dataset of the given shape. A scalar shape ([]) is written as a 0-d dataset. */
export function writeFloats(group: Group, name: string, values: Float32Array, shape: number[]): void {
  group.create_dataset({ name, data: values, shape, dtype: '<f' });
}

/** Fixed-length byte strings, as h5py writes Keras' name lists (`layer_names`, `weight_names`). */
export function writeStrings(group: Group, name: string, values: string[]): void {
  if (values.length === 0) {
    // h5py writes an empty name list as an empty float64 array; Keras reads it as "no weights".
    group.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  const width = Math.max(1, ...values.map((v) => new TextEncoder().encode(v).length));
  group.create_attribute(name, values, [values.length], `S${width}`);
}
