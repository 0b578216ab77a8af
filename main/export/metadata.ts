/**
 * What an image model's exports say about how to use it, beside the weights: the task, the
 * classes, how an image becomes the input (EXIF rotation, stretched to the Input, / 255) and, for
 * a grid detector, how to read its head (shared/detection.ts) and the score threshold try-it
 * starts from. Written into TF.js's layerbench.json, the .keras's metadata.json (`layerbench`),
 * and the Python export's detection_data.py.
 */
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { AppError } from '../../shared/errors.js';
import { DEFAULT_DETECTION_THRESHOLD, GRID_BOX_CHANNELS, MAX_DETECTIONS_PER_IMAGE, NMS_IOU, gridChannelNames } from '../../shared/detection.js';
import type { ModelGraph } from '../../shared/graph.js';

/** How an image becomes the model's input; shared by the Python arrays, TF.js and Keras metadata. */
export interface ImagePreprocessing {
  /** The image is resized to the Input's height and width, ignoring its aspect ratio. */
  fit: 'stretch';
  /** EXIF orientation applied first, as the Label view shows the image. */
  orientation: 'exif';
  /** Pixels are value × scale (0–1), channels last, RGB or grey as the Input's channels say. */
  scale: number;
  channels: 1 | 3;
  height: number;
  width: number;
}

export function imagePreprocessing(shape: readonly [number, number, number]): ImagePreprocessing {
  return { fit: 'stretch', orientation: 'exif', scale: 1 / 255, channels: shape[2] === 1 ? 1 : 3, height: shape[0], width: shape[1] };
}

export interface ImageClassifierMetadata {
  task: 'classification';
  classes: string[];
  input: ImagePreprocessing;
}

export interface DetectorMetadata {
  task: 'detection';
  classes: string[];
  input: ImagePreprocessing;
  head: {
    kind: 'grid';
    rows: number;
    cols: number;
    /** One name per output channel: objectness, cx, cy, w, h, class:<name>... */
    channels: string[];
    decode: string;
  };
  /** Boxes scoring below this are dropped; `thresholdSource` says whether an evaluation chose it. */
  threshold: number;
  thresholdSource: 'evaluation' | 'default';
  nmsIou: number;
  maxDetections: number;
}

export type ImageModelMetadata = ImageClassifierMetadata | DetectorMetadata;

/** The (height, width, channels) of the graph's single image Input. */
function inputShape(graph: ModelGraph): [number, number, number] {
  const a = analyzeGraph(graph);
  const shape = a.nodes[a.inputs[0] ?? '']?.outputShape?.slice(1) ?? [];
  if (a.inputs.length !== 1 || shape.length !== 3 || shape.some((v) => typeof v !== 'number'))
    throw new AppError('GRAPH_INVALID', `An image model takes one Input of (height, width, channels); this one takes ${JSON.stringify(shape)}.`);
  return shape as [number, number, number];
}

/** The grid a detector's single output is: [rows, cols, 5 + classes]; throws naming what it found. */
export function gridOf(graph: ModelGraph, classes: number): { rows: number; cols: number } {
  const a = analyzeGraph(graph);
  const shape = a.nodes[a.outputs[0] ?? '']?.outputShape?.slice(1) ?? [];
  if (a.outputs.length !== 1 || shape.length !== 3 || shape[2] !== GRID_BOX_CHANNELS + classes || typeof shape[0] !== 'number' || typeof shape[1] !== 'number')
    throw new AppError('GRAPH_INVALID', `A grid detector has one output of (rows, cols, ${GRID_BOX_CHANNELS + classes}) for ${classes} class(es); this one gives ${JSON.stringify(shape)}.`);
  return { rows: shape[0], cols: shape[1] };
}

export function imageClassifierMetadata(graph: ModelGraph, classes: string[]): ImageClassifierMetadata {
  return { task: 'classification', classes, input: imagePreprocessing(inputShape(graph)) };
}

/** `evaluated`: the run's evaluation threshold (best F1), when it has one. */
export function detectorMetadata(graph: ModelGraph, classes: string[], evaluated: number | null): DetectorMetadata {
  const { rows, cols } = gridOf(graph, classes.length);
  return {
    task: 'detection',
    classes,
    input: imagePreprocessing(inputShape(graph)),
    head: {
      kind: 'grid',
      rows,
      cols,
      channels: gridChannelNames(classes),
      decode:
        'output [rows, cols, 5 + classes], all sigmoid: cell (r, q) predicts a box centred at ((q + cx) / cols, (r + cy) / rows) of the input, w and h fractions of it; score = objectness × class probability; keep scores ≥ threshold, then per-class NMS at nmsIou',
    },
    threshold: evaluated ?? DEFAULT_DETECTION_THRESHOLD,
    thresholdSource: evaluated === null ? 'default' : 'evaluation',
    nmsIou: NMS_IOU,
    maxDetections: MAX_DETECTIONS_PER_IMAGE,
  };
}
