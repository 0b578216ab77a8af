/** Running the same tensor code on the cpu and wasm backends and comparing what comes out. */
import type * as TF from '@tensorflow/tfjs';
import { mulberry32 } from '../../shared/random.js';

type Tf = typeof TF;

/** Seeded values in [-scale, scale), so both backends get the same numbers. */
export function seededValues(shape: readonly number[], seed: number, scale = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random() * 2 - 1) * scale);
}

/** Runs `f` on a backend and reads its results back. */
export async function onBackend(tf: Tf, backend: 'cpu' | 'wasm', f: () => TF.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(f).map((t) => {
    const data = Float32Array.from(t.dataSync());
    t.dispose();
    return data;
  });
}
