/**
 * A detector the user trained in Layerbench, acting as the proposer: after a first round of
 * labelling and training, the user's own model proposes boxes for the rest of the photos, usually
 * better than a COCO model on their kind of photo. It goes through the same pipeline as the
 * pretrained detectors (proposer.ts); what differs is how its input is prepared and how its
 * output head is read, both stated here and kept with the run's export metadata.
 */
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../../shared/errors.js';
import type { Fit } from './geometry.js';
import { createProposer, type DecodeContext, type DetectorModel, type InputSpec, type OutputData, type OutputDecoder, type RawDetection } from './proposer.js';
import type { Proposer } from './types.js';

type Tf = typeof TF;

/**
 * How the model's output is read.
 * - 'boxes-scores': one output [1, N, 4 + C]: x1, y1, x2, y2 as fractions (0–1) of the input,
 *   then C class probabilities (SSD/YOLOv8-style after their own decoding).
 * - 'grid': one output [1, rows, cols, 5 + C], every value already squashed to 0–1: objectness,
 *   centre x and y within the cell, width and height as fractions of the input, then C class
 *   probabilities; a box's score is objectness × its class probability (YOLOv1-style).
 * - 'custom': any other head, decoded by the caller into boxes in input pixels.
 */
export type DetectorHead = { kind: 'boxes-scores' } | { kind: 'grid' } | { kind: 'custom'; decode: OutputDecoder };

export interface UserDetectorOptions {
  /** Stored as each proposal's source: the run id. */
  id: string;
  name: string;
  /** The model's classes in output order. */
  classes: string[];
  /** The ones to propose; default all. */
  keep?: string[];
  input: {
    width: number;
    height: number;
    /** Default 'letterbox': training images are fitted the same way. */
    fit?: Fit;
    /** 'unit': pixels / 255 (Layerbench's image datasets); 'raw': 0–255; or a per-channel mean and std. */
    scale?: 'unit' | 'raw' | { mean: [number, number, number]; std: [number, number, number] };
    layout?: 'nhwc' | 'nchw';
  };
  head: DetectorHead;
  minScore?: number;
  iouThreshold?: number;
  maxBoxes?: number;
}

export function proposerFromModel(tf: Tf, model: DetectorModel, opts: UserDetectorOptions): Proposer {
  if (opts.classes.length === 0) throw new AppError('INVALID_REQUEST', `Detector '${opts.name}' has no classes; expected its class names in output order.`);
  const scale = opts.input.scale ?? 'unit';
  const norm =
    scale === 'unit'
      ? { mean: [0, 0, 0] as const, std: [255, 255, 255] as const }
      : scale === 'raw'
        ? { mean: [0, 0, 0] as const, std: [1, 1, 1] as const }
        : scale;
  const input: InputSpec = {
    width: opts.input.width,
    height: opts.input.height,
    layout: opts.input.layout ?? 'nhwc',
    channelOrder: 'rgb',
    mean: norm.mean,
    std: norm.std,
    fit: opts.input.fit ?? 'letterbox',
    padValue: 0,
  };
  const decode = opts.head.kind === 'custom' ? opts.head.decode : opts.head.kind === 'grid' ? decodeGrid : decodeBoxesScores;
  return createProposer(tf, model, {
    id: opts.id,
    name: opts.name,
    modelClasses: opts.classes,
    keep: opts.keep ?? opts.classes,
    input,
    decode,
    defaultMinScore: opts.minScore ?? 0.3,
    iouThreshold: opts.iouThreshold ?? 0.5,
    defaultMaxBoxes: opts.maxBoxes ?? 100,
  });
}

function single(outputs: OutputData[], head: string, rank: number, last: number): OutputData {
  const out = outputs[0];
  if (outputs.length !== 1 || !out || out.shape.length !== rank || out.shape[rank - 1] !== last)
    throw new AppError(
      'INVALID_REQUEST',
      `A '${head}' head must have one output of rank ${rank} ending in ${last}; got ${outputs.map((o) => `[${o.shape.join(', ')}]`).join(' ') || 'none'}.`,
    );
  return out;
}

export function decodeBoxesScores(outputs: OutputData[], ctx: DecodeContext): RawDetection[] {
  const C = ctx.classCount;
  const out = single(outputs, 'boxes-scores', 3, 4 + C);
  const { width: W, height: H } = ctx.input;
  const d = out.data;
  const found: RawDetection[] = [];
  for (let i = 0; i < out.shape[1]!; i++) {
    const o = i * (4 + C);
    for (const c of ctx.wanted) {
      const score = d[o + 4 + c]!;
      if (score >= ctx.minScore) found.push({ x1: d[o]! * W, y1: d[o + 1]! * H, x2: d[o + 2]! * W, y2: d[o + 3]! * H, classIndex: c, score });
    }
  }
  return found;
}

export function decodeGrid(outputs: OutputData[], ctx: DecodeContext): RawDetection[] {
  const C = ctx.classCount;
  const out = single(outputs, 'grid', 4, 5 + C);
  const rows = out.shape[1]!;
  const cols = out.shape[2]!;
  const { width: W, height: H } = ctx.input;
  const d = out.data;
  const found: RawDetection[] = [];
  for (let r = 0; r < rows; r++)
    for (let q = 0; q < cols; q++) {
      const o = (r * cols + q) * (5 + C);
      const objectness = d[o]!;
      if (!(objectness >= ctx.minScore)) continue;
      const cx = ((q + d[o + 1]!) / cols) * W;
      const cy = ((r + d[o + 2]!) / rows) * H;
      const w = d[o + 3]! * W;
      const h = d[o + 4]! * H;
      for (const c of ctx.wanted) {
        const score = objectness * d[o + 5 + c]!;
        if (score >= ctx.minScore) found.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, classIndex: c, score });
      }
    }
  return found;
}
