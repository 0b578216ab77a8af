/**
 * Try it, in the trainer process. Tables: raw cells → the run's own preprocessing (fills,
 * encodings, scaling, window) → the trained model; the same functions prepareTabular used to build
 * the training arrays encode each row, so a row predicts what evaluation predicted for it. Images:
 * bytes decoded by the core exactly as training decoded them, scaled by the training loop's own
 * gather. Answers with the model's raw outputs.
 */
import type { FromWorker, PredictInput, ToWorker } from './messages.js';
import { applyPreprocessing, splitInputs, type Preprocessing } from '../importers/csv/prepare.js';
import { loadBackend } from '../engine/backend.js';
import { loadFromArtifacts } from '../engine/artifacts.js';
import { predict } from '../engine/predict.js';
import { gather } from '../engine/train-step.js';
import { AppError } from '../../shared/errors.js';
import { gridDetections } from '../engine/detector/grid-detections.js';

type Send = (m: FromWorker) => void;
type Model = Awaited<ReturnType<typeof loadFromArtifacts>>;

export async function runPredict(m: Extract<ToWorker, { type: 'predict' }>, send: Send): Promise<void> {
  const { tf } = await loadBackend(m.backend);
  const model = await loadFromArtifacts(tf, m.weights);
  try {
    const shapes = model.inputs.map((input) => input.shape.slice(1) as number[]);
    const { xs, count } = m.input.kind === 'table' ? tableInputs(model, m.input) : imageInputs(shapes, m.input);
    const out = predict(tf, model, xs, count, shapes);
    if (m.input.kind === 'images' && m.input.detect) {
      const { sizes, minScore } = m.input.detect;
      const [rows, cols, depth] = model.outputs[0]!.shape.slice(1) as number[];
      const grid = { values: out, rows: rows!, cols: cols!, depth: depth!, inputHeight: m.input.shape[0], inputWidth: m.input.shape[1] };
      send({ type: 'predicted', outputs: [], detections: gridDetections(grid, sizes, minScore) });
      return;
    }
    const units = out.length / count;
    send({ type: 'predicted', outputs: Array.from({ length: count }, (_, i) => Array.from(out.subarray(i * units, (i + 1) * units))) });
  } finally {
    model.dispose();
  }
}

function tableInputs(model: Model, input: Extract<PredictInput, { kind: 'table' }>): { xs: Float32Array[]; count: number } {
  const pre = input.preprocessing as Preprocessing;
  const groups = pre.inputs ?? [{ name: 'input', width: pre.scale.offset.length }];
  // The stored model fixes the input order; the preprocessing's groups are paired by name (or alone), as in evaluation.
  const order = model.inputNames.map((name) => {
    const k = groups.length === 1 ? 0 : groups.findIndex((g) => g.name === name);
    if (k < 0) throw new AppError('GRAPH_INVALID', `The trained model's input '${name}' has no columns in the run's preprocessing.`);
    return k;
  });
  const perInput = order.map(() => [] as Float32Array[]);
  for (const sample of input.samples) {
    const parts = splitInputs(pre, applyPreprocessing(pre, sample));
    order.forEach((k, i) => perInput[i]!.push(parts[k]!));
  }
  return { xs: perInput.map(concat), count: input.samples.length };
}

function imageInputs(shapes: number[][], input: Extract<PredictInput, { kind: 'images' }>): { xs: Float32Array[]; count: number } {
  if (shapes.length !== 1 || shapes[0]!.join('x') !== input.shape.join('x'))
    throw new AppError('GRAPH_INVALID', `The trained model takes ${shapes.map((s) => `[${s.join(', ')}]`).join(' + ')}; the images were decoded as [${input.shape.join(', ')}].`);
  const size = input.shape.reduce((a, b) => a * b, 1);
  if (input.pixels.length !== input.count * size)
    throw new AppError('INVALID_REQUEST', `predict: ${input.pixels.length} bytes for ${input.count} images of ${input.shape.join('×')} (${input.count * size} expected).`);
  const rows = Uint32Array.from({ length: input.count }, (_, i) => i);
  return { xs: [gather(input.pixels, rows, size)], count: input.count };
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
