/**
 * A faster LSTM for the wasm backend, the same layer to everything else. TF.js runs an LSTM step
 * as a dozen small kernels and records each on the gradient tape (with clones of what it keeps),
 * and builds the zero initial state from the input by a sum and two tiles; for J1's LSTM(50) on
 * one time step that bookkeeping is most of a training step. Here the whole sequence is one
 * operation with its own gradient: the products with the kernels are XNNPACK matrix products (the
 * input product for all time steps at once), the element-wise part of each step is one kernel
 * (./wasm-kernels/lstm-cell.ts), and the first step, whose state is zero, skips its recurrent
 * product, forward and backward.
 *
 * `FusedLSTM` extends TF.js's LSTM: same weights, same names, same config (it saves as class
 * `LSTM`), and it hands anything it does not cover (dropout while training, masks, initial or
 * returned states, stateful or backwards layers, activations other than tanh with a sigmoid or
 * hard-sigmoid gate, other backends) to TF.js's own code.
 */
import type * as TF from '@tensorflow/tfjs';
import { LSTM_CELL, LSTM_CELL_GRAD, type GateActivation, type LstmCellAttrs } from './wasm-kernels/lstm-cell.js';

type Tf = typeof TF;
type Kwargs = Record<string, unknown>;

/** The LSTMCell fields this file reads (public in tfjs-layers 4.x, untyped in its d.ts). */
interface CellFields {
  kernel: { read(): TF.Tensor };
  recurrentKernel: { read(): TF.Tensor };
  bias: { read(): TF.Tensor } | null;
  useBias: boolean;
  dropout: number;
  recurrentDropout: number;
  activation: { getClassName(): string };
  recurrentActivation: { getClassName(): string };
}

interface RnnFields {
  cell: CellFields;
  returnSequences: boolean;
  returnState: boolean;
  goBackwards: boolean;
  stateful: boolean;
}

const GATES: Record<string, GateActivation> = { sigmoid: 'sigmoid', hardSigmoid: 'hardSigmoid' };

/** True when this `tf` runs on wasm with the LSTM step kernels registered. */
export function fusedLstmAvailable(tf: Tf): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(LSTM_CELL, 'wasm') !== undefined && tf.getKernel(LSTM_CELL_GRAD, 'wasm') !== undefined;
}

function runCell(tf: Tf, inputs: Record<string, TF.Tensor>, attrs: LstmCellAttrs, kernel: string): TF.Tensor[] {
  return tf.engine().runKernel(kernel, inputs as unknown as TF.NamedTensorMap, attrs as unknown as TF.NamedAttrMap) as unknown as TF.Tensor[];
}

/**
 * An LSTM over x [batch, time, features] from a zero state, with kernel [features, 4u],
 * recurrentKernel [u, 4u] and bias [4u] (or none): the last output [batch, u], or every output
 * [batch, time, u] with `returnSequences`. Differentiable with respect to all of them.
 */
export function lstmSequence(
  tf: Tf,
  x: TF.Tensor,
  kernel: TF.Tensor,
  recurrentKernel: TF.Tensor,
  bias: TF.Tensor | null,
  opts: { returnSequences: boolean; recurrentActivation: GateActivation; inputIsData?: boolean },
): TF.Tensor {
  const [batch, steps, features] = x.shape as [number, number, number];
  const width = kernel.shape[1]!;
  const units = width / 4;
  const attrs: LstmCellAttrs = { recurrentActivation: opts.recurrentActivation };

  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, w, u] = args as [TF.Tensor, TF.Tensor2D, TF.Tensor2D];
    const b = bias ? (args[3] as TF.Tensor1D) : null;
    const save = args[bias ? 4 : 3] as (tensors: TF.Tensor[]) => void;
    // Time-major rows, so step t is the contiguous block t·batch … (t+1)·batch.
    const rows: TF.Tensor2D = steps === 1 ? tf.reshape(xIn, [batch, features]) : tf.reshape(tf.transpose(xIn, [1, 0, 2]), [steps * batch, features]);
    const zx = b ? tf.fused.matMul({ a: rows, b: w, bias: b }) : tf.matMul(rows, w);
    const hs: TF.Tensor[] = [];
    const cs: TF.Tensor[] = [];
    const gates: TF.Tensor[] = [];
    const tanhCs: TF.Tensor[] = [];
    for (let t = 0; t < steps; t++) {
      let z: TF.Tensor = steps === 1 ? zx : tf.slice(zx, [t * batch, 0], [batch, width]);
      const hPrev = hs[t - 1];
      const cPrev = cs[t - 1];
      if (hPrev) z = tf.add(z, tf.matMul(hPrev as TF.Tensor2D, u));
      const [h, c, g, tc] = runCell(tf, cPrev ? { z, cPrev } : { z }, attrs, LSTM_CELL) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
      hs.push(h);
      cs.push(c);
      gates.push(g);
      tanhCs.push(tc);
    }
    const last = hs[steps - 1]!;
    const value = !opts.returnSequences ? last : steps === 1 ? tf.reshape(last, [batch, 1, units]) : tf.transpose(tf.stack(hs), [1, 0, 2]);
    save([rows, w, u, ...gates, ...tanhCs, ...cs.slice(0, -1), ...hs.slice(0, -1)]);

    const gradFunc = (dy: TF.Tensor, saved: TF.Tensor[]): TF.Tensor[] => {
      const [rowsS, wS, uS] = saved as [TF.Tensor2D, TF.Tensor2D, TF.Tensor2D];
      const gatesS = saved.slice(3, 3 + steps);
      const tanhCS = saved.slice(3 + steps, 3 + 2 * steps);
      // c and h of every step but the last (each the previous state of the next step).
      const cPrevS = saved.slice(3 + 2 * steps, 2 + 3 * steps);
      const hPrevS = saved.slice(2 + 3 * steps);
      const dyAt: (t: number) => TF.Tensor | undefined = !opts.returnSequences
        ? (t) => (t === steps - 1 ? dy : undefined)
        : steps === 1
          ? () => tf.reshape(dy, [batch, units])
          : ((perStep) => (t: number) => perStep[t])(tf.unstack(dy, 1));
      const dz: TF.Tensor[] = new Array<TF.Tensor>(steps);
      let dhNext: TF.Tensor | undefined;
      let dcNext: TF.Tensor | undefined;
      for (let t = steps - 1; t >= 0; t--) {
        const fromOutput = dyAt(t);
        const dh = fromOutput && dhNext ? tf.add(fromOutput, dhNext) : (fromOutput ?? dhNext)!;
        const inputs: Record<string, TF.Tensor> = { gates: gatesS[t]!, tanhC: tanhCS[t]!, dh };
        if (t > 0) inputs['cPrev'] = cPrevS[t - 1]!;
        if (dcNext) inputs['dc'] = dcNext;
        const [dzT, dcPrev] = runCell(tf, inputs, attrs, LSTM_CELL_GRAD) as [TF.Tensor2D, TF.Tensor];
        dz[t] = dzT;
        if (t > 0) {
          dhNext = tf.matMul(dzT, uS, false, true);
          dcNext = dcPrev;
        }
      }
      const dZ = (steps === 1 ? dz[0]! : tf.concat(dz, 0)) as TF.Tensor2D;
      const dW = tf.matMul(rowsS, dZ, true, false);
      // Fed straight from the model's input, x is data: nothing upstream takes its gradient.
      const dx = opts.inputIsData
        ? tf.zerosLike(xIn)
        : ((dRows: TF.Tensor) => (steps === 1 ? tf.reshape(dRows, [batch, 1, features]) : tf.transpose(tf.reshape(dRows, [steps, batch, features]), [1, 0, 2])))(tf.matMul(dZ, wS, false, true));
      // h₀ is zero, so only steps 1… add to the recurrent kernel's gradient: one product over them.
      const dU =
        steps === 1
          ? tf.zerosLike(uS)
          : tf.matMul(tf.concat(hPrevS, 0) as TF.Tensor2D, tf.slice(dZ, [batch, 0], [(steps - 1) * batch, width]), true, false);
      return b ? [dx, dW, dU, tf.sum(dZ, 0)] : [dx, dW, dU];
    };
    return { value, gradFunc };
  });
  return bias ? op(x, kernel, recurrentKernel, bias) : op(x, kernel, recurrentKernel);
}

/** The gate activation the fused path computes for this layer, or undefined when it does not cover the call. */
function fusedGate(tf: Tf, layer: RnnFields, inputs: TF.Tensor | TF.Tensor[], kwargs: Kwargs): GateActivation | undefined {
  if (!fusedLstmAvailable(tf)) return undefined;
  if (Array.isArray(inputs) && inputs.length !== 1) return undefined;
  const x = Array.isArray(inputs) ? inputs[0]! : inputs;
  if (x.rank !== 3 || x.dtype !== 'float32' || x.shape[1] === 0) return undefined;
  if (kwargs['mask'] != null || kwargs['initialState'] != null) return undefined;
  if (layer.stateful || layer.goBackwards || layer.returnState) return undefined;
  const cell = layer.cell;
  if (kwargs['training'] === true && (cell.dropout > 0 || cell.recurrentDropout > 0)) return undefined;
  if (cell.activation.getClassName() !== 'tanh') return undefined;
  return GATES[cell.recurrentActivation.getClassName()];
}

/**
 * True when every call of this layer in its model takes an Input layer's tensor: what it is fed is
 * then training data, whose gradient nobody asks for. (A layer called on its own, outside a model,
 * has no inbound nodes and gets its input gradient.)
 */
function fedByInputLayer(layer: TF.layers.Layer): boolean {
  const nodes = (layer as unknown as { inboundNodes: { inboundLayers: TF.layers.Layer[] }[] }).inboundNodes ?? [];
  return nodes.length > 0 && nodes.every((n) => n.inboundLayers.length > 0 && n.inboundLayers.every((l) => l.getClassName() === 'InputLayer'));
}

type LayerClass = new (args: { units: number; name?: string } & Record<string, unknown>) => TF.layers.Layer;
const classes = new WeakMap<Tf, LayerClass>();

/** The FusedLSTM class for this `tf` (each TF.js package has its own layer classes). */
export function fusedLstmClass(tf: Tf): LayerClass {
  const known = classes.get(tf);
  if (known) return known;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['LSTM'];
  if (!entry) throw new Error('This TF.js has no registered LSTM class');
  const Base = entry[0] as unknown as new (args: unknown) => TF.layers.Layer;

  class FusedLSTM extends Base {
    override call(inputs: TF.Tensor | TF.Tensor[], kwargs: Kwargs): TF.Tensor | TF.Tensor[] {
      const self = this as unknown as RnnFields;
      const gate = fusedGate(tf, self, inputs, kwargs ?? {});
      if (!gate) return super.call(inputs, kwargs);
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0]! : inputs;
        const { cell } = self;
        return lstmSequence(tf, x, cell.kernel.read(), cell.recurrentKernel.read(), cell.useBias && cell.bias ? cell.bias.read() : null, {
          returnSequences: self.returnSequences,
          recurrentActivation: gate,
          inputIsData: fedByInputLayer(this),
        });
      });
    }
  }
  classes.set(tf, FusedLSTM as unknown as LayerClass);
  return FusedLSTM as unknown as LayerClass;
}
