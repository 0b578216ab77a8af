/**
 * Loads a TF.js graph model (model.json + weight shards) from a folder on disk. TF.js's own
 * file:// handler lives in tfjs-node, which is an optional dependency, so the engine reads the
 * files itself and hands TF.js the artifacts.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { AppError } from '../../../shared/errors.js';

type Tf = typeof TF;

interface ModelJson {
  format?: string;
  modelTopology?: TF.io.ModelArtifacts['modelTopology'];
  signature?: unknown;
  userDefinedMetadata?: TF.io.ModelArtifacts['userDefinedMetadata'];
  weightsManifest?: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
}

/** Reads model.json and its shards; errors name the file and what was wrong with it. */
export async function readGraphModelArtifacts(jsonPath: string): Promise<TF.io.ModelArtifacts> {
  let text: string;
  try {
    text = await fsp.readFile(jsonPath, 'utf8');
  } catch (e) {
    throw new AppError('DETECTOR_UNAVAILABLE', `Detector model '${jsonPath}' could not be read: ${(e as Error).message}.`);
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch {
    throw new AppError('MODEL_JSON_INVALID', `Detector model '${jsonPath}' is not JSON; expected a TF.js graph model's model.json.`);
  }
  if (json.format !== 'graph-model' || !json.modelTopology || !Array.isArray(json.weightsManifest))
    throw new AppError(
      'MODEL_JSON_INVALID',
      `Detector model '${jsonPath}' has format '${String(json.format)}'; expected a TF.js graph model (format 'graph-model' with modelTopology and weightsManifest).`,
    );
  const dir = path.dirname(jsonPath);
  const shards = json.weightsManifest.flatMap((g) => g.paths.map((p) => path.join(dir, p)));
  const buffers = await Promise.all(
    shards.map((p) =>
      fsp.readFile(p).catch((e: Error) => {
        throw new AppError('DETECTOR_UNAVAILABLE', `Weights '${p}' of detector model '${jsonPath}' could not be read: ${e.message}.`);
      }),
    ),
  );
  const all = Buffer.concat(buffers);
  return {
    format: json.format,
    modelTopology: json.modelTopology,
    signature: json.signature as TF.io.ModelArtifacts['signature'],
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
  };
}

export async function loadGraphModelFile(tf: Tf, jsonPath: string): Promise<TF.GraphModel> {
  const artifacts = await readGraphModelArtifacts(jsonPath);
  return tf.loadGraphModel(tf.io.fromMemory(artifacts));
}
