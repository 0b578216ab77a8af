import type { LayerSpec, ParamSpec } from './types.js';
import { activationParam, bool, known, needRank, num, only, useBiasParam } from './common.js';

const LAYOUT = '(batch, steps, features)';

function rnnParams(gated: boolean, extra: ParamSpec[] = []): ParamSpec[] {
  return [
    { name: 'units', type: 'int', default: 50, min: 1, doc: 'Size of the hidden state (and of the output).' },
    activationParam('tanh'),
    ...(gated ? [activationParam('sigmoid', 'Function applied to the gates.', 'recurrent_activation')] : []),
    useBiasParam,
    { name: 'return_sequences', type: 'bool', default: false, doc: 'Output every step (batch, steps, units) instead of only the last (batch, units).' },
    { name: 'dropout', type: 'float', default: 0, min: 0, max: 0.999, doc: 'Fraction of the inputs dropped during training.' },
    { name: 'recurrent_dropout', type: 'float', default: 0, min: 0, max: 0.999, doc: 'Fraction of the recurrent state dropped during training.' },
    ...extra,
  ];
}

/** `gates` weight blocks of units x (in + units), plus biases (`biasPerGate` per gate). */
function rnn(type: string, doc: string, gates: number, params: ParamSpec[], biasPerGate: (c: Record<string, unknown>) => number): LayerSpec {
  return {
    type,
    group: 'Recurrent',
    doc,
    params,
    inputs: { min: 1, max: 1 },
    outputShape(inputs, config) {
      const s = only(inputs);
      needRank(type, s, 3, LAYOUT);
      known(type, s, 2, 'number of features');
      const units = num(config, 'units');
      return bool(config, 'return_sequences') ? [s[0]!, s[1]!, units] : [s[0]!, units];
    },
    paramCount(inputs, config) {
      const s = only(inputs);
      const features = known(type, s, 2, 'number of features');
      const units = num(config, 'units');
      const bias = bool(config, 'use_bias') ? biasPerGate(config) * units : 0;
      return { trainable: gates * (units * (features + units) + bias), nonTrainable: 0 };
    },
    // Every step, each gate is a Dense over [input, state, 1]: 2 · gates · (features + units + 1) · units · steps.
    // The gates' element-wise products and activations are left out.
    flops(inputs, _output, config) {
      const s = only(inputs);
      const units = num(config, 'units');
      return 2 * gates * ((s[2] ?? 0) + units + 1) * units * (s[1] ?? 1);
    },
  };
}

export const LSTM = rnn(
  'LSTM',
  'Long short-term memory: a recurrent layer that remembers over long sequences.',
  4,
  rnnParams(true, [{ name: 'unit_forget_bias', type: 'bool', default: true, doc: 'Start the forget gate bias at 1.' }]),
  () => 1,
);

// reset_after defaults to false: TF.js 4.22 cannot build a GRU with reset_after (Keras 2's default is true).
export const GRU = rnn(
  'GRU',
  'Gated recurrent unit: a lighter LSTM.',
  3,
  rnnParams(true, [
    {
      name: 'reset_after',
      type: 'bool',
      default: false,
      doc: 'Apply the reset gate after the matrix product (Keras 2 default, CuDNN-compatible). TF.js cannot train it.',
    },
  ]),
  (c) => (c['reset_after'] === true ? 2 : 1),
);

export const SimpleRNN = rnn('SimpleRNN', 'Fully connected recurrent layer: the output is fed back as input.', 1, rnnParams(false), () => 1);

export const RECURRENT_LAYERS: LayerSpec[] = [LSTM, GRU, SimpleRNN];
