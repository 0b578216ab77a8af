/**
 * LSTM, GRU, SimpleRNN and Bidirectional as ONNX's LSTM, GRU and RNN ops (sequence first, so the
 * (batch, steps, features) input is transposed in and the outputs back).
 * Gate orders: Keras LSTM i,f,c,o → ONNX i,o,f,c; GRU z,r,h in both. Keras kernels are
 * (in, gates·units), ONNX's W (gates·units, in). GRU reset_after = true is ONNX's
 * linear_before_reset = 1 (its (2, 3·units) bias splits into input and recurrent biases).
 * Bidirectional: ONNX's 'bidirectional' direction gives both, aligned by time step as Keras does.
 */
import { RNN_ACTIVATIONS } from '../activations.js';
import type { Attr } from '../builder.js';
import { reorderColumnBlocks, transposeValues } from '../tensor-math.js';
import type { NamedWeight } from '../../keras/layer-weights.js';
import type { Config, LayerContext, LayerConverter } from './types.js';

type Cell = 'LSTM' | 'GRU' | 'SimpleRNN';
const GATES: Record<Cell, number> = { LSTM: 4, GRU: 3, SimpleRNN: 1 };
const OP: Record<Cell, string> = { LSTM: 'LSTM', GRU: 'GRU', SimpleRNN: 'RNN' };
/** For each ONNX gate block, the Keras block it comes from. */
const ORDER: Record<Cell, number[]> = { LSTM: [0, 3, 1, 2], GRU: [0, 1, 2], SimpleRNN: [0] };

function activationsOf(cell: Cell, c: Config): string[] {
  const act = String(c['activation']);
  const rec = String(c['recurrent_activation'] ?? 'sigmoid');
  return cell === 'LSTM' ? [rec, act, act] : cell === 'GRU' ? [rec, act] : [act];
}

export function recurrentReason(cell: Cell, c: Config): string | null {
  const bad = activationsOf(cell, c).filter((a) => !RNN_ACTIVATIONS[a]);
  if (bad.length > 0) return `activation '${bad[0]}' is not one ONNX's ${OP[cell]} op accepts (${Object.keys(RNN_ACTIVATIONS).join(', ')})`;
  return null;
}

interface DirectionWeights {
  W: Float32Array;
  R: Float32Array;
  B: Float32Array;
}

/** One direction's W, R and B in ONNX layout from Keras kernel, recurrent_kernel and bias. */
function directionWeights(cell: Cell, weights: NamedWeight[], units: number, features: number, resetAfter: boolean): DirectionWeights {
  const get = (local: string) => weights.find((w) => w.local === local || w.local.endsWith(`/${local}`));
  const kernel = get('kernel');
  const recurrent = get('recurrent_kernel');
  if (!kernel || !recurrent) throw new Error(`${cell} weights are missing: found ${weights.map((w) => w.local).join(', ')}`);
  const gates = GATES[cell];
  const order = ORDER[cell];
  const onnx = (w: NamedWeight, rows: number) => transposeValues(reorderColumnBlocks(w.values, rows, units, order), [rows, gates * units], [1, 0]).values;
  const B = new Float32Array(2 * gates * units);
  const bias = get('bias');
  if (bias) {
    // GRU with reset_after stores (2, 3·units): the input bias, then the recurrent bias.
    const input = resetAfter ? bias.values.subarray(0, gates * units) : bias.values;
    B.set(reorderColumnBlocks(input, 1, units, order), 0);
    if (resetAfter) B.set(reorderColumnBlocks(bias.values.subarray(gates * units), 1, units, order), gates * units);
  }
  return { W: onnx(kernel, features), R: onnx(recurrent, units), B };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Emits the recurrent op for one or both directions; returns (batch, steps, dirs, units) when
 * return_sequences is set, else (batch, dirs, units).
 */
function recurrentNodes(ctx: LayerContext, cell: Cell, config: Config, directions: NamedWeight[][]): string {
  const { b, name } = ctx;
  const units = Number(config['units']);
  const features = ctx.inputShapes[0]![2] as number;
  const resetAfter = cell === 'GRU' && config['reset_after'] === true;
  const dirs = directions.map((w) => directionWeights(cell, w, units, features, resetAfter));
  const gates = GATES[cell];
  const n = dirs.length;
  const W = b.floats(`${name}/W`, concat(dirs.map((d) => d.W)), [n, gates * units, features]);
  const R = b.floats(`${name}/R`, concat(dirs.map((d) => d.R)), [n, gates * units, units]);
  const B = b.floats(`${name}/B`, concat(dirs.map((d) => d.B)), [n, 2 * gates * units]);
  const acts = Array.from({ length: n }, () => activationsOf(cell, config)).flat().map((a) => RNN_ACTIVATIONS[a]!);
  const attrs: Record<string, Attr> = {
    hidden_size: { i: units },
    direction: { s: n === 2 ? 'bidirectional' : 'forward' },
    activations: { strings: acts.map((a) => a.name) },
  };
  // alpha and beta are consumed in order by the activations that take them.
  const alphas = acts.filter((a) => a.alpha !== undefined).map((a) => a.alpha!);
  const betas = acts.filter((a) => a.beta !== undefined).map((a) => a.beta!);
  if (alphas.length > 0) attrs['activation_alpha'] = { floats: alphas };
  if (betas.length > 0) attrs['activation_beta'] = { floats: betas };
  if (cell === 'GRU') attrs['linear_before_reset'] = { i: resetAfter ? 1 : 0 };
  const x = b.op('Transpose', [ctx.inputs[0]!], { perm: { ints: [1, 0, 2] } }, `${name}/time_major`);
  const [y, yh] = b.opN(OP[cell], [x, W, R, B], attrs, `${name}/${OP[cell].toLowerCase()}`, 2);
  // Y: (steps, dirs, batch, units); Y_h: (dirs, batch, units).
  if (config['return_sequences'] === true) return b.op('Transpose', [y!], { perm: { ints: [2, 0, 1, 3] } }, `${name}/batch_major`);
  return b.op('Transpose', [yh!], { perm: { ints: [1, 0, 2] } }, `${name}/batch_major`);
}

/** Merges the directions axis (-2) of recurrentNodes' output. */
function mergeDirections(ctx: LayerContext, y: string, mode: string, units: number, sequences: boolean): string {
  const { b, name } = ctx;
  if (mode === 'concat') return b.op('Reshape', [y, b.int64s(`${name}/shape`, sequences ? [0, 0, 2 * units] : [0, 2 * units])], {}, name);
  const op = { sum: 'ReduceSum', mul: 'ReduceProd', ave: 'ReduceMean' }[mode];
  if (!op) throw new Error(`Bidirectional merge_mode '${mode}' has no ONNX mapping`);
  const axis = sequences ? 2 : 1;
  // ReduceSum takes its axes as an input from opset 13; ReduceProd and ReduceMean as an attribute until opset 18.
  return op === 'ReduceSum'
    ? b.op(op, [y, b.int64s(`${name}/axes`, [axis])], { keepdims: { i: 0 } }, name)
    : b.op(op, [y], { axes: { ints: [axis] }, keepdims: { i: 0 } }, name);
}

function single(cell: Cell): LayerConverter {
  return {
    unsupported: (c) => recurrentReason(cell, c),
    convert(ctx) {
      const y = recurrentNodes(ctx, cell, ctx.config, [ctx.weights]);
      const sequences = ctx.config['return_sequences'] === true;
      return ctx.b.op('Squeeze', [y, ctx.b.int64s(`${ctx.name}/axes`, [sequences ? 2 : 1])], {}, ctx.name);
    },
  };
}

const Bidirectional: LayerConverter = {
  unsupported: (c) => recurrentReason(String(c['layer']) as Cell, c),
  convert(ctx) {
    const cell = String(ctx.config['layer']) as Cell;
    const forward = ctx.weights.filter((w) => w.local.startsWith('forward_'));
    const backward = ctx.weights.filter((w) => w.local.startsWith('backward_'));
    const y = recurrentNodes(ctx, cell, ctx.config, [forward, backward]);
    return mergeDirections(ctx, y, String(ctx.config['merge_mode']), Number(ctx.config['units']), ctx.config['return_sequences'] === true);
  },
};

export const RECURRENT_CONVERTERS: Record<string, LayerConverter> = {
  LSTM: single('LSTM'),
  GRU: single('GRU'),
  SimpleRNN: single('SimpleRNN'),
  Bidirectional,
};
