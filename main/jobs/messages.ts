/** Messages between the core and a trainer process. Structured-clone data only. */
import type { CsvProfile, DatasetConfig } from '../../shared/dataset.js';
import type { SerializedError } from '../../shared/errors.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { BoxGeometry } from '../../shared/images.js';
import type { DetectedBoxView } from '../../shared/detection.js';
import type { Proposal as ProposedBox } from '../engine/detector/types.js';
import type { BackendChoice, BackendInfo, EarlyStoppingReport, TrainSettings, TrainingProgress } from '../../shared/training.js';

export interface WeightArtifacts {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: Uint8Array;
}

/** The tabular data a job reads: the CSV in the project's media folder and how to read it. */
export interface DataSource {
  kind?: 'csv';
  csvPath: string;
  profile: CsvProfile;
  config: DatasetConfig;
}

/** An image dataset the core has decoded into the cache (main/importers/images/training-data.ts): bytes per split, labels, ids. */
export interface ImageDataSource {
  kind: 'images';
  /** (height, width, channels): the model's Input shape, which the images were resized to. */
  shape: [number, number, number];
  classes: string[];
  splits: Partial<Record<'train' | 'validation' | 'test', { file: string; count: number; labels: number[]; itemIds: number[] }>>;
  /** A detector's dataset: each image's size and confirmed boxes, which the trainer encodes for the model's grid. */
  detection?: { truths: DetectionTruths };
}

/** By item id: the image's size (after EXIF rotation) and its confirmed boxes in its pixels, class by index. */
export type DetectionTruths = Record<number, { width: number; height: number; boxes: { classIndex: number; box: BoxGeometry }[] }>;

export type TrainingData = DataSource | ImageDataSource;

/** What try-it predicts on: rows of raw cells per sample, or `count` images of shape's bytes, image after image. */
export type PredictInput =
  | { kind: 'table'; preprocessing: unknown; samples: string[][][] }
  | {
      kind: 'images';
      shape: [number, number, number];
      pixels: Uint8Array;
      count: number;
      /** A detector: answer with each image's boxes scoring at least minScore, in its own size (gridDetections). */
      detect?: { sizes: { width: number; height: number }[]; minScore: number };
    };

export type ToWorker =
  | {
      type: 'train';
      runId: string;
      data: TrainingData;
      graph: ModelGraph;
      settings: TrainSettings;
      /** Resuming: the weights to start from, and the first epoch (0-based) still to train. */
      initial?: { weights: WeightArtifacts; epoch: number };
    }
  | { type: 'stop' }
  | { type: 'pause'; paused: boolean }
  | { type: 'evaluate'; data: TrainingData; weights: WeightArtifacts; backend: BackendChoice }
  | { type: 'probe'; backend: BackendChoice }
  /** Export parity: the trained model's outputs on sample inputs and, when `tfjsDir` is given, those of the TF.js export reloaded from its files. */
  | { type: 'exportParity'; weights: WeightArtifacts; inputs: ParityTensor[]; tfjsDir?: string; backend: BackendChoice }
  /** Try it: runs the model on samples of raw cells (encoded with the run's stored preprocessing) or on decoded images (see predict-job.ts). */
  | { type: 'predict'; weights: WeightArtifacts; input: PredictInput; backend: BackendChoice }
  /** Proposes boxes on images with a pretrained detector (or a trained run's model). */
  | { type: 'prelabel'; items: { id: number; path: string }[]; proposer: string; minScore: number; backend: BackendChoice; model?: PrelabelModel };

/** A trained run proposing boxes (its grid head read as main/engine/detector/from-model.ts reads one); `proposer` is then its id. */
export interface PrelabelModel {
  weights: WeightArtifacts;
  name: string;
  /** The run's classes, in its output order. */
  classes: string[];
}

/** One proposed box, in pixels of the oriented image (the detector's Proposal). */
export type { Proposal as ProposedBox } from '../engine/detector/types.js';

export interface EvaluationOutput {
  task: 'regression' | 'classification' | 'detection';
  /** Regression: values in original units. Classification: class indices. */
  actual: number[];
  predicted: number[];
  /** The data row (0-based) of each test sample. */
  rows: number[];
  classes?: string[];
  target: string;
  /** Classification: the model's output per test sample, per class (curves and the gallery read it). */
  probabilities?: number[][];
  /** Image datasets: the image item of each test sample (tables use `rows`). */
  itemIds?: number[];
  /** Detection: each test image's detections (score ≥ DETECTION_SCORE_FLOOR, after NMS), in its own pixels, in `itemIds` order. */
  detections?: DetectedBoxView[][];
}

/** A batch of one model input or output: row-major values with their shape (batch first). */
export interface ParityTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

export type FromWorker =
  | { type: 'ready' }
  /** The trainer saw the stop and is saving what it has trained. */
  | { type: 'stopping' }
  /** The trainer holds (or goes on) from the next batch. */
  | { type: 'paused'; paused: boolean }
  /** The weights at the end of `epoch`: the best so far by the monitored loss, or the latest. */
  | { type: 'checkpoint'; kind: 'best' | 'last'; epoch: number; logs: Record<string, number>; weights: WeightArtifacts }
  | { type: 'backend'; info: BackendInfo }
  | { type: 'prepared'; preprocessing: unknown; counts: { train: number; validation: number; test: number } }
  | { type: 'progress'; progress: TrainingProgress }
  | {
      type: 'trained';
      weights: WeightArtifacts;
      stopped: boolean;
      epochsDone: number;
      finalLogs: Record<string, number>;
      samplesPerSec: number;
      earlyStopping?: EarlyStoppingReport;
    }
  | { type: 'evaluated'; output: EvaluationOutput }
  | { type: 'probed'; info: BackendInfo }
  | { type: 'parityOutputs'; outputs: ParityTensor[]; reloaded?: ParityTensor[] }
  /** The model's raw outputs, one array per sample (scaled regression value, or class probabilities). */
  | { type: 'predicted'; outputs: number[][]; detections?: DetectedBoxView[][] }
  /** One image pre-labelled (an empty list: the detector found nothing there). */
  | { type: 'proposals'; itemId: number; proposals: ProposedBox[]; error?: string }
  | { type: 'prelabelled'; images: number }
  | { type: 'error'; error: SerializedError };
