/**
 * Collects an ONNX graph as plain objects shaped like onnx.proto's messages (see schema.ts):
 * nodes, constant initializers and unique tensor names. Converters call op() and the const helpers;
 * index.ts encodes the result.
 */
import { AT, DT } from './schema.js';

export type Attr =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { strings: string[] };

interface AttrJson {
  name: string;
  type: number;
  i?: number;
  f?: number;
  s?: Uint8Array;
  ints?: number[];
  floats?: number[];
  strings?: Uint8Array[];
}

export interface NodeJson {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  attribute: AttrJson[];
}

export interface TensorJson {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function attrJson(name: string, a: Attr): AttrJson {
  if ('i' in a) return { name, type: AT.INT, i: a.i };
  if ('f' in a) return { name, type: AT.FLOAT, f: a.f };
  if ('s' in a) return { name, type: AT.STRING, s: utf8(a.s) };
  if ('ints' in a) return { name, type: AT.INTS, ints: a.ints };
  if ('floats' in a) return { name, type: AT.FLOATS, floats: a.floats };
  return { name, type: AT.STRINGS, strings: a.strings.map(utf8) };
}

export class OnnxBuilder {
  readonly nodes: NodeJson[] = [];
  readonly initializers: TensorJson[] = [];
  private readonly used = new Set<string>();

  /** A tensor or node name not used before, from `base`. */
  unique(base: string): string {
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name that must stay as it is (a graph input or output). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX name '${name}' is used twice`);
    this.used.add(name);
    return name;
  }

  floats(base: string, values: Float32Array | number[], dims: number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) throw new Error(`Constant '${base}' has ${data.length} values for dims [${dims.join(', ')}]`);
    const name = this.unique(base);
    const raw = new Uint8Array(data.byteLength);
    raw.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    this.initializers.push({ name, dims, data_type: DT.FLOAT, raw_data: raw });
    return name;
  }

  int64s(base: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.unique(base);
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push({ name, dims, data_type: DT.INT64, raw_data: raw });
    return name;
  }

  /** Adds a node and returns its outputs' names (`outputs` of them, or the names given). */
  opN(opType: string, inputs: string[], attrs: Record<string, Attr>, base: string, outputs: number | string[] = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, (_, k) => this.unique(`${base}${k === 0 ? '' : `_out${k}`}`)) : outputs;
    this.nodes.push({
      input: inputs,
      output: outs,
      name: this.unique(`${base}/${opType}`),
      op_type: opType,
      attribute: Object.entries(attrs).map(([k, v]) => attrJson(k, v)),
    });
    return outs;
  }

  /** Adds a single-output node and returns its output's name. */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, base = opType.toLowerCase()): string {
    return this.opN(opType, inputs, attrs, base)[0]!;
  }
}
