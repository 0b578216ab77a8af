/**
 * Runs a journey's peer: the same model, batch size, optimizer and data in PyTorch on the CPU
 * (torch_peer.py), right after the Layerbench measurement. The bench writes what the peer needs
 * into a directory: `spec.json` (hyperparameters, sizes, and the arrays or IDX files to read) and
 * raw little-endian arrays (`<name>.bin`, dtype and shape in the spec). The peer prints one JSON
 * line with its figures, timed as ours are (median epoch after the first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PeerArray {
  file: string;
  dtype: 'float32' | 'int32';
  shape: number[];
}

export interface PeerSpec {
  journey: 'j1' | 'j2' | 'j3';
  batch_size: number;
  epochs: number;
  optimizer: 'adam' | 'sgd';
  learning_rate: number;
  /** SGD's momentum (0: plain SGD). */
  momentum: number;
  loss: 'mae' | 'categorical_crossentropy';
  seed: number;
  /** torch.set_num_threads(threads) when set; otherwise the count PyTorch starts with. */
  threads: number | null;
  /** Journey-specific sizes the peer builds its model from. */
  model: Record<string, number>;
  /** J1, J3: the generated data, already cut to --limit. */
  arrays?: Record<string, PeerArray>;
  /** J2: the IDX files (gzipped or not) and how many training images to take from the start. */
  idx?: { train_images: string; train_labels: string; test_images: string; test_labels: string; train_count: number };
  /** J1: a scaled prediction y is y × divisor + offset in the file's units. */
  target_unscale?: { divisor: number; offset: number };
}

export interface PeerResult {
  peer: 'pytorch';
  torch: string;
  python: string;
  /** Threads used, and the count PyTorch started with before any set_num_threads. */
  threads: number;
  start_threads: number;
  samples_per_s: number;
  epoch_s: number;
  first_epoch_s: number;
  epoch_times: number[];
  /** False when there was only one epoch, so epoch_s includes the warm-up. */
  steady: boolean;
  peak_rss_mb: number;
  metric: { name: string; value: number };
  train_samples: number;
  epochs: number;
}

export type PeerPython = { python: string; torch: string } | { missing: string };

/** Writes a typed array as a raw little-endian file in `dir` (x86 and ARM are little-endian). */
export function writeArray(dir: string, name: string, data: Float32Array | Int32Array, shape: number[]): PeerArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`peer array '${name}': shape [${shape.join(', ')}] holds ${size} values; got ${data.length}.`);
  const file = path.join(dir, `${name}.bin`);
  writeFileSync(file, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { file, dtype: data instanceof Float32Array ? 'float32' : 'int32', shape };
}

/**
 * The first Python that imports torch: `explicit` alone when given, else $LAYERBENCH_PEER_PYTHON,
 * Debian's /usr/bin/python3 (where apt's python3-torch lives), then `python3` on PATH.
 */
export function findTorchPython(explicit?: string): PeerPython {
  const env = process.env['LAYERBENCH_PEER_PYTHON'];
  const candidates = explicit ? [explicit] : [...(env ? [env] : []), '/usr/bin/python3', 'python3'];
  const tried: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    const version = r.status === 0 ? r.stdout.trim().split('\n').at(-1) : undefined;
    if (version) return { python, torch: version };
    const why = r.error ? r.error.message : (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`);
    tried.push(`${python} (${why})`);
  }
  return { missing: `PyTorch not found: tried ${tried.join('; ')}. Install python3-torch (apt) or pass --peer PYTHON; peer figures are null.` };
}

function peerScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/bench/bench.js; from source: bench/peers/peer.ts.
  const candidates = [path.join(here, 'torch_peer.py'), path.resolve(here, '../../bench/peers/torch_peer.py'), path.resolve('bench/peers/torch_peer.py')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`torch_peer.py not found; looked in ${candidates.join(', ')}`);
  return found;
}

/** Runs the peer on a spec; null (with the reason on stderr) when it fails, so the bench carries on. */
export function runPeer(python: string, spec: PeerSpec, dir: string): PeerResult | null {
  const specFile = path.join(dir, 'spec.json');
  writeFileSync(specFile, JSON.stringify(spec, null, 1));
  const r = spawnSync(python, [peerScript(), specFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  const last = r.stdout?.trim().split('\n').at(-1);
  if (r.status !== 0 || !last) {
    console.error(`PyTorch peer for ${spec.journey} failed (${r.error?.message ?? `exit ${r.status}`}); peer figures are null.`);
    return null;
  }
  try {
    return JSON.parse(last) as PeerResult;
  } catch {
    console.error(`PyTorch peer for ${spec.journey} printed no JSON (last line: ${last.slice(0, 200)}); peer figures are null.`);
    return null;
  }
}
