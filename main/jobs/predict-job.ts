/**
 * Try it, in the trainer process: raw cells → the run's own preprocessing (fills, encodings,
 * scaling, window) → the trained model → raw outputs. The same functions prepareTabular used to
 * build the training arrays encode each row here, so a row predicts what evaluation predicted for it.
 */
import type { FromWorker, ToWorker } from './messages.js';
import { applyPreprocessing, splitInputs, type Preprocessing } from '../importers/csv/prepare.js';
import { loadBackend } from '../engine/backend.js';
import { loadFromArtifacts } from '../engine/artifacts.js';
import { predict } from '../engine/predict.js';
import { AppError } from '../../shared/errors.js';

type Send = (m: FromWorker) => void;

export async function runPredict(m: Extract<ToWorker, { type: 'predict' }>, send: Send): Promise<void> {
  const pre = m.preprocessing as Preprocessing;
  const { tf } = await loadBackend(m.backend);
  const model = await loadFromArtifacts(tf, m.weights);
  try {
    const groups = pre.inputs ?? [{ name: 'input', width: pre.scale.offset.length }];
    // The stored model fixes the input order; the preprocessing's groups are paired by name (or alone), as in evaluation.
    const order = model.inputNames.map((name) => {
      const k = groups.length === 1 ? 0 : groups.findIndex((g) => g.name === name);
      if (k < 0) throw new AppError('GRAPH_INVALID', `The trained model's input '${name}' has no columns in the run's preprocessing.`);
      return k;
    });
    const shapes = model.inputs.map((input) => input.shape.slice(1) as number[]);
    const perInput = order.map(() => [] as Float32Array[]);
    for (const sample of m.samples) {
      const parts = splitInputs(pre, applyPreprocessing(pre, sample));
      order.forEach((k, i) => perInput[i]!.push(parts[k]!));
    }
    const xs = perInput.map((arrays) => concat(arrays));
    const out = predict(tf, model, xs, m.samples.length, shapes);
    const units = out.length / m.samples.length;
    send({ type: 'predicted', outputs: m.samples.map((_, i) => Array.from(out.subarray(i * units, (i + 1) * units))) });
  } finally {
    model.dispose();
  }
}

function concat(arrays: Float32Array[]): Float32Array {
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}
