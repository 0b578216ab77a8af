/**
 * Seeded randomness for TF.js, as Keras's `set_random_seed` does for its backends.
 *
 * TF.js initialisers and dropout draw from `randomUniform`/`randomNormal`/`truncatedNormal`, which
 * seed their generator from `Math.random()` when no seed is given. So running the code that
 * samples (building a model, one training step) with `Math.random` drawing from a seeded stream
 * makes every layer's own initialiser and noise reproducible, custom layers included, without
 * writing a seed into each layer's config (and so into exported Keras JSON).
 */
import { mulberry32 } from '../../shared/random.js';

/** Independent streams from one run seed: the initial weights, and the noise of training steps. */
const STREAMS = { weights: 0x1b873593, noise: 0xcc9e2d51, augment: 0x85ebca6b } as const;
export type RandomStream = keyof typeof STREAMS;

export function seededRandom(seed: number, stream: RandomStream): () => number {
  return mulberry32((Math.imul(seed >>> 0, 0x9e3779b1) ^ STREAMS[stream]) >>> 0);
}

/**
 * Runs `fn` with `Math.random` replaced by `random`, and puts the previous one back.
 * Warning: `fn` must be synchronous. Anything after an `await` would run with the real
 * `Math.random`, and other code running in between would draw from (and shift) our stream.
 */
export function withRandom<T>(random: () => number, fn: () => T): T {
  const previous = Math.random;
  Math.random = random;
  try {
    const out = fn();
    if (out instanceof Promise) throw new Error('withRandom needs a synchronous function: Math.random is restored when it returns.');
    return out;
  } finally {
    Math.random = previous;
  }
}

/** Builds (or runs anything) so that its initial weights follow from `seed`. */
export function withSeed<T>(seed: number, fn: () => T): T {
  return withRandom(seededRandom(seed, 'weights'), fn);
}
