/**
 * Picks and loads the TF.js backend: native TensorFlow (CUDA, then CPU), then WebAssembly, then
 * plain JavaScript. Every attempt is recorded with the real reason it failed, so the UI can say
 * why a run is on `wasm` and not on the GPU.
 */
import * as tfjs from '@tensorflow/tfjs';
import type * as TF from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { BackendAttempt, BackendChoice, BackendInfo, BackendName } from '../../shared/training.js';
import { registerWasmTrainingKernels } from './wasm-kernels/index.js';
import { registerNativeKernels } from './native-kernels/index.js';
import { loadNativeRuntime, type NativeLoad, type NativeRuntime } from './native-kernels/runtime.js';
import { defaultWasmThreads, prepareWasmThreads } from './wasm-threads.js';

/**
 * The TF.js namespace as an ES module sees it (with the `default` that Node adds for a CommonJS
 * package), which is what `import type * as TF` gives the other engine files.
 */
export type Tf = typeof TF;

/** Imports a package by name. Tests inject fakes; the app uses the runtime's `import()`. */
export type ModuleLoader = (name: string) => Promise<unknown>;

export interface LoadedBackend {
  tf: Tf;
  info: BackendInfo;
}

/** Best first; `auto` walks this list. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const NATIVE_PACKAGES = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const satisfies Partial<Record<BackendName, string>>;

export const NOT_INSTALLED = 'not installed (optional dependency; its install downloads libtensorflow)';

// The name sits in a variable so neither TypeScript nor a bundler tries to resolve the
// optional native packages, which are absent wherever libtensorflow could not be downloaded.
const defaultLoader: ModuleLoader = (name) => import(name);

class BackendLoadError extends Error {}

export interface BackendOptions {
  /** Threads for the wasm backend (see wasmThreads); 1 when absent. */
  wasmThreads?: number;
}

export async function loadBackend(choice: BackendChoice, loader: ModuleLoader = defaultLoader, options: BackendOptions = {}): Promise<LoadedBackend> {
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      const { tf, device } = await loadOne(name, loader, options);
      attempts.push({ name, ok: true });
      return { tf, info: { name, device, attempts } };
    } catch (e) {
      attempts.push({ name, ok: false, reason: reasonOf(e, name) });
    }
  }
  const last = attempts[attempts.length - 1];
  if (choice !== 'auto' && last)
    throw new AppError('BACKEND_UNAVAILABLE', `${choice} backend could not be loaded: ${last.reason ?? 'unknown reason'}`, { attempts });
  throw new AppError(
    'BACKEND_UNAVAILABLE',
    `No backend could be loaded: ${attempts.map((a) => `${a.name}: ${a.reason ?? 'unknown reason'}`).join('; ')}`,
    { attempts },
  );
}

/** What `auto` picks here, with the reason each better backend was passed over. */
export async function probeBackends(loader: ModuleLoader = defaultLoader): Promise<BackendInfo> {
  return (await loadBackend('auto', loader)).info;
}

async function loadOne(name: BackendName, loader: ModuleLoader, options: BackendOptions): Promise<{ tf: Tf; device: string }> {
  switch (name) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const pkg = NATIVE_PACKAGES[name];
      // TensorFlow takes nearly all GPU memory when it starts unless told to grow as it needs;
      // a user's own setting wins. Read when libtensorflow initialises, so set before the import.
      if (name === 'tensorflow-gpu') process.env['TF_FORCE_GPU_ALLOW_GROWTH'] ??= 'true';
      let mod: unknown;
      try {
        mod = await loader(pkg);
      } catch (e) {
        throw isMissingModule(e, pkg) ? new BackendLoadError(NOT_INSTALLED) : e;
      }
      // tfjs-node(-gpu) registers a 'tensorflow' backend into the tfjs-core it depends on and
      // re-exports that tfjs, so models must be built with its namespace, not ours.
      const tf = asTfNamespace(mod, pkg);
      await activate(tf, 'tensorflow');
      const device = name === 'tensorflow-gpu' ? ((await gpuName()) ?? 'GPU (CUDA)') : 'CPU (native TensorFlow)';
      return { tf, device };
    }
    case 'wasm': {
      setWasmPaths(wasmDir() + '/');
      // With native kernels the wasm heap must not be shared memory (native-kernels/runtime.ts):
      // wasm runs on one thread and onnxruntime on every core.
      const native = nativeKernels();
      const started = prepareWasmThreads(tfjs, setThreadsCount, native.runtime ? 1 : wasmThreads(options.wasmThreads));
      try {
        await activate(tfjs, 'wasm');
      } finally {
        started(tfjs.getBackend() === 'wasm' ? tfjs.backend() : undefined);
      }
      registerWasmTrainingKernels(tfjs);
      if (native.runtime) registerNativeKernels(tfjs, native.runtime);
      const simd = (await tfjs.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      const kernels = native.runtime
        ? `native kernels: onnxruntime ${native.runtime.version}, threads: ${native.runtime.threads}`
        : `native kernels off: ${native.reason}`;
      return { tf: tfjs, device: `CPU (WebAssembly, SIMD: ${simd ? 'yes' : 'no'}, threads: ${getThreadsCount()}; ${kernels})` };
    }
    case 'cpu':
      await activate(tfjs, 'cpu');
      return { tf: tfjs, device: 'CPU (JavaScript)' };
  }
}

/**
 * `tf.setBackend` does not throw when a backend fails to initialise: it logs the error through
 * console.warn and returns false. Catch those lines so the attempt keeps the real reason.
 */
async function activate(tf: Tf, backend: string): Promise<void> {
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(backend);
    if (ok) await tf.ready();
  } finally {
    console.warn = warn;
  }
  if (!ok || tf.getBackend() !== backend) {
    const detail = warnings.find((w) => !w.startsWith('Initialization of backend'));
    // The engine logs `err.stack`, which starts "Error: <message>".
    throw new BackendLoadError(detail?.replace(/^\w*Error: /, '') ?? `tf.setBackend('${backend}') failed`);
  }
}

function asTfNamespace(mod: unknown, pkg: string): Tf {
  const hasApi = (m: unknown): m is Tf =>
    typeof m === 'object' && m !== null && typeof (m as Tf).setBackend === 'function' && typeof (m as Tf).sequential === 'function';
  // A CommonJS package imported from ESM may expose its exports only on `default`.
  const def = typeof mod === 'object' && mod !== null ? (mod as { default?: unknown }).default : undefined;
  if (hasApi(mod)) return mod;
  if (hasApi(def)) return def;
  throw new BackendLoadError(`'${pkg}' loaded but does not export the TensorFlow.js API`);
}

/** Node's own "cannot find" for this very package, not for something it depends on. */
function isMissingModule(e: unknown, pkg: string): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (typeof err !== 'object' || err === null) return false;
  const message = typeof err.message === 'string' ? err.message : '';
  const notFound = err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND' || /^Cannot find (module|package)/.test(message);
  // Quoted, so '@tensorflow/tfjs-node' does not match a missing '@tensorflow/tfjs-node-gpu'.
  return notFound && (message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`));
}

function reasonOf(e: unknown, name: BackendName): string {
  const message = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
  const first = (message ?? '').split('\n')[0]?.trim();
  return first || `${name} failed without a message`;
}

let native: NativeLoad | undefined;

/** The native kernels' runtime of this process, once the wasm backend has loaded it. */
export function nativeKernelRuntime(): NativeRuntime | undefined {
  return native?.runtime;
}

/**
 * onnxruntime's native kernels for the wasm backend's convolutions and products, loaded once per
 * process, on every core (LAYERBENCH_NATIVE_THREADS=N sets the count); LAYERBENCH_NATIVE_KERNELS=0
 * turns them off.
 */
function nativeKernels(): NativeLoad {
  if (process.env['LAYERBENCH_NATIVE_KERNELS'] === '0') return { reason: 'turned off (LAYERBENCH_NATIVE_KERNELS=0)' };
  const threads = Number(process.env['LAYERBENCH_NATIVE_THREADS']);
  native ??= loadNativeRuntime(Number.isInteger(threads) && threads >= 1 ? threads : defaultWasmThreads());
  return native;
}

/**
 * How many threads the wasm backend runs on (when native kernels are off): LAYERBENCH_WASM_THREADS when set (a number, or
 * 'auto' for every core), else what the caller asked for (threadsForModel), else one.
 */
export function wasmThreads(asked?: number): number {
  const set = process.env['LAYERBENCH_WASM_THREADS'];
  if (set === 'auto') return defaultWasmThreads();
  const n = Number(set);
  if (set && Number.isInteger(n) && n >= 1) return n;
  return asked !== undefined && Number.isInteger(asked) && asked >= 1 ? asked : 1;
}

/**
 * Below this much work per batch (forward FLOPs × batch size) a second thread costs more in
 * hand-overs than it saves: J1's LSTM (1.7 MFLOP a batch) ran 34% slower on two threads, J2's CNN
 * (1.4 GFLOP) 30% faster and J3 (95 GFLOP) 63% faster on our 2-core machines (docs/benchmarks.md).
 */
export const THREADS_MIN_FLOPS_PER_BATCH = 100e6;

/** The wasm threads worth using for a model of this cost: every core for big batches of work, else one. */
export function threadsForModel(flopsPerSample: number, batchSize: number): number {
  return flopsPerSample * batchSize >= THREADS_MIN_FLOPS_PER_BATCH ? defaultWasmThreads() : 1;
}

export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  // In a packaged app the .wasm files are unpacked from the asar archive (electron-builder.yml).
  return dir.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

/** The GPU's name from nvidia-smi, when there is one; TF.js itself does not report devices. */
function gpuName(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { timeout: 3000 }, (err, stdout) => {
      const first = err ? undefined : stdout.split('\n')[0]?.trim();
      resolve(first ? `GPU (${first})` : undefined);
    });
  });
}
