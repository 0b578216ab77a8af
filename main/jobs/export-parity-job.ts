/**
 * Export parity in the trainer process (TF.js lives only here): the trained model's outputs on the
 * sample inputs, and the TF.js export's outputs after reloading it from model.json + weights.bin,
 * so the core can compare every other format's outputs with the app's.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { FromWorker, ParityTensor, ToWorker } from './messages.js';
import { loadBackend, type Tf } from '../engine/backend.js';
import { loadFromArtifacts } from '../engine/artifacts.js';

type Send = (m: FromWorker) => void;
/** The engine's model type, named without importing TF.js here (only main/engine/ may). */
type Model = Awaited<ReturnType<typeof loadFromArtifacts>>;

function outputsOf(tf: Tf, model: Model, inputs: ParityTensor[]): ParityTensor[] {
  return tf.tidy(() => {
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = model.predict(xs.length === 1 ? xs[0]! : xs);
    return (Array.isArray(y) ? y : [y]).map((t, k) => ({ name: model.outputNames[k] ?? `output_${k}`, shape: t.shape as number[], values: t.dataSync() as Float32Array }));
  });
}

/** The TF.js export as a loader would read it: model.json's topology and manifest, weights.bin's bytes. */
async function reloadTfjs(tf: Tf, dir: string): Promise<Model> {
  const json = JSON.parse(await fsp.readFile(path.join(dir, 'model.json'), 'utf8')) as { modelTopology: unknown; weightsManifest: { paths: string[]; weights: unknown }[] };
  const manifest = json.weightsManifest[0]!;
  const bytes = new Uint8Array(await fsp.readFile(path.join(dir, manifest.paths[0]!)));
  return loadFromArtifacts(tf, { modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: bytes });
}

export async function runExportParity(m: Extract<ToWorker, { type: 'exportParity' }>, send: Send): Promise<void> {
  const { tf } = await loadBackend(m.backend);
  const model = await loadFromArtifacts(tf, m.weights);
  const outputs = outputsOf(tf, model, m.inputs);
  model.dispose();
  let reloaded: ParityTensor[] | undefined;
  if (m.tfjsDir) {
    const back = await reloadTfjs(tf, m.tfjsDir);
    reloaded = outputsOf(tf, back, m.inputs);
    back.dispose();
  }
  send({ type: 'parityOutputs', outputs, ...(reloaded ? { reloaded } : {}) });
}
