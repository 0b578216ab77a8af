/** Loads an exported TF.js LayersModel folder from disk (tfjs-node's file:// handler is not installed here). */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';

export async function loadExportedModel(tf: typeof TF, dir: string): Promise<TF.LayersModel> {
  const modelJson = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8')) as {
    modelTopology: TF.io.ModelArtifacts['modelTopology'];
    weightsManifest: { paths: string[]; weights: TF.io.WeightsManifestEntry[] }[];
  };
  const handler: TF.io.IOHandler = {
    load: async () => {
      const buffers = await Promise.all(modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => fsp.readFile(path.join(dir, p)))));
      const all = Buffer.concat(buffers);
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
      };
    },
  };
  return tf.loadLayersModel(handler);
}
