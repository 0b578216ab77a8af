/**
 * COCO detection files: a JSON object with `images` (id, file_name, width, height), `annotations`
 * (image_id, category_id, bbox [x, y, w, h] in pixels, top-left origin) and `categories` (id,
 * name), next to its images. A folder may hold one JSON per split (`instances_train2017.json`,
 * `annotations/instances_val.json`, Roboflow's `train/_annotations.coco.json`); the split comes
 * from the file's name or folder. Classes are the categories in file order (across files: by
 * name, first seen first). Images are found relative to the JSON, the folder, `images/`,
 * `images/<split>/` or `<split>/`, or else by a unique file name anywhere under the folder.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ImageImportPlan, ImportedBox, ImportedImage, ImportProblem, Split } from '../../../shared/images.js';
import { CocoError, ioReason, problem } from './errors.js';
import type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
import { byPath, isImageName, readHead, splitOfName, toPosix, walk } from './walk.js';

const COCO_HEAD = /"images"\s*:\s*\[/;
/** At most this many JSON files are peeked at by `match`. */
const PEEK = 8;

async function looksLikeCoco(file: string): Promise<boolean> {
  try {
    return COCO_HEAD.test(Buffer.from(await readHead(file)).toString('utf8'));
  } catch {
    return false;
  }
}

/** JSON files where COCO files live: the folder, `annotations/`, and one level down (`train/_annotations.coco.json`). */
async function candidateJsons(e: SourceEntry): Promise<string[]> {
  const out: string[] = [];
  const jsonIn = async (rel: string) => {
    try {
      const names = await fsp.readdir(path.join(e.path, rel));
      for (const n of names.sort(byPath)) if (!n.startsWith('.') && n.toLowerCase().endsWith('.json')) out.push(rel ? `${rel}/${n}` : n);
    } catch {
      /* not a folder */
    }
  };
  await jsonIn('');
  for (const d of e.entries.filter((x) => x.isDir)) {
    if (d.name.toLowerCase() === 'annotations' || splitOfName(d.name)) await jsonIn(d.name);
  }
  return out;
}

async function cocoJsonsOf(e: SourceEntry): Promise<string[]> {
  const found: string[] = [];
  for (const rel of (await candidateJsons(e)).slice(0, PEEK * 4)) {
    if (found.length >= PEEK && rel) break;
    if (await looksLikeCoco(path.join(e.path, rel))) found.push(rel);
  }
  return found;
}

function splitOfJson(rel: string): Split | undefined {
  const stem = path.posix.basename(rel).replace(/\.json$/i, '');
  for (const tok of stem.split(/[-_. ]+/)) {
    const s = splitOfName(tok);
    if (s) return s;
  }
  const parent = path.posix.basename(path.posix.dirname(rel));
  return splitOfName(parent);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isObject(v)) {
    const keys = Object.keys(v);
    return keys.length ? `an object with ${keys.slice(0, 8).map((k) => `'${k}'`).join(', ')}${keys.length > 8 ? ', …' : ''}` : 'an empty object';
  }
  return v === null ? 'null' : typeof v;
}

export interface ParsedCoco {
  categories: { id: unknown; name: string }[];
  images: Json[];
  annotations: Json[];
}

/** Parses and checks the shape of a COCO file; a file that is not one is thrown, naming what it holds instead. */
export function parseCoco(text: string, rel: string): ParsedCoco {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new CocoError(rel, `${rel} is not valid JSON (${(e as Error).message}); expected a COCO object with 'images', 'annotations' and 'categories' arrays.`);
  }
  const expected = `expected a COCO object with 'images', 'annotations' and 'categories' arrays`;
  if (!isObject(doc)) throw new CocoError(rel, `${rel} holds ${describe(doc)}; ${expected}.`);
  if (!Array.isArray(doc.images)) throw new CocoError(rel, `${rel} has no 'images' array; ${expected}, found ${describe(doc)}.`);
  for (const key of ['annotations', 'categories'] as const) {
    if (doc[key] !== undefined && !Array.isArray(doc[key])) throw new CocoError(rel, `${rel}: '${key}' is ${describe(doc[key])}; ${expected}.`);
  }
  const categories: ParsedCoco['categories'] = [];
  for (const [i, c] of ((doc.categories as unknown[] | undefined) ?? []).entries()) {
    if (!isObject(c) || c.id === undefined || typeof c.name !== 'string') {
      throw new CocoError(rel, `${rel}: categories[${i}] is ${describe(c)}; expected an object with 'id' and 'name'.`);
    }
    categories.push({ id: c.id, name: c.name });
  }
  return {
    categories,
    images: (doc.images as unknown[]).filter(isObject),
    annotations: ((doc.annotations as unknown[] | undefined) ?? []).filter(isObject),
  };
}

function finite(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export const coco: ImageFormatModule = {
  id: 'coco',
  async match(e: SourceEntry) {
    if (!e.isDir) return e.path.toLowerCase().endsWith('.json');
    return (await cocoJsonsOf(e)).length > 0;
  },
  async open(e: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan> {
    // A picked file inside `annotations/` belongs to the folder above it.
    let root = e.path;
    let jsons: string[];
    if (e.isDir) jsons = await cocoJsonsOf(e);
    else {
      root = path.basename(e.root).toLowerCase() === 'annotations' ? path.dirname(e.root) : e.root;
      jsons = [toPosix(path.relative(root, e.path))];
    }
    const all = await walk(root, opts);
    const imageSet = new Set(all);
    const byBase = new Map<string, string[]>();
    for (const r of all) {
      const b = path.posix.basename(r).toLowerCase();
      const list = byBase.get(b);
      if (list) list.push(r);
      else byBase.set(b, [r]);
    }
    const topDirs = [...new Set(all.map((r) => r.split('/')[0]!).filter((s, _, a) => a.length > 0 && !isImageName(s)))];

    const classes: string[] = [];
    const classIndex = new Map<string, number>();
    const images: ImportedImage[] = [];
    const problems: ImportProblem[] = [];
    const notes: string[] = [];
    const used = new Set<string>();

    for (const rel of jsons) {
      let text: string;
      try {
        text = await fsp.readFile(path.join(root, rel), 'utf8');
      } catch (err) {
        throw new CocoError(rel, `Cannot read ${rel}: ${ioReason(err)}.`);
      }
      const doc = parseCoco(text, rel);
      const split = splitOfJson(rel);
      const cat = new Map<string, number>();
      for (const c of doc.categories) {
        let k = classIndex.get(c.name);
        if (k === undefined) {
          k = classes.length;
          classes.push(c.name);
          classIndex.set(c.name, k);
        }
        cat.set(String(c.id), k);
      }
      const jsonDir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
      const stem = path.posix.basename(rel).replace(/\.json$/i, '');
      const splitDirs = split ? topDirs.filter((d) => splitOfName(d) === split) : [];
      const imgSplitDirs = split ? [...new Set(all.filter((r) => r.startsWith('images/')).map((r) => r.split('/')[1]!))].filter((d) => splitOfName(d) === split) : [];
      const resolve = (fileName: string): string | undefined => {
        const f = fileName.replace(/\\/g, '/').replace(/^\.\//, '');
        const join = (...p: string[]) => p.filter(Boolean).join('/');
        const tries = [
          join(jsonDir, f),
          f,
          join(jsonDir, 'images', f),
          join('images', f),
          ...splitDirs.map((d) => join(d, f)),
          ...imgSplitDirs.map((d) => join('images', d, f)),
          // instances_default.json → default/ or images/default/; instances_train2017.json → train2017/.
          ...[stem, ...stem.split(/[-_. ]+/)].flatMap((t) => [join(t, f), join('images', t, f)]),
        ].map((p) => path.posix.normalize(p));
        const hit = tries.find((t) => imageSet.has(t));
        if (hit) return hit;
        const same = byBase.get(path.posix.basename(f).toLowerCase()) ?? [];
        if (same.length === 1) return same[0];
        const inSplit = same.filter((r) => split && r.split('/').some((s) => splitOfName(s) === split));
        return inSplit.length === 1 ? inSplit[0] : undefined;
      };

      const boxesOf = new Map<string, ImportedBox[]>();
      const counted = new Map<string, number>();
      for (const a of doc.annotations) {
        const k = String(a.image_id);
        counted.set(k, (counted.get(k) ?? 0) + 1);
      }
      const imageOf = new Map<string, ImportedImage>();
      for (const [i, im] of doc.images.entries()) {
        const id = String(im.id);
        if (im.id === undefined || typeof im.file_name !== 'string') {
          problems.push(problem(rel, 'COCO_INVALID', `${rel}: images[${i}] is ${describe(im)}; expected 'id' and 'file_name'.`));
          continue;
        }
        const found = resolve(im.file_name);
        if (!found) {
          const n = counted.get(id) ?? 0;
          problems.push(problem(rel, 'NOT_FOUND', `${rel} lists image '${im.file_name}' (id ${id}, ${n} annotation${n === 1 ? '' : 's'}), but no such file is in the folder; skipped.`));
          continue;
        }
        const img: ImportedImage = { path: path.join(root, found), relPath: found, boxes: [] };
        if (split) img.split = split;
        imageOf.set(id, img);
        boxesOf.set(id, img.boxes!);
        images.push(img);
        used.add(found);
      }
      const missing = new Set(doc.images.filter((im) => im.id !== undefined && !imageOf.has(String(im.id))).map((im) => String(im.id)));
      for (const a of doc.annotations) {
        const imageId = String(a.image_id);
        const boxes = boxesOf.get(imageId);
        const where = `${rel}: annotation ${a.id ?? '?'}`;
        if (!boxes) {
          if (!missing.has(imageId)) problems.push(problem(rel, 'COCO_INVALID', `${where} refers to image_id ${imageId}, which is not in 'images'; skipped.`));
          continue;
        }
        const k = cat.get(String(a.category_id));
        if (k === undefined) {
          const ids = doc.categories.map((c) => String(c.id)).join(', ');
          problems.push(problem(rel, 'COCO_INVALID', `${where} has category_id ${String(a.category_id)}, which is not among the categories (${ids || 'none'}); skipped.`));
          continue;
        }
        const b = a.bbox;
        if (!Array.isArray(b) || b.length !== 4 || !b.every(finite) || (b[2] as number) <= 0 || (b[3] as number) <= 0) {
          problems.push(problem(rel, 'COCO_INVALID', `${where} has bbox ${JSON.stringify(b)}; expected [x, y, width, height] with a positive width and height; skipped.`));
          continue;
        }
        boxes.push({ classIndex: k, x: b[0] as number, y: b[1] as number, w: b[2] as number, h: b[3] as number });
      }
    }
    const unlisted = all.filter((r) => !used.has(r)).length;
    if (unlisted > 0) notes.push(`${unlisted} image${unlisted === 1 ? '' : 's'} in the folder ${unlisted === 1 ? 'is' : 'are'} not listed in ${jsons.join(', ')} and ${unlisted === 1 ? 'was' : 'were'} left out.`);
    return { format: 'coco', classes, images, problems, notes };
  },
};
