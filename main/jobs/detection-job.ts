/**
 * The trainer's side of a detector: grid targets encoded from the confirmed boxes the core sent
 * (encodeGridTarget, for the model's own rows × cols), and the test images' detections for an
 * evaluation (gridDetections, in each photo's own pixels).
 */
import { AppError } from '../../shared/errors.js';
import { GRID_BOX_CHANNELS, encodeGridTarget, type DetectedBoxView } from '../../shared/detection.js';
import { predict } from '../engine/predict.js';
import type { Tf } from '../engine/backend.js';
import type { loadFromArtifacts } from '../engine/artifacts.js';
import { gather } from '../engine/train-step.js';
import { gridDetections } from '../engine/detector/grid-detections.js';
import type { DetectionTruths } from './messages.js';
import type { ImageSplit } from './image-data.js';

type Model = Awaited<ReturnType<typeof loadFromArtifacts>>;

/** (rows, cols, depth) of a detector's output shape (batch first); throws, saying what it found, for any other. */
export function gridShapeOf(outputShape: readonly (number | null)[], classes: number): [number, number, number] {
  const [rows, cols, depth] = outputShape.slice(1);
  if (outputShape.length !== 4 || !rows || !cols || depth !== GRID_BOX_CHANNELS + classes)
    throw new AppError(
      'GRAPH_INVALID',
      `A detector's last layer must output (rows, cols, ${GRID_BOX_CHANNELS} + ${classes} classes); this one outputs (${outputShape.slice(1).join(', ')}).`,
    );
  return [rows, cols, depth];
}

/** The split's targets, image after image: rows × cols × (5 + C) each, from each image's boxes in its own pixels. */
export function gridTargets(split: Pick<ImageSplit, 'itemIds' | 'count'>, truths: DetectionTruths, grid: [number, number, number]): Float32Array {
  const [rows, cols, depth] = grid;
  const per = rows * cols * depth;
  const y = new Float32Array(split.count * per);
  split.itemIds.forEach((id, i) => {
    const t = truths[id];
    if (!t) throw new AppError('TRAINING_FAILED', `Image ${id} was prepared for training but the core sent no boxes for it (not even an empty list).`);
    y.set(encodeGridTarget(t.boxes, t.width, t.height, rows, cols, depth - GRID_BOX_CHANNELS), i * per);
  });
  return y;
}

/** Predicts the test images in chunks and reads each one's detections (score ≥ DETECTION_SCORE_FLOOR, after NMS) in its own pixels. */
export function detectTestImages(tf: Tf, model: Model, test: ImageSplit, truths: DetectionTruths, classes: number): DetectedBoxView[][] {
  const [rows, cols, depth] = gridShapeOf(model.outputs[0]!.shape, classes);
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  const size = shape.reduce((a, b) => a * b, 1);
  const CHUNK = 256;
  const out: DetectedBoxView[][] = [];
  for (let start = 0; start < test.count; start += CHUNK) {
    const rowsOf = new Uint32Array(Math.min(CHUNK, test.count - start)).map((_, i) => start + i);
    const values = predict(tf, model, [gather(test.xs[0]!, rowsOf, size)], rowsOf.length, [shape]);
    const sizes = Array.from(rowsOf, (r) => {
      const t = truths[test.itemIds[r]!];
      if (!t) throw new AppError('INVALID_REQUEST', `Test image ${test.itemIds[r]} has no stored size; evaluate again.`);
      return t;
    });
    out.push(...gridDetections({ values, rows, cols, depth, inputHeight: shape[0]!, inputWidth: shape[1]! }, sizes));
  }
  return out;
}
