/**
 * Writes a TF.js LayersModel folder from stored weights, without loading TF.js:
 * model.json (topology + weights manifest), weights.bin, and layerbench.json describing the
 * preprocessing a caller must apply (input columns, encodings, scaling, target; for an image
 * model the image's fit and scaling, its classes and a detector's head and threshold).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { WeightArtifacts } from '../jobs/messages.js';
import type { ImageModelMetadata } from './metadata.js';

export interface ExportMetadata {
  format: 'layerbench-tfjs';
  version: 1;
  run: { id: string; name: string; endedAt?: string; finalLogs?: Record<string, number> };
  dataset: { name: string; sourceName: string; sha256: string };
  /** The Preprocessing record the trainer fitted (columns, encodings, scaling, target). */
  preprocessing: unknown;
  /** The first input's per-sample shape (kept for loaders written against version 1). */
  inputShape: number[];
  /** Every model input in the model's order: the Input layer's name and per-sample shape. */
  inputs: { name: string; shape: number[] }[];
  /** Image models: the task, classes, how an image becomes the input, and a detector's grid head and threshold. */
  image?: ImageModelMetadata;
}

export async function writeTfjsModel(dir: string, w: WeightArtifacts, meta: ExportMetadata): Promise<string[]> {
  await fsp.mkdir(dir, { recursive: true });
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'Layerbench',
    convertedBy: null,
    modelTopology: w.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: w.weightSpecs }],
  };
  const files = ['model.json', 'weights.bin', 'layerbench.json'];
  // Write to temp names and rename, so a half-written export is never mistaken for a good one.
  await writeAtomic(path.join(dir, 'weights.bin'), w.weightData);
  await writeAtomic(path.join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeAtomic(path.join(dir, 'layerbench.json'), JSON.stringify(meta, null, 2));
  return files.map((f) => path.join(dir, f));
}

async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, data);
  await fsp.rename(tmp, file);
}
