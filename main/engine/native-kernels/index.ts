/**
 * Native kernels for the wasm backend (./kernels.ts on ./runtime.ts): registered over the wasm
 * kernels of the same names, each keeping the one it replaced for the cases it leaves, and
 * removable again (the tests compare both).
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../wasm-kernels/compose.js';
import { convConfig, convFilterGradConfig, convInputGradConfig, matMulConfig, sumConfig } from './kernels.js';
import type { NativeRuntime } from './runtime.js';

/** Marks a native kernel function, with the wasm one it replaced. */
const NATIVE = Symbol.for('layerbench.nativeKernel');
/** registerWasmTrainingKernels skips kernels with its mark; a native kernel carries it too. */
const TRAINING = Symbol.for('layerbench.wasmTrainingKernel');
type Marked = TF.KernelFunc & { [NATIVE]?: TF.KernelConfig; [TRAINING]?: true };

type Factory = (tf: Tf, runtime: NativeRuntime, original: TF.KernelConfig) => TF.KernelConfig;

const KERNELS: readonly { name: string; make: Factory }[] = [
  { name: 'Conv2D', make: (tf, rt, original) => convConfig(tf, rt, original, false) },
  { name: 'FusedConv2D', make: (tf, rt, original) => convConfig(tf, rt, original, true) },
  { name: 'Conv2DBackpropInput', make: convInputGradConfig },
  { name: 'Conv2DBackpropFilter', make: convFilterGradConfig },
  { name: 'BatchMatMul', make: (tf, rt, original) => matMulConfig(tf, rt, original, false) },
  { name: '_FusedMatMul', make: (tf, rt, original) => matMulConfig(tf, rt, original, true) },
  { name: 'Sum', make: sumConfig },
];

export const NATIVE_KERNELS: readonly string[] = KERNELS.map((k) => k.name);

/**
 * Registers the native kernels for 'wasm' over what is registered now (call after
 * registerWasmTrainingKernels, so the kernels they replace are the faster wasm ones). Returns the
 * names registered; a kernel already native is left as it is.
 */
export function registerNativeKernels(tf: Tf, runtime: NativeRuntime): string[] {
  const registered: string[] = [];
  for (const { name, make } of KERNELS) {
    const current = tf.getKernel(name, 'wasm');
    if (!current || (current.kernelFunc as Marked)[NATIVE]) continue;
    const config = make(tf, runtime, current);
    const marked = config.kernelFunc as Marked;
    marked[NATIVE] = current;
    marked[TRAINING] = true;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
    registered.push(name);
  }
  return registered;
}

/** Puts back the kernels registerNativeKernels replaced; returns their names. */
export function unregisterNativeKernels(tf: Tf): string[] {
  const restored: string[] = [];
  for (const { name } of KERNELS) {
    const original = (tf.getKernel(name, 'wasm')?.kernelFunc as Marked | undefined)?.[NATIVE];
    if (!original) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(original);
    restored.push(name);
  }
  return restored;
}

/** Whether this TF.js runs its wasm convolutions and products natively now. */
export function nativeKernelsActive(tf: Tf): boolean {
  return (tf.getKernel('Conv2D', 'wasm')?.kernelFunc as Marked | undefined)?.[NATIVE] !== undefined;
}
