/**
 * The fused LSTM (main/engine/fused-lstm.ts) on wasm against TF.js's own LSTM on the cpu backend,
 * from the same weights and inputs: outputs and the gradients of Σ out · r (r fixed, so dy is not
 * all ones) with respect to the input and each weight may differ by at most 1e-4 of the largest
 * cpu value. Also: it is used where it should be, falls back where it must, and saves as LSTM.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { fusedLstmAvailable, fusedLstmClass } from '../../../main/engine/fused-lstm.js';
import { LSTM_CELL } from '../../../main/engine/wasm-kernels/lstm-cell.js';
import { onBackend, seededValues } from '../../helpers/backends.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
});

const values = seededValues;

interface Case {
  batch: number;
  steps: number;
  features: number;
  units: number;
  returnSequences: boolean;
  useBias: boolean;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
}

/** The layer's output and the gradients of Σ out · r w.r.t. x, kernel, recurrent kernel (and bias). */
function run(c: Case, fused: boolean): TF.Tensor[] {
  const args = { units: c.units, returnSequences: c.returnSequences, useBias: c.useBias, recurrentActivation: c.recurrentActivation, inputShape: [c.steps, c.features] };
  const layer = fused ? new (fusedLstmClass(tf))(args) : tf.layers.lstm(args);
  const x = tf.tensor(values([c.batch, c.steps, c.features], 1), [c.batch, c.steps, c.features]);
  layer.apply(x); // builds it
  // Large enough weights that the gates leave the hard sigmoid's linear part now and then.
  layer.setWeights(layer.getWeights().map((w, i) => tf.tensor(values(w.shape, 10 + i, 0.8), w.shape)));
  const outShape = c.returnSequences ? [c.batch, c.steps, c.units] : [c.batch, c.units];
  const r = tf.tensor(values(outShape, 99), outShape);
  const weights = layer.trainableWeights.map((w) => w.read());
  // The layer reads the same weight tensors it is differentiated against.
  const f = (xIn: TF.Tensor): TF.Scalar => tf.sum(tf.mul(layer.apply(xIn) as TF.Tensor, r));
  const out = layer.apply(x) as TF.Tensor;
  // TF.js's own LSTM cannot differentiate its input over a single step (its Unpack gradient
  // fails), so one-step cases compare the weight gradients only; the input gradient is the same
  // product with dz as in the multi-step cases, which compare it.
  if (c.steps === 1) return [out, ...tf.grads(() => f(x))(weights)];
  return [out, ...tf.grads(f)([x, ...weights])];
}

const on = (backend: 'cpu' | 'wasm', f: () => TF.Tensor[]): Promise<Float32Array[]> => onBackend(tf, backend, f);

function relativeError(ref: Float32Array, got: Float32Array): number {
  expect(got.length).toBe(ref.length);
  let scale = 0;
  let err = 0;
  ref.forEach((v, j) => {
    scale = Math.max(scale, Math.abs(v));
    err = Math.max(err, Math.abs(v - got[j]!));
  });
  return scale === 0 ? err : err / scale;
}

const CASES: Case[] = [
  // J1's shape: one step, the output of the last step only.
  { batch: 72, steps: 1, features: 8, units: 50, returnSequences: false, useBias: true, recurrentActivation: 'sigmoid' },
  { batch: 4, steps: 1, features: 3, units: 5, returnSequences: true, useBias: true, recurrentActivation: 'sigmoid' },
  { batch: 3, steps: 6, features: 4, units: 7, returnSequences: false, useBias: true, recurrentActivation: 'sigmoid' },
  { batch: 3, steps: 6, features: 4, units: 7, returnSequences: true, useBias: true, recurrentActivation: 'sigmoid' },
  { batch: 2, steps: 5, features: 3, units: 4, returnSequences: true, useBias: false, recurrentActivation: 'sigmoid' },
  { batch: 5, steps: 4, features: 6, units: 3, returnSequences: false, useBias: true, recurrentActivation: 'hardSigmoid' },
  { batch: 5, steps: 4, features: 6, units: 3, returnSequences: true, useBias: false, recurrentActivation: 'hardSigmoid' },
];

describe('fused LSTM on wasm vs TF.js LSTM on cpu', () => {
  for (const c of CASES) {
    const name = `batch ${c.batch}, ${c.steps} step(s), ${c.features}→${c.units}, ${c.returnSequences ? 'sequences' : 'last'}, ${c.useBias ? 'bias' : 'no bias'}, ${c.recurrentActivation}`;
    it(name, async () => {
      const reference = await on('cpu', () => run(c, false));
      const fused = await on('wasm', () => run(c, true));
      expect(fused.length).toBe(reference.length);
      const labels = c.steps === 1 ? ['output', 'd kernel', 'd recurrent kernel', 'd bias'] : ['output', 'd input', 'd kernel', 'd recurrent kernel', 'd bias'];
      reference.forEach((ref, i) => {
        const e = relativeError(ref, fused[i]!);
        expect(e, `${labels[i]}: relative error ${e}`).toBeLessThanOrEqual(1e-4);
      });
    });
  }
});

describe('the fused LSTM inside a model', () => {
  /** Σ out · r for Input [5, 3] → (Dense(4) →) LSTM(6), and the gradient of every weight. */
  const grads = (denseFirst: boolean) => () => {
    const input = tf.input({ shape: [5, 3] });
    const fed = denseFirst ? (tf.layers.dense({ units: 4, name: 'dense' }).apply(input) as TF.SymbolicTensor) : input;
    const out = new (fusedLstmClass(tf))({ units: 6, name: 'lstm' }).apply(fed) as TF.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.setWeights(model.getWeights().map((w, i) => tf.tensor(values(w.shape, 30 + i, 0.8), w.shape)));
    const x = tf.tensor(values([4, 5, 3], 40), [4, 5, 3]);
    const r = tf.tensor(values([4, 6], 41), [4, 6]);
    const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x) as TF.Tensor, r)) as TF.Scalar, model.trainableWeights.map((w) => w.read() as TF.Variable));
    const result = model.trainableWeights.map((w) => g[(w.read() as TF.Variable).name]!);
    model.dispose();
    return result;
  };

  it.each([
    ['fed by the Input (its input gradient is skipped)', false],
    ['fed by a Dense, which needs its input gradient', true],
  ])('%s: weight gradients as TF.js computes them', async (_name, denseFirst) => {
    const reference = await on('cpu', grads(denseFirst));
    const fused = await on('wasm', grads(denseFirst));
    expect(fused.length).toBe(denseFirst ? 5 : 3);
    reference.forEach((ref, i) => expect(relativeError(ref, fused[i]!), `weight ${i}`).toBeLessThanOrEqual(1e-4));
  });
});

describe('when the fused path runs', () => {
  it('is available on wasm with its kernels registered, not on cpu', async () => {
    await tf.setBackend('wasm');
    expect(tf.getKernel(LSTM_CELL, 'wasm')).toBeDefined();
    expect(fusedLstmAvailable(tf)).toBe(true);
    await tf.setBackend('cpu');
    expect(fusedLstmAvailable(tf)).toBe(false);
    await tf.setBackend('wasm');
  });

  it('runs its own kernel for a plain LSTM and hands dropout in training to TF.js', async () => {
    await tf.setBackend('wasm');
    const kernelsOf = async (args: Record<string, unknown>, training: boolean): Promise<string[]> => {
      const layer = new (fusedLstmClass(tf))({ units: 4, inputShape: [3, 2], ...args });
      const x = tf.ones([2, 3, 2]);
      layer.apply(x); // builds it
      const profile = await tf.profile(() => tf.tidy(() => layer.apply(x, { training }) as TF.Tensor));
      x.dispose();
      return profile.kernels.map((k) => k.name);
    };
    expect(await kernelsOf({}, true)).toContain(LSTM_CELL);
    expect(await kernelsOf({ dropout: 0.5 }, false)).toContain(LSTM_CELL);
    const withDropout = await kernelsOf({ dropout: 0.5 }, true);
    expect(withDropout).not.toContain(LSTM_CELL);
    expect(withDropout).toContain('SplitV');
    expect(await kernelsOf({ goBackwards: true }, false)).not.toContain(LSTM_CELL);
  });

  it('saves as a Keras LSTM and loads back as one', async () => {
    await tf.setBackend('wasm');
    const input = tf.input({ shape: [2, 3] });
    const out = new (fusedLstmClass(tf))({ units: 4, name: 'lstm' }).apply(input) as TF.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const json = model.toJSON(undefined, false) as { config: { layers: { class_name: string }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['InputLayer', 'LSTM']);
    const back = await tf.models.modelFromJSON(json as unknown as TF.io.ModelJSON['modelTopology'] as never);
    expect(back.layers[1]!.getClassName()).toBe('LSTM');
    model.dispose();
    back.dispose();
  });
});
