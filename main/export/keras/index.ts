/**
 * Keras export: `<name>.keras` (Keras 3: a zip of config.json, metadata.json and
 * model.weights.h5) and the legacy `<name>.h5` (tf.keras 2's single HDF5 file), from stored weights.
 *
 *   const files = await writeKerasModel(dir, run.weights, { name: 'pm25_lstm', graph });
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ModelGraph } from '../../../shared/graph.js';
import { graphToKerasJson, kerasJsonToGraph } from '../../../shared/keras.js';
import { AppError } from '../../../shared/errors.js';
import type { StoredWeights } from './layer-weights.js';
import { placeWeights } from './layout.js';
import { kerasV3Config } from './config-v3.js';
import { writeKeras3Weights } from './weights-v3.js';
import { writeLegacyH5 } from './legacy-h5.js';
import { zipStored } from './zip.js';

export interface KerasExportMeta {
  /** The model's name: the file names (`<name>.keras`, `<name>.h5`) and the Keras model name. */
  name: string;
  /** The model graph; read from the stored topology when absent. */
  graph?: ModelGraph;
  /** Written to metadata.json; Keras 3 reads it only to warn about newer files. */
  kerasVersion?: string;
  date?: Date;
  /** Written to metadata.json under `layerbench` (task, classes, preprocessing, a detector's head and threshold); Keras ignores it. */
  layerbench?: Record<string, unknown>;
}

export const KERAS3_VERSION = '3.6.0';

/** Keras' date_saved format: 2024-05-01@13:45:07. */
function kerasDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function checkName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name) || name.length > 100)
    throw new AppError('INVALID_REQUEST', `Export name '${name}' must be 1–100 letters, digits, '_', '.' or '-', starting with a letter or digit`);
  return name;
}

/** Writes `<name>.keras` and `<name>.h5` into outDir; returns their paths. */
export async function writeKerasModel(outDir: string, artifacts: StoredWeights, meta: KerasExportMeta): Promise<string[]> {
  const name = checkName(meta.name);
  const graph = meta.graph ?? kerasJsonToGraph(artifacts.modelTopology);
  const layers = placeWeights(graph, artifacts);
  await fsp.mkdir(outDir, { recursive: true });
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'layerbench-keras-'));
  try {
    const weightsFile = path.join(tmp, 'model.weights.h5');
    await writeKeras3Weights(weightsFile, layers);
    const date = meta.date ?? new Date();
    const zip = zipStored(
      [
        { name: 'metadata.json', data: new TextEncoder().encode(JSON.stringify({ keras_version: meta.kerasVersion ?? KERAS3_VERSION, date_saved: kerasDate(date), ...(meta.layerbench ? { layerbench: meta.layerbench } : {}) })) },
        { name: 'config.json', data: new TextEncoder().encode(JSON.stringify(kerasV3Config(graph, name))) },
        { name: 'model.weights.h5', data: new Uint8Array(await fsp.readFile(weightsFile)) },
      ],
      date,
    );
    const kerasFile = path.join(outDir, `${name}.keras`);
    const h5File = path.join(outDir, `${name}.h5`);
    const h5Tmp = path.join(tmp, 'legacy.h5');
    await writeLegacyH5(h5Tmp, graphToKerasJson(graph, name), layers);
    // Written aside and moved in, so a half-written export is never mistaken for a good one.
    await fsp.writeFile(`${kerasFile}.${process.pid}.tmp`, zip);
    await fsp.rename(`${kerasFile}.${process.pid}.tmp`, kerasFile);
    await fsp.copyFile(h5Tmp, `${h5File}.${process.pid}.tmp`);
    await fsp.rename(`${h5File}.${process.pid}.tmp`, h5File);
    return [kerasFile, h5File];
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
}
