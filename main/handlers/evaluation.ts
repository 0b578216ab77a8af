import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import type { DatasetConfig } from '../../shared/dataset.js';
import type { BackendChoice } from '../../shared/training.js';
import { callWorker } from '../jobs/worker-call.js';
import type { CoreContext } from '../core.js';
import { datasetCsvPath } from './datasets.js';
import { imageShapeOf, prepareImageData } from './image-data.js';
import type { TrainingData, WeightArtifacts } from '../jobs/messages.js';
import { publicEvaluation, toEvaluation } from './evaluation-results.js';
import { galleryPage } from './evaluation-gallery.js';
import { toDetectionEvaluation } from './detection-evaluation.js';
import { detectionImagesPage } from './detection-images.js';
import { runTask } from './detection-data.js';

/**
 * Runs the evaluation in a trainer process. The backend the run trained on gives the same numbers;
 * if it no longer loads (a GPU run opened on a laptop), the best one that does will do.
 */
function evaluateOn(ctx: CoreContext, run: { backend?: { name: BackendChoice } | null }, data: TrainingData, weights: WeightArtifacts) {
  const evaluate = (backend: BackendChoice) => callWorker(ctx.spawn, ctx.opts.workerEntry, { type: 'evaluate', data, weights, backend }, 'evaluated');
  return evaluate(run.backend?.name ?? 'auto').catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'BACKEND_UNAVAILABLE') return evaluate('auto');
    throw e;
  });
}

export function evaluationHandlers(ctx: CoreContext): ApiHandlers['evaluation'] {
  return {
    async run({ runId }) {
      const store = ctx.requireStore();
      const run = store.getRun(runId);
      const weights = store.getWeights(runId);
      if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights (status: ${run.status}).`);
      const any = store.getDataset(run.datasetId);
      // Image datasets: the test split decoded at the run's Input shape (image-data.ts), from the cache when unchanged.
      if (any.kind === 'images') {
        const { data: images } = await prepareImageData(ctx, store, any, imageShapeOf(run.graph), ['test'], { task: runTask(store, runId) });
        const { output } = await evaluateOn(ctx, run, images, weights);
        // A detector's test boxes are the confirmed ones now, as the Label view shows them.
        const stored = output.task === 'detection' && images.detection ? toDetectionEvaluation(runId, output, images.detection.truths) : toEvaluation(runId, output);
        store.saveEvaluation(runId, stored);
        return publicEvaluation(stored);
      }
      const dataset = store.getTabularDataset(run.datasetId);
      // Evaluate with the config the run trained with, so the split and scaling are the same.
      const prep = store.getRunPrep(runId) as { config?: DatasetConfig } | null;
      const config = prep?.config ?? dataset.config;
      const data = { csvPath: datasetCsvPath(store.mediaDir, dataset), profile: dataset.profile, config };
      const r = await evaluateOn(ctx, run, data, weights);
      // Rows in file order are a time axis when the split keeps that order or samples are time windows.
      const timeSeries = config.lookback > 0 || config.split.kind === 'chronological';
      const stored = toEvaluation(runId, r.output, { timeSeries });
      store.saveEvaluation(runId, stored);
      return publicEvaluation(stored);
    },
    async get({ runId }) {
      const stored = ctx.requireStore().getEvaluation(runId);
      return stored ? publicEvaluation(stored) : null;
    },
    async items(req) {
      return galleryPage(ctx.requireStore(), req);
    },
    async detectionImages(req) {
      return detectionImagesPage(ctx.requireStore(), req);
    },
  };
}
