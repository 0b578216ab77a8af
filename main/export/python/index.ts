/**
 * Python code export, for users who outgrow one machine: a folder with
 *   model_torch.py + weights.npz   the model in torch.nn, weights in torch's layout
 *   train.py                       continues training under torchrun (DistributedDataParallel)
 *   model_keras.py + keras/        the model in Keras's functional API, weights from the Keras export
 *   data/                          the dataset: .npy arrays (tables; image classifiers' pixels as
 *                                  uint8), or COCO (annotations/ + images/) for a detector
 *   detection_data.py              detectors only: COCO reading, the grid target, decoding boxes
 *   README.txt                     how to run each
 * Unsupported layers are refused, by name, before anything is written (pythonSupport).
 *
 *   const r = await writePythonExport(out, { name, title, graph, artifacts, settings, data });
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ModelGraph } from '../../../shared/graph.js';
import type { TrainSettings } from '../../../shared/training.js';
import type { StoredWeights } from '../keras/layer-weights.js';
import { writeKerasModel } from '../keras/index.js';
import { npzBytes } from './npy.js';
import { torchModel, type TorchModel } from './torch-script.js';
import { trainScript } from './train-script.js';
import { kerasScript } from './keras-script.js';
import { writeTabularArrays, type TabularExport } from './dataset.js';
import { writeImageArrays, type ImageArraysExport } from './image-arrays.js';
import { detectionDataScript, type GridDetector } from './detection-data.js';
import { exportCoco } from '../dataset/coco.js';
import type { ExportableDataset } from '../dataset/types.js';
import { readme } from './readme.js';

export { pythonSupport, type PythonSupport } from './support.js';
export type { TabularExport } from './dataset.js';
export type { ImageArraysExport } from './image-arrays.js';
export type { GridDetector } from './detection-data.js';

/** What data/ ended up holding, for the README and the export report. */
export type PythonDataSummary =
  | { format: 'arrays'; kind: 'tabular' | 'images'; counts: { train: number; validation: number; test: number } }
  | { format: 'coco'; images: number; boxes: number; counts: { train: number; validation: number; test: number } }
  | { format: 'none'; reason: string };

type Settings = Pick<TrainSettings, 'optimizer' | 'learningRate' | 'loss' | 'batchSize' | 'epochs' | 'seed'>;

export interface PythonExportInput {
  /** File-safe model name (keras/<name>.keras). */
  name: string;
  /** The run's name, for the scripts' headers. */
  title: string;
  graph: ModelGraph;
  artifacts: StoredWeights;
  settings: Settings;
  /** A table's prepared arrays. */
  data?: TabularExport;
  /** An image classifier's decoded images (the decode cache's bytes). */
  imageData?: ImageArraysExport;
  /** A grid detector: its head and threshold, and its dataset (confirmed boxes, every image in a split) for COCO. */
  detector?: GridDetector;
  coco?: ExportableDataset;
  /** Why no dataset was written, when none of data, imageData, coco is given. */
  noDataReason?: string;
  /** What the Keras files' metadata.json carries beside Keras's own keys (task, classes, head, threshold). */
  layerbench?: Record<string, unknown>;
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, file);
}

/** Writes model_torch.py and weights.npz into dir; returns the model description. */
export async function writeTorchModel(dir: string, artifacts: StoredWeights, graph: ModelGraph, title: string): Promise<TorchModel> {
  const model = torchModel(artifacts, graph, title);
  await fsp.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, 'weights.npz'), npzBytes(model.weights));
  await writeAtomic(path.join(dir, 'model_torch.py'), model.source);
  return model;
}

export interface PythonExportResult {
  files: string[];
  model: TorchModel;
  /** The Keras files written under keras/. */
  kerasFiles: string[];
  data: PythonDataSummary;
}

export async function writePythonExport(dir: string, x: PythonExportInput): Promise<PythonExportResult> {
  // torchModel refuses unsupported layers before the folder is touched.
  const model = torchModel(x.artifacts, x.graph, x.title);
  const data: PythonExportResult['data'] = x.data
    ? { format: 'arrays', kind: 'tabular', counts: { train: x.data.splits.train.count, validation: x.data.splits.validation.count, test: x.data.splits.test.count } }
    : x.imageData
      ? { format: 'arrays', kind: 'images', counts: { train: x.imageData.splits.train?.count ?? 0, validation: x.imageData.splits.validation?.count ?? 0, test: x.imageData.splits.test?.count ?? 0 } }
      : x.coco
        ? { format: 'coco', images: x.coco.images.length, boxes: x.coco.images.reduce((n, i) => n + i.boxes.length, 0), counts: cocoCounts(x.coco) }
        : { format: 'none', reason: x.noDataReason ?? 'no dataset was given' };
  const keras = kerasScript(x.graph, x.name, x.title, x.settings, x.detector ? 'coco' : 'arrays');
  await fsp.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, 'weights.npz'), npzBytes(model.weights));
  await writeAtomic(path.join(dir, 'model_torch.py'), model.source);
  await writeAtomic(path.join(dir, 'train.py'), trainScript(x.title, x.settings, x.detector ? 'coco' : 'arrays'));
  await writeAtomic(path.join(dir, 'model_keras.py'), keras);
  const files = ['model_torch.py', 'weights.npz', 'train.py', 'model_keras.py'];
  if (x.detector) {
    await writeAtomic(path.join(dir, 'detection_data.py'), detectionDataScript(x.detector));
    files.push('detection_data.py');
  }
  const kerasFiles = await writeKerasModel(path.join(dir, 'keras'), x.artifacts, { name: x.name, graph: x.graph, ...(x.layerbench ? { layerbench: x.layerbench } : {}) });
  const dataDir = path.join(dir, 'data');
  let dataFiles: string[] = [];
  if (x.data) dataFiles = await writeTabularArrays(dataDir, x.data);
  else if (x.imageData) dataFiles = await writeImageArrays(dataDir, x.imageData);
  else if (x.coco) {
    await exportCoco(dataDir, x.coco);
    // The annotation files are listed; the copied images are counted in the report, not listed one by one.
    dataFiles = (await fsp.readdir(path.join(dataDir, 'annotations'))).sort().map((f) => path.join(dataDir, 'annotations', f));
  }
  await writeAtomic(path.join(dir, 'README.txt'), readme(x, model, data));
  files.push('README.txt');
  return { files: [...files.map((f) => path.join(dir, f)), ...kerasFiles, ...dataFiles], model, kerasFiles, data };
}

function cocoCounts(d: ExportableDataset): { train: number; validation: number; test: number } {
  const count = (s: string) => d.images.filter((i) => i.split === s).length;
  return { train: count('train'), validation: count('validation'), test: count('test') };
}
