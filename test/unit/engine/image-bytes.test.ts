/** Image datasets reach the engine as bytes: each batch is scaled to 0..1, and augmentation still applies to it. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { batchInputs, gather } from '../../../main/engine/train-step.js';
import { mulberry32 } from '../../../shared/random.js';

describe('image bytes in batches', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await loadBackend('cpu')).tf;
  });

  it('gathers rows of bytes as floats in 0..1, in the order asked', () => {
    const bytes = new Uint8Array([0, 51, 102, 153, 204, 255]);
    expect(Array.from(gather(bytes, new Uint32Array([2, 0]), 2))).toEqual([204 / 255, 1, 0, 51 / 255].map(Math.fround));
    // Floats pass through unscaled.
    expect(Array.from(gather(new Float32Array([0.5, 2, 3, 4]), new Uint32Array([1]), 2))).toEqual([3, 4]);
  });

  it('flips a batch of byte images when augmentation asks, leaving the split itself as it was', () => {
    // Two 2×2 grey images, each a dark column beside a bright one, mirrored.
    const img = (a: number, b: number) => [a, b, a, b];
    const split = { xs: [new Uint8Array([...img(0, 255), ...img(255, 0)])], y: new Float32Array(4), count: 2 };
    const rows = new Uint32Array([0, 1]);
    const plain = batchInputs(tf, split, [[2, 2, 1]], rows)[0]!;
    expect(Array.from(plain.dataSync())).toEqual([0, 1, 0, 1, 1, 0, 1, 0]);
    // A stream whose first draw is < 0.5 flips the first image.
    const flipped = batchInputs(tf, split, [[2, 2, 1]], rows, { flip: true }, mulberry32(1))[0]!;
    const values = Array.from(flipped.dataSync());
    expect(values).not.toEqual(Array.from(plain.dataSync()));
    expect(values.every((v) => v === 0 || v === 1)).toBe(true);
    expect(Array.from(split.xs[0]!)).toEqual([0, 255, 0, 255, 255, 0, 255, 0]);
    tf.dispose([plain, flipped]);
  });
});
