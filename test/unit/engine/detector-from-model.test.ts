/**
 * A user's own detector as the proposer: real TF.js models (tiny, with fixed outputs) through the
 * same pipeline as the pretrained ones, so what is checked is what a user would see: boxes in
 * their photo's pixels after the letterbox, only the classes kept, overlapping boxes merged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { proposerFromModel, type RgbImage } from '../../../main/engine/detector/index.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
});

/** A model of input [h, w, 3] whose output is always `values`, shaped `shape` (zero kernel, bias = values). */
function constantModel(h: number, w: number, shape: number[], values: number[]): TF.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.flatten({ inputShape: [h, w, 3] }));
  m.add(tf.layers.dense({ units: values.length, kernelInitializer: 'zeros', biasInitializer: tf.initializers.constant({ value: 0 }) }));
  m.add(tf.layers.reshape({ targetShape: shape }));
  const dense = m.layers[1]!;
  const [kernel] = dense.getWeights();
  dense.setWeights([kernel!, tf.tensor1d(values)]);
  return m;
}

const photo = (width: number, height: number): RgbImage => ({ data: new Uint8Array(width * height * 3).fill(128), width, height });

describe('proposerFromModel', () => {
  it("maps a 'boxes-scores' head's boxes back through the letterbox to the photo", async () => {
    // Input 64×64; a 200×100 photo fills 64×32 of it, 16 rows of padding above.
    // Box 1 (person 0.9): input (16, 24)–(48, 40) = photo (50, 25)–(150, 75).
    // Box 2 (dog 0.8) and box 3 (person 0.2, below minScore).
    const classes = ['person', 'dog'];
    const rows = [
      [16 / 64, 24 / 64, 48 / 64, 40 / 64, 0.9, 0.1],
      [0, 16 / 64, 32 / 64, 48 / 64, 0.05, 0.8],
      [0.5, 0.5, 0.6, 0.6, 0.2, 0.0],
    ];
    const model = constantModel(64, 64, [3, 6], rows.flat());
    const p = proposerFromModel(tf, model, { id: 'run-7', name: 'My detector', classes, input: { width: 64, height: 64 }, head: { kind: 'boxes-scores' } });
    expect(p).toMatchObject({ id: 'run-7', classes: ['person', 'dog'] });
    const found = await p.detect(photo(200, 100));
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ className: 'person', x: 50, y: 25, w: 100, h: 50 });
    expect(found[0]!.score).toBeCloseTo(0.9, 4);
    expect(found[1]).toMatchObject({ className: 'dog', x: 0, y: 0, w: 100, h: 100 });

    const people = proposerFromModel(tf, model, { id: 'run-7', name: 'My detector', classes, keep: ['person'], input: { width: 64, height: 64 }, head: { kind: 'boxes-scores' } });
    expect((await people.detect(photo(200, 100), { minScore: 0.1 })).map((f) => f.className)).toEqual(['person', 'person']);
    const before = tf.memory().numTensors;
    await people.detect(photo(200, 100));
    expect(tf.memory().numTensors).toBe(before);
    p.dispose();
  });

  it("reads a 'grid' head: objectness × class probability, centre within its cell, one box per object", async () => {
    // 2×2 grid on a 32×32 input, one class; cell (row 1, col 0) sees an object centred in the
    // cell, as wide as the input and a quarter as high; cell (1, 1) sees the same object, weaker
    // and shifted (IoU 0.73 once both are clipped to the photo), so it is merged away.
    const cell = (obj: number, cx: number, cy: number, w: number, h: number, p: number) => [obj, cx, cy, w, h, p];
    const values = [cell(0.1, 0.5, 0.5, 0.1, 0.1, 1), cell(0.0, 0, 0, 0, 0, 0), cell(0.9, 0.5, 0.5, 1, 0.25, 0.8), cell(0.8, 0.05, 0.5, 1, 0.25, 0.9)].flat();
    const model = constantModel(32, 32, [2, 2, 6], values);
    const p = proposerFromModel(tf, model, { id: 'run-8', name: 'Grid', classes: ['person'], input: { width: 32, height: 32, fit: 'stretch' }, head: { kind: 'grid' } });
    // Input box (-8, 20)–(24, 28), clipped at the left; the photo (320×160) is stretched 10× and 5×.
    const found = await p.detect(photo(320, 160));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ className: 'person', x: 0, y: 100, w: 240, h: 40 });
    expect(found[0]!.score).toBeCloseTo(0.72, 4);
    p.dispose();
  });

  it('says what shape a head expected when the model gives another', async () => {
    const model = constantModel(16, 16, [3, 5], new Array(15).fill(0.5));
    const p = proposerFromModel(tf, model, { id: 'run-9', name: 'Wrong', classes: ['person', 'dog'], input: { width: 16, height: 16 }, head: { kind: 'boxes-scores' } });
    await expect(p.detect(photo(16, 16))).rejects.toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringContaining('ending in 6; got [1, 3, 5]') });
    p.dispose();
  });
});
