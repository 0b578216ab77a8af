/**
 * `npm run bench -- j1 [--backend B] [--epochs N] [--limit N] [--json]`
 * Trains a reference journey the way a trainer process does (CSV preparation → model from the
 * template → our training loop) and prints throughput, epoch time and peak memory.
 *
 * `npm run bench -- graph [--nodes 50,200,400] [--iterations N] [--json]`
 * Times the graph editor's per-edit work (shape inference and validation) on large graphs; see graph.ts.
 */
import { parseArgs } from 'node:util';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJ1Csv } from './j1-data.js';
import { runGraphBench } from './graph.js';
import { profileCsv } from '../main/importers/csv/index.js';
import { prepareTabular } from '../main/importers/csv/prepare.js';
import { loadBackend } from '../main/engine/backend.js';
import { buildModel } from '../main/engine/build.js';
import { train } from '../main/engine/train.js';
import { buildTemplate } from '../shared/templates.js';
import { defaultDatasetConfig, featureLayout } from '../shared/dataset.js';
import { DEFAULT_TRAIN_SETTINGS, type BackendChoice } from '../shared/training.js';

interface BenchResult {
  journey: string;
  backend: string;
  device: string;
  samples_per_s: number;
  epoch_s: number;
  peak_rss_mb: number;
  metric: string;
  value: number;
  epochs: number;
  train_samples: number;
  loop: 'layerbench' | 'fit';
  machine: { cpus: number; cpu: string; node: string; platform: string };
}

/** J1: 5 years of hourly rows; the first 365×24 train, as in the reference experiment. */
/**
 * `loop: 'layerbench'` is our training loop (what the app runs); `loop: 'fit'` is TF.js's own
 * `model.fit` on the same tensors, the baseline our loop is measured against.
 */
async function benchJ1(backend: BackendChoice, epochs: number, limit: number | undefined, loop: 'layerbench' | 'fit'): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-bench-'));
  const csv = path.join(dir, 'j1.csv');
  await writeJ1Csv(csv, 24 * 365 * 5);
  const profile = await profileCsv(csv);
  const config = defaultDatasetConfig(profile);
  for (const c of config.columns) c.role = c.name === 'pollution' ? 'target' : c.name === 'date' ? 'ignore' : 'feature';
  const wind = config.columns.find((c) => c.name === 'wnd_dir');
  if (wind) wind.encoding = 'integer';
  config.lookback = 1;
  config.horizon = 1;
  config.targetAsInput = true;
  config.split = { kind: 'chronological', trainRows: limit ?? 365 * 24, validationFraction: 0 };
  const data = await prepareTabular(csv, profile, config);
  const { tf, info } = await loadBackend(backend);
  const graph = buildTemplate('j1-lstm', featureLayout(profile, config));
  const model = buildModel(tf, graph);
  const settings = { ...DEFAULT_TRAIN_SETTINGS, epochs, batchSize: 72, backend, batchReportEvery: 1_000_000 };
  const epochTimes: number[] = [];
  let last = performance.now();
  let finalLoss: number;
  let epochsDone: number;
  if (loop === 'fit') {
    const steps = data.inputs[0]!.shape;
    const x = tf.tensor(data.train.xs[0]!, [data.train.count, ...steps]);
    const y = tf.tensor(data.train.y, [data.train.count, data.outputUnits]);
    model.compile({ optimizer: tf.train.adam(settings.learningRate), loss: 'meanAbsoluteError' });
    const h = await model.fit(x, y, {
      epochs,
      batchSize: 72,
      shuffle: true,
      verbose: 0,
      callbacks: {
        onEpochEnd: async () => {
          const now = performance.now();
          epochTimes.push((now - last) / 1000);
          last = now;
        },
      },
    });
    finalLoss = Number(h.history.loss?.at(-1) ?? NaN);
    epochsDone = h.epoch.length;
  } else {
    const r = await train(tf, model, { train: data.train, inputShapes: data.inputs.map((i) => i.shape), outputUnits: data.outputUnits }, settings, {
      onEpoch: () => {
        const now = performance.now();
        epochTimes.push((now - last) / 1000);
        last = now;
      },
      shouldStop: () => false,
    });
    finalLoss = r.finalLogs.loss ?? NaN;
    epochsDone = r.epochsDone;
  }
  // The first epoch includes kernel warm-up; report the median of the rest when there are any.
  const steady = epochTimes.length > 1 ? epochTimes.slice(1) : epochTimes;
  const epochS = [...steady].sort((a, b) => a - b)[Math.floor(steady.length / 2)]!;
  return {
    journey: 'j1',
    backend: info.name,
    device: info.device,
    samples_per_s: Math.round(data.train.count / epochS),
    epoch_s: Number(epochS.toFixed(3)),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    metric: 'train_mae_scaled',
    value: Number(finalLoss.toFixed(5)),
    epochs: epochsDone,
    loop,
    train_samples: data.train.count,
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? '?', node: process.version, platform: `${os.platform()} ${os.arch()}` },
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      backend: { type: 'string' },
      epochs: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      loop: { type: 'string' },
      nodes: { type: 'string' },
      iterations: { type: 'string' },
    },
  });
  const journey = positionals[0] ?? 'j1';
  if (journey !== 'j1' && journey !== 'graph' && journey !== 'all') {
    console.error(`Unknown benchmark '${journey}'. This build benchmarks: j1, graph, all (J2/J3 arrive with the image and engine work).`);
    process.exit(2);
  }
  if (journey === 'graph' || journey === 'all') {
    runGraphBench({
      json: values.json ?? false,
      ...(values.nodes !== undefined ? { sizes: values.nodes.split(',').map((n) => Number(n.trim())) } : {}),
      ...(values.iterations !== undefined ? { iterations: Number(values.iterations) } : {}),
    });
    if (journey === 'graph') return;
  }
  const backend = (values.backend ?? 'auto') as BackendChoice;
  const loop = values.loop === 'fit' ? 'fit' : 'layerbench';
  const r = await benchJ1(backend, Number(values.epochs ?? 5), values.limit ? Number(values.limit) : undefined, loop);
  if (values.json) console.log(JSON.stringify(r));
  else
    console.log(
      `J1 LSTM(50)→Dense(1), ${r.train_samples} train rows, batch 72, ${r.epochs} epochs on ${r.backend} (${r.device}), ${r.loop === 'fit' ? "TF.js model.fit" : 'Layerbench training loop'}\n` +
        `  ${r.samples_per_s} samples/s, ${r.epoch_s} s/epoch (median after the first), peak RSS ${r.peak_rss_mb} MB, final loss ${r.value}\n` +
        `  machine: ${r.machine.cpus}× ${r.machine.cpu}, Node ${r.machine.node}`,
    );
}

await main();
