/**
 * The prepared tabular dataset as .npy arrays (data/): one x per model input (all samples, in
 * split order train, validation, test), y, the split of each sample (0 train, 1 validation,
 * 2 test) and its CSV row, with dataset.json naming them and the preprocessing that made them.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { npyBytes } from './npy.js';

export interface SplitArrays {
  xs: Float32Array[];
  y: Float32Array;
  count: number;
  rowIndex: Int32Array;
}

export interface TabularExport {
  /** The model's inputs in its order: name, per-sample shape, and which of the split's xs feeds it. */
  inputs: { name: string; shape: number[]; dataIndex: number }[];
  outputUnits: number;
  splits: { train: SplitArrays; validation: SplitArrays; test: SplitArrays };
  task: 'regression' | 'classification';
  target: string;
  classes?: string[];
  preprocessing: unknown;
}

function concat<T extends Float32Array | Int32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes data/*.npy and data/dataset.json; returns the files written. */
export async function writeTabularArrays(dir: string, d: TabularExport): Promise<string[]> {
  await fsp.mkdir(dir, { recursive: true });
  const order = [d.splits.train, d.splits.validation, d.splits.test];
  const count = order.reduce((a, s) => a + s.count, 0);
  const files: string[] = [];
  const write = async (file: string, bytes: Uint8Array) => {
    await fsp.writeFile(path.join(dir, file), bytes);
    files.push(path.join(dir, file));
  };
  const inputs = [];
  for (const [k, input] of d.inputs.entries()) {
    const file = `x${k}_${input.name.replace(/[^A-Za-z0-9_-]/g, '_')}.npy`;
    await write(file, npyBytes(concat(order.map((s) => s.xs[input.dataIndex]!), (n) => new Float32Array(n)), [count, ...input.shape]));
    inputs.push({ name: input.name, shape: input.shape, file });
  }
  await write('y.npy', npyBytes(concat(order.map((s) => s.y), (n) => new Float32Array(n)), [count, d.outputUnits]));
  const split = new Uint8Array(count);
  split.fill(1, d.splits.train.count, d.splits.train.count + d.splits.validation.count);
  split.fill(2, d.splits.train.count + d.splits.validation.count);
  await write('split.npy', npyBytes(split, [count]));
  await write('rows.npy', npyBytes(concat(order.map((s) => s.rowIndex), (n) => new Int32Array(n)), [count]));
  const meta = {
    format: 'layerbench-arrays',
    version: 1,
    task: d.task,
    target: d.target,
    ...(d.classes ? { classes: d.classes } : {}),
    inputs,
    y: { file: 'y.npy', shape: [d.outputUnits], meaning: d.task === 'classification' ? 'one-hot class' : 'target, scaled as preprocessing.target says' },
    split: { file: 'split.npy', values: { train: 0, validation: 1, test: 2 } },
    rows: { file: 'rows.npy', meaning: 'the CSV data row (0-based, header excluded) each sample predicts' },
    counts: { train: d.splits.train.count, validation: d.splits.validation.count, test: d.splits.test.count },
    preprocessing: d.preprocessing,
  };
  await write('dataset.json', new TextEncoder().encode(JSON.stringify(meta, null, 2)));
  return files;
}
