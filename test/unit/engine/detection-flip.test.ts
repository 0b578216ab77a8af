/**
 * Flip augmentation for detectors: `flipGridTarget` (shared/detection.ts) against encoding the
 * mirrored boxes with `encodeGridTarget` on awkward boxes (centres on cell edges, boxes at and
 * past the image's edges, shared cells, empty images), against the pixels `augmentImages` flips,
 * and the train step pairing each flipped image with its mirrored target (one seeded draw).
 */
import type * as TF from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentImages } from '../../../main/engine/augment.js';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import { gridDetectionLoss } from '../../../main/engine/detection-loss.js';
import { withSeed, seededRandom } from '../../../main/engine/seed.js';
import { batchInputs, makeTrainStep } from '../../../main/engine/train-step.js';
import type { TrainData } from '../../../main/engine/train.js';
import { encodeGridTarget, flipGridTarget, GRID_BOX_CHANNELS } from '../../../shared/detection.js';
import type { BoxGeometry } from '../../../shared/images.js';
import { mulberry32 } from '../../../shared/random.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainSettings } from '../../../shared/training.js';

type Boxes = { classIndex: number; box: BoxGeometry }[];

/** The boxes of an image `width` pixels wide mirrored left to right. */
function mirror(boxes: Boxes, width: number): Boxes {
  return boxes.map(({ classIndex, box }) => ({ classIndex, box: { ...box, x: width - box.x - box.w } }));
}

/** Where two targets differ (cell, channel and both values), or null; the x offset within 1e-6 (1 − x in float32). */
function difference(a: Float32Array, b: Float32Array, cols: number, depth: number): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    const channel = i % depth;
    const close = channel === 1 ? Math.abs(a[i]! - b[i]!) <= 1e-6 : a[i] === b[i];
    if (!close) {
      const cell = Math.floor(i / depth);
      return `row ${Math.floor(cell / cols)}, column ${cell % cols}, channel ${channel}: ${a[i]} against ${b[i]}`;
    }
  }
  return null;
}

interface Case {
  name: string;
  boxes: Boxes;
  width: number;
  height: number;
  rows: number;
  cols: number;
  classes: number;
}

// 64 px wide on 4 columns: cell edges at x = 16, 32, 48, and every fraction is exact in binary.
const CASES: Case[] = [
  { name: 'an empty image', boxes: [], width: 64, height: 64, rows: 4, cols: 4, classes: 2 },
  { name: 'one box inside a cell', boxes: [{ classIndex: 1, box: { x: 3, y: 20, w: 6, h: 9 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 2 },
  { name: 'a centre on an inner cell edge', boxes: [{ classIndex: 0, box: { x: 8, y: 8, w: 16, h: 10 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 2 },
  { name: 'a centre on the middle edge', boxes: [{ classIndex: 0, box: { x: 24, y: 40, w: 16, h: 6 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 1 },
  { name: 'a centre on a row edge', boxes: [{ classIndex: 0, box: { x: 5, y: 12, w: 6, h: 8 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 1 },
  { name: 'boxes touching the left and right edges of the image', boxes: [{ classIndex: 0, box: { x: 0, y: 2, w: 10, h: 10 } }, { classIndex: 1, box: { x: 50, y: 40, w: 14, h: 20 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 2 },
  { name: 'boxes running past the image, clipped', boxes: [{ classIndex: 0, box: { x: -12, y: 0, w: 20, h: 8 } }, { classIndex: 0, box: { x: 56, y: 30, w: 30, h: 8 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 1 },
  { name: 'the whole image', boxes: [{ classIndex: 0, box: { x: 0, y: 0, w: 64, h: 64 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 1 },
  { name: 'a box outside the image, one with no area, an unknown class', boxes: [{ classIndex: 0, box: { x: 70, y: 0, w: 5, h: 5 } }, { classIndex: 0, box: { x: 10, y: 10, w: 0, h: 5 } }, { classIndex: 3, box: { x: 10, y: 10, w: 4, h: 4 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 2 },
  {
    name: 'several objects, two sharing a cell (the larger wins both ways)',
    boxes: [
      { classIndex: 0, box: { x: 2, y: 2, w: 8, h: 8 } },
      { classIndex: 1, box: { x: 4, y: 4, w: 10, h: 10 } },
      { classIndex: 1, box: { x: 40, y: 40, w: 20, h: 4 } },
      { classIndex: 0, box: { x: 30, y: 50, w: 4, h: 4 } },
    ],
    width: 64,
    height: 64,
    rows: 4,
    cols: 4,
    classes: 2,
  },
  { name: 'two equal boxes in one cell (the first wins both ways)', boxes: [{ classIndex: 0, box: { x: 20, y: 2, w: 6, h: 6 } }, { classIndex: 1, box: { x: 22, y: 4, w: 6, h: 6 } }], width: 64, height: 64, rows: 4, cols: 4, classes: 2 },
  {
    name: 'a centre on an edge landing in the cell a mirrored box also takes: the larger stays',
    boxes: [
      // Centre 16 (edge of columns 0 and 1: column 1), and one inside column 0; mirrored, both are in column 3.
      { classIndex: 0, box: { x: 10, y: 4, w: 12, h: 12 } },
      { classIndex: 1, box: { x: 4, y: 2, w: 6, h: 6 } },
      // The same pair, the box inside the cell the larger.
      { classIndex: 1, box: { x: 42, y: 36, w: 12, h: 4 } },
      { classIndex: 0, box: { x: 34, y: 34, w: 10, h: 10 } },
    ],
    width: 64,
    height: 64,
    rows: 4,
    cols: 4,
    classes: 2,
  },
  { name: 'a wide grid, its centres on column edges', boxes: [{ classIndex: 0, box: { x: 12, y: 4, w: 8, h: 8 } }, { classIndex: 0, box: { x: 60, y: 20, w: 8, h: 8 } }, { classIndex: 0, box: { x: 100, y: 10, w: 8, h: 8 } }], width: 128, height: 32, rows: 2, cols: 8, classes: 1 },
  { name: 'a grid of one column', boxes: [{ classIndex: 0, box: { x: 5, y: 5, w: 20, h: 10 } }], width: 64, height: 64, rows: 2, cols: 1, classes: 1 },
  // 100 px on 3 columns: edges at 33.3 and 66.7 px, never a centre; fractions not exact in binary.
  { name: 'a width the grid does not divide', boxes: [{ classIndex: 0, box: { x: 30, y: 0, w: 7, h: 30 } }, { classIndex: 0, box: { x: 61, y: 50, w: 11, h: 9 } }], width: 100, height: 80, rows: 3, cols: 3, classes: 1 },
];

describe('flipGridTarget', () => {
  it.each(CASES)('equals encoding the mirrored boxes: $name', ({ boxes, width, height, rows, cols, classes }) => {
    const flipped = flipGridTarget(encodeGridTarget(boxes, width, height, rows, cols, classes), rows, cols, classes);
    const want = encodeGridTarget(mirror(boxes, width), width, height, rows, cols, classes);
    expect(difference(flipped, want, cols, GRID_BOX_CHANNELS + classes)).toBeNull();
  });

  it('puts a centre on a cell edge in the cell encodeGridTarget gives it, not the mirrored column with offset 1', () => {
    // Centre at x = 16 of 64: column 1, offset 0. Mirrored: x = 48, column 3, offset 0 (not column 2, offset 1).
    const t = flipGridTarget(encodeGridTarget([{ classIndex: 0, box: { x: 8, y: 0, w: 16, h: 8 } }], 64, 64, 4, 4, 1), 4, 4, 1);
    const cell = (col: number) => Array.from(t.subarray(col * 6, col * 6 + 6));
    expect(cell(3)).toEqual([1, 0, 0.25, 0.25, 0.125, 1]);
    expect(cell(2)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('cannot bring back a box its target lost: a box sharing the cell of a larger one centred on its edge', () => {
    // Column 1 holds the larger box (centre on its left edge, x = 16); the smaller one inside column 1 is not in the target.
    const larger = { classIndex: 0, box: { x: 8, y: 0, w: 16, h: 16 } };
    const smaller = { classIndex: 0, box: { x: 18, y: 2, w: 4, h: 4 } };
    const flipped = flipGridTarget(encodeGridTarget([larger, smaller], 64, 64, 4, 4, 1), 4, 4, 1);
    // Mirrored, they are in different cells, and encoding them keeps both; the flipped target has the larger only.
    expect(difference(flipped, encodeGridTarget(mirror([larger], 64), 64, 64, 4, 4, 1), 4, 6)).toBeNull();
    expect(difference(flipped, encodeGridTarget(mirror([larger, smaller], 64), 64, 64, 4, 4, 1), 4, 6)).toMatch(/^row 0, column 2, channel 0/);
  });

  it('equals encoding the mirrored boxes on seeded random images where no cell is shared', () => {
    const random = mulberry32(17);
    let compared = 0;
    let onEdge = 0;
    for (let n = 0; n < 400; n++) {
      const boxes: Boxes = Array.from({ length: Math.floor(random() * 4) }, () => {
        const w = 1 + Math.floor(random() * 30);
        const h = 1 + Math.floor(random() * 30);
        return { classIndex: Math.floor(random() * 2), box: { x: Math.floor(random() * 80) - 8, y: Math.floor(random() * 60), w, h } };
      });
      const target = encodeGridTarget(boxes, 64, 64, 4, 8, 2);
      const want = encodeGridTarget(mirror(boxes, 64), 64, 64, 4, 8, 2);
      const objects = (t: Float32Array) => t.filter((_, i) => i % 7 === 0).reduce((a, b) => a + b, 0);
      // A box lost to a larger one in either encoding cannot be compared (previous test).
      const inImage = boxes.filter(({ box }) => box.w > 0 && box.x < 64 && box.x + box.w > 0).length;
      if (objects(target) !== inImage || objects(want) !== inImage) continue;
      compared++;
      for (let i = 0; i < target.length; i += 7) if (target[i] === 1 && target[i + 1] === 0 && (i / 7) % 8 > 0) onEdge++;
      expect(difference(flipGridTarget(target, 4, 8, 2), want, 8, 7), `image ${n}: ${JSON.stringify(boxes)}`).toBeNull();
    }
    expect(compared).toBeGreaterThan(300);
    expect(onEdge).toBeGreaterThan(10);
  });

  it('mirrored twice, gives the target it started from (a centre on an edge included)', () => {
    const target = encodeGridTarget(CASES[9]!.boxes, 64, 64, 4, 4, 2);
    expect(difference(flipGridTarget(flipGridTarget(target, 4, 4, 2), 4, 4, 2), target, 4, 7)).toBeNull();
  });

  it('refuses a target of the wrong size or a grid that is not whole numbers, saying what it expected', () => {
    expect(() => flipGridTarget(new Float32Array(10), 2, 2, 1)).toThrow('flipGridTarget: a target of 2 × 2 cells × (5 + 1 classes) has 24 values; got 10.');
    expect(() => flipGridTarget(new Float32Array(24), 2, 2.5, 1)).toThrow('flipGridTarget: cols must be a whole number of at least 1; got 2.5.');
    expect(() => flipGridTarget(new Float32Array(0), 2, 2, 0)).toThrow('flipGridTarget: classes must be a whole number of at least 1; got 0.');
  });
});

/** `count` images of side² pixels (3 channels, bytes), each with filled boxes of value 200 on 20; and their boxes. */
function imagesWithBoxes(count: number, side: number, seed: number): { xs: Uint8Array; boxes: Boxes[] } {
  const random = mulberry32(seed);
  const xs = new Uint8Array(count * side * side * 3).fill(20);
  const boxes: Boxes[] = [];
  for (let i = 0; i < count; i++) {
    const own: Boxes = [];
    for (let b = 0; b < 1 + (i % 2); b++) {
      const w = 2 + Math.floor(random() * (side / 2));
      const h = 2 + Math.floor(random() * (side / 2));
      // The first image's box is centred on the edge of columns 0 and 1 (cells are a quarter of the side).
      const x = i === 0 && b === 0 ? side / 4 - 2 : Math.floor(random() * (side - w));
      const box = { x, y: Math.floor(random() * (side - h)), w: i === 0 && b === 0 ? 4 : w, h };
      for (let r = box.y; r < box.y + box.h; r++) for (let c = box.x; c < box.x + box.w; c++) xs.fill(200, ((i * side + r) * side + c) * 3, ((i * side + r) * side + c + 1) * 3);
      own.push({ classIndex: 0, box });
    }
    boxes.push(own);
  }
  return { xs, boxes };
}

describe('flipped images and their targets', () => {
  it('the box found in a flipped image encodes to the flipped target', () => {
    const side = 16;
    const { xs, boxes } = imagesWithBoxes(1, side, 4);
    const values = Float32Array.from(xs, (v) => v / 255);
    const flipped = augmentImages(values, 1, [side, side, 3], { flip: true }, () => 0.1);
    expect(Array.from(flipped)).toEqual([1]);
    // The bright columns of the flipped image are where the mirrored box is.
    const bright = [...Array(side).keys()].filter((c) => values[c * 3 + boxes[0]![0]!.box.y * side * 3]! > 0.5);
    const found = { classIndex: 0, box: { ...boxes[0]![0]!.box, x: bright[0]!, w: bright.length } };
    expect(found.box).toEqual(mirror(boxes[0]!, side)[0]!.box);
    const target = encodeGridTarget(boxes[0]!, side, side, 4, 4, 1);
    expect(difference(flipGridTarget(target, 4, 4, 1), encodeGridTarget([found], side, side, 4, 4, 1), 4, 6)).toBeNull();
  });
});

describe('a detector train step with flip', () => {
  let tf: Tf;
  beforeAll(async () => {
    tf = (await loadBackend('wasm')).tf;
  });

  it('trains each flipped image on its mirrored target, drawn once per sample from the seeded stream', async () => {
    const side = 16;
    const count = 8;
    const { xs, boxes } = imagesWithBoxes(count, side, 9);
    const y = new Float32Array(count * 4 * 4 * 6);
    boxes.forEach((b, i) => y.set(encodeGridTarget(b, side, side, 4, 4, 1), i * 96));
    const data: TrainData = { train: { xs: [xs], y, count }, inputShapes: [[side, side, 3]], outputUnits: 96, targetShape: [4, 4, 6] };
    const augmentation = { flip: true, contrast: 0.2 };
    const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, loss: 'gridDetection', metrics: [], seed: 5, augmentation };
    const model = withSeed(2, () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [side, side, 3], filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
          tf.layers.maxPooling2d({ poolSize: 4 }),
          tf.layers.conv2d({ filters: 6, kernelSize: 1, activation: 'sigmoid' }),
        ],
      }),
    );
    model.compile({ optimizer: tf.train.sgd(0.5), loss: (t: TF.Tensor, p: TF.Tensor) => gridDetectionLoss(tf, t, p) });
    const rows = Uint32Array.from([3, 0, 6, 1, 7, 2, 5, 4]);

    // The batch the step should see, drawn from its own stream; the targets from the mirrored boxes, not from flipGridTarget.
    let flips: Uint8Array = new Uint8Array(0);
    const [x] = batchInputs(tf, data.train, data.inputShapes, rows, augmentation, seededRandom(5, 'augment'), (f) => (flips = f));
    expect(flips.reduce((a, b) => a + b, 0)).toBeGreaterThan(1);
    expect(flips.reduce((a, b) => a + b, 0)).toBeLessThan(count - 1);
    expect(flips[rows.indexOf(0)], 'the image with a centre on a cell edge is flipped').toBe(1);
    const targets = (mirrored: boolean) =>
      tf.tensor(
        Array.from(rows).flatMap((r, i) => Array.from(encodeGridTarget(mirrored && flips[i] ? mirror(boxes[r]!, side) : boxes[r]!, side, side, 4, 4, 1))),
        [count, 4, 4, 6],
      );
    const predicted = model.predict(x!) as TF.Tensor;
    const lossWith = (t: TF.Tensor) => tf.mean(gridDetectionLoss(tf, t, predicted)).dataSync()[0]!;
    const [wantT, unmirroredT] = [targets(true), targets(false)];
    const want = lossWith(wantT);
    const unmirrored = lossWith(unmirroredT);
    tf.dispose([x!, predicted, wantT, unmirroredT]);

    const before = tf.memory().numTensors;
    const [loss] = await makeTrainStep(tf, model, data, settings)(rows, { epoch: 0, batch: 0 });
    expect(loss).toBeCloseTo(want, 4);
    expect(Math.abs(unmirrored - want)).toBeGreaterThan(0.05);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses flip for a detector whose target is not a grid or with two image inputs, and shift for any detector, saying what it found', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 2 })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const data: TrainData = { train: { xs: [new Float32Array(16)], y: new Float32Array(8), count: 4 }, inputShapes: [[4]], outputUnits: 2 };
    const settings: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS, loss: 'gridDetection', metrics: [], augmentation: { flip: true } };
    expect(() => makeTrainStep(tf, model, data, settings)).toThrow("A detector's targets are (rows, cols, 5 + classes) per image; this run's are (2).");
    const twoImages: TrainData = { ...data, inputShapes: [[4, 4, 3], [4, 4, 1]], outputUnits: 24, targetShape: [2, 2, 6] };
    expect(() => makeTrainStep(tf, model, twoImages, settings)).toThrow('Flip augmentation of a detector needs exactly one image input, whose boxes the grid target holds; this model has 2.');
    expect(() => makeTrainStep(tf, model, { ...twoImages, inputShapes: [[4, 4, 3]] }, { ...settings, augmentation: { shift: 0.1 } })).toThrow(
      'A detector trains without shift augmentation (it moves the objects but not their boxes); this run asks for shift 0.1.',
    );
    // Without flip or shift a detector's augmentation needs no grid.
    expect(() => makeTrainStep(tf, model, data, { ...settings, augmentation: { brightness: 0.1 } })).not.toThrow();
    model.dispose();
  });
});
