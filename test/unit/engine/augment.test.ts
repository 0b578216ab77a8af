/** Image augmentation: what each change does to pixels, that it follows the seed, and that training with it stays leak-free. */
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentImages, augmentationActive, isImageShape } from '../../../main/engine/augment.js';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { buildModel } from '../../../main/engine/build.js';
import { train } from '../../../main/engine/train.js';
import { seededRandom, withSeed } from '../../../main/engine/seed.js';
import { batchInputs } from '../../../main/engine/train-step.js';
import { stackToGraph } from '../../../shared/graph.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../../shared/training.js';

/** A 3×4 one-channel image whose pixel (y, x) holds 10·y + x. */
function ramp(): Float32Array {
  return Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 4) + (i % 4));
}

/** A stream that answers the given numbers in turn (flip, dy, dx, brightness, contrast per image). */
function fixed(...draws: number[]): () => number {
  let i = 0;
  return () => draws[i++ % draws.length]!;
}

/** FNV-1a of the values' bytes, as 8 hex digits. */
function fnv1a(values: Float32Array): string {
  let h = 0x811c9dc5;
  for (const byte of new Uint8Array(values.buffer, values.byteOffset, values.byteLength)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

describe('augmentImages', () => {
  it('mirrors left to right when the flip draw is under one half, and says which samples it mirrored', () => {
    const img = ramp();
    expect(Array.from(augmentImages(img, 1, [3, 4, 1], { flip: true }, fixed(0.2, 0.5, 0.5, 0.5, 0.5)))).toEqual([1]);
    expect(Array.from(img)).toEqual([3, 2, 1, 0, 13, 12, 11, 10, 23, 22, 21, 20]);
    const kept = ramp();
    expect(Array.from(augmentImages(kept, 1, [3, 4, 1], { flip: true }, fixed(0.7, 0.5, 0.5, 0.5, 0.5)))).toEqual([0]);
    expect(Array.from(kept)).toEqual(Array.from(ramp()));
    // A flip draw under one half with flip off mirrors nothing, and says so.
    const unasked = ramp();
    expect(Array.from(augmentImages(unasked, 1, [3, 4, 1], { brightness: 0 }, fixed(0.2, 0.5, 0.5, 0.5, 0.5)))).toEqual([0]);
    expect(Array.from(unasked)).toEqual(Array.from(ramp()));
    // Per sample, in batch order: the second and third of three.
    const three = Float32Array.from([...ramp(), ...ramp(), ...ramp()]);
    const flags = augmentImages(three, 3, [3, 4, 1], { flip: true }, fixed(0.9, 0.5, 0.5, 0.5, 0.5, 0.1, 0.5, 0.5, 0.5, 0.5, 0.4, 0.5, 0.5, 0.5, 0.5));
    expect(Array.from(flags)).toEqual([0, 1, 1]);
    expect(Array.from(three.subarray(12, 16))).toEqual([3, 2, 1, 0]);
  });

  it('shifts by up to the fraction asked, repeating the edge', () => {
    const img = ramp();
    // shift 0.5 of width 4 → up to 2 columns; a draw of 1 moves the most: 2 to the right.
    augmentImages(img, 1, [3, 4, 1], { shift: 0.5 }, fixed(0.9, 0.5, 1, 0.5, 0.5));
    expect(Array.from(img)).toEqual([0, 0, 0, 1, 10, 10, 10, 11, 20, 20, 20, 21]);
  });

  it('changes contrast about the mean, then brightness, keeping the channels of a pixel together', () => {
    const img = Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]); // 2×2×3
    augmentImages(img, 1, [2, 2, 3], { brightness: 1, contrast: 0.5 }, fixed(0.9, 0.5, 0.5, 0.75, 1));
    // factor 1.5 about the mean 5.5, then + 0.5.
    expect(Array.from(img)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((v) => (v - 5.5) * 1.5 + 5.5 + 0.5));
  });

  it('is the same for the same seed and different for another, image by image', () => {
    const batch = () => Float32Array.from({ length: 4 * 8 * 8 * 3 }, (_, i) => (i % 17) / 17);
    const opts = { flip: true, shift: 0.25, brightness: 0.2, contrast: 0.3 };
    const [a, b, c] = [batch(), batch(), batch()];
    augmentImages(a, 4, [8, 8, 3], opts, mulberry32(1));
    augmentImages(b, 4, [8, 8, 3], opts, mulberry32(1));
    augmentImages(c, 4, [8, 8, 3], opts, mulberry32(2));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(batch());
  });

  it("gives a classifier's augmented batches, through the run's seeded stream, exactly as before detectors could flip", async () => {
    // Hashes recorded from batchInputs before flip for detectors was added (commit c263266): the
    // same seed must keep giving the same batches bit for bit, image and non-image inputs alike.
    const { tf } = await loadBackend('cpu');
    const n = 6;
    const split = { xs: [Uint8Array.from({ length: n * 6 * 8 * 3 }, (_, i) => (i * 37 + 11) % 256), Float32Array.from({ length: n * 4 }, (_, i) => i / 10)], y: new Float32Array(n * 2), count: n };
    const random = seededRandom(11, 'augment');
    const augmentation = { flip: true, shift: 0.25, brightness: 0.1, contrast: 0.2 };
    const hashes: string[] = [];
    for (const rows of [Uint32Array.from([4, 0, 5, 2]), Uint32Array.from([1, 3, 2, 5])]) {
      const xs = batchInputs(tf, split, [[6, 8, 3], [4]], rows, augmentation, random);
      hashes.push(xs.map((t) => fnv1a(t.dataSync() as Float32Array)).join(' '));
      tf.dispose(xs);
    }
    expect(hashes).toEqual(['b17522f7 a2ec7d48', 'f59845e4 3ed7723d']);
    // Nothing else drew from the stream.
    expect(random()).toBe(0.5919128588866442);
  });

  it('applies to image shapes and settings that change something', () => {
    expect(isImageShape([28, 28, 1])).toBe(true);
    expect(isImageShape([50, 50, 3])).toBe(true);
    expect(isImageShape([1, 8])).toBe(false);
    expect(isImageShape([24, 8, 7])).toBe(false);
    expect(augmentationActive({})).toBe(false);
    expect(augmentationActive({ flip: false, shift: 0 })).toBe(false);
    expect(augmentationActive({ contrast: 0.1 })).toBe(true);
  });
});

describe('training with augmentation', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await loadBackend('wasm')).tf;
  });

  it('trains a small CNN, changes the run against no augmentation, repeats with the seed, and leaks no tensors', async () => {
    const random = mulberry32(5);
    const n = 64;
    const x = Float32Array.from({ length: n * 8 * 8 }, () => random());
    const y = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) y[i * 2 + (x[i * 64]! > 0.5 ? 1 : 0)] = 1;
    const graph = stackToGraph([
      { type: 'Input', config: { shape: [8, 8, 1] } },
      { type: 'Conv2D', config: { filters: 4, kernel_size: [3, 3], activation: 'relu' } },
      { type: 'Flatten', config: {} },
      { type: 'Dense', config: { units: 2, activation: 'softmax' } },
    ]);
    const data = { train: { xs: [x], y, count: n }, inputShapes: [[8, 8, 1]], outputUnits: 2 };
    const base: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, loss: 'categoricalCrossentropy', metrics: ['accuracy'], batchSize: 16, epochs: 5, seed: 3 };
    const run = async (settings: TrainSettings) => {
      const model = withSeed(settings.seed, () => buildModel(tf, graph));
      const counts: number[] = [];
      const r = await train(tf, model, data, settings, { shouldStop: () => false, onEpoch: () => void counts.push(tf.memory().numTensors) });
      model.dispose();
      return { loss: r.finalLogs['loss']!, counts };
    };
    const augmentation = { flip: true, shift: 0.25, brightness: 0.1, contrast: 0.2 };
    const plain = await run(base);
    const a = await run({ ...base, augmentation });
    const b = await run({ ...base, augmentation });
    expect(Number.isFinite(a.loss)).toBe(true);
    expect(a.loss).toBe(b.loss);
    expect(Math.abs(a.loss - plain.loss)).toBeGreaterThan(1e-3);
    expect(new Set(a.counts).size).toBe(1);
    // The dataset itself is untouched: augmentation works on each batch's copy.
    expect(x[0]).toBe(Math.fround(mulberry32(5)()));
  });
});
