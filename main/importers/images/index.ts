/**
 * The image importers, one module per format as Netron's ModelFactoryService lists its formats:
 * each has a cheap `match` (the folder listing, a few small reads) and a full `open` that lists
 * what is there without decoding any image (decoding is `ingestImage`'s job). The first match in
 * this order wins: the annotation formats before the plain folder layouts that would also fit.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { ImageImportPlan, ImageSourceFormat } from '../../../shared/images.js';
import { checkCancelled, ioReason } from './errors.js';
import type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
import { classFolders, imageFolder } from './folders.js';
import { coco } from './coco.js';
import { idx } from './idx.js';
import { voc } from './voc.js';
import { yolo } from './yolo.js';
import { byPath, isImageName, listDir, readHead } from './walk.js';

export const imageFormats: readonly ImageFormatModule[] = [idx, coco, voc, yolo, classFolders, imageFolder];

async function entryOf(p: string): Promise<SourceEntry> {
  const abs = path.resolve(p);
  let stat;
  try {
    stat = await fsp.stat(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'NOT_FOUND' : 'IMAGE_UNREADABLE', `Cannot open ${abs}: ${ioReason(e)}.`, { file: abs });
  }
  if (stat.isDirectory()) return { path: abs, isDir: true, root: abs, entries: await listDir(abs), head: new Uint8Array(0) };
  const root = path.dirname(abs);
  return { path: abs, isDir: false, root, entries: await listDir(root), head: await readHead(abs) };
}

async function find(entry: SourceEntry): Promise<ImageFormatModule | null> {
  for (const f of imageFormats) if (await f.match(entry)) return f;
  return null;
}

/** The format of a folder or file, or null when no image importer recognises it. */
export async function detectImageSource(p: string): Promise<ImageSourceFormat | null> {
  const entry = await entryOf(p);
  if (!entry.isDir && isImageName(entry.path)) return 'image-folder';
  return (await find(entry))?.id ?? null;
}

/** Lists the images a folder or file holds, with their classes, boxes and splits, and every file that was skipped and why. */
export async function planImageImport(p: string, opts: PlanOptions = {}): Promise<ImageImportPlan> {
  const entry = await entryOf(p);
  checkCancelled(opts.signal);
  if (!entry.isDir && isImageName(entry.path)) {
    // One image picked: a folder of one.
    return { format: 'image-folder', classes: [], images: [{ path: entry.path, relPath: path.basename(entry.path) }], problems: [], notes: [] };
  }
  const format = await find(entry);
  if (!format) {
    throw new AppError(
      'UNSUPPORTED_FILE',
      `${path.basename(entry.path)} is not an image dataset: expected a folder of images, a class-per-folder tree, IDX files, a COCO .json, Pascal VOC .xml files or YOLO labels.`,
      { file: entry.path },
    );
  }
  const plan = await format.open(entry, opts);
  checkCancelled(opts.signal);
  // Formats that read files side by side report problems as they finish; the listing is stable.
  plan.problems.sort((a, b) => byPath(a.file, b.file));
  return plan;
}

export { ingestImage, makeThumbnail, decodeForTraining, type IngestedImage } from './ingest.js';
export { FASHION_MNIST_CLASSES } from './idx.js';
export { IMAGE_EXTENSIONS } from './walk.js';
export type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
export { ImageFileError, IdxError, CocoError, VocError, YoloError } from './errors.js';
