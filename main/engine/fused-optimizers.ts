/**
 * Adam with one kernel per variable on wasm (./wasm-kernels/adam.ts) instead of TF.js's fourteen.
 * It is TF.js's AdamOptimizer otherwise: the same moments, the same saved weights and config (it
 * saves as class `Adam`, so a checkpoint's optimizer state resumes in either), and on any other
 * backend its own applyGradients runs.
 */
import type * as TF from '@tensorflow/tfjs';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './wasm-kernels/adam.js';

type Tf = typeof import('@tensorflow/tfjs');
type VariableGradients = Parameters<TF.AdamOptimizer['applyGradients']>[0];

/** The AdamOptimizer fields the fused step reads and keeps up to date (protected in TF.js's types). */
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: TF.Variable;
  accBeta2: TF.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: TF.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: TF.Variable } | undefined)[];
  incrementIterations(): void;
}

type AdamClass = new (learningRate: number, beta1: number, beta2: number, epsilon?: number) => TF.AdamOptimizer;
const classes = new WeakMap<Tf, AdamClass>();

/** True when this `tf` runs on wasm with the fused Adam kernel registered. */
export function fusedAdamAvailable(tf: Tf): boolean {
  return tf.getBackend() === 'wasm' && tf.getKernel(ADAM_UPDATE, 'wasm') !== undefined;
}

function fusedAdamClass(tf: Tf): AdamClass {
  const known = classes.get(tf);
  if (known) return known;
  class FusedAdam extends tf.AdamOptimizer {
    /** βᵗ as read from accBeta1/2, kept in step in JavaScript; re-read when setWeights replaced them. */
    private powers?: { ids: [object, object]; beta1: number; beta2: number };

    override applyGradients(variableGradients: VariableGradients): void {
      if (!fusedAdamAvailable(tf)) return super.applyGradients(variableGradients);
      const self = this as unknown as AdamFields;
      const list = Array.isArray(variableGradients)
        ? variableGradients.map((v) => ({ name: v.name, gradient: v.tensor }))
        : Object.entries(variableGradients).map(([name, gradient]) => ({ name, gradient }));
      // βᵗ as TF.js keeps it, a running float32 product, so the corrections are TF.js's to the
      // last bit. Mirrored here: reading the two scalars back every step costs more than the update.
      const ids: [object, object] = [self.accBeta1.dataId, self.accBeta2.dataId];
      if (!this.powers || this.powers.ids[0] !== ids[0] || this.powers.ids[1] !== ids[1])
        this.powers = { ids, beta1: self.accBeta1.dataSync()[0]!, beta2: self.accBeta2.dataSync()[0]! };
      const accBeta1 = this.powers.beta1;
      const accBeta2 = this.powers.beta2;
      const attrs: AdamUpdateAttrs = {
        learningRate: self.learningRate,
        beta1: self.beta1,
        beta2: self.beta2,
        epsilon: self.epsilon,
        correction1: Math.fround(1 - accBeta1),
        correction2: Math.fround(1 - accBeta2),
      };
      tf.tidy(() => {
        list.forEach(({ name, gradient }, i) => {
          const value = tf.engine().registeredVariables[name]!;
          const m = (self.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
          const v = (self.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
          if (gradient == null) return;
          const inputs = { value, m: m.variable, v: v.variable, gradient } as unknown as TF.NamedTensorMap;
          const [newValue, newM, newV] = tf.engine().runKernel(ADAM_UPDATE, inputs, attrs as unknown as TF.NamedAttrMap) as unknown as TF.Tensor[];
          m.variable.assign(newM!);
          v.variable.assign(newV!);
          value.assign(newValue!);
        });
        self.accBeta1.assign(tf.mul(self.accBeta1, self.beta1));
        self.accBeta2.assign(tf.mul(self.accBeta2, self.beta2));
      });
      // The same float32 products the two multiplications made.
      this.powers = {
        ids: [self.accBeta1.dataId, self.accBeta2.dataId],
        beta1: Math.fround(accBeta1 * Math.fround(self.beta1)),
        beta2: Math.fround(accBeta2 * Math.fround(self.beta2)),
      };
      self.incrementIterations();
    }
  }
  classes.set(tf, FusedAdam as unknown as AdamClass);
  return FusedAdam as unknown as AdamClass;
}

/** tf.train.adam's defaults (β₁ 0.9, β₂ 0.999, ε from the backend), with the fused step on wasm. */
export function fusedAdam(tf: Tf, learningRate: number): TF.AdamOptimizer {
  return new (fusedAdamClass(tf))(learningRate, 0.9, 0.999);
}
