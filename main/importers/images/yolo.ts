/**
 * YOLO (Darknet / Ultralytics): one `<image stem>.txt` per image with a line `class cx cy w h` per
 * box, centre and size normalised to 0–1 of the image as displayed. Labels sit in a `labels/`
 * folder mirroring `images/` (`images/train/a.jpg` → `labels/train/a.txt`, or `train/images` →
 * `train/labels`) or next to the image. Classes come from `data.yaml`/`dataset.yaml` (`names`, a
 * list or an id → name map) or `classes.txt`/`obj.names` (one a line). A `train/`, `val/` or
 * `test/` folder in the path gives the split. Polygon lines (Ultralytics segments: class and
 * x y pairs) become their bounding box. An image without a label file has no boxes.
 *
 * Boxes must be turned into pixels while planning, so each labelled image's header (not its
 * pixels) is read for its size.
 */
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ImageImportPlan, ImportedBox, ImportedImage, ImportProblem } from '../../../shared/images.js';
import { AppError } from '../../../shared/errors.js';
import { asProblem, ioReason, problem, YoloError } from './errors.js';
import type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
import { mapLimit } from './pool.js';
import { displaySize } from './size.js';
import { isImageName, listDir, splitOfName, splitOfPath, walk } from './walk.js';

const YAML_NAMES = ['data.yaml', 'dataset.yaml', 'data.yml', 'dataset.yml'];
const CLASS_FILES = ['classes.txt', 'obj.names', 'classes.names', 'names.txt'];
/** Normalised values may stray this far past 0–1 from rounding. */
const EPS = 1e-3;

async function readClasses(root: string): Promise<{ classes: string[]; from: string } | null> {
  for (const n of YAML_NAMES) {
    const file = path.join(root, n);
    if (!existsSync(file)) continue;
    let doc: unknown;
    try {
      doc = parseYaml(await fsp.readFile(file, 'utf8'));
    } catch (e) {
      throw new YoloError(n, `${n} is not valid YAML (${(e as Error).message.split('\n')[0]}); expected a YOLO data file with 'names'.`);
    }
    const names = (doc as { names?: unknown } | null)?.names;
    if (names === undefined) continue;
    if (Array.isArray(names)) return { classes: names.map(String), from: n };
    if (typeof names === 'object' && names !== null) {
      const entries = Object.entries(names as Record<string, unknown>);
      const ids = entries.map(([k]) => Number(k));
      if (!ids.every((i) => Number.isInteger(i) && i >= 0)) throw new YoloError(n, `${n}: 'names' has the keys ${entries.map(([k]) => k).join(', ')}; expected class ids 0, 1, 2, …`);
      const classes = Array.from({ length: Math.max(...ids) + 1 }, (_, i) => String(i));
      for (const [k, v] of entries) classes[Number(k)] = String(v);
      return { classes, from: n };
    }
    throw new YoloError(n, `${n}: 'names' is ${typeof names}; expected a list of class names or a map from class id to name.`);
  }
  for (const n of CLASS_FILES) {
    const file = path.join(root, n);
    if (!existsSync(file)) continue;
    const lines = (await fsp.readFile(file, 'utf8')).split(/\r?\n/).map((l) => l.trim());
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return { classes: lines, from: n };
  }
  return null;
}

/** Where an image's label file would be: `labels/` in place of the last `images/`, else next to it. */
export function labelPathsOf(rel: string): string[] {
  const segs = rel.split('/');
  const txt = segs[segs.length - 1]!.replace(/\.[^.]*$/, '.txt');
  const out: string[] = [];
  const at = segs.map((s) => s.toLowerCase()).lastIndexOf('images');
  if (at >= 0 && at < segs.length - 1) out.push([...segs.slice(0, at), 'labels', ...segs.slice(at + 1, -1), txt].join('/'));
  out.push([...segs.slice(0, -1), txt].join('/'));
  return out;
}

/** Pixels to a millionth: floats from normalised values lose nothing a person could see and compare as written. */
const micro = (n: number) => Math.round(n * 1e6) / 1e6;

interface LineResult {
  boxes: ImportedBox[];
  problems: ImportProblem[];
  maxClass: number;
}

/** Parses one label file's text; `classCount` 0 when the classes are not known. Exported for the tests. */
export function parseYoloLabels(textContent: string, rel: string, width: number, height: number, classCount: number, classesFrom: string | null): LineResult {
  const out: LineResult = { boxes: [], problems: [], maxClass: -1 };
  const lines = textContent.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const at = `${rel} line ${i + 1}`;
    const toks = line.split(/\s+/);
    const nums = toks.map(Number);
    if (!nums.every(Number.isFinite)) {
      out.problems.push(problem(rel, 'YOLO_INVALID', `${at}: expected numbers 'class cx cy w h', found '${line}'; line left out.`));
      continue;
    }
    if (!(toks.length === 5 || (toks.length >= 7 && toks.length % 2 === 1))) {
      out.problems.push(
        problem(rel, 'YOLO_INVALID', `${at}: expected 5 numbers 'class cx cy w h' (or a class and x y pairs of a polygon), found ${toks.length}: '${line}'; line left out.`),
      );
      continue;
    }
    const c = nums[0]!;
    if (!Number.isInteger(c) || c < 0) {
      out.problems.push(problem(rel, 'YOLO_INVALID', `${at}: the class id is ${toks[0]}; expected a whole number 0 or more; line left out.`));
      continue;
    }
    if (classCount > 0 && c >= classCount) {
      out.problems.push(problem(rel, 'YOLO_INVALID', `${at}: class id ${c} is beyond the ${classCount} classes of ${classesFrom} (0–${classCount - 1}); line left out.`));
      continue;
    }
    const v = nums.slice(1);
    if (!v.every((n) => n >= -EPS && n <= 1 + EPS)) {
      out.problems.push(problem(rel, 'YOLO_INVALID', `${at}: expected coordinates normalised to 0–1, found '${toks.slice(1).join(' ')}' (pixels?); line left out.`));
      continue;
    }
    // In pixels, from the centre and size (not the corners: 0.5 ± 0.1 is not exactly 0.4 and 0.6), clipped to the image.
    let x: number, y: number, w: number, h: number;
    if (v.length === 4) {
      const [cx, cy, nw, nh] = v as [number, number, number, number];
      [x, y, w, h] = [(cx - nw / 2) * width, (cy - nh / 2) * height, nw * width, nh * height];
    } else {
      const xs = v.filter((_, k) => k % 2 === 0);
      const ys = v.filter((_, k) => k % 2 === 1);
      [x, y] = [Math.min(...xs) * width, Math.min(...ys) * height];
      [w, h] = [Math.max(...xs) * width - x, Math.max(...ys) * height - y];
    }
    const x0 = Math.max(0, x), y0 = Math.max(0, y);
    [w, h] = [Math.min(width, x + w) - x0, Math.min(height, y + h) - y0];
    if (!(w > 0 && h > 0)) {
      out.problems.push(problem(rel, 'YOLO_INVALID', `${at}: the box '${toks.slice(1).join(' ')}' has no area; line left out.`));
      continue;
    }
    out.boxes.push({ classIndex: c, x: micro(x0), y: micro(y0), w: micro(w), h: micro(h) });
    out.maxClass = Math.max(out.maxClass, c);
  }
  return out;
}

export const yolo: ImageFormatModule = {
  id: 'yolo',
  async match(e: SourceEntry) {
    if (!e.isDir) return YAML_NAMES.includes(path.basename(e.path).toLowerCase());
    const names = e.entries.map((x) => x.name.toLowerCase());
    if (e.entries.some((x) => x.isDir && x.name.toLowerCase() === 'labels')) return true;
    if (YAML_NAMES.some((n) => names.includes(n)) || CLASS_FILES.some((n) => names.includes(n))) return true;
    // Roboflow's layout: train/images + train/labels.
    for (const d of e.entries.filter((x) => x.isDir && splitOfName(x.name))) {
      if ((await listDir(path.join(e.path, d.name))).some((x) => x.isDir && x.name.toLowerCase() === 'labels')) return true;
    }
    return false;
  },
  async open(e: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan> {
    const root = e.root;
    const known = await readClasses(root);
    const classCount = known?.classes.length ?? 0;
    const files = await walk(root, { ...opts, accept: (n) => isImageName(n) || n.toLowerCase().endsWith('.txt') });
    const txts = new Set(files.filter((r) => r.toLowerCase().endsWith('.txt')));
    const rels = files.filter(isImageName);
    const results = await mapLimit(
      rels,
      8,
      async (rel): Promise<{ img: ImportedImage | null; problems: ImportProblem[]; maxClass: number }> => {
        const img: ImportedImage = { path: path.join(root, rel), relPath: rel, boxes: [] };
        const split = splitOfPath(rel);
        if (split) img.split = split;
        const label = labelPathsOf(rel).find((l) => txts.has(l));
        if (!label) return { img, problems: [], maxClass: -1 };
        let content: string;
        try {
          content = await fsp.readFile(path.join(root, label), 'utf8');
        } catch (err) {
          return { img, problems: [problem(label, 'YOLO_INVALID', `Cannot read ${label}: ${ioReason(err)}; ${rel} imported without boxes.`)], maxClass: -1 };
        }
        if (!content.trim()) return { img, problems: [], maxClass: -1 };
        let size: { width: number; height: number };
        try {
          size = await displaySize(img.path!, rel);
        } catch (err) {
          if (err instanceof AppError) return { img: null, problems: [asProblem(rel, err)], maxClass: -1 };
          throw err;
        }
        const got = parseYoloLabels(content, label, size.width, size.height, classCount, known?.from ?? null);
        img.boxes = got.boxes;
        return { img, problems: got.problems, maxClass: got.maxClass };
      },
      opts.signal,
    );
    const images = results.map((r) => r.img).filter((i): i is ImportedImage => i !== null);
    const problems = results.flatMap((r) => r.problems);
    const notes: string[] = [];
    let classes = known?.classes ?? [];
    if (!known) {
      const max = Math.max(-1, ...results.map((r) => r.maxClass));
      classes = Array.from({ length: max + 1 }, (_, i) => String(i));
      notes.push(`No data.yaml or classes.txt: classes named by their ids (0–${max}).`);
    } else notes.push(`${classes.length} classes from ${known.from}.`);
    return { format: 'yolo', classes, images, problems, notes };
  },
};
