import { z } from 'zod';
import { method } from './contract.js';
import { graphSchema } from './models.js';
import type { Task } from '../dataset.js';

export const EXPORT_FORMATS = ['tfjs', 'keras', 'onnx', 'python'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One parity measurement made while exporting: the exported model against the app's. */
export interface ParityCheck {
  /** What was compared with what, in words. */
  method: string;
  status: 'passed' | 'failed' | 'not run';
  /** The largest absolute difference over every output value (0 for an exact match). */
  maxAbsDiff?: number;
  tolerance?: number;
  /** How many samples were run. */
  samples?: number;
  /** Where the sample inputs came from. */
  inputs?: 'test split' | 'seeded random';
  /** Why it was not run, or what else to know. */
  note?: string;
}

/** export-report.json: what an export holds and the parity measured when it was written. */
export interface ExportReport {
  format: ExportFormat;
  version: 1;
  exportedAt: string;
  run: { id: string; name: string; endedAt?: string; epochsDone: number; finalLogs?: Record<string, number> };
  dataset: { name: string; kind: 'tabular' | 'images'; sourceName: string } | null;
  task?: Task;
  target?: string;
  classes?: string[];
  /** A detector's score threshold as exported (its evaluation's best-F1 threshold, else the default). */
  threshold?: { value: number; source: 'evaluation' | 'default' };
  /** What the export holds of the dataset (Python code only): arrays, COCO, or nothing and why. */
  data?: { format: 'arrays' | 'coco'; summary: string } | { format: 'none'; reason: string };
  /** The Preprocessing record the trainer fitted (columns, encodings, scaling, target), or null. */
  preprocessing: unknown;
  /** Per-sample shapes, channels last, in the model's order. */
  inputs: { name: string; shape: (number | null)[] }[];
  outputs: { name: string; shape: (number | null)[] }[];
  /** Every file written, relative to the export folder. */
  files: { path: string; bytes: number }[];
  parity: ParityCheck[];
}

export interface ExportResult {
  dir: string;
  files: string[];
  /** The report also written to export-report.json and EXPORT.md. */
  report: ExportReport;
}

export interface LayerSupport {
  supported: boolean;
  /** Layers the export cannot write, with why; named before an export starts. */
  unsupported: { nodeId: string; layer: string; reason: string }[];
}
export type OnnxSupport = LayerSupport;

const target = z.object({ runId: z.string().min(1), dir: z.string().min(1).optional() });
/** A trained run's graph, or a graph being edited (the graph editor's export targets). */
const graphOrRun = z.union([z.object({ runId: z.string().min(1) }), z.object({ graph: graphSchema })]);

export const exportSpec = {
  /** Writes a TF.js LayersModel folder: model.json, weights.bin and layerbench.json (preprocessing). */
  tfjs: method<ExportResult>()(target),
  /** Writes `<run>.keras` (Keras 3: config.json, metadata.json, model.weights.h5) and the legacy `<run>.h5`. */
  keras: method<ExportResult>()(target),
  /** Writes `<run>.onnx` (opset 17, NHWC inputs as in the app); refuses naming the layers it cannot write. */
  onnx: method<ExportResult>()(target),
  /** Writes Python code: model_torch.py + weights.npz, train.py (torchrun), model_keras.py + keras/, data/ (.npy), README.txt. */
  python: method<ExportResult>()(target),
  onnxSupport: method<LayerSupport>()(graphOrRun),
  pythonSupport: method<LayerSupport>()(graphOrRun),
};
