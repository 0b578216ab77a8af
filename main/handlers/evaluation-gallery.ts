/**
 * The items behind one cell of the confusion matrix, page by page, from the samples stored with
 * the evaluation: no model is run. Table rows are read back from the dataset's CSV (their input
 * columns as written); image items come from the store, for their thumbnails.
 */
import { AppError } from '../../shared/errors.js';
import type { DatasetConfig } from '../../shared/dataset.js';
import type { ClassificationEvaluation, StoredEvaluation } from '../../shared/evaluation.js';
import type { GalleryItem, GalleryPage, GallerySamples } from '../../shared/evaluation-gallery.js';
import type { ProjectStore } from '../store/index.js';
import { readRows } from '../importers/csv/read.js';
import { datasetCsvPath } from './datasets.js';

export interface GalleryRequest {
  runId: string;
  actual: number;
  predicted: number;
  offset: number;
  limit: number;
}

export async function galleryPage(store: ProjectStore, req: GalleryRequest): Promise<GalleryPage> {
  const run = store.getRun(req.runId);
  const stored = store.getEvaluation(req.runId);
  if (!stored) throw new AppError('NOT_FOUND', `Run '${run.name}' has not been evaluated yet; evaluate it to browse its test items.`);
  if (stored.task !== 'classification') {
    throw new AppError('INVALID_REQUEST', `Run '${run.name}' was evaluated for regression; the gallery shows the cells of a classification's confusion matrix.`);
  }
  const n = stored.classes.length;
  for (const [name, v] of [['actual', req.actual], ['predicted', req.predicted]] as const) {
    if (v >= n) throw new AppError('INVALID_REQUEST', `${name} must be a class index from 0 to ${n - 1} (${stored.classes.join(', ')}); got ${v}.`);
  }
  const total = stored.confusion[req.actual]![req.predicted]!;
  const s = (stored as StoredEvaluation & ClassificationEvaluation).samples;
  const page: GalleryPage = { actual: req.actual, predicted: req.predicted, total, kept: 0, offset: req.offset, items: [] };
  if (!s) return page;
  const inCell: number[] = [];
  for (let k = 0; k < s.actual.length; k++) if (s.actual[k] === req.actual && s.predicted[k] === req.predicted) inCell.push(k);
  // Most confident first: a confident mistake is the one worth looking at.
  inCell.sort((a, b) => (s.topProbs[b]![0] ?? 0) - (s.topProbs[a]![0] ?? 0) || a - b);
  const chosen = inCell.slice(req.offset, req.offset + req.limit);
  const items = chosen.map((k) => itemOf(s, k));
  if (s.itemIds) await attachImages(store, s, chosen, items);
  else await attachRows(store, req.runId, run.datasetId, items);
  return { ...page, kept: inCell.length, items };
}

function itemOf(s: GallerySamples, k: number): GalleryItem {
  return {
    row: s.rows[k]!,
    actual: s.actual[k]!,
    predicted: s.predicted[k]!,
    top: s.topClasses[k]!.map((classIndex, j) => ({ classIndex, probability: s.topProbs[k]![j]! })),
    actualProbability: s.actualProb[k]!,
  };
}

async function attachImages(store: ProjectStore, s: GallerySamples, chosen: number[], items: GalleryItem[]): Promise<void> {
  const ids = chosen.map((k) => s.itemIds![k]!);
  const found = new Map(store.images.items(ids).map((i) => [i.id, i]));
  items.forEach((item, j) => {
    const image = found.get(ids[j]!);
    // An image removed since the evaluation keeps its probabilities, without a picture.
    if (image) item.image = { id: image.id, sha256: image.sha256, ext: image.ext, name: image.relPath };
  });
}

/** The page's rows, read from the CSV in one pass that stops after the last one needed. */
async function attachRows(store: ProjectStore, runId: string, datasetId: string, items: GalleryItem[]): Promise<void> {
  if (!items.length) return;
  const dataset = store.getTabularDataset(datasetId);
  const prep = store.getRunPrep(runId) as { config?: DatasetConfig } | null;
  const config = prep?.config ?? dataset.config;
  const features = config.columns.filter((c) => c.role === 'feature').map((c) => c.name);
  const index = new Map(dataset.profile.columns.map((c) => [c.name, c.index]));
  const columns = features.filter((f) => index.has(f)).map((f) => ({ column: f, at: index.get(f)! }));
  const wanted = new Map<number, GalleryItem[]>();
  for (const item of items) wanted.set(item.row, [...(wanted.get(item.row) ?? []), item]);
  const last = Math.max(...wanted.keys());
  const stop = new AbortController();
  await readRows(datasetCsvPath(store.mediaDir, dataset), dataset.profile, (fields, row) => {
    for (const item of wanted.get(row) ?? []) item.values = columns.map((c) => ({ column: c.column, value: fields[c.at] ?? '' }));
    if (row >= last) stop.abort();
  }, stop.signal).catch((e: unknown) => {
    if (!stop.signal.aborted) throw e;
  });
}
