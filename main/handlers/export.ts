import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import type { CoreContext } from '../core.js';
import { writeTfjsModel } from '../export/tfjs.js';
import { writeKerasModel } from '../export/keras/index.js';
import { onnxSupport, writeOnnxModel } from '../export/onnx/index.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export function exportHandlers(ctx: CoreContext): ApiHandlers['export'] {
  /** A finished run with its weights, and the folder its export goes to. */
  const trained = (runId: string, dir: string | undefined, kind: string) => {
    const store = ctx.requireStore();
    const run = store.getRun(runId);
    const weights = store.getWeights(runId);
    if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights to export (status: ${run.status}).`);
    return { run, weights, out: path.resolve(dir ?? path.join(store.dir, 'exports', `${safeName(run.name)}-${kind}`)) };
  };
  return {
    async keras({ runId, dir }) {
      const { run, weights, out } = trained(runId, dir, 'keras');
      const files = await writeKerasModel(out, weights, { name: safeName(run.name), graph: run.graph });
      return { dir: out, files };
    },
    async onnx({ runId, dir }) {
      const { run, weights, out } = trained(runId, dir, 'onnx');
      const { file } = await writeOnnxModel(path.join(out, `${safeName(run.name)}.onnx`), weights, run.graph, { name: run.name });
      return { dir: out, files: [file] };
    },
    async onnxSupport({ runId }) {
      return onnxSupport(ctx.requireStore().getRun(runId).graph);
    },
    async tfjs({ runId, dir }) {
      const store = ctx.requireStore();
      const run = store.getRun(runId);
      const weights = store.getWeights(runId);
      if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights to export (status: ${run.status}).`);
      const dataset = store.getDataset(run.datasetId);
      const pre = (store.getRunPrep(runId) as { preprocessing?: unknown } | null)?.preprocessing;
      const out = path.resolve(dir ?? path.join(store.dir, 'exports', `${safeName(run.name)}-tfjs`));
      // The shapes the model takes per sample (a template may add an axis of size 1), in the model's input order.
      const inputs = analyzeGraph(run.graph).inputs.map((id) => {
        const node = run.graph.nodes.find((n) => n.id === id)!;
        return { name: node.name, shape: Array.isArray(node.config.shape) ? (node.config.shape as number[]) : [] };
      });
      const files = await writeTfjsModel(out, weights, {
        format: 'layerbench-tfjs',
        version: 1,
        run: { id: run.id, name: run.name, endedAt: run.endedAt, finalLogs: run.finalLogs },
        dataset: { name: dataset.name, sourceName: dataset.sourceName, sha256: dataset.sha256 },
        preprocessing: pre ?? null,
        inputShape: inputs[0]?.shape ?? [],
        inputs,
      });
      return { dir: out, files };
    },
  };
}
