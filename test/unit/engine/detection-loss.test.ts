/**
 * The grid detector's loss: its value against the formula of shared/detection.ts worked by hand on
 * a 2×2 grid, a finite gradient where predictions sit at 0 and 1 (the clipping), and a small
 * detector that trains with it through the training loop on cpu and on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { gridDetectionLoss } from '../../../main/engine/detection-loss.js';
import { train } from '../../../main/engine/train.js';
import { buildModel } from '../../../main/engine/build.js';
import { withSeed } from '../../../main/engine/seed.js';
import { buildTemplate } from '../../../shared/templates.js';
import { encodeGridTarget } from '../../../shared/detection.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS } from '../../../shared/training.js';
import type { FeatureLayout } from '../../../shared/dataset.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
});

const bce = (p: number, t: number) => -t * Math.log(p) - (1 - t) * Math.log(1 - p);

describe('gridDetectionLoss', () => {
  it('matches the formula worked by hand on a 2×2 grid with one class, one image with an object in one cell', async () => {
    await tf.setBackend('cpu');
    // Cells row-major, channels: objectness, cx, cy, w, h, class.
    const pred = [
      [0.8, 0.4, 0.6, 0.25, 0.36, 0.9], // the object's cell
      [0.1, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.3, 0.5, 0.5, 0.5, 0.5, 0.5],
      [0.2, 0.5, 0.5, 0.5, 0.5, 0.5],
    ];
    const truth = [
      [1, 0.5, 0.5, 0.16, 0.49, 1],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
    ];
    // By hand: object 1·(−ln 0.8); no object 0.5·(−ln 0.9 − ln 0.7 − ln 0.8);
    // coord 5·[(0.4−0.5)² + (0.6−0.5)² + (0.5−0.4)² + (0.6−0.7)²] = 5·0.04 = 0.2; class −ln 0.9.
    const hand = -Math.log(0.8) + 0.5 * (-Math.log(0.9) - Math.log(0.7) - Math.log(0.8)) + 0.2 - Math.log(0.9);
    expect(hand).toBeCloseTo(0.223144 + 0.5 * (0.105361 + 0.356675 + 0.223144) + 0.2 + 0.105361, 5);
    // The second image: nothing anywhere, every objectness 0.5.
    const empty = Array.from({ length: 4 }, () => [0.5, 0.3, 0.3, 0.3, 0.3, 0.3]);
    const yPred = tf.tensor4d([...pred, ...empty].flat(), [2, 2, 2, 6]);
    const yTrue = tf.tensor2d([...truth.flat(), ...new Array(24).fill(0)], [2, 24]);
    const loss = gridDetectionLoss(tf, yTrue, yPred);
    expect(loss.shape).toEqual([2]);
    const [a, b] = Array.from(await loss.data());
    expect(a).toBeCloseTo(hand, 5);
    expect(b).toBeCloseTo(4 * 0.5 * bce(0.5, 0), 5);
    tf.dispose([yPred, yTrue, loss]);
  });

  it.each(['cpu', 'wasm'] as const)('has a finite loss and gradient on %s where predictions are exactly 0 and 1', async (backend) => {
    await tf.setBackend(backend);
    const values = [1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const yPred = tf.tensor4d(values, [1, 2, 2, 6]);
    const yTrue = tf.tensor4d([1, 0.5, 0.5, 0.2, 0.2, 1, ...new Array(18).fill(0)], [1, 2, 2, 6]);
    const v = tf.variable(yPred);
    const { value, grads } = tf.variableGrads(() => tf.sum(gridDetectionLoss(tf, yTrue, v)), [v]);
    const loss = (await value.data())[0]!;
    expect(Number.isFinite(loss)).toBe(true);
    // Clipped to 1e-7: a confident wrong objectness costs about −ln 1e-7 ≈ 16, not infinity.
    expect(loss).toBeGreaterThan(10);
    const g = Array.from(await Object.values(grads)[0]!.data());
    expect(g.every(Number.isFinite)).toBe(true);
    tf.dispose([yPred, yTrue, value, v, ...Object.values(grads)]);
  });

  it('trains the grid detector template on wasm: the loss falls on bright squares in the dark', { timeout: 60_000 }, async () => {
    await tf.setBackend('wasm');
    const layout: FeatureLayout = {
      inputShape: [32, 32, 3],
      inputs: [{ name: 'image', shape: [32, 32, 3], featureNames: [], maxValue: null, image: true }],
      featureNames: [],
      target: 'boxes',
      task: 'detection',
      classes: ['square'],
      outputUnits: 6,
    };
    const model = withSeed(3, () => buildModel(tf, buildTemplate('detector-grid', layout)));
    expect(model.outputs[0]!.shape).toEqual([null, 2, 2, 6]);
    const losses = await trainOnSquares(model, 32, 'wasm', 12);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.6);
  });

  it('trains on cpu too (a smaller net: cpu convolutions are slow)', { timeout: 60_000 }, async () => {
    await tf.setBackend('cpu');
    const model = withSeed(3, () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [16, 16, 3], filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 8 }),
          tf.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'sigmoid' }),
        ],
      }),
    );
    const losses = await trainOnSquares(model, 16, 'cpu', 15);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.7);
  });
});

/** 32 images of `side`² pixels, each with one bright square of a quarter to half the side, on a 2×2 grid; the epoch losses. */
async function trainOnSquares(model: ReturnType<typeof buildModel>, side: number, backend: 'cpu' | 'wasm', epochs: number): Promise<number[]> {
  const count = 32;
  const random = mulberry32(5);
  const xs = new Uint8Array(count * side * side * 3);
  const y = new Float32Array(count * 24);
  for (let i = 0; i < count; i++) {
    const s = side / 4 + Math.floor((random() * side) / 4);
    const x0 = Math.floor(random() * (side - s));
    const y0 = Math.floor(random() * (side - s));
    for (let r = y0; r < y0 + s; r++) for (let c = x0; c < x0 + s; c++) for (let k = 0; k < 3; k++) xs[((i * side + r) * side + c) * 3 + k] = 220;
    y.set(encodeGridTarget([{ classIndex: 0, box: { x: x0, y: y0, w: s, h: s } }], side, side, 2, 2, 1), i * 24);
  }
  const losses: number[] = [];
  await train(
    tf,
    model,
    { train: { xs: [xs], y, count }, inputShapes: [[side, side, 3]], outputUnits: 24, targetShape: [2, 2, 6] },
    { ...DEFAULT_TRAIN_SETTINGS, backend, loss: 'gridDetection', metrics: [], learningRate: 0.003, batchSize: 8, epochs },
    { shouldStop: () => false, onEpoch: (p) => void losses.push(p.logs['loss']!) },
  );
  model.dispose();
  expect(losses.every(Number.isFinite)).toBe(true);
  return losses;
}
