/**
 * Lets TF.js's wasm backend use more than one core in Node. TF.js 4.22 ships a multi-threaded
 * SIMD build (XNNPACK on a pthread pool) but turns it off in Node (tfjs issue 3830), for two
 * reasons we can work around:
 * - Emscripten starts its pthread workers from a blob: URL of the worker script, and Node's
 *   worker_threads only take file paths. We write the worker script to a file once and hand that
 *   path out instead, and tell each worker where the main script is (it too is given as a Blob).
 * - The backend sizes its pool as min(requested, logical cores / 2), which is 1 on a 2-core
 *   machine. While it starts, we report twice the wanted count of cores.
 * - A pool thread keeps its worker referenced for as long as it runs (always, for XNNPACK's pool),
 *   so the process would never exit by itself. Once the backend is up we unreference them.
 * Only for the process that trains: it changes URL.createObjectURL for JavaScript blobs, which
 * nothing else in a trainer process makes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const WASM_PACKAGE = '@tensorflow/tfjs-backend-wasm';

interface TfEnv {
  env(): { set(flag: string, value: boolean): void };
}

/** The thread count to ask for: every core, at most 8 (the size of TF.js's pre-started pool). */
export function defaultWasmThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
}

/** Where the worker script goes: beside the user's temp files, one per TF.js version. */
function workerScriptPath(): string {
  const version = (require(`${WASM_PACKAGE}/package.json`) as { version: string }).version;
  return path.join(os.tmpdir(), `layerbench-tfjs-wasm-${version}-${process.getuid?.() ?? 'u'}.worker.js`);
}

/** In a packaged app the wasm-out scripts are unpacked from the asar archive (electron-builder.yml). */
function unpacked(p: string): string {
  return p.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

/** The part of the wasm backend's Emscripten module this needs. */
interface WasmBackendLike {
  wasm?: { PThread?: { runningWorkers?: { unref(): void }[] } };
}

/**
 * Prepares the multi-threaded wasm build; call before tf.setBackend('wasm'). Returns a function to
 * call once that has finished, with tf.backend() (undefined if it failed): it puts back the real
 * core count and lets the process exit with the pool running. `threads` ≤ 1 does nothing.
 */
export function prepareWasmThreads(tf: TfEnv, setThreadsCount: (n: number) => void, threads: number): (backend?: unknown) => void {
  if (threads <= 1) return () => {};
  const mainScript = unpacked(require.resolve(`${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.js`));
  const { wasmWorkerContents } = require(`${WASM_PACKAGE}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`) as { wasmWorkerContents: string };
  // TF.js escapes the newlines of the worker source before making its Blob; do the same.
  const source =
    `URL.createObjectURL=()=>${JSON.stringify(mainScript)};URL.revokeObjectURL=()=>{};\n` + wasmWorkerContents.replace(/\n/g, '\\n');
  const file = workerScriptPath();
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== source) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, source);
    fs.renameSync(tmp, file);
  }
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob) => (obj instanceof Blob && obj.type === 'application/javascript' ? file : createObjectURL(obj));

  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const nodeOs = require('node:os') as typeof os;
  const cpus = nodeOs.cpus;
  const one = cpus()[0];
  nodeOs.cpus = () => (one ? Array.from({ length: threads * 2 }, () => one) : cpus());
  return (backend) => {
    nodeOs.cpus = cpus;
    for (const worker of (backend as WasmBackendLike | undefined)?.wasm?.PThread?.runningWorkers ?? []) worker.unref();
  };
}
