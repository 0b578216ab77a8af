/**
 * Keras activation names as ONNX nodes, matching TF.js's definitions (which the app trains with):
 * hard_sigmoid is clip(0.2·x + 0.5, 0, 1) as in TF.js and Keras 2, gelu the exact erf form,
 * swish x·sigmoid(x), mish x·tanh(softplus(x)).
 */
import type { OnnxBuilder } from './builder.js';

type Emit = (b: OnnxBuilder, x: string, base: string) => string;

const ACTIVATIONS: Record<string, Emit> = {
  linear: (_b, x) => x,
  relu: (b, x, n) => b.op('Relu', [x], {}, n),
  sigmoid: (b, x, n) => b.op('Sigmoid', [x], {}, n),
  tanh: (b, x, n) => b.op('Tanh', [x], {}, n),
  softmax: (b, x, n) => b.op('Softmax', [x], { axis: { i: -1 } }, n),
  elu: (b, x, n) => b.op('Elu', [x], { alpha: { f: 1 } }, n),
  selu: (b, x, n) => b.op('Selu', [x], {}, n),
  softplus: (b, x, n) => b.op('Softplus', [x], {}, n),
  softsign: (b, x, n) => b.op('Softsign', [x], {}, n),
  hard_sigmoid: (b, x, n) => b.op('HardSigmoid', [x], { alpha: { f: 0.2 }, beta: { f: 0.5 } }, n),
  relu6: (b, x, n) => b.op('Clip', [x, b.floats(`${n}/min`, [0], []), b.floats(`${n}/max`, [6], [])], {}, n),
  swish: (b, x, n) => b.op('Mul', [x, b.op('Sigmoid', [x], {}, `${n}/sigmoid`)], {}, n),
  mish: (b, x, n) => b.op('Mul', [x, b.op('Tanh', [b.op('Softplus', [x], {}, `${n}/softplus`)], {}, `${n}/tanh`)], {}, n),
  gelu: (b, x, n) => {
    const scaled = b.op('Div', [x, b.floats(`${n}/sqrt2`, [Math.SQRT2], [])], {}, `${n}/scaled`);
    const cdf = b.op('Add', [b.op('Erf', [scaled], {}, `${n}/erf`), b.floats(`${n}/one`, [1], [])], {}, `${n}/cdf`);
    return b.op('Mul', [b.op('Mul', [x, cdf], {}, `${n}/xcdf`), b.floats(`${n}/half`, [0.5], [])], {}, n);
  },
};

export function isExportableActivation(name: string): boolean {
  return name in ACTIVATIONS;
}

/** Applies a Keras activation to tensor `x`; returns the result's name (`x` itself for linear). */
export function applyActivation(b: OnnxBuilder, x: string, activation: string, base: string): string {
  const emit = ACTIVATIONS[activation];
  if (!emit) throw new Error(`Activation '${activation}' has no ONNX mapping`);
  return emit(b, x, base);
}

/**
 * Activations ONNX's LSTM, GRU and RNN ops accept (their `activations` attribute), with the
 * alpha/beta each needs. Others cannot be expressed inside those ops.
 */
export const RNN_ACTIVATIONS: Record<string, { name: string; alpha?: number; beta?: number }> = {
  tanh: { name: 'Tanh' },
  sigmoid: { name: 'Sigmoid' },
  relu: { name: 'Relu' },
  hard_sigmoid: { name: 'HardSigmoid', alpha: 0.2, beta: 0.5 },
  elu: { name: 'Elu', alpha: 1 },
  softsign: { name: 'Softsign' },
  softplus: { name: 'Softplus' },
  linear: { name: 'Affine', alpha: 1, beta: 0 },
};
