/**
 * The parity each export measures while it is written (recorded in its report):
 *   TF.js   the export reloaded from model.json + weights.bin in TF.js, outputs compared exactly;
 *   ONNX    the .onnx run in onnxruntime-node, outputs within 1e-4 of the app's;
 *   Keras   every weight read back with h5wasm from both files, bit for bit;
 *   Python  model_torch.py run by a Python with torch, outputs within 1e-4 ("not run" without one).
 * A check that cannot run (no trainer process, no torch) says why instead of failing the export.
 */
import type { ParityCheck } from '../../shared/api/export.js';
import type { ModelGraph } from '../../shared/graph.js';
import { AppError } from '../../shared/errors.js';
import type { BackendChoice } from '../../shared/training.js';
import type { ParityTensor, WeightArtifacts } from '../jobs/messages.js';
import { callWorker } from '../jobs/worker-call.js';
import { compareOutputs } from '../export/checks/compare.js';
import { runOnnx } from '../export/checks/onnx-run.js';
import { findTorchPython, runTorchModel } from '../export/checks/torch-run.js';
import { readBackKeras } from '../export/checks/keras-readback.js';
import type { CoreContext } from '../core.js';

export const TOLERANCE = 1e-4;

export interface Samples {
  inputs: ParityTensor[];
  source: 'test split' | 'seeded random';
}

/** The trained model's outputs (and the reloaded TF.js export's) from a trainer process. */
async function appOutputs(ctx: CoreContext, weights: WeightArtifacts, inputs: ParityTensor[], backend: BackendChoice, tfjsDir?: string) {
  const ask = (b: BackendChoice) => callWorker(ctx.spawn, ctx.opts.workerEntry, { type: 'exportParity', weights, inputs, backend: b, ...(tfjsDir ? { tfjsDir } : {}) }, 'parityOutputs');
  // As evaluation does: the run's backend gives its numbers; if it no longer loads, the best that does.
  return ask(backend).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'BACKEND_UNAVAILABLE') return ask('auto');
    throw e;
  });
}

const notRun = (method: string, e: unknown): ParityCheck => ({ method, status: 'not run', note: `Could not be measured: ${(e as Error).message}` });

function measured(method: string, outputs: ParityTensor[], got: { shape: number[]; values: ArrayLike<number> }[], tolerance: number, s: Samples): ParityCheck {
  const c = compareOutputs(outputs, got);
  return {
    method,
    status: c.maxAbsDiff <= tolerance ? 'passed' : 'failed',
    maxAbsDiff: Number.isFinite(c.maxAbsDiff) ? c.maxAbsDiff : -1,
    tolerance,
    samples: s.inputs[0]?.shape[0] ?? 0,
    inputs: s.source,
    ...(c.mismatch ? { note: c.mismatch } : {}),
  };
}

export async function tfjsParity(ctx: CoreContext, weights: WeightArtifacts, dir: string, s: Samples, backend: BackendChoice): Promise<ParityCheck> {
  const method = 'the export reloaded in TF.js from model.json and weights.bin against the trained model, on the same backend';
  try {
    const r = await appOutputs(ctx, weights, s.inputs, backend, dir);
    return measured(method, r.outputs, r.reloaded ?? [], 0, s);
  } catch (e) {
    return notRun(method, e);
  }
}

export async function onnxParity(ctx: CoreContext, weights: WeightArtifacts, file: string, s: Samples, backend: BackendChoice): Promise<ParityCheck> {
  const method = 'the .onnx file run in onnxruntime-node against the trained model in TF.js';
  try {
    const r = await appOutputs(ctx, weights, s.inputs, backend);
    return measured(method, r.outputs, await runOnnx(file, s.inputs, r.outputs.map((o) => o.name)), TOLERANCE, s);
  } catch (e) {
    return notRun(method, e);
  }
}

export async function kerasParity(kerasFile: string, h5File: string, weights: WeightArtifacts, graph: ModelGraph): Promise<ParityCheck> {
  const method = 'every weight read back with h5wasm from the .h5 and the .keras (model.weights.h5) against the trained weights';
  try {
    const r = await readBackKeras(kerasFile, h5File, weights, graph);
    return r.problems.length === 0
      ? { method, status: 'passed', maxAbsDiff: 0, tolerance: 0, note: `${r.weights} weight arrays equal, bit for bit` }
      : { method, status: 'failed', note: r.problems.slice(0, 5).join('; ') };
  } catch (e) {
    return notRun(method, e);
  }
}

export async function torchParity(ctx: CoreContext, weights: WeightArtifacts, dir: string, s: Samples, backend: BackendChoice): Promise<ParityCheck> {
  const method = 'model_torch.py run by PyTorch on CPU (weights.npz) against the trained model in TF.js';
  const found = await findTorchPython();
  if (found.python === null) return { method, status: 'not run', note: `Not run at export time: ${found.why}. The test suite checks every layer to ${TOLERANCE}.` };
  try {
    const r = await appOutputs(ctx, weights, s.inputs, backend);
    return measured(method, r.outputs, await runTorchModel(found.python, dir, s.inputs, r.outputs.map((o) => o.name)), TOLERANCE, s);
  } catch (e) {
    return notRun(method, e);
  }
}
