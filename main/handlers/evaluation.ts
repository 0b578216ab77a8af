import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import { accuracyOf, confusionMatrix, meanAbsoluteError, rootMeanSquaredError, type Evaluation } from '../../shared/evaluation.js';
import type { DatasetConfig } from '../../shared/dataset.js';
import type { BackendChoice } from '../../shared/training.js';
import { callWorker } from '../jobs/worker-call.js';
import type { EvaluationOutput } from '../jobs/messages.js';
import type { CoreContext } from '../core.js';
import { datasetCsvPath } from './datasets.js';

const MAX_PLOT_POINTS = 50_000;

/** Every k-th item, so a plot of a long test split still spans all of it. */
function thin<T>(a: T[], max: number): T[] {
  if (a.length <= max) return a;
  const step = a.length / max;
  return Array.from({ length: max }, (_, i) => a[Math.floor(i * step)]!);
}

export function toEvaluation(runId: string, o: EvaluationOutput): Evaluation {
  if (o.task === 'classification') {
    const classes = o.classes ?? [];
    const confusion = confusionMatrix(o.actual, o.predicted, classes.length);
    return { task: 'classification', runId, target: o.target, count: o.actual.length, accuracy: accuracyOf(confusion), classes, confusion };
  }
  return {
    task: 'regression',
    runId,
    target: o.target,
    count: o.actual.length,
    mae: meanAbsoluteError(o.actual, o.predicted),
    rmse: rootMeanSquaredError(o.actual, o.predicted),
    actual: thin(o.actual, MAX_PLOT_POINTS),
    predicted: thin(o.predicted, MAX_PLOT_POINTS),
    rows: thin(o.rows, MAX_PLOT_POINTS),
  };
}

export function evaluationHandlers(ctx: CoreContext): ApiHandlers['evaluation'] {
  return {
    async run({ runId }) {
      const store = ctx.requireStore();
      const run = store.getRun(runId);
      const weights = store.getWeights(runId);
      if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights (status: ${run.status}).`);
      const dataset = store.getTabularDataset(run.datasetId);
      // Evaluate with the config the run trained with, so the split and scaling are the same.
      const prep = store.getRunPrep(runId) as { config?: DatasetConfig } | null;
      const config = prep?.config ?? dataset.config;
      const data = { csvPath: datasetCsvPath(store.mediaDir, dataset), profile: dataset.profile, config };
      const evaluate = (backend: BackendChoice) => callWorker(ctx.spawn, ctx.opts.workerEntry, { type: 'evaluate', data, weights, backend }, 'evaluated');
      // The backend the run trained on gives the same numbers; if it no longer loads (a GPU run
      // opened on a laptop), the best one that does will do.
      const r = await evaluate(run.backend?.name ?? 'auto').catch((e: unknown) => {
        if (e instanceof AppError && e.code === 'BACKEND_UNAVAILABLE') return evaluate('auto');
        throw e;
      });
      const evaluation = toEvaluation(runId, r.output);
      store.saveEvaluation(runId, evaluation);
      return evaluation;
    },
    async get({ runId }) {
      return ctx.requireStore().getEvaluation(runId);
    },
  };
}
