/**
 * Every catalog layer trains on every in-process backend (cpu and wasm): a small graph holding the
 * layer, trained by our own loop on a fixed, seeded batch. What a user would notice is checked:
 * training runs, the loss is finite and goes down, the layer's weights (and those of the Dense
 * before it, so the gradient is seen to flow through it) change, and wasm gives the same gradients
 * and losses as cpu from the same initial weights.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { buildModel } from '../../../main/engine/build.js';
import { train, type TrainData } from '../../../main/engine/train.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { CATALOG } from '../../../shared/catalog/index.js';
import { ACTIVATIONS } from '../../../shared/catalog/common.js';
import type { GraphEdge, GraphNode, JsonValue, ModelGraph } from '../../../shared/graph.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../../shared/training.js';

type Backend = 'cpu' | 'wasm';
const BACKENDS: Backend[] = ['cpu', 'wasm'];

let tf: Tf;
beforeAll(async () => {
  // Both loaded the way the app loads them (wasm with our training kernels registered).
  await loadBackend('cpu');
  tf = (await loadBackend('wasm')).tf;
});

interface Case {
  /** The test's name: the layer type, with the variant in brackets. */
  label: string;
  type: string;
  /** Per-sample input shapes; merges take several. */
  inputs: number[][];
  config?: Record<string, JsonValue>;
  /** Embedding: the inputs are integer ids below this (and no Dense can come before the layer). */
  ids?: number;
  /** Why this case cannot train on any backend (a TF.js limitation): its rows are skipped, with the reason. */
  skip?: string;
  /**
   * Why the cpu backend gets this case wrong (a TF.js cpu kernel bug): its cpu row is skipped, and
   * its wasm row is not compared with cpu (wasm's kernel is checked against plain loops instead).
   */
  cpuBroken?: string;
}

const DILATION =
  'TF.js 4.22 has no gradient for dilated convolutions on any backend: its Conv2D and DepthwiseConv2dNative gradients throw "dilation rates greater than 1 are not yet supported"';
const NEAREST_ON_CPU =
  "TF.js 4.22's cpu ResizeNearestNeighborGrad reads dy at the image's batch stride, so with more than one sample in a batch its gradient is wrong (it trains, on wrong gradients)";
const BILINEAR_ON_CPU =
  "TF.js 4.22's cpu ResizeBilinearGrad returns its gradient shaped (batch, width, height, channels), so training throws on images that are not square";

const CASES: Case[] = [
  { label: 'Dense', type: 'Dense', inputs: [[6]], config: { units: 5, activation: 'relu' } },
  ...ACTIVATIONS.map((activation): Case => ({ label: `Activation (${activation})`, type: 'Activation', inputs: [[5]], config: { activation } })),
  { label: 'Embedding', type: 'Embedding', inputs: [[5]], config: { input_dim: 12, output_dim: 3 }, ids: 12 },
  { label: 'Conv1D', type: 'Conv1D', inputs: [[10, 3]], config: { filters: 4, kernel_size: [3], strides: [2], padding: 'same', activation: 'relu' } },
  { label: 'Conv1D (dilated)', type: 'Conv1D', inputs: [[10, 2]], config: { filters: 2, kernel_size: [3], dilation_rate: [2] }, skip: DILATION },
  { label: 'Conv2D', type: 'Conv2D', inputs: [[6, 6, 2]], config: { filters: 3, kernel_size: [3, 3], padding: 'same', activation: 'relu' } },
  { label: 'Conv2D (strides 2, valid)', type: 'Conv2D', inputs: [[7, 7, 2]], config: { filters: 3, kernel_size: [3, 3], strides: [2, 2] } },
  { label: 'Conv2D (dilated)', type: 'Conv2D', inputs: [[7, 7, 2]], config: { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] }, skip: DILATION },
  {
    label: 'SeparableConv2D',
    type: 'SeparableConv2D',
    inputs: [[7, 7, 2]],
    config: { filters: 3, kernel_size: [3, 2], strides: [2, 2], padding: 'same', activation: 'relu' },
  },
  {
    label: 'SeparableConv2D (dilated)',
    type: 'SeparableConv2D',
    inputs: [[7, 7, 2]],
    config: { filters: 2, kernel_size: [3, 3], dilation_rate: [2, 2] },
    skip: DILATION,
  },
  {
    label: 'DepthwiseConv2D',
    type: 'DepthwiseConv2D',
    inputs: [[7, 6, 2]],
    config: { kernel_size: [3, 2], strides: [2, 2], depth_multiplier: 2, padding: 'same', activation: 'relu' },
  },
  { label: 'Conv2DTranspose', type: 'Conv2DTranspose', inputs: [[4, 3, 2]], config: { filters: 2, kernel_size: [3, 3], strides: [2, 2], activation: 'sigmoid' } },
  { label: 'MaxPooling1D', type: 'MaxPooling1D', inputs: [[8, 2]], config: { pool_size: [2] } },
  { label: 'MaxPooling2D', type: 'MaxPooling2D', inputs: [[6, 6, 2]], config: { pool_size: [2, 2], strides: [1, 1], padding: 'same' } },
  { label: 'AveragePooling1D', type: 'AveragePooling1D', inputs: [[9, 3]], config: { pool_size: [3], strides: [1], padding: 'same' } },
  { label: 'AveragePooling2D', type: 'AveragePooling2D', inputs: [[7, 5, 2]], config: { pool_size: [3, 2], strides: [2, 1] } },
  { label: 'GlobalAveragePooling1D', type: 'GlobalAveragePooling1D', inputs: [[6, 3]] },
  { label: 'GlobalAveragePooling2D', type: 'GlobalAveragePooling2D', inputs: [[4, 4, 3]] },
  { label: 'GlobalMaxPooling1D', type: 'GlobalMaxPooling1D', inputs: [[6, 3]] },
  { label: 'GlobalMaxPooling2D', type: 'GlobalMaxPooling2D', inputs: [[4, 4, 3]] },
  { label: 'LSTM', type: 'LSTM', inputs: [[4, 3]], config: { units: 4 } },
  { label: 'LSTM (sequences, dropout)', type: 'LSTM', inputs: [[4, 3]], config: { units: 3, return_sequences: true, dropout: 0.2, recurrent_dropout: 0.2 } },
  { label: 'GRU', type: 'GRU', inputs: [[4, 3]], config: { units: 4 } },
  { label: 'SimpleRNN', type: 'SimpleRNN', inputs: [[4, 3]], config: { units: 4, return_sequences: true } },
  { label: 'Bidirectional (LSTM)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'LSTM', units: 3 } },
  { label: 'Bidirectional (GRU)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'GRU', units: 3, merge_mode: 'sum' } },
  { label: 'Bidirectional (SimpleRNN)', type: 'Bidirectional', inputs: [[4, 3]], config: { layer: 'SimpleRNN', units: 3, merge_mode: 'ave', return_sequences: true } },
  { label: 'TimeDistributed (Dense)', type: 'TimeDistributed', inputs: [[4, 3]], config: { layer: 'Dense', units: 4, activation: 'relu' } },
  {
    label: 'TimeDistributed (Conv2D)',
    type: 'TimeDistributed',
    inputs: [[3, 5, 5, 2]],
    config: { layer: 'Conv2D', filters: 2, kernel_size: [3, 3], strides: [2, 2], padding: 'same' },
  },
  { label: 'TimeDistributed (Flatten)', type: 'TimeDistributed', inputs: [[3, 2, 4]], config: { layer: 'Flatten' } },
  { label: 'BatchNormalization', type: 'BatchNormalization', inputs: [[5]] },
  { label: 'BatchNormalization (images)', type: 'BatchNormalization', inputs: [[4, 4, 2]], config: { momentum: 0.9 } },
  { label: 'LayerNormalization', type: 'LayerNormalization', inputs: [[4, 5]] },
  { label: 'Dropout', type: 'Dropout', inputs: [[6]], config: { rate: 0.3 } },
  { label: 'SpatialDropout1D', type: 'SpatialDropout1D', inputs: [[5, 3]], config: { rate: 0.3 } },
  { label: 'SpatialDropout2D', type: 'SpatialDropout2D', inputs: [[4, 4, 3]], config: { rate: 0.3 } },
  { label: 'Flatten', type: 'Flatten', inputs: [[3, 3, 2]] },
  { label: 'Reshape', type: 'Reshape', inputs: [[8]], config: { target_shape: [2, 4] } },
  { label: 'Permute', type: 'Permute', inputs: [[2, 3, 4]], config: { dims: [3, 1, 2] } },
  { label: 'RepeatVector', type: 'RepeatVector', inputs: [[4]], config: { n: 3 } },
  { label: 'UpSampling2D', type: 'UpSampling2D', inputs: [[3, 4, 2]], config: { size: [2, 3] }, cpuBroken: NEAREST_ON_CPU },
  { label: 'UpSampling2D (bilinear)', type: 'UpSampling2D', inputs: [[3, 3, 2]], config: { size: [2, 2], interpolation: 'bilinear' } },
  {
    label: 'UpSampling2D (bilinear, not square)',
    type: 'UpSampling2D',
    inputs: [[3, 4, 2]],
    config: { size: [2, 3], interpolation: 'bilinear' },
    cpuBroken: BILINEAR_ON_CPU,
  },
  { label: 'ZeroPadding2D', type: 'ZeroPadding2D', inputs: [[3, 4, 2]], config: { padding: [1, 2, 0, 1] } },
  { label: 'Cropping2D', type: 'Cropping2D', inputs: [[6, 7, 2]], config: { cropping: [1, 2, 0, 3] } },
  { label: 'Concatenate', type: 'Concatenate', inputs: [[3], [4]] },
  { label: 'Add', type: 'Add', inputs: [[3], [3]] },
  { label: 'Subtract', type: 'Subtract', inputs: [[3], [3]] },
  { label: 'Multiply', type: 'Multiply', inputs: [[2, 2], [2, 2], [2, 2]] },
  { label: 'Average', type: 'Average', inputs: [[3], [3]] },
  { label: 'Maximum', type: 'Maximum', inputs: [[4, 2], [4, 2]] },
  { label: 'Minimum', type: 'Minimum', inputs: [[3], [3], [3]] },
  { label: 'Rescaling', type: 'Rescaling', inputs: [[2, 3]], config: { scale: 2, offset: -1 } },
];

/** Samples in the one batch every step trains on, outputs of the head, and steps. */
const SAMPLES = 8;
const OUTPUTS = 3;
const STEPS = 20;

const SETTINGS: TrainSettings = {
  ...DEFAULT_TRAIN_SETTINGS,
  optimizer: 'adam',
  learningRate: 0.01,
  loss: 'meanSquaredError',
  metrics: [],
  // One batch an epoch, so each epoch's loss is that of one step.
  batchSize: SAMPLES,
  epochs: STEPS,
  seed: 7,
  batchReportEvery: 1,
};

/**
 * Input → Dense (as wide as the input's last axis, so the gradient must flow through the layer to
 * reach it) → the layer → Flatten when its output has more than one axis → Dense head.
 */
function graphFor(c: Case): ModelGraph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const link = (source: string, target: string, targetPort?: number) =>
    edges.push({ id: `e${edges.length}`, source, target, ...(targetPort === undefined ? {} : { targetPort }) });
  const feeds = c.inputs.map((shape, i) => {
    const input = `in${i}`;
    nodes.push({ id: input, type: 'Input', name: i === 0 ? 'input' : `input_${i + 1}`, config: { shape } });
    if (c.ids !== undefined) return input;
    const pre = `pre${i}`;
    nodes.push({ id: pre, type: 'Dense', name: i === 0 ? 'pre' : `pre_${i + 1}`, config: { units: shape.at(-1)!, activation: 'tanh' } });
    link(input, pre);
    return pre;
  });
  nodes.push({ id: 'layer', type: c.type, name: 'layer', config: c.config ?? {} });
  feeds.forEach((id, i) => link(id, 'layer', c.inputs.length > 1 ? i : undefined));
  const shape = analyzeGraph({ version: 1, nodes, edges }).nodes['layer']?.outputShape;
  expect(shape, `${c.label}: the graph is invalid`).toBeDefined();
  let last = 'layer';
  if (shape!.length > 2) {
    nodes.push({ id: 'flatten', type: 'Flatten', name: 'flatten', config: {} });
    link(last, 'flatten');
    last = 'flatten';
  }
  nodes.push({ id: 'head', type: 'Dense', name: 'head', config: { units: OUTPUTS } });
  link(last, 'head');
  return { version: 1, nodes, edges };
}

/** Seeded inputs in [-1, 1) (ids for Embedding) and targets in [-1, 1): one fixed batch to fit. */
function dataFor(c: Case): TrainData {
  const random = mulberry32(11);
  const size = (shape: number[]) => SAMPLES * shape.reduce((a, b) => a * b, 1);
  const xs = c.inputs.map((shape) =>
    Float32Array.from({ length: size(shape) }, () => (c.ids === undefined ? random() * 2 - 1 : Math.floor(random() * c.ids))),
  );
  const y = Float32Array.from({ length: SAMPLES * OUTPUTS }, () => random() * 2 - 1);
  return { train: { xs, y, count: SAMPLES }, inputShapes: c.inputs, outputUnits: OUTPUTS };
}

interface Weight {
  /** The owning layer's name and the weight's own, e.g. "layer/kernel". */
  name: string;
  layer: string;
  shape: number[];
  values: Float32Array;
}

interface Run {
  /** The loss of each step, before that step's update. */
  losses: number[];
  /** d loss / d weight at the initial weights, for each trainable weight. */
  grads: Weight[];
  /** Trainable weights before and after training. */
  before: Weight[];
  after: Weight[];
}

/** The trainable weights of a model, layer by layer, with the variables that hold them. */
function trainableWeights(model: TF.LayersModel): { layer: string; name: string; variable: TF.Variable }[] {
  return model.layers.flatMap((layer) =>
    layer.trainableWeights.map((w) => ({ layer: layer.name, name: `${layer.name}/${w.originalName.split('/').slice(1).join('/')}`, variable: w.read() as TF.Variable })),
  );
}

function snapshot(model: TF.LayersModel): Weight[] {
  return trainableWeights(model).map(({ layer, name, variable }) => ({ layer, name, shape: variable.shape, values: Float32Array.from(variable.dataSync()) }));
}

/**
 * Dropout draws its masks from Math.random (through TF.js's seeded generator), on the CPU for
 * every backend. Seeding it makes both backends drop the same units.
 */
function seededRandom<T>(seed: number, f: () => T): T {
  const spy = vi.spyOn(Math, 'random').mockImplementation(mulberry32(seed));
  try {
    return f();
  } finally {
    spy.mockRestore();
  }
}

/** Initial weights, shared by both backends: made once, on cpu, from a seeded initializer. */
const initialWeights = new Map<string, Promise<{ shape: number[]; values: Float32Array }[]>>();

function initial(c: Case) {
  let weights = initialWeights.get(c.label);
  if (!weights) {
    weights = (async () => {
      await tf.setBackend('cpu');
      const model = seededRandom(3, () => buildModel(tf, graphFor(c)));
      const all = model.getWeights().map((w) => ({ shape: w.shape, values: Float32Array.from(w.dataSync()) }));
      model.dispose();
      return all;
    })();
    initialWeights.set(c.label, weights);
  }
  return weights;
}

async function trainOn(backend: Backend, c: Case): Promise<Run> {
  const init = await initial(c);
  await tf.setBackend(backend);
  expect(tf.getBackend()).toBe(backend);
  const model = buildModel(tf, graphFor(c));
  const reset = () => {
    const tensors = init.map((w) => tf.tensor(w.values, w.shape));
    model.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
  };
  const data = dataFor(c);
  try {
    reset();
    const weights = trainableWeights(model);
    const grads = seededRandom(5, () =>
      tf.tidy(() => {
        const xs = c.inputs.map((shape, k) => tf.tensor(data.train.xs[k]!, [SAMPLES, ...shape]));
        const y = tf.tensor2d(data.train.y, [SAMPLES, OUTPUTS]);
        const loss = () => tf.losses.meanSquaredError(y, model.apply(xs.length === 1 ? xs[0]! : xs, { training: true }) as TF.Tensor) as TF.Scalar;
        const named = tf.variableGrads(loss, weights.map((w) => w.variable)).grads;
        return weights.map(({ layer, name, variable }) => {
          const g = named[variable.name]!;
          return { layer, name, shape: g.shape, values: Float32Array.from(g.dataSync()) };
        });
      }),
    );
    // Batch normalization has moved its statistics in that pass: start training afresh.
    reset();
    const before = snapshot(model);
    const losses: number[] = [];
    const spy = vi.spyOn(Math, 'random').mockImplementation(mulberry32(9));
    try {
      const result = await train(tf, model, data, SETTINGS, { onEpoch: (p) => losses.push(p.logs['loss']!), shouldStop: () => false });
      expect(result.epochsDone).toBe(STEPS);
    } finally {
      spy.mockRestore();
    }
    return { losses, grads, before, after: snapshot(model) };
  } finally {
    model.optimizer?.dispose();
    model.dispose();
  }
}

/** The cpu run of each case, shared by its cpu test and the wasm test that compares with it. */
const cpuRuns = new Map<string, Promise<Run>>();

function cpuRun(c: Case): Promise<Run> {
  let run = cpuRuns.get(c.label);
  if (!run) {
    run = trainOn('cpu', c);
    cpuRuns.set(c.label, run);
  }
  return run;
}

const maxAbs = (values: Float32Array) => values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const allFinite = (values: Float32Array | number[]) => values.every((v) => Number.isFinite(v));

/** max |a − b| / max |a|: how far b is from a, relative to a's scale. */
function relativeError(a: Float32Array | number[], b: Float32Array | number[]): number {
  expect(b.length).toBe(a.length);
  let scale = 0;
  let err = 0;
  a.forEach((v: number, i: number) => {
    scale = Math.max(scale, Math.abs(v));
    err = Math.max(err, Math.abs(v - b[i]!));
  });
  return scale === 0 ? err : err / scale;
}

/** What a user would notice on one backend: it trains, the loss falls, the weights move. */
function expectTrains(c: Case, run: Run): void {
  const { losses, grads, before, after } = run;
  expect(losses).toHaveLength(STEPS);
  expect(allFinite(losses), `losses ${losses.join(', ')}`).toBe(true);
  expect(losses.at(-1)!, `losses ${losses.join(', ')}`).toBeLessThan(losses[0]! * 0.9);
  for (const g of grads) expect(allFinite(g.values), `gradient of ${g.name}`).toBe(true);
  for (const w of after) expect(allFinite(w.values), `${w.name} after training`).toBe(true);
  // The layer's own weights (all of them, when the catalog says it has some), and those of each
  // Dense before it (kernel and bias), which the gradient only reaches through the layer.
  const own = after.filter((w) => w.layer === 'layer');
  const hasWeights = (analyzeGraph(graphFor(c)).nodes['layer']?.params.trainable ?? 0) > 0;
  expect(own.length > 0, `the layer's own trainable weights: ${own.map((w) => w.name).join(', ') || 'none'}`).toBe(hasWeights);
  const pre = after.filter((w) => w.layer.startsWith('pre'));
  expect(pre).toHaveLength(c.ids === undefined ? 2 * c.inputs.length : 0);
  for (const w of [...own, ...pre]) {
    const i = after.indexOf(w);
    expect(maxAbs(grads[i]!.values), `gradient of ${w.name}`).toBeGreaterThan(0);
    expect(relativeError(before[i]!.values, w.values), `${w.name} did not change in training`).toBeGreaterThan(0);
  }
}

/**
 * wasm against cpu, relative to the cpu values' scale: float32 sums in another order, and for the
 * losses 20 Adam steps on top (seen: gradients within 2e-6, losses within 2e-7).
 */
const GRAD_TOLERANCE = 1e-4;
const FIRST_LOSS_TOLERANCE = 1e-5;
const LOSS_TOLERANCE = 1e-4;

/** The first step's gradients and every step's loss, wasm against cpu. */
function expectSameAsCpu(run: Run, cpu: Run): void {
  run.grads.forEach((g, i) => {
    expect(g.name).toBe(cpu.grads[i]!.name);
    expect(relativeError(cpu.grads[i]!.values, g.values), `gradient of ${g.name}`).toBeLessThanOrEqual(GRAD_TOLERANCE);
  });
  expect(relativeError([cpu.losses[0]!], [run.losses[0]!]), 'first loss').toBeLessThanOrEqual(FIRST_LOSS_TOLERANCE);
  expect(relativeError(cpu.losses, run.losses), `losses on cpu ${cpu.losses.join(', ')}; on wasm ${run.losses.join(', ')}`).toBeLessThanOrEqual(
    LOSS_TOLERANCE,
  );
}

const runnable = CASES.filter((c) => c.skip === undefined);
const ROWS = runnable.flatMap((c) => BACKENDS.filter((b) => b === 'wasm' || c.cpuBroken === undefined).map((b) => [c.label, b, c] as const));
const SKIPPED = CASES.flatMap((c) =>
  BACKENDS.flatMap((b) => {
    const why = c.skip ?? (b === 'cpu' ? c.cpuBroken : undefined);
    return why === undefined ? [] : [{ c, backend: b, why }];
  }),
);

describe('every catalog layer trains on every backend', () => {
  it.each(ROWS)('%s trains on %s', async (_label, backend, c) => {
    const run = backend === 'cpu' ? await cpuRun(c) : await trainOn(backend, c);
    expectTrains(c, run);
    // Where cpu gets the case wrong, wasm's kernel is checked against plain loops instead
    // (test/unit/engine/wasm-kernels.test.ts).
    if (backend === 'wasm' && c.cpuBroken === undefined) expectSameAsCpu(run, await cpuRun(c));
  });

  for (const { c, backend, why } of SKIPPED) it.skip(`${c.label} trains on ${backend} (skipped: ${why})`, () => {});

  it('covers every catalog layer type', () => {
    const covered = new Set(['Input', ...runnable.map((c) => c.type)]);
    expect(CATALOG.map((s) => s.type).filter((t) => !covered.has(t))).toEqual([]);
  });
});

// Tripwires for the skipped rows: each fails once TF.js no longer has the problem, so the row can
// be turned back on.
describe('the TF.js limitations behind the skipped rows are still there', () => {
  const unTrainable = CASES.filter((c) => c.skip !== undefined).flatMap((c) => BACKENDS.map((b) => [c.label, b, c] as const));
  it.each(unTrainable)('%s cannot train on %s', async (_label, backend, c) => {
    await expect(trainOn(backend, c)).rejects.toThrow(/dilation rates greater than 1 are not yet supported/);
  });

  it.each(CASES.filter((c) => c.cpuBroken !== undefined).map((c) => [c.label, c] as const))('%s goes wrong on cpu', async (_label, c) => {
    const cpu = await trainOn('cpu', c).catch((e: unknown) => e);
    if (cpu instanceof Error) {
      expect(cpu.message).toMatch(/The gradient of input 'images' has shape .* which does not match the shape of the input/);
      return;
    }
    // It trains, but on gradients that are not those of the model: wasm's, checked against loops.
    const wasm = await trainOn('wasm', c);
    const worst = Math.max(...(cpu as Run).grads.map((g, i) => relativeError(wasm.grads[i]!.values, g.values)));
    expect(worst).toBeGreaterThan(0.1);
  });
});
