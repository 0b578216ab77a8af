/** The labels api: pages of images, classes, edits (with their undo), statistics, split, pre-label jobs. */
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import { stratifiedSplit } from '../../shared/labels-split.js';
import { DEFAULT_PROPOSER, PROPOSERS } from '../jobs/proposers.js';
import type { CoreContext } from '../core.js';
import { runProposerModel, runProposers } from './run-proposers.js';

export function labelHandlers(ctx: CoreContext): ApiHandlers['labels'] {
  const images = () => ctx.requireStore().images;
  /** Checks the dataset is an image dataset of the open project. */
  const dataset = (id: string) => ctx.requireStore().getImageDataset(id);

  return {
    async items({ filter, offset, limit }) {
      dataset(filter.datasetId);
      return { total: images().count(filter), offset, items: images().page(filter, offset, limit) };
    },
    async itemIds({ filter }) {
      dataset(filter.datasetId);
      return images().ids(filter);
    },
    async item({ itemId }) {
      return { item: images().item(itemId), boxes: images().boxes([itemId]) };
    },
    async boxes({ itemIds }) {
      return images().boxes(itemIds);
    },
    async classes({ datasetId }) {
      dataset(datasetId);
      return images().classes(datasetId);
    },
    async addClass({ datasetId, name }) {
      dataset(datasetId);
      return images().addClass(datasetId, name);
    },
    async updateClass({ classId, ...patch }) {
      return images().updateClass(classId, patch);
    },
    async apply({ datasetId, op }) {
      dataset(datasetId);
      return images().apply(datasetId, op);
    },
    async acceptProposals({ datasetId, minScore, itemIds }) {
      dataset(datasetId);
      const ids = itemIds ?? images().ids({ datasetId, status: 'has-proposals' });
      const boxes = images()
        .boxes(ids)
        .filter((b) => b.status === 'proposal' && (b.score ?? 0) >= minScore);
      if (boxes.length === 0) return { inverse: null, items: [], boxes: [] };
      const op = { kind: 'updateBoxes' as const, boxes: boxes.map((b) => ({ id: b.id, status: 'confirmed' as const })) };
      return { ...images().apply(datasetId, op), op };
    },
    async stats({ datasetId }) {
      dataset(datasetId);
      return images().stats(datasetId);
    },
    async split({ datasetId, seed, validationFraction, testFraction }) {
      dataset(datasetId);
      let splits;
      try {
        splits = stratifiedSplit(images().strata(datasetId), { seed, validationFraction, testFraction });
      } catch (e) {
        throw new AppError('INVALID_REQUEST', (e as Error).message);
      }
      if (splits.size === 0) throw new AppError('INVALID_REQUEST', 'This dataset has no images to split.');
      const op = { kind: 'setSplit' as const, items: [...splits].map(([itemId, split]) => ({ itemId, split })) };
      return { ...images().apply(datasetId, op), op };
    },
    async proposers({ datasetId }) {
      dataset(datasetId);
      return [...PROPOSERS.map((p) => ({ id: p.id, name: p.name, classes: p.classes })), ...runProposers(ctx.requireStore())];
    },
    async prelabel({ datasetId, proposer, itemIds, minScore }) {
      const store = ctx.requireStore();
      dataset(datasetId);
      // A trained detector of this project proposes by its run id.
      const own = proposer && !PROPOSERS.some((p) => p.id === proposer) && store.listRuns().some((r) => r.id === proposer) ? runProposerModel(store, proposer) : undefined;
      const chosen = own ? { id: proposer! } : PROPOSERS.find((p) => p.id === (proposer ?? DEFAULT_PROPOSER));
      if (!chosen) throw new AppError('DETECTOR_UNAVAILABLE', `No proposer '${proposer}': expected one of ${PROPOSERS.map((p) => p.id).join(', ')}.`);
      if (ctx.prelabel.active.length > 0) throw new AppError('BUSY', 'A pre-label job is already running; wait for it or cancel it first.');
      const items = itemIds ? images().items(itemIds) : images().page({ datasetId }, 0, Number.MAX_SAFE_INTEGER);
      if (items.some((i) => i.datasetId !== datasetId)) throw new AppError('NOT_FOUND', 'Some of those images are not in this dataset.');
      if (items.length === 0) throw new AppError('INVALID_REQUEST', 'No images to pre-label.');
      // Proposals land in the dataset's class of the same name, made if missing ("person").
      const classIds = new Map<string, number>();
      const classFor = (name: string) => {
        let id = classIds.get(name) ?? images().classes(datasetId).find((c) => c.name === name)?.id;
        id ??= images().addClass(datasetId, name).id;
        classIds.set(name, id);
        return id;
      };
      const jobId = ctx.newId();
      ctx.prelabel.start({
        jobId,
        datasetId,
        items: items.map((i) => ({ id: i.id, path: path.join(store.mediaDir, `${i.sha256}${i.ext}`) })),
        proposer: chosen.id,
        minScore: minScore ?? 0.2,
        backend: 'auto',
        ...(own ? { model: own } : {}),
        // The project may have been closed while the job ran: its proposals are then dropped.
        save: (itemId, proposals) => (ctx.store === store ? store.images.replaceProposals(itemId, chosen.id, proposals.map((p) => ({ ...p, classId: classFor(p.className) }))) : 0),
        progress: (p) => ctx.emit('prelabel.progress', p),
      });
      return { jobId };
    },
    async cancelPrelabel({ jobId }) {
      ctx.prelabel.cancel(jobId);
    },
  };
}
