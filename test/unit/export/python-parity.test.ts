/**
 * PyTorch parity: each catalog layer (and the J1, J2, J3 and grid detector templates) is built in TF.js with random
 * weights, exported as model_torch.py + weights.npz, run by Debian's python3-torch on CPU on the
 * same random inputs, and must agree with TF.js within 1e-4 (max abs difference).
 * All models run in one Python process so torch is imported once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { writeTorchModel } from '../../../main/export/python/index.js';
import { pythonSupport } from '../../../main/export/python/support.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { CATALOG } from '../../../shared/catalog/index.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { buildTemplate } from '../../../shared/templates.js';
import { LAYER_CASES, caseGraph, randomModel } from './fixtures.js';
import { readOutputs, runModels, sampleInputs, torchMissing, writeInputs } from './python-helpers.js';

const TOLERANCE = 1e-4;
const missing = await torchMissing();
if (missing) console.warn(`Skipping the PyTorch parity tests: ${missing}`);

interface Prepared {
  dir: string;
  graph: ModelGraph;
  expected: TF.Tensor[];
}

let tf: Tf;
let root: string;
/** Measured differences per case; written to $LB_PARITY_REPORT when set (the figures in docs/export.md). */
const measured: Record<string, number> = {};

/** Builds the model with random weights, writes the torch export and inputs, keeps TF.js's outputs. */
async function prepare(name: string, graph: ModelGraph, seed: number, batch: number): Promise<Prepared> {
  const { model, artifacts } = await randomModel(tf, graph, seed);
  const dir = path.join(root, name.replace(/[^A-Za-z0-9]+/g, '_'));
  await mkdir(dir, { recursive: true });
  await writeTorchModel(dir, artifacts, graph, name);
  const inputs = sampleInputs(graph, batch, seed + 1);
  await writeInputs(dir, inputs);
  const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
  const predicted = model.predict(xs.length === 1 ? xs[0]! : xs);
  tf.dispose(xs);
  model.dispose();
  return { dir, graph, expected: (Array.isArray(predicted) ? predicted : [predicted]) as TF.Tensor[] };
}

/** The largest absolute difference between torch's and TF.js's outputs (shapes must agree). */
async function worstDiff(p: Prepared): Promise<number> {
  const analysis = analyzeGraph(p.graph);
  const names = analysis.outputs.map((id) => p.graph.nodes.find((n) => n.id === id)!.name);
  const got = await readOutputs(p.dir, names);
  let worst = 0;
  got.forEach((g, k) => {
    const want = p.expected[k]!;
    expect(g.shape).toEqual(want.shape);
    const b = want.dataSync();
    for (let i = 0; i < b.length; i++) {
      const d = Math.abs(g.values[i]! - b[i]!);
      if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
    }
  });
  return worst;
}

describe.skipIf(missing !== null)('PyTorch export matches TF.js', () => {
  const cases = new Map<string, Prepared>();
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'lb-torch-'));
    tf = (await loadBackend('cpu')).tf;
    for (const [i, c] of LAYER_CASES.entries()) cases.set(c.label, await prepare(c.label, caseGraph(c), 100 + i, 2));
    // wasm: J3's convolutions take minutes on the pure-JS cpu backend.
    tf = (await loadBackend('wasm')).tf;
    for (const [label, id, batch] of [['J1', 'j1-lstm', 4], ['J2', 'j2-cnn', 2], ['J3', 'j3-vqa', 1], ['Detector', 'detector-grid', 2]] as const) cases.set(label, await prepare(label, buildTemplate(id), 7, batch));
    await runModels([...cases.values()].map((p) => p.dir));
  }, 240_000);
  afterAll(async () => {
    for (const p of cases.values()) tf.dispose(p.expected);
    await rm(root, { recursive: true, force: true });
    if (process.env['LB_PARITY_REPORT']) await writeFile(process.env['LB_PARITY_REPORT'], JSON.stringify(measured, null, 2));
  });

  it.each(LAYER_CASES.map((c) => [c.label, c] as const))('%s', async (label, c) => {
    expect(pythonSupport(caseGraph(c))).toEqual({ supported: true, unsupported: [] });
    measured[label] = await worstDiff(cases.get(label)!);
    expect(measured[label]).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(['J1', 'J2', 'J3', 'Detector'])('%s template', async (label) => {
    measured[label] = await worstDiff(cases.get(label)!);
    expect(measured[label]).toBeLessThanOrEqual(TOLERANCE);
  });

  it('covers every catalog layer', () => {
    const covered = new Set(['Input', ...LAYER_CASES.map((c) => c.type)]);
    expect(CATALOG.map((s) => s.type).filter((t) => !covered.has(t))).toEqual([]);
  });
});
