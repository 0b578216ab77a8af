/**
 * Folders of images: a class-per-subfolder tree (class = subfolder name, sorted; `train/`, `val/`,
 * `test/` at the top over class folders give the split), or a plain folder, walked recursively.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ImageImportPlan, ImportedImage, ImportProblem } from '../../../shared/images.js';
import type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
import { isOtherImageName, otherImageProblem } from './unsupported.js';
import { byPath, isImageName, listDir, splitOfName, walk } from './walk.js';

/** How many subfolders `match` peeks into. */
const PEEK = 16;

async function holdsImages(dir: string): Promise<boolean> {
  try {
    const entries = await fsp.readdir(dir);
    return entries.some((n) => !n.startsWith('.') && isImageName(n));
  } catch {
    return false;
  }
}

/** Class folders under `dir`: at least two subfolders, most of those peeked at holding images directly, no loose images. */
async function isClassTree(dir: string, entries: { name: string; isDir: boolean }[]): Promise<boolean> {
  const subs = entries.filter((e) => e.isDir);
  if (subs.length < 2 || entries.some((e) => !e.isDir && isImageName(e.name))) return false;
  const peek = subs.slice(0, PEEK);
  const holding = (await Promise.all(peek.map((s) => holdsImages(path.join(dir, s.name))))).filter(Boolean).length;
  return holding >= 2 && holding * 2 >= peek.length;
}

/** The top folders that are splits (`train/`, `val/`…) when all top folders are, else null. */
function splitFolders(entries: { name: string; isDir: boolean }[]): { name: string; isDir: boolean }[] | null {
  const dirs = entries.filter((e) => e.isDir);
  return dirs.length > 0 && dirs.every((d) => splitOfName(d.name)) ? dirs : null;
}

async function walkWithOthers(root: string, opts: PlanOptions): Promise<{ images: string[]; others: ImportProblem[] }> {
  const all = await walk(root, { ...opts, accept: (n) => isImageName(n) || isOtherImageName(n) });
  const images = all.filter((r) => isImageName(r));
  return { images, others: all.filter((r) => !isImageName(r)).map(otherImageProblem) };
}

export const classFolders: ImageFormatModule = {
  id: 'class-folders',
  async match(e: SourceEntry) {
    if (!e.isDir) return false;
    const splits = splitFolders(e.entries);
    if (splits) {
      for (const s of splits) {
        const dir = path.join(e.path, s.name);
        if (await isClassTree(dir, await listDir(dir))) return true;
      }
      return false;
    }
    return isClassTree(e.path, e.entries);
  },
  async open(e: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan> {
    const split = splitFolders(e.entries) !== null;
    const { images: rels, others } = await walkWithOthers(e.path, opts);
    const classOf = (rel: string): string | undefined => {
      const segs = rel.split('/');
      const at = split ? 1 : 0;
      return segs.length > at + 1 ? segs[at] : undefined;
    };
    const classes = [...new Set(rels.map(classOf).filter((c): c is string => c !== undefined))].sort(byPath);
    const index = new Map(classes.map((c, i) => [c, i]));
    const images: ImportedImage[] = rels.map((rel) => {
      const img: ImportedImage = { path: path.join(e.path, rel), relPath: rel };
      const c = classOf(rel);
      if (c !== undefined) img.classIndex = index.get(c)!;
      if (split) {
        const s = splitOfName(rel.split('/')[0]!);
        if (s) img.split = s;
      }
      return img;
    });
    const loose = images.filter((i) => i.classIndex === undefined).length;
    const notes = [`${classes.length} classes from folder names${split ? ', splits from the top folders' : ''}.`];
    if (loose > 0) notes.push(`${loose} image${loose === 1 ? '' : 's'} outside any class folder imported without a class.`);
    return { format: 'class-folders', classes, images, problems: others, notes };
  },
};

export const imageFolder: ImageFormatModule = {
  id: 'image-folder',
  match: (e: SourceEntry) => e.isDir,
  async open(e: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan> {
    const { images: rels, others } = await walkWithOthers(e.path, opts);
    const images = rels.map((rel) => ({ path: path.join(e.path, rel), relPath: rel }));
    return { format: 'image-folder', classes: [], images, problems: others, notes: [] };
  },
};
