/**
 * A trained grid detector's output read as boxes on the photos it was run on: the grid decoded
 * (decodeGrid, the same reading "Propose boxes" uses), mapped back from the stretched input to
 * each photo's own pixels, suppressed per class (NMS_IOU) and capped. Evaluation and try-it both
 * go through here, so what try-it draws at a threshold is what evaluation counted. Pure: the
 * model's output arrives as numbers.
 */
import { DETECTION_SCORE_FLOOR, GRID_BOX_CHANNELS, MAX_DETECTIONS_PER_IMAGE, NMS_IOU, type DetectedBoxView } from '../../../shared/detection.js';
import { decodeGrid } from './from-model.js';
import { fitTransform, nonMaxSuppression, toImageBox } from './geometry.js';
import type { InputSpec } from './proposer.js';

export interface GridOutputs {
  /** count × rows × cols × depth values, image after image (the model's output, row-major). */
  values: Float32Array;
  rows: number;
  cols: number;
  /** 5 + classes. */
  depth: number;
  /** The model's Input (the images were stretched to it). */
  inputWidth: number;
  inputHeight: number;
}

/** Each image's detections scoring at least `minScore` (default DETECTION_SCORE_FLOOR), best first, in the image's own pixels. */
export function gridDetections(out: GridOutputs, sizes: readonly { width: number; height: number }[], minScore = DETECTION_SCORE_FLOOR): DetectedBoxView[][] {
  const per = out.rows * out.cols * out.depth;
  const classCount = out.depth - GRID_BOX_CHANNELS;
  if (classCount < 1 || out.values.length !== sizes.length * per)
    throw new RangeError(`gridDetections: ${out.values.length} values for ${sizes.length} images of ${out.rows}×${out.cols}×${out.depth}; expected ${sizes.length * per}.`);
  const input: InputSpec = { width: out.inputWidth, height: out.inputHeight, layout: 'nhwc', channelOrder: 'rgb', mean: [0, 0, 0], std: [255, 255, 255], fit: 'stretch', padValue: 0 };
  const wanted = new Set(Array.from({ length: classCount }, (_, c) => c));
  return sizes.map(({ width, height }, i) => {
    const data = out.values.subarray(i * per, (i + 1) * per);
    const raw = decodeGrid([{ name: 'grid', shape: [1, out.rows, out.cols, out.depth], data }], { input, wanted, minScore, classCount });
    const t = fitTransform(width, height, out.inputWidth, out.inputHeight, 'stretch');
    const boxes = raw.flatMap((r) => {
      const box = toImageBox(r.x1, r.y1, r.x2, r.y2, t, width, height);
      return box ? [{ ...box, classIndex: r.classIndex, score: r.score, className: String(r.classIndex) }] : [];
    });
    return nonMaxSuppression(boxes, NMS_IOU, MAX_DETECTIONS_PER_IMAGE).map(({ className: _, ...b }) => b);
  });
}
