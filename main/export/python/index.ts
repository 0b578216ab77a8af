/**
 * Python code export, for users who outgrow one machine: a folder with
 *   model_torch.py + weights.npz   the model in torch.nn, weights in torch's layout
 *   train.py                       continues training under torchrun (DistributedDataParallel)
 *   model_keras.py + keras/        the model in Keras's functional API, weights from the Keras export
 *   data/                          the prepared dataset as .npy arrays (tabular runs)
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
import { readme } from './readme.js';

export { pythonSupport, type PythonSupport } from './support.js';
export type { TabularExport } from './dataset.js';

type Settings = Pick<TrainSettings, 'optimizer' | 'learningRate' | 'loss' | 'batchSize' | 'epochs' | 'seed'>;

export interface PythonExportInput {
  /** File-safe model name (keras/<name>.keras). */
  name: string;
  /** The run's name, for the scripts' headers. */
  title: string;
  graph: ModelGraph;
  artifacts: StoredWeights;
  settings: Settings;
  /** The prepared arrays; absent when the run's dataset is not tabular (README says so). */
  data?: TabularExport;
  /** Why no dataset was written, when data is absent. */
  noDataReason?: string;
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
}

export async function writePythonExport(dir: string, x: PythonExportInput): Promise<PythonExportResult> {
  // torchModel refuses unsupported layers before the folder is touched.
  const model = torchModel(x.artifacts, x.graph, x.title);
  const keras = kerasScript(x.graph, x.name, x.title, x.settings);
  await fsp.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, 'weights.npz'), npzBytes(model.weights));
  await writeAtomic(path.join(dir, 'model_torch.py'), model.source);
  await writeAtomic(path.join(dir, 'train.py'), trainScript(x.title, x.settings));
  await writeAtomic(path.join(dir, 'model_keras.py'), keras);
  const kerasFiles = await writeKerasModel(path.join(dir, 'keras'), x.artifacts, { name: x.name, graph: x.graph });
  const dataFiles = x.data ? await writeTabularArrays(path.join(dir, 'data'), x.data) : [];
  await writeAtomic(path.join(dir, 'README.txt'), readme(x, model));
  const files = ['model_torch.py', 'weights.npz', 'train.py', 'model_keras.py', 'README.txt'].map((f) => path.join(dir, f));
  return { files: [...files, ...kerasFiles, ...dataFiles], model, kerasFiles };
}
