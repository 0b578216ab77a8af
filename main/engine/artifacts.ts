/**
 * A trained model as plain data (topology JSON, weight specs, weight bytes) that can cross a
 * process boundary by structured clone and be stored in the project, and back.
 */
import type * as TF from '@tensorflow/tfjs';
import { registerCustomLayers } from './custom-layers.js';

type Tf = typeof TF;

export interface ModelArtifacts {
  /** Keras-compatible model JSON. */
  modelTopology: unknown;
  weightSpecs: unknown;
  /** All weights, concatenated in `weightSpecs` order. */
  weightData: Uint8Array;
}

export async function saveArtifacts(tf: Tf, model: TF.LayersModel): Promise<ModelArtifacts> {
  let saved: ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      // TF.js may hand the weights over in several buffers; join them into one.
      const bytes = a.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(a.weightData);
      saved = { modelTopology: a.modelTopology, weightSpecs: a.weightSpecs ?? [], weightData: new Uint8Array(bytes.slice(0)) };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    }),
  );
  if (!saved) throw new Error('model.save finished without calling the save handler');
  return saved;
}

export async function loadFromArtifacts(tf: Tf, a: ModelArtifacts): Promise<TF.LayersModel> {
  // Our own layer classes (Subtract, SpatialDropout2D) must be known before their JSON is read.
  registerCustomLayers(tf);
  // Copy into an ArrayBuffer of exactly the weights' length: a Uint8Array that arrived by
  // structured clone or from SQLite may be a view on a larger buffer.
  const weightData = a.weightData.slice().buffer;
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: a.modelTopology as TF.io.ModelArtifacts['modelTopology'],
      weightSpecs: a.weightSpecs as TF.io.WeightsManifestEntry[],
      weightData,
    }),
  );
}
