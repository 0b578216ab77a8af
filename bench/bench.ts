/**
 * `npm run bench -- j1|j2|j3|all [--backend B] [--epochs N] [--limit N] [--json]
 *                  [--loop layerbench|fit] [--peer auto|none|PYTHON] [--peer-threads N] [--data DIR] [--repeat N]`
 * Trains a reference journey (DESIGN.md) the way a trainer process does (data → model from the
 * template → our training loop), then the same model, batch size, optimizer and data in PyTorch
 * (bench/peers/torch_peer.py), and prints throughput, epoch time, peak memory, the journey's
 * metric and the ratio Layerbench/PyTorch; `--repeat N` does it N times in turn and adds medians
 * (bench/repeat.ts). See docs/benchmarks.md.
 *
 * `npm run bench -- graph [--nodes 50,200,400] [--iterations N] [--json]`
 * Times the graph editor's per-edit work (shape inference and validation) on large graphs; see graph.ts.
 *
 * `npm run bench -- label [--images N] [--steps N] [--prelabel N] [--json]`
 * The labelling loop on a generated project: import throughput, "next image" latency in Chromium,
 * pre-label throughput; see label.ts.
 *
 * `all` runs graph here, then j1, j2 and j3 each in a fresh process, so each peak RSS is its own.
 */
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as TF from '@tensorflow/tfjs';
import { writeJ1Csv } from './j1-data.js';
import { median, summariseRepeats } from './repeat.js';
import { FASHION_MNIST_DIR, J2_CLASSES, J2_SIDE, loadJ2 } from './j2-data.js';
import { generateJ3, oneHot, J3_ANSWERS, J3_CHANNELS, J3_SIDE, J3_VOCABULARY, J3_WORDS } from './j3-data.js';
import { findTorchPython, runPeer, writeArray, type PeerPython, type PeerResult, type PeerSpec } from './peers/peer.js';
import { runGraphBench } from './graph.js';
import { runLabelBenchCli } from './label.js';
import { profileCsv } from '../main/importers/csv/index.js';
import { prepareTabular } from '../main/importers/csv/prepare.js';
import { loadBackend, threadsForModel } from '../main/engine/backend.js';
import { analyzeGraph } from '../shared/catalog/analyze.js';
import { buildModel } from '../main/engine/build.js';
import { makeOptimizer, train } from '../main/engine/train.js';
import { buildTemplate } from '../shared/templates.js';
import { defaultDatasetConfig, featureLayout } from '../shared/dataset.js';
import type { ModelGraph } from '../shared/graph.js';
import { AppError } from '../shared/errors.js';
import { BACKENDS, DEFAULT_TRAIN_SETTINGS, type BackendChoice, type TrainSettings } from '../shared/training.js';

type Tf = typeof TF;
type JourneyId = 'j1' | 'j2' | 'j3';
const JOURNEYS: readonly JourneyId[] = ['j1', 'j2', 'j3'];
type Hyper = Pick<TrainSettings, 'optimizer' | 'learningRate' | 'momentum' | 'loss' | 'metrics' | 'batchSize'>;

/**
 * Each journey's training as DESIGN.md gives it, with its default epochs. The peer gets the same
 * values through its spec, so this is the one place they are written. J2's SGD learning rate is
 * Keras's SGD default (0.01); the reference names SGD but no rate, and without momentum SGD at that
 * rate is still far from converged after 10 epochs (87.4 % test accuracy), so J2 uses the common
 * momentum of 0.9 (Keras `SGD(momentum=0.9)`).
 */
export const JOURNEY_TRAINING: Record<JourneyId, Hyper & { epochs: number }> = {
  j1: { optimizer: 'adam', learningRate: 0.001, loss: 'meanAbsoluteError', metrics: ['mae'], batchSize: 72, epochs: 50 },
  j2: { optimizer: 'sgd', learningRate: 0.01, momentum: 0.9, loss: 'categoricalCrossentropy', metrics: ['accuracy'], batchSize: 50, epochs: 10 },
  j3: { optimizer: 'adam', learningRate: 0.001, loss: 'categoricalCrossentropy', metrics: ['accuracy'], batchSize: 100, epochs: 5 },
};
/** J1: 5 years of hourly rows; the first 365×24 train, the rest test, as in the reference experiment. */
const J1_HOURS = 24 * 365 * 5;
const J1_TRAIN_ROWS = 24 * 365;
/**
 * J3: generated samples (see j3-data.ts). 1,000 train keeps a default run (5 epochs) near a quarter
 * of an hour on wasm; `--limit N` takes the first N of the same seeded stream instead. The 500 test
 * samples come from another seed.
 */
export const J3_TRAIN_SAMPLES = 1_000;
export const J3_TEST_SAMPLES = 500;
const SEED = DEFAULT_TRAIN_SETTINGS.seed;

interface Split {
  /** One array per input, in `Prepared.inputs` order. */
  xs: Float32Array[];
  y: Float32Array;
  count: number;
}

interface Metric {
  name: string;
  value: number;
}

/** A journey's data and model, ready to train, and how to hand the same to the peer. */
interface Prepared {
  journey: JourneyId;
  title: string;
  data: string;
  graph: ModelGraph;
  inputs: { name: string; shape: number[] }[];
  outputUnits: number;
  train: Split;
  test: Split;
  metric(pred: Float32Array, test: Split): Metric;
  /** Writes the peer's data into `dir`; returns the journey-specific part of its spec. */
  peer(dir: string): Pick<PeerSpec, 'model' | 'arrays' | 'idx' | 'target_unscale'>;
}

interface Options {
  backend: BackendChoice;
  epochs?: number;
  limit?: number;
  loop: 'layerbench' | 'fit';
  dataDir: string;
  peer: PeerPython | null;
  peerThreads: number | null;
}

/** One journey's figures. The first eight fields are the documented `--json` line. */
interface BenchResult {
  journey: JourneyId;
  backend: string;
  samples_per_s: number;
  epoch_s: number;
  peak_rss_mb: number;
  metric: Metric;
  peer_samples_per_s: number | null;
  ratio: number | null;
  device: string;
  loop: 'layerbench' | 'fit';
  first_epoch_s: number;
  /** Median CPU seconds of the process per epoch after the first (all threads). */
  epoch_cpu_s: number;
  /** False when only one epoch ran, so epoch_s includes the warm-up. */
  steady: boolean;
  epochs: number;
  batch_size: number;
  train_samples: number;
  test_samples: number;
  params: number;
  final_loss: number;
  peer: PeerResult | null;
  machine: { cpus: number; cpu: string; node: string; platform: string };
}

// ---- Journeys ------------------------------------------------------------------------------

function argmax(values: Float32Array, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if (values[row * width + j]! > values[row * width + best]!) best = j;
  return best;
}

function accuracy(pred: Float32Array, test: Split): Metric {
  const width = test.y.length / test.count;
  let right = 0;
  for (let i = 0; i < test.count; i++) if (argmax(pred, i, width) === argmax(test.y, i, width)) right++;
  return { name: 'test_accuracy', value: Number((right / test.count).toFixed(4)) };
}

/** The first `n` samples of a split. */
function head(split: Split, shapes: number[][], n: number): Split {
  if (n >= split.count) return split;
  const width = split.y.length / split.count;
  return {
    xs: split.xs.map((x, k) => x.subarray(0, n * shapes[k]!.reduce((a, b) => a * b, 1))),
    y: split.y.subarray(0, n * width),
    count: n,
  };
}

/**
 * J1: a generated Beijing-PM2.5-shaped CSV through the CSV importer (this hour's 8 variables, wind
 * direction as an integer code, min-max scaled; predict the next hour's pollution). `--limit`
 * trains on the first N of the 365×24 train rows; the test rows stay the same.
 */
async function prepareJ1(limit: number | undefined): Promise<Prepared> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-bench-j1-'));
  const csv = path.join(dir, 'j1.csv');
  try {
    await writeJ1Csv(csv, J1_HOURS);
    const profile = await profileCsv(csv);
    const config = defaultDatasetConfig(profile);
    for (const c of config.columns) c.role = c.name === 'pollution' ? 'target' : c.name === 'date' ? 'ignore' : 'feature';
    const wind = config.columns.find((c) => c.name === 'wnd_dir');
    if (wind) wind.encoding = 'integer';
    config.lookback = 1;
    config.horizon = 1;
    config.targetAsInput = true;
    config.split = { kind: 'chronological', trainRows: J1_TRAIN_ROWS, validationFraction: 0 };
    const data = await prepareTabular(csv, profile, config);
    const shapes = data.inputs.map((i) => i.shape);
    const trainSplit = head(data.train, shapes, limit ?? data.train.count);
    const { divisor, offset } = data.pre.target;
    const shape = shapes[0]!;
    return {
      journey: 'j1',
      title: 'J1 LSTM(50) → Dense(1)',
      data: `${trainSplit.count} train rows / ${data.test.count} test rows of a generated PM2.5-style series`,
      graph: buildTemplate('j1-lstm', featureLayout(profile, config)),
      inputs: data.inputs,
      outputUnits: data.outputUnits,
      train: trainSplit,
      test: data.test,
      metric: (pred, test) => {
        let sum = 0;
        for (let i = 0; i < test.count; i++) sum += ((pred[i]! - test.y[i]!) * divisor) ** 2;
        return { name: 'test_rmse', value: Number(Math.sqrt(sum / test.count).toFixed(3)) };
      },
      peer: (out) => ({
        model: { steps: shape[0]!, features: shape[1]!, units: 50 },
        arrays: {
          train_x: writeArray(out, 'train_x', trainSplit.xs[0]!, [trainSplit.count, ...shape]),
          train_y: writeArray(out, 'train_y', trainSplit.y, [trainSplit.count, 1]),
          test_x: writeArray(out, 'test_x', data.test.xs[0]!, [data.test.count, ...shape]),
          test_y: writeArray(out, 'test_y', data.test.y, [data.test.count, 1]),
        },
        target_unscale: { divisor, offset },
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** J2: Fashion-MNIST, the first 55,000 (or --limit) training images; all 10,000 test images. */
function prepareJ2(limit: number | undefined, dir: string): Prepared {
  const d = loadJ2(dir, limit);
  const shape = [J2_SIDE, J2_SIDE, 1];
  return {
    journey: 'j2',
    title: 'J2 Conv(32, 5×5) → pool → Conv(64, 5×5) → pool → Dense(1024) → Dropout(0.5) → Dense(10)',
    data: `Fashion-MNIST ${d.train.count} train / ${d.test.count} test images`,
    graph: buildTemplate('j2-cnn'),
    inputs: [{ name: 'input', shape }],
    outputUnits: J2_CLASSES,
    train: { xs: [d.train.x], y: d.train.y, count: d.train.count },
    test: { xs: [d.test.x], y: d.test.y, count: d.test.count },
    metric: accuracy,
    peer: () => ({
      model: { side: J2_SIDE, classes: J2_CLASSES },
      idx: {
        train_images: d.files.trainImages,
        train_labels: d.files.trainLabels,
        test_images: d.files.testImages,
        test_labels: d.files.testLabels,
        train_count: d.train.count,
      },
    }),
  };
}

/** J3: generated VQA-shaped samples; the template as DESIGN.md sizes it (no layout needed). */
function prepareJ3(limit: number | undefined): Prepared {
  const tr = generateJ3(limit ?? J3_TRAIN_SAMPLES, SEED);
  const te = generateJ3(J3_TEST_SAMPLES, SEED + 1);
  const split = (g: typeof tr): Split => ({ xs: [g.image, Float32Array.from(g.question)], y: oneHot(g.answer, J3_ANSWERS), count: g.count });
  return {
    journey: 'j3',
    title: 'J3 VGG-like CNN (64/128/256) ‖ Embedding(1427, 256) → LSTM(256); concatenated → Dense(1427)',
    data: `${tr.count} train / ${te.count} test generated samples (50×50×3 image + 27 word ids)`,
    graph: buildTemplate('j3-vqa'),
    inputs: [
      { name: 'image', shape: [J3_SIDE, J3_SIDE, J3_CHANNELS] },
      { name: 'question', shape: [J3_WORDS] },
    ],
    outputUnits: J3_ANSWERS,
    train: split(tr),
    test: split(te),
    metric: accuracy,
    peer: (out) => ({
      model: { side: J3_SIDE, channels: J3_CHANNELS, vocabulary: J3_VOCABULARY, answers: J3_ANSWERS },
      arrays: {
        train_image: writeArray(out, 'train_image', tr.image, [tr.count, J3_SIDE, J3_SIDE, J3_CHANNELS]),
        train_question: writeArray(out, 'train_question', tr.question, [tr.count, J3_WORDS]),
        train_answer: writeArray(out, 'train_answer', tr.answer, [tr.count]),
        test_image: writeArray(out, 'test_image', te.image, [te.count, J3_SIDE, J3_SIDE, J3_CHANNELS]),
        test_question: writeArray(out, 'test_question', te.question, [te.count, J3_WORDS]),
        test_answer: writeArray(out, 'test_answer', te.answer, [te.count]),
      },
    }),
  };
}

// ---- Measuring -----------------------------------------------------------------------------

/** The split's inputs in the model's input order (matched by Input layer name). */
function inModelOrder(model: TF.LayersModel, p: Prepared): number[] {
  if (p.inputs.length === 1) return [0];
  return model.inputNames.map((name) => {
    const k = p.inputs.findIndex((i) => i.name === name);
    if (k < 0) throw new Error(`${p.journey}: the model has an input '${name}'; the data has ${p.inputs.map((i) => `'${i.name}'`).join(', ')}`);
    return k;
  });
}

function reorder(split: Split, order: number[]): Split {
  return { ...split, xs: order.map((k) => split.xs[k]!) };
}

/** Predictions for a whole split, in batches, untimed. */
function predictAll(tf: Tf, model: TF.LayersModel, split: Split, shapes: number[][], outputUnits: number, batch: number): Float32Array {
  const out = new Float32Array(split.count * outputUnits);
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  for (let start = 0; start < split.count; start += batch) {
    const n = Math.min(batch, split.count - start);
    tf.tidy(() => {
      const xs = shapes.map((s, k) => tf.tensor(split.xs[k]!.subarray(start * sizes[k]!, (start + n) * sizes[k]!), [n, ...s]));
      const y = model.predict(xs.length === 1 ? xs[0]! : xs) as TF.Tensor;
      out.set(y.dataSync(), start * outputUnits);
    });
  }
  return out;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

async function benchJourney(p: Prepared, o: Options): Promise<BenchResult> {
  const hyper = JOURNEY_TRAINING[p.journey];
  const epochs = o.epochs ?? hyper.epochs;
  // The threads the app would use for this model (LAYERBENCH_WASM_THREADS overrides).
  const threads = threadsForModel(analyzeGraph(p.graph).flopsPerSample, hyper.batchSize);
  const { tf, info } = await loadBackend(o.backend, undefined, { wasmThreads: threads });
  const model = buildModel(tf, p.graph);
  const order = inModelOrder(model, p);
  const shapes = order.map((k) => p.inputs[k]!.shape);
  const trainSplit = reorder(p.train, order);
  const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, ...hyper, epochs, backend: o.backend, seed: SEED, batchReportEvery: 1_000_000 };
  const epochTimes: number[] = [];
  // CPU seconds of this process per epoch too: on a machine busy with other work the wall clock
  // stretches, the CPU time much less (with several wasm threads it is their sum).
  const epochCpu: number[] = [];
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const tick = () => {
    const now = performance.now();
    epochTimes.push((now - last) / 1000);
    const cpu = process.cpuUsage(lastCpu);
    epochCpu.push((cpu.user + cpu.system) / 1e6);
    last = now;
    lastCpu = process.cpuUsage();
  };
  let finalLoss: number;
  if (o.loop === 'fit') {
    const xs = shapes.map((s, k) => tf.tensor(trainSplit.xs[k]!, [trainSplit.count, ...s]));
    const y = tf.tensor(trainSplit.y, [trainSplit.count, p.outputUnits]);
    model.compile({ optimizer: makeOptimizer(tf, settings.optimizer, settings.learningRate, settings.momentum), loss: settings.loss, metrics: settings.metrics });
    last = performance.now();
    lastCpu = process.cpuUsage();
    const h = await model.fit(xs.length === 1 ? xs[0]! : xs, y, {
      epochs,
      batchSize: settings.batchSize,
      shuffle: true,
      verbose: 0,
      callbacks: { onEpochEnd: async () => tick() },
    });
    finalLoss = Number(h.history['loss']?.at(-1) ?? NaN);
    tf.dispose([...xs, y]);
  } else {
    last = performance.now();
    lastCpu = process.cpuUsage();
    const r = await train(tf, model, { train: trainSplit, inputShapes: shapes, outputUnits: p.outputUnits }, settings, { onEpoch: tick, shouldStop: () => false });
    finalLoss = r.finalLogs['loss'] ?? NaN;
  }
  const pred = predictAll(tf, model, reorder(p.test, order), shapes, p.outputUnits, p.journey === 'j3' ? 100 : 500);
  const metric = p.metric(pred, p.test);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  // The first epoch includes kernel warm-up (and compiling the model); the rest are steady state.
  const steady = epochTimes.length > 1 ? epochTimes.slice(1) : epochTimes;
  const epochS = median(steady);
  const samplesPerS = p.train.count / epochS;
  const params = model.countParams();
  model.dispose();

  const peer = o.peer && 'python' in o.peer ? measurePeer(o.peer.python, p, epochs, o.peerThreads) : null;
  return {
    journey: p.journey,
    backend: info.name,
    samples_per_s: round(samplesPerS, samplesPerS < 100 ? 1 : 0),
    epoch_s: round(epochS, 3),
    peak_rss_mb: peakRssMb,
    metric,
    peer_samples_per_s: peer?.samples_per_s ?? null,
    ratio: peer ? round(samplesPerS / peer.samples_per_s, 3) : null,
    device: info.device,
    loop: o.loop,
    first_epoch_s: round(epochTimes[0] ?? NaN, 3),
    epoch_cpu_s: round(median(epochCpu.length > 1 ? epochCpu.slice(1) : epochCpu), 3),
    steady: epochTimes.length > 1,
    epochs: epochTimes.length,
    batch_size: settings.batchSize,
    train_samples: p.train.count,
    test_samples: p.test.count,
    params,
    final_loss: round(finalLoss, 5),
    peer,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version, platform: `${os.platform()} ${os.arch()}` },
  };
}

function measurePeer(python: string, p: Prepared, epochs: number, threads: number | null): PeerResult | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), `lb-peer-${p.journey}-`));
  try {
    const h = JOURNEY_TRAINING[p.journey];
    const spec: PeerSpec = {
      journey: p.journey,
      batch_size: h.batchSize,
      epochs,
      optimizer: h.optimizer === 'sgd' ? 'sgd' : 'adam',
      learning_rate: h.learningRate,
      momentum: h.momentum ?? 0,
      loss: h.loss === 'meanAbsoluteError' ? 'mae' : 'categorical_crossentropy',
      seed: SEED,
      threads,
      ...p.peer(dir),
    };
    return runPeer(python, spec, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printHuman(p: Prepared, r: BenchResult): void {
  const h = JOURNEY_TRAINING[p.journey];
  const steadyNote = r.steady ? `median after the first; first ${r.first_epoch_s} s` : 'one epoch, warm-up included';
  const lines = [
    `${p.title}, ${r.params.toLocaleString('en')} parameters`,
    `  ${p.data}; ${h.optimizer} ${h.learningRate}, batch ${h.batchSize}, ${r.epochs} epoch(s)`,
    `  Layerbench (${r.loop === 'fit' ? 'TF.js model.fit' : 'training loop'}) on ${r.backend}, ${r.device}:`,
    `    ${r.samples_per_s} samples/s, ${r.epoch_s} s/epoch (${steadyNote}), peak RSS ${r.peak_rss_mb} MB, ${r.metric.name} ${r.metric.value}`,
  ];
  if (r.peer) {
    lines.push(
      `  PyTorch ${r.peer.torch} (${r.peer.threads} thread(s); it starts with ${r.peer.start_threads}):`,
      `    ${r.peer.samples_per_s} samples/s, ${r.peer.epoch_s} s/epoch (first ${r.peer.first_epoch_s} s), peak RSS ${r.peer.peak_rss_mb} MB, ${r.peer.metric.name} ${r.peer.metric.value}`,
      `  Layerbench/PyTorch: ${r.ratio}×`,
    );
  } else lines.push('  PyTorch: not measured');
  lines.push(`  machine: ${r.machine.cpus}× ${r.machine.cpu}, Node ${r.machine.node}`);
  console.log(lines.join('\n'));
}

async function runOne(journey: JourneyId, o: Options, json: boolean, repeat: number): Promise<void> {
  const p = journey === 'j1' ? await prepareJ1(o.limit) : journey === 'j2' ? prepareJ2(o.limit, o.dataDir) : prepareJ3(o.limit);
  const runs: BenchResult[] = [];
  for (let k = 0; k < repeat; k++) {
    const r = await benchJourney(p, o);
    runs.push(r);
    if (json) console.log(JSON.stringify(r));
    else printHuman(p, r);
  }
  if (repeat < 2) return;
  const s = summariseRepeats(journey, runs);
  if (json) console.log(JSON.stringify({ summary: s }));
  else {
    const peer = s.peer_samples_per_s ? `; PyTorch median ${s.peer_samples_per_s.median} (${s.peer_samples_per_s.min}–${s.peer_samples_per_s.max})` : '';
    const ratio = s.ratio ? `; ratio of medians ${s.ratio_of_medians} (single runs ${s.ratio.min}–${s.ratio.max})` : '';
    console.log(`\n${journey} over ${repeat} runs: Layerbench median ${s.samples_per_s.median} samples/s (${s.samples_per_s.min}–${s.samples_per_s.max})${peer}${ratio}`);
  }
}

// ---- Command line --------------------------------------------------------------------------

const OPTIONS = {
  backend: { type: 'string' },
  epochs: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  loop: { type: 'string' },
  peer: { type: 'string' },
  'peer-threads': { type: 'string' },
  data: { type: 'string' },
  nodes: { type: 'string' },
  iterations: { type: 'string' },
  images: { type: 'string' },
  steps: { type: 'string' },
  prelabel: { type: 'string' },
  repeat: { type: 'string' },
} as const;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} wants a whole number of at least 1; got '${v}'.`);
    process.exit(2);
  }
  return n;
}

/** `--peer auto` (the default) looks for a Python with torch; `none` skips the peer. */
function resolvePeer(choice: string | undefined): PeerPython | null {
  if (choice === 'none') return null;
  return findTorchPython(choice === undefined || choice === 'auto' ? undefined : choice);
}

/** The journey options, checked before anything runs; exits with a message on a bad one. */
function journeyOptions(values: ReturnType<typeof parseCommandLine>['values']): Omit<Options, 'peer'> {
  const loop = values.loop === undefined || values.loop === 'layerbench' ? 'layerbench' : values.loop === 'fit' ? 'fit' : null;
  if (!loop) {
    console.error(`--loop is layerbench or fit; got '${values.loop}'.`);
    process.exit(2);
  }
  const backend = values.backend ?? 'auto';
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    console.error(`--backend is one of ${BACKENDS.join(', ')}; got '${backend}'.`);
    process.exit(2);
  }
  const epochs = positiveInt('epochs', values.epochs);
  const limit = positiveInt('limit', values.limit);
  return {
    backend: backend as BackendChoice,
    ...(epochs !== undefined ? { epochs } : {}),
    ...(limit !== undefined ? { limit } : {}),
    loop,
    dataDir: values.data ?? FASHION_MNIST_DIR,
    peerThreads: positiveInt('peer-threads', values['peer-threads']) ?? null,
  };
}

function parseCommandLine() {
  return parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: OPTIONS });
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  const what = positionals[0] ?? 'j1';
  if (!['j1', 'j2', 'j3', 'graph', 'label', 'all'].includes(what)) {
    console.error(`Unknown benchmark '${what}'. Benchmarks: j1, j2, j3, graph, label, all.`);
    process.exit(2);
  }
  const json = values.json ?? false;
  if (what === 'label')
    return runLabelBenchCli({
      images: positiveInt('images', values.images) ?? 10_000,
      steps: positiveInt('steps', values.steps) ?? 300,
      prelabel: values.prelabel === '0' ? 0 : (positiveInt('prelabel', values.prelabel) ?? 20),
      json,
    });
  const options = what === 'graph' ? null : journeyOptions(values);
  if (what === 'graph' || what === 'all') {
    runGraphBench({
      json,
      ...(values.nodes !== undefined ? { sizes: values.nodes.split(',').map((n) => Number(n.trim())) } : {}),
      ...(values.iterations !== undefined ? { iterations: Number(values.iterations) } : {}),
    });
  }
  if (!options) return;
  const peer = resolvePeer(values.peer);
  // Said once per run: `all` passes the outcome on to its children as --peer PYTHON or --peer none.
  if (peer && 'missing' in peer) console.error(peer.missing);
  const repeat = positiveInt('repeat', values.repeat) ?? 1;
  if (what !== 'all') return runOne(what as JourneyId, { ...options, peer }, json, repeat);

  const self = fileURLToPath(import.meta.url);
  const passOn: string[] = [];
  for (const key of ['backend', 'epochs', 'limit', 'loop', 'peer-threads', 'data', 'repeat'] as const) {
    const v = values[key];
    if (v !== undefined) passOn.push(`--${key}`, v);
  }
  if (json) passOn.push('--json');
  passOn.push('--peer', peer && 'python' in peer ? peer.python : 'none');
  let failed = 0;
  for (const journey of JOURNEYS) {
    if (!json) console.log('');
    const r = spawnSync(process.execPath, [...process.execArgv, self, journey, ...passOn], { stdio: 'inherit' });
    if (r.status !== 0) {
      failed++;
      console.error(`${journey} failed (${r.error?.message ?? `exit ${r.status}`}).`);
    }
  }
  if (failed > 0) process.exit(1);
}

try {
  await main();
} catch (e) {
  // Expected failures (missing data, a backend that will not load) need no stack; bugs do.
  console.error(e instanceof AppError ? e.message : e);
  process.exit(1);
}
