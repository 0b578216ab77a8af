import type { ApiHandlers } from '../../shared/api/index.js';
import { featureLayout } from '../../shared/dataset.js';
import { kerasJsonToGraph } from '../../shared/keras.js';
import { buildTemplate } from '../../shared/templates.js';
import { imageLayoutFor } from './image-data.js';
import { AppError } from '../../shared/errors.js';
import type { CoreContext } from '../core.js';
import type { ModelGraph } from '../../shared/graph.js';

export function modelHandlers(ctx: CoreContext): ApiHandlers['models'] {
  return {
    async get() {
      return ctx.requireStore().getModel();
    },
    async set({ graph }) {
      // Stored even when invalid: the user is mid-edit. Training refuses invalid graphs.
      ctx.requireStore().setModel(graph as ModelGraph);
      return graph as ModelGraph;
    },
    async fromTemplate({ template, datasetId }) {
      const store = ctx.requireStore();
      const d = datasetId ? store.getDataset(datasetId) : store.listDatasets().find((x) => x.kind === 'tabular');
      // An image dataset sizes the template to its images and classes, even before every image is labelled.
      const layout = !d ? undefined : d.kind === 'images' ? imageLayoutFor(store, d) : featureLayout(d.profile, d.config);
      const graph = buildTemplate(template, layout);
      store.setModel(graph);
      return graph;
    },
    async importKeras({ json }) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (e) {
        throw new AppError('MODEL_JSON_INVALID', `The model file is not valid JSON: ${(e as Error).message}`);
      }
      const graph = kerasJsonToGraph(parsed);
      ctx.requireStore().setModel(graph);
      return graph;
    },
  };
}
