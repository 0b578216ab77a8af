/**
 * NumPy's .npy format (version 1.0) and .npz (a zip of .npy files), written without NumPy: a magic
 * string, a Python-dict header padded to 64 bytes, then the raw little-endian values, C order.
 * numpy.load reads both; no extra Python package is needed.
 */
import { zipStored } from '../keras/zip.js';

export type NpyArray = Float32Array | Int32Array | Uint8Array;

const DESCR = (a: NpyArray): '<f4' | '<i4' | '|u1' => (a instanceof Float32Array ? '<f4' : a instanceof Int32Array ? '<i4' : '|u1');

/**
 * The .npy header (magic, version, length, dict) for `count` values of `descr` shaped `shape`;
 * the values follow it raw. Written alone when the values are streamed in after it.
 */
export function npyHeader(descr: '<f4' | '<i4' | '|u1', shape: number[]): Uint8Array {
  // A 1-tuple needs its trailing comma in Python: (5,).
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  // magic (6) + version (2) + header length (2) + header + '\n', padded with spaces to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  return out;
}

/** The .npy bytes of `values` shaped `shape` (its product must be values.length). */
export function npyBytes(values: NpyArray, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values; got ${values.length}`);
  const header = npyHeader(DESCR(values), shape);
  const out = new Uint8Array(header.length + values.byteLength);
  out.set(header, 0);
  // Typed arrays are little-endian on every platform Node runs on.
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), header.length);
  return out;
}

/** An .npz archive: numpy.load(file)[key] gives each array. */
export function npzBytes(arrays: { key: string; values: NpyArray; shape: number[] }[], when = new Date()): Uint8Array {
  return zipStored(arrays.map((a) => ({ name: `${a.key}.npy`, data: npyBytes(a.values, a.shape) })), when);
}

/** Reads a little-endian float32 .npy (as numpy.save writes it), C order. */
export function readNpyFloat32(bytes: Uint8Array): { shape: number[]; values: Float32Array } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not an .npy file: the magic string \\x93NUMPY is missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (descr !== '<f4') throw new Error(`expected float32 ('<f4') values in the .npy file; found '${descr ?? 'no descr'}'`);
  if (/'fortran_order':\s*True/.test(header)) throw new Error('expected C order in the .npy file; found Fortran order');
  const dims = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '';
  const shape = dims.split(',').map((d) => d.trim()).filter((d) => d.length > 0).map(Number);
  const data = bytes.slice(start + headerLength);
  return { shape, values: new Float32Array(data.buffer, 0, data.byteLength / 4) };
}
