import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { featureLayout } from '../../shared/dataset.js';
import { callWorker } from '../jobs/worker-call.js';
import { checkModelFitsData } from '../jobs/model-fit.js';
import type { CoreContext } from '../core.js';
import type { BackendInfo, Run } from '../../shared/training.js';
import type { ProjectStore, StoredWeights } from '../store/index.js';
import { datasetCsvPath } from './datasets.js';
import { imageShapeOf, imagesForTraining, prepareImageData, trainableImageLayout } from './image-data.js';
import type { PrepareData } from '../jobs/training.js';
import type { ImageDataset, Task } from '../../shared/dataset.js';
import type { ModelGraph } from '../../shared/graph.js';
import { nextRunNumber } from '../../shared/runs.js';
import type { TrainSettings } from '../../shared/training.js';
import { detectionImagesForTraining, runTask } from './detection-data.js';

export function trainingHandlers(ctx: CoreContext): ApiHandlers['training'] {
  // Which backends load does not change while the app runs; probing costs a process start.
  const probed = new Map<string, Promise<BackendInfo>>();
  return {
    async start({ datasetId, settings, name }) {
      const store = ctx.requireStore();
      const any = store.getDataset(datasetId);
      // An image dataset's own problem (nothing labelled) comes first: a template cannot fit it before it is fixed.
      const imageLayout = any.kind === 'images' ? trainableImageLayout(store, any) : null;
      const graph = store.getModel();
      if (!graph) throw new AppError('GRAPH_INVALID', 'There is no model yet: start from a template or add layers first.');
      const analysis = analyzeGraph(graph);
      if (!analysis.valid)
        throw new AppError('GRAPH_INVALID', `The model has ${analysis.problems.length} problem(s): ${analysis.problems.map((p) => p.message).join('; ')}`);
      if (any.kind === 'images' && imageLayout) {
        checkModelFitsData(graph, imageLayout.inputs, imageLayout.outputUnits, settings.loss, imageLayout.task);
        if (imageLayout.task === 'detection') checkDetectorSettings(settings);
        const n = nextRunNumber(store.listRuns());
        const id = ctx.newId();
        return ctx.training.start(store, { id, name: name ?? `Run ${n}`, datasetId, graph, settings, data: imageRunData(ctx, store, any, graph, id, imageLayout.task) });
      }
      const dataset = store.getTabularDataset(datasetId);
      const layout = featureLayout(dataset.profile, dataset.config);
      if (!layout.target) throw new AppError('CSV_BAD_CONFIG', `Dataset '${dataset.name}' has no target column: set one column's role to target.`);
      checkModelFitsData(graph, layout.inputs, layout.outputUnits, settings.loss, layout.task);
      const n = nextRunNumber(store.listRuns());
      return ctx.training.start(store, {
        id: ctx.newId(),
        name: name ?? `Run ${n}`,
        datasetId,
        graph,
        settings,
        data: { csvPath: datasetCsvPath(store.mediaDir, dataset), profile: dataset.profile, config: dataset.config },
      });
    },
    async resume({ runId, from = 'latest', epochs }) {
      const store = ctx.requireStore();
      const source = store.getRun(runId);
      if (source.status === 'running' || source.status === 'paused' || source.status === 'queued')
        throw new AppError('BUSY', `${source.name} is still training; stop it before resuming it.`);
      const start = resumePoint(store, source, from);
      const settings = { ...source.settings, epochs: epochs ?? source.settings.epochs };
      if (start.epoch >= settings.epochs)
        throw new AppError(
          'INVALID_REQUEST',
          `${source.name} has trained ${start.epoch} of its ${settings.epochs} epochs, so there is nothing left to resume; ask for more epochs.`,
        );
      const any = store.getDataset(source.datasetId);
      const n = nextRunNumber(store.listRuns());
      const id = ctx.newId();
      return ctx.training.start(store, {
        id,
        name: `Run ${n} (from ${source.name})`,
        datasetId: source.datasetId,
        graph: source.graph,
        settings,
        data:
          any.kind === 'images'
            ? imageRunData(ctx, store, any, source.graph, id, runTask(store, source.id))
            : { csvPath: datasetCsvPath(store.mediaDir, any), profile: any.profile, config: any.config },
        initial: start,
      });
    },
    async stop({ runId }) {
      ctx.training.stop(runId);
    },
    async pause({ runId, paused }) {
      ctx.training.pause(runId, paused);
    },
    async list() {
      return ctx.requireStore().listRuns();
    },
    async get({ runId }) {
      return ctx.requireStore().getRun(runId);
    },
    async wait({ runId }) {
      const store = ctx.requireStore();
      return (await ctx.training.wait(runId)) ?? store.getRun(runId);
    },
    async backends({ backend = 'auto' }) {
      let p = probed.get(backend);
      if (!p) {
        p = callWorker(ctx.spawn, ctx.opts.workerEntry, { type: 'probe', backend }, 'probed').then((r) => r.info);
        probed.set(backend, p);
        p.catch(() => probed.delete(backend));
      }
      return p;
    },
  };
}

/** An image run's data: every split decoded at the graph's Input shape (or read from the cache) while the trainer starts. */
function imageRunData(ctx: CoreContext, store: ProjectStore, d: ImageDataset, graph: ModelGraph, runId: string, task: Task): PrepareData {
  const shape = imageShapeOf(graph);
  const chosen = task === 'detection' ? detectionImagesForTraining(store, d, { keepSplit: true }) : imagesForTraining(store, d, { keepSplit: true });
  if (!chosen.images.some((i) => i.split === 'train'))
    throw new AppError('LABEL_INVALID', `Dataset '${d.name}' has no labelled image in the train split: split it again (Data view) so some images train.`);
  return (signal) => prepareImageData(ctx, store, d, shape, ['train', 'validation', 'test'], { runId, signal, images: chosen });
}

/**
 * Where a resumed run starts. Latest: the weights a stopped run kept (it stopped after
 * `epochsDone` whole epochs), else the most recent checkpoint (a crashed run's). Best: the best
 * checkpoint. The epoch is the first one still to train.
 */
function resumePoint(store: ProjectStore, run: Run, from: 'latest' | 'best'): { weights: StoredWeights; epoch: number } {
  const best = store.getCheckpoint(run.id, 'best');
  if (from === 'best') {
    if (!best) throw new AppError('NOT_FOUND', `${run.name} has no best checkpoint: it did not finish an epoch.`);
    return { weights: best.weights, epoch: best.epoch + 1 };
  }
  const own = run.status !== 'failed' ? store.getWeights(run.id) : null;
  if (own) return { weights: own, epoch: run.epochsDone };
  const last = store.getCheckpoint(run.id, 'last');
  const latest = [last, best].filter((c) => c !== null).sort((a, b) => b.epoch - a.epoch)[0];
  if (!latest) throw new AppError('NOT_FOUND', `${run.name} kept no weights to resume from: it ended before finishing an epoch.`);
  return { weights: latest.weights, epoch: latest.epoch + 1 };
}

/**
 * A detector logs its loss only (accuracy, MAE and MSE over grid cells would mean nothing), and
 * is not shifted: a shift moves the objects but not their boxes. A flip mirrors the boxes with
 * the image (the train step mirrors each flipped image's grid target).
 */
function checkDetectorSettings(settings: TrainSettings): void {
  if (settings.metrics.length > 0)
    throw new AppError(
      'INVALID_REQUEST',
      `A detector logs its loss only; this run asks for ${settings.metrics.join(', ')}. Leave the metrics empty: mAP is measured when the run is evaluated.`,
    );
  const shift = settings.augmentation?.shift ?? 0;
  if (shift > 0)
    throw new AppError(
      'INVALID_REQUEST',
      `A detector trains without shift augmentation (it moves the objects but not their boxes); this run asks for shift ${shift}. Set shift to 0: flip, brightness and contrast are fine.`,
    );
}
