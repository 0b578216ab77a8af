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
import { trainerEnvironment } from '../main/jobs/trainer-env.js';
import { fileURLToPath } from 'node:url';
import { JOURNEYS, JOURNEY_TRAINING, prepareJ1, prepareJ2, prepareJ3, type JourneyId, type Prepared } from './journeys.js';
import { benchJourney, type BenchResult, type Options } from './run-journey.js';
import { resolvePeer } from './measure-peer.js';
import { summariseRepeats } from './repeat.js';
import { FASHION_MNIST_DIR } from './j2-data.js';
import { runGraphBench } from './graph.js';
import { runLabelBenchCli } from './label.js';
import { AppError } from '../shared/errors.js';
import { BACKENDS, type BackendChoice } from '../shared/training.js';

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

/**
 * A journey trains as in a trainer process, whose environment the app sets when it starts one
 * (main/jobs/trainer-env.ts): where this process lacks it, the bench runs itself again with it.
 */
function runInTrainerEnvironment(): void {
  const env = trainerEnvironment();
  if (env['GLIBC_TUNABLES'] === process.env['GLIBC_TUNABLES']) return;
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  process.exit(r.status ?? 1);
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
  if (options) runInTrainerEnvironment();
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
