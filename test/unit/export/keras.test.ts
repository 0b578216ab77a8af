/**
 * Keras export: the .keras zip (config.json, metadata.json, model.weights.h5) and the legacy .h5
 * are read back with h5wasm and unzipped, and every weight's name, shape and values must equal the
 * app's; config.json must hold the expected Keras 3 layer classes, wired as in the graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import type { Dataset, File as H5File, Group } from 'h5wasm/node';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { writeKerasModel } from '../../../main/export/keras/index.js';
import { readWeights } from '../../../main/export/keras/layer-weights.js';
import { crc32 } from '../../../main/export/keras/zip.js';
import { kerasJsonToGraph } from '../../../shared/keras.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { buildTemplate } from '../../../shared/templates.js';
import { LAYER_CASES, caseGraph, randomModel } from './fixtures.js';
import { readStoredZip } from './unzip.js';

let tf: Tf;
let dir: string;
beforeAll(async () => {
  tf = (await loadBackend('cpu')).tf;
  await h5wasm.ready;
  dir = await mkdtemp(path.join(os.tmpdir(), 'lb-keras-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function dataset(f: Group, p: string): Dataset {
  const d = f.get(p);
  expect(d, `${p} exists`).toBeInstanceOf(h5wasm.Dataset);
  return d as Dataset;
}

function openH5(file: string, fn: (f: H5File) => void): void {
  const f = new h5wasm.File(file, 'r');
  try {
    fn(f);
  } finally {
    f.close();
  }
}

/** The first index where two float arrays differ (bit for bit), or -1; also -1 only when the lengths match. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

const RNN_CELL: Record<string, string> = { LSTM: 'lstm_cell', GRU: 'gru_cell', SimpleRNN: 'simple_rnn_cell' };

/** Where Keras 3 keeps the i-th weight of a layer, written out by hand per layer family. */
function keras3Path(type: string, config: Record<string, unknown>, layer: string, local: string, indexInGroup: number): string {
  if (RNN_CELL[type]) return `layers/${layer}/cell/vars/${indexInGroup}`;
  if (type === 'Bidirectional') return `layers/${layer}/${local.startsWith('forward_') ? 'forward' : 'backward'}_layer/cell/vars/${indexInGroup}`;
  if (type === 'TimeDistributed') return `layers/${layer}/layer/vars/${indexInGroup}`;
  void config;
  return `layers/${layer}/vars/${indexInGroup}`;
}

async function exportAndCheck(graph: ModelGraph, seed: number, name = 'model'): Promise<void> {
  const { model, artifacts } = await randomModel(tf, graph, seed);
  const appWeights = model.weights.map((w) => ({ name: w.originalName, shape: w.shape, values: w.read().dataSync() as Float32Array }));
  model.dispose();
  const out = path.join(dir, `s${seed}`);
  const files = await writeKerasModel(out, artifacts, { name, graph });
  expect(files).toEqual([path.join(out, `${name}.keras`), path.join(out, `${name}.h5`)]);

  // .keras: a stored zip with the three members Keras 3 reads.
  const entries = readStoredZip(new Uint8Array(await readFile(files[0]!)));
  expect([...entries.keys()].sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
  const metadata = JSON.parse(new TextDecoder().decode(entries.get('metadata.json')));
  expect(metadata.keras_version).toMatch(/^3\./);
  expect(metadata.date_saved).toMatch(/^\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d$/);
  const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
  expect(config.class_name).toBe('Functional');
  const layers = config.config.layers as { class_name: string; name: string; module: string; build_config?: unknown; inbound_nodes: unknown[] }[];
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  expect(layers.map((l) => [l.name, l.class_name]).sort()).toEqual(graph.nodes.map((n) => [n.name, n.type === 'Input' ? 'InputLayer' : n.type]).sort());
  for (const l of layers) {
    expect(l.module).toBe('keras.layers');
    if (l.class_name !== 'InputLayer') expect(l.build_config, `${l.name} build_config`).toBeDefined();
  }
  // The architecture reads back as the same graph (Keras 3 call format included).
  const back = kerasJsonToGraph(config);
  expect(back.nodes.map((n) => n.type).sort()).toEqual(graph.nodes.map((n) => n.type).sort());
  expect(back.edges.length).toBe(graph.edges.length);

  // model.weights.h5: every weight at its Keras 3 path with the app's shape and values.
  const h5 = path.join(out, 'weights.h5');
  await writeFile(h5, entries.get('model.weights.h5')!);
  const perGroup = new Map<string, number>();
  openH5(h5, (f) => {
    expect(f.get('vars')).toBeInstanceOf(h5wasm.Group);
    for (const w of appWeights) {
      const [layer, ...rest] = w.name.split('/');
      const node = byName.get(layer!)!;
      const local = rest.join('/');
      const group = `${node.type}:${layer}:${node.type === 'Bidirectional' ? local.split('/')[0] : ''}`;
      const index = perGroup.get(group) ?? 0;
      perGroup.set(group, index + 1);
      const d = dataset(f, keras3Path(node.type, node.config, layer!, local, index));
      expect(d.shape, w.name).toEqual(w.shape);
      expect(d.dtype).toBe('<f');
      expect(firstDifference(d.value as Float32Array, w.values), w.name).toBe(-1);
    }
  });

  // Legacy .h5: attributes, layer_names, weight_names and the datasets under those names.
  openH5(files[1]!, (f) => {
    expect(f.attrs['backend']!.value).toBe('tensorflow');
    expect(String(f.attrs['keras_version']!.value)).toMatch(/^2\./);
    const legacyConfig = JSON.parse(String(f.attrs['model_config']!.value));
    expect(legacyConfig.class_name).toBe('Functional');
    expect(kerasJsonToGraph(legacyConfig).nodes.length).toBe(graph.nodes.length);
    const mw = f.get('model_weights') as Group;
    expect([...(mw.attrs['layer_names']!.value as string[])].sort()).toEqual(graph.nodes.map((n) => n.name).sort());
    for (const n of graph.nodes) {
      const mine = appWeights.filter((w) => w.name.split('/')[0] === n.name);
      const names = mw.get(n.name) as Group;
      const listed = names.attrs['weight_names']!.value;
      const weightNames = mine.length === 0 ? [] : [...(listed as string[])];
      expect(weightNames.length, `${n.name} weight_names`).toBe(mine.length);
      weightNames.forEach((wn, i) => {
        expect(wn.startsWith(`${n.name}/`) && wn.endsWith(':0'), wn).toBe(true);
        if (RNN_CELL[n.type]) expect(wn).toContain(`/${RNN_CELL[n.type]}/`);
        const d = dataset(names, wn);
        expect(d.shape).toEqual(mine[i]!.shape);
        expect(firstDifference(d.value as Float32Array, mine[i]!.values), wn).toBe(-1);
      });
    }
  });
}

describe('Keras export carries every weight with its name, shape and values', () => {
  const withWeights = LAYER_CASES.filter((c, i, all) => all.findIndex((d) => d.type === c.type) === i || c.config?.['layer'] !== undefined);
  it.each(withWeights.map((c, i) => [c.label, c, i] as const))('%s', async (_label, c, i) => {
    await exportAndCheck(caseGraph(c), 200 + i);
  });

  // wasm: on the pure-JS cpu backend, J3's orthogonal LSTM initializer alone takes minutes.
  it.each([
    ['J1', 'j1-lstm'],
    ['J2', 'j2-cnn'],
    ['J3', 'j3-vqa'],
  ] as const)('%s template (%s)', async (_label, id) => {
    tf = (await loadBackend('wasm')).tf;
    await exportAndCheck(buildTemplate(id), 9, id.replace('-', '_'));
  }, 60_000);
});

describe('Keras export files', () => {
  it('writes a zip whose CRCs a second reader accepts', async () => {
    const g = caseGraph(LAYER_CASES[0]!);
    const { artifacts, model } = await randomModel(tf, g, 1);
    model.dispose();
    const [keras] = await writeKerasModel(path.join(dir, 'zip'), artifacts, { name: 'dense' });
    // unzip -t checks every member's CRC; it is Debian's, independent of our reader.
    let tested: string;
    try {
      tested = execFileSync('unzip', ['-t', keras!], { encoding: 'utf8' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return void console.warn('unzip is not installed: the second zip check was skipped');
      throw e;
    }
    expect(tested).toMatch(/No errors detected/);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('reads the graph from the stored topology when none is given', async () => {
    const g = caseGraph(LAYER_CASES.find((c) => c.type === 'LSTM')!);
    const { artifacts, model } = await randomModel(tf, g, 2);
    model.dispose();
    const files = await writeKerasModel(path.join(dir, 'topo'), artifacts, { name: 'lstm' });
    const config = JSON.parse(new TextDecoder().decode(readStoredZip(new Uint8Array(await readFile(files[0]!))).get('config.json')));
    expect(config.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'LSTM']);
    expect(readWeights(artifacts).map((w) => w.name)).toEqual(['layer/kernel', 'layer/recurrent_kernel', 'layer/bias']);
  });

  it('refuses a file name that is not safe', async () => {
    const { artifacts, model } = await randomModel(tf, caseGraph(LAYER_CASES[0]!), 1);
    model.dispose();
    await expect(writeKerasModel(dir, artifacts, { name: '../evil' })).rejects.toThrow(/Export name '..\/evil' must be/);
  });

  it('refuses weights that do not fit their specs', async () => {
    const { artifacts, model } = await randomModel(tf, caseGraph(LAYER_CASES[0]!), 1);
    model.dispose();
    const short = { ...artifacts, weightData: artifacts.weightData.subarray(0, 8) };
    await expect(writeKerasModel(dir, short, { name: 'short' })).rejects.toThrow(/end after 8 bytes/);
  });

  it('loads in Python Keras when it is installed', async (ctx) => {
    let hasKeras: boolean;
    try {
      execFileSync('python3', ['-c', 'import keras'], { stdio: 'ignore' });
      hasKeras = true;
    } catch {
      hasKeras = false;
    }
    if (!hasKeras) return ctx.skip('python3 with keras is not installed here: the .keras/.h5 files are checked with h5wasm only');
    const g = caseGraph(LAYER_CASES[0]!);
    const { artifacts, model } = await randomModel(tf, g, 4);
    const x = tf.ones([1, 6]);
    const want = Array.from((model.predict(x) as ReturnType<typeof tf.ones>).dataSync());
    model.dispose();
    const [keras, h5] = await writeKerasModel(path.join(dir, 'py'), artifacts, { name: 'dense' });
    for (const file of [keras!, h5!]) {
      const got = JSON.parse(
        execFileSync('python3', ['-c', `import keras, numpy, json; m = keras.models.load_model(${JSON.stringify(file)}, compile=False); print(json.dumps(m.predict(numpy.ones((1, 6)), verbose=0).tolist()[0]))`], {
          encoding: 'utf8',
        }),
      ) as number[];
      got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-5));
    }
  });
});
