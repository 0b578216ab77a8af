/**
 * Training kernels for the TF.js 4.22 wasm backend: the ones it lacks (so Conv2D, depthwise and
 * Embedding layers can train), the ones it runs through plain loops where XNNPACK could
 * (transposed products, the input gradient of a convolution), an Identity that shares instead of
 * copying (./identity.ts), and our own for one LSTM step
 * (./lstm-cell.ts) and one Adam update (./adam.ts). Each is checked against the cpu backend in
 * test/unit/engine/wasm-kernels.test.ts (the LSTM step in test/unit/engine/fused-lstm.test.ts).
 */
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from './compose.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
import { LSTM_CELL, LSTM_CELL_GRAD, lstmCellConfig, lstmCellGradConfig } from './lstm-cell.js';
import { ADAM_UPDATE, adamUpdateConfig } from './adam.js';
import { identityConfig } from './identity.js';

/** Marks our kernel functions, so a second registration can tell them from wasm's own. */
const OURS = Symbol.for('layerbench.wasmTrainingKernel');
type Marked = TF.KernelFunc & { [OURS]?: true };

/** Makes a kernel, given the wasm one of that name it replaces (undefined where wasm has none). */
type Factory = (tf: Tf, original: TF.KernelConfig | undefined) => TF.KernelConfig;

const KERNELS: readonly { name: string; make: Factory }[] = [
  { name: 'Conv2DBackpropFilter', make: (tf) => conv2DBackpropFilterConfig(tf) },
  { name: 'Conv2DBackpropInput', make: (tf, original) => conv2DBackpropInputConfig(tf, original) },
  { name: 'DepthwiseConv2dNativeBackpropFilter', make: (tf) => depthwiseBackpropFilterConfig(tf) },
  { name: 'DepthwiseConv2dNativeBackpropInput', make: (tf) => depthwiseBackpropInputConfig(tf) },
  { name: 'UnsortedSegmentSum', make: (tf) => unsortedSegmentSumConfig(tf) },
  { name: 'MaxPoolGrad', make: (tf) => maxPoolGradConfig(tf) },
  // Not TF.js kernels: ours, for the fused LSTM (../fused-lstm.ts) and Adam (../fused-optimizers.ts).
  { name: LSTM_CELL, make: (tf) => lstmCellConfig(tf) },
  { name: LSTM_CELL_GRAD, make: () => lstmCellGradConfig() },
  { name: ADAM_UPDATE, make: () => adamUpdateConfig() },
  {
    name: 'Identity',
    make: (_tf, original) => {
      if (!original) throw new Error('the wasm backend has no Identity kernel to replace');
      return identityConfig(original);
    },
  },
  {
    name: 'BatchMatMul',
    make: (tf, original) => {
      if (!original) throw new Error('the wasm backend has no BatchMatMul kernel to speed up');
      return batchMatMulConfig(tf, original);
    },
  },
];

/** The kernels this module registers for wasm. */
export const WASM_TRAINING_KERNELS: readonly string[] = KERNELS.map((k) => k.name);

/**
 * Registers the kernels for the 'wasm' backend of this TF.js. Call it after the wasm backend is
 * set: a replaced kernel keeps the wasm original for the cases it handles itself, and that
 * original is only ready once the backend has initialised. Returns the names it registered now.
 */
export function registerWasmTrainingKernels(tf: Tf): string[] {
  const registered: string[] = [];
  for (const { name, make } of KERNELS) {
    const current = tf.getKernel(name, 'wasm');
    if ((current?.kernelFunc as Marked | undefined)?.[OURS]) continue;
    const config = make(tf, current);
    (config.kernelFunc as Marked)[OURS] = true;
    if (current) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
    registered.push(name);
  }
  return registered;
}
