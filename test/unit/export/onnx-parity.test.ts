/**
 * ONNX parity: each exportable catalog layer (and the J1, J2, J3, grid detector templates) is built in TF.js with
 * random weights, exported, run in onnxruntime-node on the same random inputs, and must agree with
 * TF.js within 1e-4 (max abs difference), as the export promises.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { onnxModelBytes, onnxSupport, writeOnnxModel } from '../../../main/export/onnx/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { CATALOG } from '../../../shared/catalog/index.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { buildTemplate } from '../../../shared/templates.js';
import { AppError } from '../../../shared/errors.js';
import { LAYER_CASES, caseGraph, randomModel, sampleInputs } from './fixtures.js';

const TOLERANCE = 1e-4;

let tf: Tf;
let dir: string;
/** Measured differences per case; written to $LB_PARITY_REPORT when set (the figures in docs/export.md). */
const measured: Record<string, number> = {};
beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
  dir = await mkdtemp(path.join(os.tmpdir(), 'lb-onnx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  if (process.env['LB_PARITY_REPORT']) await writeFile(process.env['LB_PARITY_REPORT'], JSON.stringify(measured, null, 2));
});

/** Random inputs for every Input of the graph: floats in [-1, 1), or integer ids below `ids` for inputs feeding an Embedding. */

/** Exports the graph, runs both, and returns the largest absolute difference over all outputs. */
async function parity(graph: ModelGraph, seed: number, batch = 2): Promise<number> {
  const { model, artifacts } = await randomModel(tf, graph, seed);
  const file = path.join(dir, `m${seed}.onnx`);
  const { opset } = await writeOnnxModel(file, artifacts, graph);
  expect(opset).toBeGreaterThanOrEqual(13);
  const inputs = sampleInputs(graph, batch, seed + 1);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
  const expected = (Array.isArray(predicted) ? predicted : [predicted]) as TF.Tensor[];
  const session = await ort.InferenceSession.create(file);
  const feeds = Object.fromEntries(inputs.map((i) => [i.name, new ort.Tensor('float32', i.values, i.shape)]));
  const results = await session.run(feeds);
  const analysis = analyzeGraph(graph);
  let worst = 0;
  analysis.outputs.forEach((id, k) => {
    const name = graph.nodes.find((n) => n.id === id)!.name;
    const got = results[name]!;
    const want = expected[k]!;
    expect(got.dims.map(Number)).toEqual(want.shape);
    const a = got.data as Float32Array;
    const b = want.dataSync();
    for (let i = 0; i < b.length; i++) {
      const d = Math.abs(a[i]! - b[i]!);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
    }
  });
  await session.release();
  tf.dispose([...xs, ...expected]);
  model.dispose();
  return worst;
}

describe('ONNX export matches TF.js for every exportable catalog layer', () => {
  it.each(LAYER_CASES.map((c, i) => [c.label, c, i] as const))('%s', async (_label, c, i) => {
    const graph = caseGraph(c);
    expect(onnxSupport(graph)).toEqual({ supported: true, unsupported: [] });
    const diff = await parity(graph, 100 + i);
    measured[c.label] = diff;
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  });

  it('covers every catalog layer', () => {
    const covered = new Set(['Input', ...LAYER_CASES.map((c) => c.type)]);
    expect(CATALOG.map((s) => s.type).filter((t) => !covered.has(t))).toEqual([]);
  });
});

describe('ONNX export matches TF.js for the journey templates', () => {
  // wasm: J3's convolutions take minutes on the pure-JS cpu backend.
  beforeAll(async () => {
    tf = (await loadBackend('wasm')).tf;
  });
  it.each([
    ['J1', 'j1-lstm', 4],
    ['J2', 'j2-cnn', 2],
    ['J3', 'j3-vqa', 1],
    // The grid detector (J4): Conv2D, MaxPool, ReLU and a sigmoid head of 5 + classes per cell.
    ['Detector', 'detector-grid', 2],
  ] as const)('%s (%s)', async (_label, id, batch) => {
    const diff = await parity(buildTemplate(id), 7, batch);
    measured[_label] = diff;
    expect(diff).toBeLessThanOrEqual(TOLERANCE);
  }, 120_000);
});

describe('unsupported layers are named before an export starts', () => {
  const graph: ModelGraph = {
    version: 1,
    nodes: [
      { id: 'i', type: 'Input', name: 'words', config: { shape: [5] } },
      { id: 'e', type: 'Embedding', name: 'embed', config: { input_dim: 10, output_dim: 4, mask_zero: true } },
      { id: 'r', type: 'LSTM', name: 'lstm', config: { units: 3, activation: 'selu', return_sequences: true } },
      { id: 'n', type: 'LayerNormalization', name: 'norm', config: { axis: 1 } },
    ],
    edges: [
      { id: 'e1', source: 'i', target: 'e' },
      { id: 'e2', source: 'e', target: 'r' },
      { id: 'e3', source: 'r', target: 'n' },
    ],
  };

  it('lists each unsupported layer with its reason', () => {
    const s = onnxSupport(graph);
    expect(s.supported).toBe(false);
    expect(s.unsupported.map((u) => [u.nodeId, u.layer])).toEqual([
      ['e', 'embed'],
      ['r', 'lstm'],
      ['n', 'norm'],
    ]);
    expect(s.unsupported[0]!.reason).toMatch(/mask_zero/);
    expect(s.unsupported[1]!.reason).toMatch(/activation 'selu'/);
    expect(s.unsupported[2]!.reason).toMatch(/axis 1 is not the last axis/);
    // BatchNormalization off the last axis never gets here: the catalog refuses it (TF.js computes it wrongly).
  });

  it('refuses to write such a model, naming the layers', async () => {
    const { artifacts, model } = await randomModel(tf, graph, 1);
    model.dispose();
    let error: unknown;
    try {
      onnxModelBytes(artifacts, graph);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('EXPORT_UNSUPPORTED');
    expect((error as AppError).message).toMatch(/3 layers.*embed.*lstm.*norm/);
  });

  it('writes metadata and the channels-last input shape with a free batch dimension', async () => {
    const g = caseGraph({ label: 'conv', type: 'Conv2D', inputs: [[5, 6, 2]], config: { filters: 2 } });
    const { artifacts, model } = await randomModel(tf, g, 3);
    model.dispose();
    const file = path.join(dir, 'meta.onnx');
    await writeOnnxModel(file, artifacts, g, { metadata: { classes: '["a","b"]' } });
    const session = await ort.InferenceSession.create(await readFile(file));
    expect(session.inputNames).toEqual(['input']);
    expect(session.outputNames).toEqual(['layer']);
    const meta = session.inputMetadata[0]!;
    expect(meta.isTensor && meta.shape).toEqual(['batch', 5, 6, 2]);
    await session.release();
  });
});
