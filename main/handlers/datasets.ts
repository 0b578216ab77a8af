import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError, CancelledError } from '../../shared/errors.js';
import { defaultDatasetConfig, featureLayout, type TabularDataset, type DatasetConfig, type CsvProfile } from '../../shared/dataset.js';
import { profileCsv } from '../importers/csv/index.js';
import { importers } from '../importers/index.js';
import type { CoreContext } from '../core.js';
import { importImages } from './image-import.js';
import { exportImageDataset } from './image-export.js';
import { trainableImageLayout } from './image-data.js';

/**
 * Copies a file into media/ under its SHA-256, as a `.partial` until the import commits, so a
 * killed import leaves no half-written media (ProjectStore.open sweeps `.partial` files).
 */
async function copyIntoMedia(src: string, mediaDir: string, signal: AbortSignal): Promise<{ sha256: string; bytes: number; partial: string }> {
  const partial = path.join(mediaDir, `import-${process.pid}-${Date.now()}.partial`);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(src), tap, createWriteStream(partial), { signal });
  } catch (e) {
    await fsp.rm(partial, { force: true });
    if (signal.aborted) throw new CancelledError('Import cancelled.');
    throw e;
  }
  return { sha256: hash.digest('hex'), bytes, partial };
}

/** Checks a config against the dataset's columns before it is saved. */
export function checkConfig(file: string, profile: CsvProfile, config: DatasetConfig): void {
  const names = new Set(profile.columns.map((c) => c.name));
  for (const c of config.columns)
    if (!names.has(c.name)) throw new AppError('CSV_BAD_CONFIG', `Column '${c.name}' is not in ${file}; it has ${[...names].join(', ')}.`);
  const targets = config.columns.filter((c) => c.role === 'target');
  if (targets.length > 1) throw new AppError('CSV_BAD_CONFIG', `Only one target column is supported; got ${targets.map((t) => t.name).join(', ')}.`);
  const target = profile.columns.find((c) => c.name === targets[0]?.name);
  if (target && target.missing >= profile.rowCount)
    throw new AppError('CSV_NO_TARGET_VALUES', `${file}: column '${target.name}' has no values (all ${profile.rowCount} rows are empty), so it cannot be the target.`, {
      file,
      column: target.name,
    });
  if (config.split.kind === 'chronological' && config.split.trainRows >= profile.rowCount)
    throw new AppError('CSV_BAD_CONFIG', `The chronological split trains on ${config.split.trainRows} rows but the file has only ${profile.rowCount}; leave some rows for the test split.`);
}

export function datasetHandlers(ctx: CoreContext): ApiHandlers['datasets'] {
  const imports = ctx.imports;

  return {
    async list() {
      return ctx.requireStore().listDatasets();
    },
    async get({ id }) {
      return ctx.requireStore().getDataset(id);
    },
    async importCsv({ path: src, name, importId: wanted }) {
      const store = ctx.requireStore();
      const file = path.basename(src);
      if (!existsSync(src)) throw new AppError('NOT_FOUND', `No file at ${src}.`);
      const ext = path.extname(file).toLowerCase();
      const known = importers.flatMap((i) => i.extensions);
      if (!known.includes(ext))
        throw new AppError('UNSUPPORTED_FILE', `${file} is not a kind of file Layerbench imports yet: expected ${known.join(', ')}; got ${ext ? `'${ext}'` : 'no extension'}.`, { file });
      const importId = wanted ?? ctx.newId();
      const abort = new AbortController();
      imports.set(importId, abort);
      try {
        const bytesTotal = (await fsp.stat(src)).size;
        // Profile the user's file (so errors name it) while it is copied into media/.
        const copying = copyIntoMedia(src, store.mediaDir, abort.signal);
        copying.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
        let profile: CsvProfile;
        try {
          profile = await profileCsv(src, {
            signal: abort.signal,
            onProgress: (p) => ctx.emit('import.progress', { importId, file, bytesRead: p.bytesRead, bytesTotal, rows: p.rows, done: false }),
          });
        } catch (e) {
          abort.abort();
          await copying.then((c) => fsp.rm(c.partial, { force: true })).catch(() => undefined);
          throw e;
        }
        const copied = await copying;
        if (abort.signal.aborted) {
          await fsp.rm(copied.partial, { force: true });
          throw new CancelledError('Import cancelled.');
        }
        const final = path.join(store.mediaDir, `${copied.sha256}.csv`);
        if (existsSync(final)) await fsp.rm(copied.partial, { force: true });
        else await fsp.rename(copied.partial, final);
        const dataset: TabularDataset = {
          id: ctx.newId(),
          name: name ?? file.replace(/\.(csv|tsv|txt)$/i, ''),
          kind: 'tabular',
          sourceName: file,
          sha256: copied.sha256,
          bytes: copied.bytes,
          profile,
          config: defaultDatasetConfig(profile),
          createdAt: new Date().toISOString(),
        };
        store.insertDataset(dataset);
        ctx.emit('import.progress', { importId, file, bytesRead: bytesTotal, bytesTotal, rows: profile.rowCount, done: true });
        return dataset;
      } finally {
        imports.delete(importId);
      }
    },
    async importImages(req) {
      return importImages(ctx, req);
    },
    async exportImages({ id, format, dir }) {
      return exportImageDataset(ctx, id, format, dir);
    },
    async cancelImport({ importId }) {
      imports.get(importId)?.abort();
    },
    async configure({ id, config }) {
      const store = ctx.requireStore();
      const d = store.getTabularDataset(id);
      checkConfig(d.sourceName, d.profile, config);
      store.updateDatasetConfig(id, config);
      return store.getTabularDataset(id);
    },
    async layout({ id }) {
      const store = ctx.requireStore();
      const any = store.getDataset(id);
      // An image dataset feeds a classifier: one image input, one of its classes out (image-data.ts).
      if (any.kind === 'images') return trainableImageLayout(store, any);
      const d = store.getTabularDataset(id);
      return featureLayout(d.profile, d.config);
    },
    async rename({ id, name }) {
      const store = ctx.requireStore();
      store.renameDataset(id, name);
      return store.getDataset(id);
    },
    async remove({ id }) {
      const store = ctx.requireStore();
      const d = store.getDataset(id);
      if (ctx.training.activeForDataset(id).length > 0)
        throw new AppError('BUSY', `Dataset '${d.name}' is being trained on; stop that run before removing the dataset.`);
      const media = d.kind === 'images' ? store.images.mediaOf(id) : [];
      store.deleteDataset(id);
      // Media is content-addressed: a file goes only when no other dataset shares it.
      if (d.kind === 'tabular' && !store.listDatasets().some((x) => x.sha256 === d.sha256)) await fsp.rm(datasetCsvPath(store.mediaDir, d), { force: true });
      // Its decoded training images (cache/images/<dataset>/) are of no use to anyone else.
      if (d.kind === 'images') await fsp.rm(path.join(store.cacheDir, 'images', id), { recursive: true, force: true });
      for (const f of store.images.unusedMedia(media)) {
        await fsp.rm(path.join(store.mediaDir, `${f.sha256}${f.ext}`), { force: true });
        await fsp.rm(path.join(store.cacheDir, 'thumbs', `${f.sha256}.webp`), { force: true });
      }
    },
  };
}

export function datasetCsvPath(mediaDir: string, d: TabularDataset): string {
  return path.join(mediaDir, `${d.sha256}.csv`);
}
