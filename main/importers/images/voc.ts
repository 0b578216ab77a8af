/**
 * Pascal VOC: one XML per image (`<annotation>` with `<filename>`, `<size>` and `<object>`s, each
 * with `<name>` and `<bndbox>` xmin/ymin/xmax/ymax), either as `Annotations/*.xml` + `JPEGImages/`
 * or each XML next to its image. `ImageSets/Main/{train,val,test}.txt` (ids one a line) give the
 * split (`trainval.txt` counts as train when there is neither train nor val). Classes come from
 * `labels.txt` (one name a line; our exporter writes it) and then the object names, sorted.
 *
 * Coordinates: VOC's are 1-based and inclusive (a box over the whole W×H image is xmin 1, xmax W),
 * so a box is x = xmin − 1, w = xmax − xmin + 1. Tools that write 0-based boxes are off by one
 * pixel at worst: a box may reach 1 pixel past each edge (xmin 0, xmax W + 1) and is clipped; one
 * further out is a problem, naming the box and the image size, and is left out.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ImageImportPlan, ImportedBox, ImportedImage, ImportProblem, Split } from '../../../shared/images.js';
import { ioReason, problem, VocError } from './errors.js';
import type { ImageFormatModule, PlanOptions, SourceEntry } from './format.js';
import { mapLimit } from './pool.js';
import { byPath, isImageName, readHead, toPosix, walk } from './walk.js';

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => name === 'object' });

function findDir(entries: { name: string; isDir: boolean }[], name: string): string | undefined {
  return entries.find((e) => e.isDir && e.name.toLowerCase() === name.toLowerCase())?.name;
}

async function isVocXml(file: string): Promise<boolean> {
  try {
    return /<annotation[\s>]/.test(Buffer.from(await readHead(file, 4096)).toString('utf8'));
  } catch {
    return false;
  }
}

interface VocObject {
  name: string;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

interface VocFile {
  filename: string | null;
  width: number;
  height: number;
  objects: VocObject[];
}

type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/** One annotation file; a problem (with the reason) for anything wrong inside it. Exported for the tests. */
export function parseVocXml(xml: string, rel: string, problems: ImportProblem[]): VocFile | null {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    problems.push(problem(rel, 'VOC_INVALID', `${rel} is not valid XML (line ${valid.err.line}: ${valid.err.msg}); expected a Pascal VOC <annotation>.`));
    return null;
  }
  const doc = parser.parse(xml) as Node;
  const ann = doc.annotation as Node | undefined;
  if (!ann || typeof ann !== 'object') {
    const root = Object.keys(doc).filter((k) => !k.startsWith('?'))[0];
    problems.push(problem(rel, 'VOC_INVALID', `${rel} has the root element <${root ?? ''}>; expected a Pascal VOC <annotation>.`));
    return null;
  }
  const size = (ann.size ?? {}) as Node;
  const width = Number(text(size.width)) || 0;
  const height = Number(text(size.height)) || 0;
  const objects: VocObject[] = [];
  for (const [i, o] of ((ann.object as Node[] | undefined) ?? []).entries()) {
    const name = text(o.name);
    const bb = (o.bndbox ?? {}) as Node;
    const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => Number(text(bb[k]) || NaN)) as [number, number, number, number];
    const label = `object ${i + 1}${name ? ` '${name}'` : ''}`;
    if (!name) {
      problems.push(problem(rel, 'VOC_INVALID', `${rel}: ${label} has no <name>; expected the class name; left out.`));
      continue;
    }
    if (![xmin, ymin, xmax, ymax].every(Number.isFinite)) {
      problems.push(problem(rel, 'VOC_INVALID', `${rel}: ${label} has no complete <bndbox>; expected numbers in <xmin>, <ymin>, <xmax> and <ymax>; left out.`));
      continue;
    }
    const boxText = `(xmin ${xmin}, ymin ${ymin}, xmax ${xmax}, ymax ${ymax})`;
    if (xmax < xmin || ymax < ymin) {
      problems.push(problem(rel, 'VOC_INVALID', `${rel}: ${label} ${boxText} is empty; expected xmin ≤ xmax and ymin ≤ ymax; left out.`));
      continue;
    }
    if (width > 0 && height > 0 && (xmin < 0 || ymin < 0 || xmax > width + 1 || ymax > height + 1)) {
      problems.push(problem(rel, 'VOC_INVALID', `${rel}: ${label} ${boxText} lies outside the ${width}×${height} image (VOC boxes run from 1 to the width and height); left out.`));
      continue;
    }
    objects.push({ name, xmin, ymin, xmax, ymax });
  }
  return { filename: text(ann.filename) || null, width, height, objects };
}

/** VOC's 1-based inclusive corners to a top-left box in pixels, clipped to the image when its size is known. */
export function vocToBox(o: VocObject, width: number, height: number, classIndex: number): ImportedBox {
  const x = Math.max(0, o.xmin - 1);
  const y = Math.max(0, o.ymin - 1);
  const x2 = width > 0 ? Math.min(width, o.xmax) : o.xmax;
  const y2 = height > 0 ? Math.min(height, o.ymax) : o.ymax;
  return { classIndex, x, y, w: x2 - x, h: y2 - y };
}

async function readLines(file: string): Promise<string[] | null> {
  try {
    return (await fsp.readFile(file, 'utf8')).split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  } catch {
    return null;
  }
}

async function splitsOf(root: string, entries: { name: string; isDir: boolean }[]): Promise<Map<string, Split>> {
  const out = new Map<string, Split>();
  const sets = findDir(entries, 'ImageSets');
  if (!sets) return out;
  const main = path.join(root, sets, 'Main');
  const read = async (n: string) => (await readLines(path.join(main, `${n}.txt`)))?.map((l) => l.split(/\s+/)[0]!) ?? null;
  const train = await read('train');
  const val = await read('val');
  const test = await read('test');
  const trainval = train || val ? null : await read('trainval');
  for (const id of trainval ?? []) out.set(id, 'train');
  for (const id of train ?? []) out.set(id, 'train');
  for (const id of val ?? []) out.set(id, 'validation');
  for (const id of test ?? []) out.set(id, 'test');
  return out;
}

const stemOf = (rel: string) => path.posix.basename(rel).replace(/\.[^.]*$/, '');

export const voc: ImageFormatModule = {
  id: 'voc',
  async match(e: SourceEntry) {
    if (!e.isDir) return e.path.toLowerCase().endsWith('.xml') && /<annotation[\s>]/.test(Buffer.from(e.head).toString('utf8'));
    if (findDir(e.entries, 'Annotations')) return true;
    const xml = e.entries.find((x) => !x.isDir && x.name.toLowerCase().endsWith('.xml'));
    return xml !== undefined && (await isVocXml(path.join(e.path, xml.name)));
  },
  async open(e: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan> {
    const root = e.root;
    const annDir = e.isDir ? findDir(e.entries, 'Annotations') : undefined;
    const files = await walk(root, { ...opts, accept: (n) => isImageName(n) || n.toLowerCase().endsWith('.xml') });
    const imageRels = files.filter(isImageName);
    let xmls = files.filter((r) => r.toLowerCase().endsWith('.xml'));
    if (annDir) xmls = xmls.filter((r) => r.startsWith(`${annDir}/`));
    if (!e.isDir) xmls = [toPosix(path.relative(root, e.path))];
    if (annDir && xmls.length === 0) throw new VocError(annDir, `${annDir}/ holds no .xml files; expected one Pascal VOC annotation file per image.`);
    const imageSet = new Set(imageRels);
    const byStem = new Map<string, string[]>();
    for (const r of imageRels) {
      const key = `${path.posix.dirname(r)}/${stemOf(r)}`;
      byStem.set(key, [...(byStem.get(key) ?? []), r]);
    }
    const imgDir = e.isDir ? (findDir(e.entries, 'JPEGImages') ?? findDir(e.entries, 'images')) : undefined;
    const splits = e.isDir ? await splitsOf(root, e.entries) : new Map<string, Split>();

    const problems: ImportProblem[] = [];
    const parsed = await mapLimit(xmls, 8, async (rel) => {
      let xml: string;
      try {
        xml = await fsp.readFile(path.join(root, rel), 'utf8');
      } catch (err) {
        problems.push(problem(rel, 'VOC_INVALID', `Cannot read ${rel}: ${ioReason(err)}.`));
        return null;
      }
      return parseVocXml(xml, rel, problems);
    }, opts.signal);

    const labels = (await readLines(path.join(root, 'labels.txt'))) ?? [];
    const names = new Set(parsed.flatMap((p) => p?.objects.map((o) => o.name) ?? []));
    const classes = [...new Set(labels)];
    for (const n of [...names].filter((n) => !classes.includes(n)).sort(byPath)) classes.push(n);
    const index = new Map(classes.map((c, i) => [c, i]));

    const images: ImportedImage[] = [];
    const used = new Set<string>();
    for (const [k, rel] of xmls.entries()) {
      const p = parsed[k];
      if (!p) continue;
      const dir = path.posix.dirname(rel);
      const here = dir === '.' ? '' : `${dir}/`;
      const tries = annDir
        ? [p.filename && imgDir ? `${imgDir}/${p.filename}` : '', ...(byStem.get(`${imgDir ?? '.'}/${stemOf(rel)}`) ?? []), p.filename ?? '']
        : [p.filename ? `${here}${p.filename}` : '', ...(byStem.get(`${dir}/${stemOf(rel)}`) ?? [])];
      const found = tries.find((t) => t && imageSet.has(t));
      if (!found) {
        problems.push(problem(rel, 'NOT_FOUND', `${rel} describes '${p.filename ?? stemOf(rel)}', but no such image is ${annDir ? `in ${imgDir ?? 'JPEGImages'}/` : 'next to it'}; skipped.`));
        continue;
      }
      used.add(found);
      const img: ImportedImage = { path: path.join(root, found), relPath: found, boxes: p.objects.map((o) => vocToBox(o, p.width, p.height, index.get(o.name)!)) };
      const split = splits.get(stemOf(rel)) ?? splits.get(stemOf(found));
      if (split) img.split = split;
      images.push(img);
    }
    // Images without an annotation are unlabelled images of the set (VOC's test images have none).
    const notes: string[] = [];
    if (e.isDir) {
      const rest = imageRels.filter((r) => !used.has(r) && (!imgDir || r.startsWith(`${imgDir}/`)));
      for (const r of rest) {
        const img: ImportedImage = { path: path.join(root, r), relPath: r, boxes: [] };
        const split = splits.get(stemOf(r));
        if (split) img.split = split;
        images.push(img);
      }
      if (rest.length > 0) notes.push(`${rest.length} image${rest.length === 1 ? '' : 's'} without an annotation file imported without boxes.`);
    }
    images.sort((a, b) => byPath(a.relPath, b.relPath));
    return { format: 'voc', classes, images, problems, notes };
  },
};

