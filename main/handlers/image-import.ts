/**
 * Importing images: the format's importer lists what is there (no decoding), then every image is
 * checked, copied into media/ under its SHA-256 and measured, a few at a time, with progress and
 * cancel; bad files are listed by name and the rest imported. The dataset and all its images are
 * one transaction at the end, so a killed or cancelled import leaves no half-dataset.
 */
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ImageDataset } from '../../shared/dataset.js';
import { AppError, CancelledError } from '../../shared/errors.js';
import type { ImageImportPlan, ImportProblem, ImportedImage } from '../../shared/images.js';
import { planImageImport } from '../importers/images/index.js';
import { ingestImage } from '../importers/images/ingest.js';
import { isVideoName, planVideoImport, type VideoSampling } from '../importers/video/index.js';
import type { NewItem } from '../store/image-store.js';
import type { CoreContext } from '../core.js';

const CONCURRENCY = 4;
const PROGRESS_EVERY_MS = 100;

export interface ImageImportRequest {
  path: string;
  name?: string;
  importId?: string;
  video?: VideoSampling;
}

export async function importImages(ctx: CoreContext, req: ImageImportRequest): Promise<ImageDataset> {
  const store = ctx.requireStore();
  const src = path.resolve(req.path);
  if (!existsSync(src)) throw new AppError('NOT_FOUND', `No file or folder at ${src}.`);
  const file = path.basename(src);
  const importId = req.importId ?? ctx.newId();
  const abort = new AbortController();
  ctx.imports.set(importId, abort);
  let last = 0;
  const progress = (p: { phase: 'scanning' | 'copying'; images: number; imagesTotal: number; problems: number }, force = false) => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    ctx.emit('import.progress', { importId, file, bytesRead: p.images, bytesTotal: Math.max(1, p.imagesTotal), rows: p.images, done: false, ...p });
  };
  const written: { sha256: string; ext: string }[] = [];
  try {
    progress({ phase: 'scanning', images: 0, imagesTotal: 0, problems: 0 }, true);
    // By name: a damaged .mp4 goes to the video importer, which says what is wrong with it.
    const isVideo = (await fsp.stat(src)).isFile() && isVideoName(src);
    const plan: ImageImportPlan = isVideo
      ? await planVideoImport(src, req.video ?? {}, {
          signal: abort.signal,
          onProgress: (p) => progress({ phase: 'scanning', images: p.framesKept, imagesTotal: 0, problems: 0 }),
        })
      : await planImageImport(src, { signal: abort.signal, onProgress: (found) => progress({ phase: 'scanning', images: found, imagesTotal: 0, problems: 0 }) });
    if (abort.signal.aborted) throw new CancelledError('Import cancelled.');
    if (plan.images.length === 0) throw nothingFound(src, plan.problems);

    const problems: ImportProblem[] = [...plan.problems];
    const items: (NewItem | null)[] = new Array<NewItem | null>(plan.images.length).fill(null);
    let done = 0;
    let bytes = 0;
    let next = 0;
    const worker = async () => {
      while (next < plan.images.length && !abort.signal.aborted) {
        const k = next++;
        const img = plan.images[k]!;
        try {
          const got = await ingestImage(img, store.mediaDir);
          written.push({ sha256: got.sha256, ext: got.ext });
          bytes += got.bytes;
          items[k] = toItem(img, got);
        } catch (e) {
          if (!(e instanceof AppError) || e instanceof CancelledError) throw e;
          problems.push({ file: img.relPath, code: e.code, message: e.message });
        }
        done++;
        progress({ phase: 'copying', images: done, imagesTotal: plan.images.length, problems: problems.length });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (abort.signal.aborted) throw new CancelledError('Import cancelled.');
    const kept = items.filter((i): i is NewItem => i !== null);
    if (kept.length === 0) throw nothingFound(src, problems);

    // Class folders and IDX carry a class per image; everything else is for boxes (a plain folder or a video of people).
    const task = (plan.format === 'class-folders' || plan.format === 'idx') && !kept.some((i) => i.boxes.length > 0) ? 'classification' : 'detection';
    const side = commonSide(kept);
    const dataset: ImageDataset = {
      id: ctx.newId(),
      name: req.name ?? file.replace(/\.(json|zip|mp4|mov|mkv|webm|avi|m4v|gz)$/i, ''),
      kind: 'images',
      sourceName: file,
      sha256: '',
      bytes,
      profile: { format: plan.format, imageCount: kept.length, problems, notes: plan.notes, task },
      config: { height: side, width: side, channels: plan.format === 'idx' ? 1 : 3, task },
      createdAt: new Date().toISOString(),
    };
    store.insertImageDataset(dataset, plan.classes, kept);
    ctx.emit('import.progress', { importId, file, bytesRead: plan.images.length, bytesTotal: plan.images.length, rows: kept.length, done: true, phase: 'copying', images: plan.images.length, imagesTotal: plan.images.length, problems: problems.length });
    ctx.thumbnails.enqueue(store.dir, uniqueFiles(written));
    return store.getImageDataset(dataset.id);
  } catch (e) {
    // Media the import wrote that nothing uses would only take space: content-addressed files another dataset uses stay.
    for (const f of store.images.unusedMedia(uniqueFiles(written))) await fsp.rm(path.join(store.mediaDir, `${f.sha256}${f.ext}`), { force: true });
    if (abort.signal.aborted && !(e instanceof CancelledError)) throw new CancelledError('Import cancelled.');
    throw e;
  } finally {
    ctx.imports.delete(importId);
  }
}

function toItem(img: ImportedImage, got: { sha256: string; ext: string; width: number; height: number }): NewItem {
  return {
    sha256: got.sha256,
    ext: got.ext,
    relPath: img.relPath,
    width: got.width,
    height: got.height,
    split: img.split ?? null,
    classIndex: img.classIndex ?? null,
    frame: img.frame ?? null,
    boxes: img.boxes ?? [],
  };
}

/** The side images are resized to for training by default: theirs when all are one small square size, else 224. */
function commonSide(items: NewItem[]): number {
  const first = items[0]!;
  const same = items.every((i) => i.width === first.width && i.height === first.height);
  return same && first.width === first.height && first.width <= 256 ? first.width : 224;
}

function uniqueFiles(files: { sha256: string; ext: string }[]): { sha256: string; ext: string }[] {
  return [...new Map(files.map((f) => [f.sha256, f])).values()];
}

function nothingFound(src: string, problems: ImportProblem[]): AppError {
  const shown = problems.slice(0, 3).map((p) => `${p.file}: ${p.message}`);
  return new AppError(
    'IMAGE_UNSUPPORTED',
    problems.length === 0
      ? `No images in ${src}: expected JPEG, PNG, WebP, BMP or GIF files, a class-per-folder tree, IDX, COCO, Pascal VOC or YOLO files, or a video.`
      : `No image of ${src} could be imported; ${problems.length} file${problems.length === 1 ? '' : 's'} skipped: ${shown.join('; ')}${problems.length > 3 ? '; …' : ''}`,
    { problems: problems.slice(0, 100) },
  );
}
