/** The runs group: rename, hide, delete and compare runs. */
import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import { compareRuns, type EvaluationBrief } from '../../shared/runs.js';
import type { RunSummary } from '../../shared/training.js';
import type { Evaluation } from '../../shared/evaluation.js';
import type { ProjectStore } from '../store/index.js';
import type { CoreContext } from '../core.js';

export function runHandlers(ctx: CoreContext): ApiHandlers['runs'] {
  return {
    async rename({ runId, name }) {
      const store = ctx.requireStore();
      store.renameRun(runId, name);
      return summary(store, runId);
    },
    async hide({ runId, hidden }) {
      const store = ctx.requireStore();
      store.setRunHidden(runId, hidden);
      return summary(store, runId);
    },
    async remove({ runId }) {
      const store = ctx.requireStore();
      const run = summary(store, runId);
      if (ctx.training.isActive(runId) || run.status === 'running' || run.status === 'paused' || run.status === 'queued')
        throw new AppError('BUSY', `${run.name} is training (${run.status}); stop it before deleting it.`, { runId });
      store.deleteRun(runId);
    },
    async compare({ runIds }) {
      const store = ctx.requireStore();
      const names = new Map(store.listDatasets().map((d) => [d.id, d.name]));
      return compareRuns(
        runIds.map((id) => {
          const run = store.getRun(id);
          const { graph, metrics, ...rest } = run;
          const evaluation = brief(store.getEvaluation(id));
          return { summary: rest, graph, metrics, datasetName: names.get(run.datasetId) ?? run.datasetId, ...(evaluation ? { evaluation } : {}) };
        }),
      );
    },
  };
}

function summary(store: ProjectStore, runId: string): RunSummary {
  const run = store.listRuns().find((r) => r.id === runId);
  if (!run) throw new AppError('NOT_FOUND', `No run with id ${runId}`, { runId });
  return run;
}

/** The headline numbers of a stored evaluation (whatever else it holds stays in the Evaluate view). */
function brief(e: Evaluation | null): EvaluationBrief | undefined {
  if (!e) return undefined;
  if (e.task === 'classification') return { task: 'classification', accuracy: e.accuracy, count: e.count };
  if (e.task === 'regression') return { task: 'regression', rmse: e.rmse, mae: e.mae, count: e.count, target: e.target };
  return undefined;
}
