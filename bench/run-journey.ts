/**
 * One timed run of a prepared journey (journeys.ts): the model built from its template, trained
 * the way a trainer process trains it (or through TF.js's `model.fit` with `--loop fit`), then
 * scored on the test split, untimed; then the PyTorch peer on the same data (measure-peer.ts).
 */
import os from 'node:os';
import type * as TF from '@tensorflow/tfjs';
import { JOURNEY_TRAINING, SEED, type JourneyId, type Metric, type Prepared, type Split } from './journeys.js';
import { measurePeer } from './measure-peer.js';
import { median } from './repeat.js';
import type { PeerPython, PeerResult } from './peers/peer.js';
import { loadBackend, threadsForModel } from '../main/engine/backend.js';
import { analyzeGraph } from '../shared/catalog/analyze.js';
import { buildModel } from '../main/engine/build.js';
import { makeOptimizer, train } from '../main/engine/train.js';
import { DEFAULT_TRAIN_SETTINGS, type BackendChoice, type TrainSettings } from '../shared/training.js';

type Tf = typeof TF;

/** How to run a journey, from the command line; `limit` and `dataDir` shape its data (journeys.ts). */
export interface Options {
  backend: BackendChoice;
  epochs?: number;
  limit?: number;
  loop: 'layerbench' | 'fit';
  dataDir: string;
  peer: PeerPython | null;
  peerThreads: number | null;
}

/** One journey's figures. The first eight fields are the documented `--json` line. */
export interface BenchResult {
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
export function predictAll(tf: Tf, model: TF.LayersModel, split: Split, shapes: number[][], outputUnits: number, batch: number): Float32Array {
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

/** Trains and scores `p` once (with the peer when `o.peer` has a Python) and returns the figures. */
export async function benchJourney(p: Prepared, o: Options): Promise<BenchResult> {
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
