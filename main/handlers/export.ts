import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import type { CoreContext } from '../core.js';
import { writeTfjsModel } from '../export/tfjs.js';

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export function exportHandlers(ctx: CoreContext): ApiHandlers['export'] {
  return {
    async tfjs({ runId, dir }) {
      const store = ctx.requireStore();
      const run = store.getRun(runId);
      const weights = store.getWeights(runId);
      if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights to export (status: ${run.status}).`);
      const dataset = store.getDataset(run.datasetId);
      const pre = (store.getRunPrep(runId) as { preprocessing?: unknown } | null)?.preprocessing;
      const out = path.resolve(dir ?? path.join(store.dir, 'exports', `${safeName(run.name)}-tfjs`));
      // The shape the model takes per sample (the template may add an axis of size 1).
      const input = run.graph.nodes.find((n) => n.type === 'Input');
      const inputShape = Array.isArray(input?.config.shape) ? (input.config.shape as number[]) : [];
      const files = await writeTfjsModel(out, weights, {
        format: 'layerbench-tfjs',
        version: 1,
        run: { id: run.id, name: run.name, endedAt: run.endedAt, finalLogs: run.finalLogs },
        dataset: { name: dataset.name, sourceName: dataset.sourceName, sha256: dataset.sha256 },
        preprocessing: pre ?? null,
        inputShape,
      });
      return { dir: out, files };
    },
  };
}
