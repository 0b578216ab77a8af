/**
 * onnxruntime-node as a library of native CPU kernels for the wasm backend. Its MLAS kernels use
 * the CPU's widest vectors with fused multiply-add (AVX-512/AVX2 FMA, NEON), which WebAssembly's
 * 128-bit SIMD cannot; on our 2-core machines they run J2's convolutions and products 2 to 6 times
 * faster than XNNPACK in wasm (docs/benchmarks.md).
 *
 * Each operation is a tiny ONNX model (./graphs.ts), made into a session once per shape and run
 * synchronously through the package's native binding (its public `run` only wraps that call in a
 * promise). Inputs are read from and outputs written into the wasm heap in place, which works when
 * that heap is an ordinary ArrayBuffer: the binding refuses SharedArrayBuffer views, so the wasm
 * backend runs single-threaded when native kernels are on (../backend.ts) and these sessions use
 * the cores instead.
 */
import { createRequire } from 'node:module';

/** A float32 array with its dimensions, as a session input or a place to write an output. */
export interface NativeTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** The parts of onnxruntime-node's binding this uses (dist/binding.d.ts, `Binding`). */
interface BindingSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: object): Record<string, { data: unknown }>;
  dispose(): void;
}
interface BindingModule {
  binding: { InferenceSession: new () => BindingSession };
  initOrt(): void;
}
type TensorClass = new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;

/** Loads a package by name (tests pass a failing one to see the fallback). */
export type NativeLoader = (name: string) => unknown;

const nodeRequire = createRequire(import.meta.url);

/** At most this many sessions are kept; the least recently used is closed beyond it. */
export const MAX_SESSIONS = 64;

/**
 * Below this many multiply-adds an operation stays in wasm: a call into onnxruntime costs about
 * 30–50 µs, which a small product does not win back (J1's LSTM products, 0.8 M multiply-adds, were
 * as fast or faster in wasm, and J1 trained 25–35 % slower with them native; from 8 M on native
 * was 3–7 times faster).
 */
export const NATIVE_MIN_MACS = 2_000_000;

export class NativeRuntime {
  /** Sessions by the key of their operation and shapes, most recently used last. */
  private readonly sessions = new Map<string, BindingSession>();
  /** Operations run, for the tests and the bench's report. */
  runs = 0;
  /** Operations below this many multiply-adds stay in wasm (the tests lower it to run small shapes). */
  minMacs = NATIVE_MIN_MACS;

  constructor(
    private readonly module: BindingModule,
    private readonly Tensor: TensorClass,
    /** onnxruntime's intra-op threads per session. */
    readonly threads: number,
    readonly version: string,
  ) {}

  /**
   * Runs the operation `key` (its model made by `model` the first time) on `inputs`, writing each
   * output into the array given for it. Inputs and outputs are named as the model names them.
   */
  run(key: string, model: () => Uint8Array, inputs: Record<string, NativeTensor>, outputs: Record<string, NativeTensor>): void {
    const session = this.session(key, model);
    const feeds: Record<string, unknown> = {};
    for (const [name, t] of Object.entries(inputs)) feeds[name] = new this.Tensor('float32', t.data, t.dims);
    const fetches: Record<string, unknown> = {};
    for (const [name, t] of Object.entries(outputs)) fetches[name] = new this.Tensor('float32', t.data, t.dims);
    const result = session.run(feeds, fetches, {});
    this.runs++;
    // The binding writes into a given output; if a version ever returns a new array, copy it.
    for (const [name, t] of Object.entries(outputs)) {
      const got = result[name]?.data;
      if (got instanceof Float32Array && got !== t.data) t.data.set(got);
    }
  }

  /** Sessions open now. */
  get size(): number {
    return this.sessions.size;
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
  }

  private session(key: string, model: () => Uint8Array): BindingSession {
    const known = this.sessions.get(key);
    if (known) {
      this.sessions.delete(key);
      this.sessions.set(key, known);
      return known;
    }
    const bytes = model();
    const session = new this.module.binding.InferenceSession();
    session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, {
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      // With onnxruntime's arena and memory patterns a J2 step took 70 ms or 110–250 ms at
      // random; with plain allocations it is 65–80 ms every time (measured over 60 steps, 5 runs).
      enableCpuMemArena: false,
      enableMemPattern: false,
      // Each session has its own pool; threads left spinning after an operation would take the
      // cores from the next one (measured: a 2 ms product took 40 ms behind a spinning pool).
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    });
    this.sessions.set(key, session);
    if (this.sessions.size > MAX_SESSIONS) {
      const [oldest, s] = this.sessions.entries().next().value as [string, BindingSession];
      s.dispose();
      this.sessions.delete(oldest);
    }
    return session;
  }
}

export type NativeLoad = { runtime: NativeRuntime } | { runtime?: undefined; reason: string };

/**
 * Loads onnxruntime-node's binding. Never throws: where the package or its native library is
 * missing (a platform without a build), the reason comes back and the wasm kernels stay as they are.
 */
export function loadNativeRuntime(threads: number, load: NativeLoader = nodeRequire): NativeLoad {
  try {
    const module = load('onnxruntime-node/dist/binding.js') as BindingModule;
    // The package re-exports onnxruntime-common, whose Tensor class the binding was given.
    const { Tensor } = load('onnxruntime-node') as { Tensor: TensorClass };
    const { version } = load('onnxruntime-node/package.json') as { version: string };
    module.initOrt();
    if (typeof module.binding?.InferenceSession !== 'function' || typeof Tensor !== 'function')
      return { reason: 'onnxruntime-node loaded but has no InferenceSession binding' };
    return { runtime: new NativeRuntime(module, Tensor, Math.max(1, threads), version) };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { reason: `onnxruntime-node could not be loaded: ${message.split('\n')[0]}` };
  }
}
