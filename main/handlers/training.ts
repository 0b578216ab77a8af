import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { featureLayout } from '../../shared/dataset.js';
import { callWorker } from '../jobs/worker-call.js';
import { checkModelFitsData } from '../jobs/model-fit.js';
import type { CoreContext } from '../core.js';
import type { BackendInfo } from '../../shared/training.js';
import { datasetCsvPath } from './datasets.js';

export function trainingHandlers(ctx: CoreContext): ApiHandlers['training'] {
  // Which backends load does not change while the app runs; probing costs a process start.
  const probed = new Map<string, Promise<BackendInfo>>();
  return {
    async start({ datasetId, settings, name }) {
      const store = ctx.requireStore();
      const graph = store.getModel();
      if (!graph) throw new AppError('GRAPH_INVALID', 'There is no model yet: start from a template or add layers first.');
      const analysis = analyzeGraph(graph);
      if (!analysis.valid)
        throw new AppError('GRAPH_INVALID', `The model has ${analysis.problems.length} problem(s): ${analysis.problems.map((p) => p.message).join('; ')}`);
      const dataset = store.getDataset(datasetId);
      const layout = featureLayout(dataset.profile, dataset.config);
      if (!layout.target) throw new AppError('CSV_BAD_CONFIG', `Dataset '${dataset.name}' has no target column: set one column's role to target.`);
      checkModelFitsData(graph, layout.inputs, layout.outputUnits, settings.loss, layout.task);
      const n = store.listRuns().length + 1;
      return ctx.training.start(store, {
        id: ctx.newId(),
        name: name ?? `Run ${n}`,
        datasetId,
        graph,
        settings,
        data: { csvPath: datasetCsvPath(store.mediaDir, dataset), profile: dataset.profile, config: dataset.config },
      });
    },
    async stop({ runId }) {
      ctx.training.stop(runId);
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
