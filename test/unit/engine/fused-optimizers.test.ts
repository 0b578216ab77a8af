/**
 * The fused Adam (main/engine/fused-optimizers.ts) on wasm against tf.train.adam on wasm and on
 * the cpu backend: the same variables, moments and step count after several steps from the same start,
 * and a state saved from one continues in the other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { fusedAdam, fusedAdamAvailable } from '../../../main/engine/fused-optimizers.js';
import { ADAM_UPDATE } from '../../../main/engine/wasm-kernels/adam.js';
import { mulberry32 } from '../../../shared/random.js';

type Saved = Awaited<ReturnType<TF.Optimizer['getWeights']>>;

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
});

function values(n: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: n }, () => random() * 2 - 1);
}

interface Trained {
  variables: Float32Array[];
  moments: Float32Array[];
  iterations: number;
}

/** `steps` Adam steps on Σ (A·w − b)² + Σ u⁴, from fixed starting values; `resumeFrom` restores a state first. */
async function train(backend: 'cpu' | 'wasm', fused: boolean, steps: number, resumeFrom?: Saved): Promise<{ out: Trained; state: Saved }> {
  await tf.setBackend(backend);
  const w = tf.variable(tf.tensor2d(values(12, 1), [4, 3]), true, `w_${backend}_${fused}`);
  const u = tf.variable(tf.tensor1d(values(5, 2)), true, `u_${backend}_${fused}`);
  const a = tf.tensor2d(values(24, 3), [6, 4]);
  const b = tf.tensor2d(values(18, 4), [6, 3]);
  const optimizer = fused ? fusedAdam(tf, 0.05) : tf.train.adam(0.05);
  if (resumeFrom) {
    // The saved step count and moments; the variables start where they always do, on both sides.
    await optimizer.setWeights(resumeFrom.map((s) => ({ name: s.name, tensor: s.tensor.clone() })));
  }
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.add(tf.sum(tf.square(tf.sub(tf.matMul(a, w), b))), tf.sum(tf.pow(u, 4))) as TF.Scalar);
  }
  const state = await optimizer.getWeights();
  const out: Trained = {
    variables: [Float32Array.from(w.dataSync()), Float32Array.from(u.dataSync())],
    moments: state.slice(1).map((s) => Float32Array.from(s.tensor.dataSync())),
    iterations: optimizer.iterations,
  };
  const saved = state.map((s) => ({ name: s.name, tensor: tf.tensor(s.tensor.dataSync(), s.tensor.shape) }));
  tf.dispose([w, u, a, b]);
  optimizer.dispose();
  return { out, state: saved };
}

function maxRelative(ref: Float32Array, got: Float32Array): number {
  let scale = 0;
  let err = 0;
  ref.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    err = Math.max(err, Math.abs(v - got[i]!));
  });
  return err / (scale || 1);
}

describe('fused Adam', () => {
  it('runs one kernel per variable on wasm', async () => {
    await tf.setBackend('wasm');
    expect(fusedAdamAvailable(tf)).toBe(true);
    const w = tf.variable(tf.ones([3]));
    const optimizer = fusedAdam(tf, 0.1);
    const profile = await tf.profile(() => {
      optimizer.minimize(() => tf.sum(tf.square(w)) as TF.Scalar);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === ADAM_UPDATE)).toHaveLength(1);
    expect(names).not.toContain('Sqrt');
    tf.dispose([w]);
    optimizer.dispose();
  });

  it('matches tf.train.adam over 20 steps: variables, moments, step count', async () => {
    // On the same backend the gradients are the same numbers and the update is TF.js's float32
    // arithmetic, so only rounding inside wasm's kernels can differ. Against cpu the gradients
    // differ in their last bits too, and 20 steps carry that along. A wrong formula is off by far
    // more (a β swapped for the other moves the variables by 9–54 %).
    const fused = (await train('wasm', true, 20)).out;
    for (const [backend, tolerance] of [['wasm', 1e-6], ['cpu', 1e-4]] as const) {
      const reference = (await train(backend, false, 20)).out;
      expect(fused.iterations).toBe(reference.iterations);
      reference.variables.forEach((v, i) => expect(maxRelative(v, fused.variables[i]!), `${backend} variable ${i}`).toBeLessThanOrEqual(tolerance));
      expect(fused.moments).toHaveLength(reference.moments.length);
      reference.moments.forEach((m, i) => expect(maxRelative(m, fused.moments[i]!), `${backend} moment ${i}`).toBeLessThanOrEqual(tolerance));
      // The variables moved: the comparison is not between two untouched starts.
      expect(maxRelative(Float32Array.from(values(12, 1)), reference.variables[0]!)).toBeGreaterThan(0.05);
    }
  });

  it('continues a state saved by TF.js the way TF.js does', async () => {
    const { state } = await train('cpu', false, 7);
    const reference = (await train('wasm', false, 5, state)).out;
    const fused = (await train('wasm', true, 5, state)).out;
    expect(fused.iterations).toBe(12);
    expect(reference.iterations).toBe(12);
    reference.variables.forEach((v, i) => expect(maxRelative(v, fused.variables[i]!)).toBeLessThanOrEqual(1e-6));
  });

  it('is tf.train.adam on the cpu backend', async () => {
    await tf.setBackend('cpu');
    expect(fusedAdamAvailable(tf)).toBe(false);
    const w = tf.variable(tf.ones([3]));
    const optimizer = fusedAdam(tf, 0.1);
    const profile = await tf.profile(() => {
      optimizer.minimize(() => tf.sum(tf.square(w)) as TF.Scalar);
    });
    expect(profile.kernels.map((k) => k.name)).toContain('Sqrt');
    expect(optimizer.getClassName()).toBe('Adam');
    tf.dispose([w]);
    optimizer.dispose();
    await tf.setBackend('wasm');
  });
});
