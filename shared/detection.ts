/**
 * Object detection in Layerbench: how a detector's grid output is laid out, what its training
 * target and loss are, and what its evaluation and try-it results look like. Pure; shared by the
 * engine (loss, target encoding), the core (evaluation, try-it, export) and the renderer (viewer).
 *
 * The head is YOLOv1-style, one box per grid cell, every value squashed to 0–1 by a sigmoid:
 *   output [rows, cols, 5 + C] = objectness, centre x and y within the cell, width and height as
 *   fractions of the input, then C class probabilities.
 * A box's score is objectness × its class probability (main/engine/detector/from-model.ts,
 * `decodeGrid`, reads exactly this). The target has the same layout: objectness 1 in the cell
 * holding a box's centre (the larger box wins a shared cell), 0 elsewhere; the box and one-hot
 * class in that cell's other channels (ignored where objectness is 0).
 */
import type { BoxGeometry } from './images.js';
import type { F1Point } from './metrics/detection.js';

/** Channels before the class probabilities: objectness, cx, cy, w, h. */
export const GRID_BOX_CHANNELS = 5;

/**
 * The grid loss, per image, summed over cells (then averaged over the batch), with p the
 * prediction and t the target, BCE(p, t) = −t·ln p − (1 − t)·ln(1 − p) with p clipped to
 * [1e-7, 1 − 1e-7]:
 *   OBJECT · t₀·BCE(p₀, 1) + NO_OBJECT · (1 − t₀)·BCE(p₀, 0)
 *   + t₀ · COORD · [(p₁ − t₁)² + (p₂ − t₂)² + (√p₃ − √t₃)² + (√p₄ − √t₄)²]
 *   + t₀ · Σ_c BCE(p₅₊c, t₅₊c)
 * The square roots make an error on a small box cost more than the same error on a large one.
 */
export const GRID_LOSS_WEIGHTS = { object: 1, noObject: 0.5, coord: 5 } as const;

/** Detections below this score are not stored with an evaluation (nor shown by the viewer). */
export const DETECTION_SCORE_FLOOR = 0.05;
/** At most this many detections per image are kept, best first, after non-maximum suppression. */
export const MAX_DETECTIONS_PER_IMAGE = 100;
/** Overlapping detections of one class above this IoU are suppressed (NMS). */
export const NMS_IOU = 0.5;
/** The threshold try-it and export use for a detector that has not been evaluated yet. */
export const DEFAULT_DETECTION_THRESHOLD = 0.3;

/** A box in pixels of the original image (after EXIF rotation), as the Label view stores boxes. */
export interface DetectedBoxView extends BoxGeometry {
  classIndex: number;
  score: number;
}

export interface DetectionClassResult {
  className: string;
  groundTruths: number;
  detections: number;
  /** AP at IoU 0.5 and averaged over 0.5:0.95 (COCO); null when the class has no test boxes. */
  ap50: number | null;
  ap: number | null;
  /** PR curve at IoU 0.5 (one point per detection, best score first), thinned to at most 200 points. */
  pr: { recall: number[]; precision: number[]; score: number[] };
  bestF1: F1Point | null;
}

export interface DetectionEvaluation {
  task: 'detection';
  runId: string;
  /** Test images evaluated. */
  count: number;
  classes: string[];
  /** COCO mAP@0.5 and mAP@0.5:0.95 over the classes with test boxes; null when the test split has none. */
  map50: number | null;
  map: number | null;
  perClass: DetectionClassResult[];
  /** The confidence threshold with the best F1 at IoU 0.5, all classes pooled; null without detections. */
  bestF1: F1Point | null;
  /** What try-it and export start from: bestF1's threshold, else DEFAULT_DETECTION_THRESHOLD. */
  threshold: number;
  /** Ground-truth boxes and detections (score ≥ DETECTION_SCORE_FLOOR) over the test split. */
  groundTruths: number;
  detections: number;
}

/** What the store keeps beside a detection evaluation (never sent whole): every test image's boxes. */
export interface DetectionSamples {
  images: { itemId: number; truths: { classIndex: number; box: BoxGeometry }[]; detections: DetectedBoxView[] }[];
}

/** How a box is judged at the viewer's threshold, matched as COCO matches at IoU 0.5. */
export type BoxVerdict = 'tp' | 'fp' | 'miss';

export interface DetectionImageView {
  image: { id: number; sha256: string; ext: string; name: string; width: number; height: number };
  /** Detections at or above the threshold (tp or fp) and ground truths no detection matched (miss). */
  boxes: (BoxGeometry & { classIndex: number; verdict: BoxVerdict; score?: number })[];
  tp: number;
  fp: number;
  misses: number;
}

/** `evaluation.detectionImages`: a page of test images with their boxes judged at `threshold`. */
export interface DetectionImagePage {
  threshold: number;
  /** Over every test image at this threshold (not only the page). */
  totals: { tp: number; fp: number; misses: number; images: number };
  /** Images matching the filter, and the page of them (worst first for 'errors'). */
  total: number;
  offset: number;
  items: DetectionImageView[];
}

/** One image tried on a detector: its boxes at the asked threshold, in the image's own pixels. */
export interface TryDetection {
  width: number;
  height: number;
  boxes: (BoxGeometry & { label: string; score: number })[];
}

/**
 * The training target of one image for a grid of `rows` × `cols` cells and `classes` classes:
 * [rows, cols, 5 + classes] row-major, as the head's output. Boxes are in pixels of an image of
 * `imageWidth` × `imageHeight`; the image is stretched to the model's Input (as classification
 * training stretches), so only fractions of the image matter. A box's centre cell holds it; when
 * two boxes share a cell the larger one is kept. Boxes are clipped to the image first; a box left
 * with no area is ignored.
 */
export function encodeGridTarget(
  boxes: readonly { classIndex: number; box: BoxGeometry }[],
  imageWidth: number,
  imageHeight: number,
  rows: number,
  cols: number,
  classes: number,
): Float32Array {
  const depth = GRID_BOX_CHANNELS + classes;
  const out = new Float32Array(rows * cols * depth);
  const area = new Float32Array(rows * cols);
  for (const { classIndex, box } of boxes) {
    const x1 = Math.max(0, Math.min(1, box.x / imageWidth));
    const y1 = Math.max(0, Math.min(1, box.y / imageHeight));
    const x2 = Math.max(0, Math.min(1, (box.x + box.w) / imageWidth));
    const y2 = Math.max(0, Math.min(1, (box.y + box.h) / imageHeight));
    const w = x2 - x1;
    const h = y2 - y1;
    if (!(w > 0 && h > 0) || classIndex < 0 || classIndex >= classes) continue;
    const cx = (x1 + x2) / 2;
    const cy = (y1 + y2) / 2;
    const col = Math.min(cols - 1, Math.floor(cx * cols));
    const row = Math.min(rows - 1, Math.floor(cy * rows));
    const cell = row * cols + col;
    if (area[cell]! >= w * h) continue;
    area[cell] = w * h;
    const o = cell * depth;
    out.fill(0, o, o + depth);
    out[o] = 1;
    out[o + 1] = cx * cols - col;
    out[o + 2] = cy * rows - row;
    out[o + 3] = w;
    out[o + 4] = h;
    out[o + GRID_BOX_CHANNELS + classIndex] = 1;
  }
  return out;
}

/** The names of a grid head's channels, in order: objectness, cx, cy, w, h, then `class:<name>` per class. */
export function gridChannelNames(classes: readonly string[]): string[] {
  return ['objectness', 'cx', 'cy', 'w', 'h', ...classes.map((c) => `class:${c}`)];
}

/**
 * The target of an image mirrored left to right (as augmentation flips it), made from the image's
 * own target (`encodeGridTarget`'s layout for `rows` × `cols` cells and `classes` classes): what
 * `encodeGridTarget` gives for the mirrored boxes. A centre at a fraction u of the width moves to
 * 1 − u; its row, width, height and class stay. So column c becomes cols − 1 − c and the centre's
 * offset x within its cell 1 − x, except for a centre exactly on a cell's left edge (x = 0, c ≥ 1):
 * `encodeGridTarget` gives a centre on an edge to the cell on its right, so the mirrored centre,
 * on the left edge of column cols − c, goes there with offset 0 rather than to column cols − 1 − c
 * with offset 1. When that cell also receives a mirrored box, the larger stays, as in
 * `encodeGridTarget` (of two equal ones, the one mirrored into it; the box order that breaks the tie
 * there is not in a target).
 * A target keeps one box per cell: a box that lost its cell to a larger one is not in it, and
 * cannot come back when the mirror would give it a cell of its own (only possible next to a centre
 * on an edge). Cells without an object stay all zero.
 */
export function flipGridTarget(target: Float32Array, rows: number, cols: number, classes: number): Float32Array {
  for (const [name, v] of [['rows', rows], ['cols', cols], ['classes', classes]] as const)
    if (!Number.isInteger(v) || v < 1) throw new Error(`flipGridTarget: ${name} must be a whole number of at least 1; got ${v}.`);
  const depth = GRID_BOX_CHANNELS + classes;
  if (target.length !== rows * cols * depth)
    throw new Error(`flipGridTarget: a target of ${rows} × ${cols} cells × (${GRID_BOX_CHANNELS} + ${classes} classes) has ${rows * cols * depth} values; got ${target.length}.`);
  const out = new Float32Array(target.length);
  const onEdge: [number, number][] = [];
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const from = (row * cols + col) * depth;
      if (target[from] === 0) continue;
      if (col > 0 && target[from + 1] === 0) {
        onEdge.push([row, col]);
        continue;
      }
      const to = (row * cols + (cols - 1 - col)) * depth;
      out.set(target.subarray(from, from + depth), to);
      out[to + 1] = 1 - target[from + 1]!;
    }
  }
  // After the others: each lands in the cell another box's mirror may hold already.
  for (const [row, col] of onEdge) {
    const from = (row * cols + col) * depth;
    const to = (row * cols + (cols - col)) * depth;
    if (out[to] !== 0 && out[to + 3]! * out[to + 4]! >= target[from + 3]! * target[from + 4]!) continue;
    out.set(target.subarray(from, from + depth), to);
  }
  return out;
}
