/**
 * Pascal VOC: `Annotations/<id>.xml`, `JPEGImages/<id><ext>`, `ImageSets/Main/{train,val,test}.txt`
 * (images without a split are in no list) and `labels.txt` with the classes in order (not part of
 * VOC, but it keeps the order and classes without boxes; CVAT writes a similar labelmap.txt).
 * Corners are VOC's 1-based inclusive whole pixels: xmin = round(x) + 1, xmax = round(x + w),
 * clipped to the image, which our importer reads back exactly for whole-pixel boxes.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { copyAll, splitFolder, uniqueNames, type NamedImage } from './files.js';
import type { ExportableDataset, ExportSummary } from './types.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function vocXml(img: NamedImage, classes: string[]): string {
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const objects = img.boxes.map((b) => {
    const xmin = clamp(Math.round(b.x) + 1, 1, img.width);
    const ymin = clamp(Math.round(b.y) + 1, 1, img.height);
    const xmax = clamp(Math.round(b.x + b.w), xmin, img.width);
    const ymax = clamp(Math.round(b.y + b.h), ymin, img.height);
    return [
      '  <object>',
      `    <name>${esc(classes[b.classIndex] ?? String(b.classIndex))}</name>`,
      '    <pose>Unspecified</pose>',
      '    <truncated>0</truncated>',
      '    <difficult>0</difficult>',
      `    <bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox>`,
      '  </object>',
    ].join('\n');
  });
  return [
    '<annotation>',
    '  <folder>JPEGImages</folder>',
    `  <filename>${esc(img.name)}</filename>`,
    `  <size><width>${img.width}</width><height>${img.height}</height><depth>3</depth></size>`,
    '  <segmented>0</segmented>',
    ...objects,
    '</annotation>',
    '',
  ].join('\n');
}

export async function exportVoc(outDir: string, data: ExportableDataset): Promise<ExportSummary> {
  const named = uniqueNames(data.images);
  const ann = path.join(outDir, 'Annotations');
  const sets = path.join(outDir, 'ImageSets', 'Main');
  await fsp.mkdir(ann, { recursive: true });
  await fsp.mkdir(sets, { recursive: true });
  for (const img of named) await fsp.writeFile(path.join(ann, `${img.stem}.xml`), vocXml(img, data.classes));
  for (const split of ['train', 'validation', 'test'] as const) {
    const ids = named.filter((i) => i.split === split).map((i) => i.stem);
    if (ids.length) await fsp.writeFile(path.join(sets, `${splitFolder(split)}.txt`), ids.join('\n') + '\n');
  }
  await fsp.writeFile(path.join(outDir, 'labels.txt'), data.classes.join('\n') + '\n');
  await copyAll(named.map((img) => ({ from: img.mediaFile, to: path.join(outDir, 'JPEGImages', img.name) })));
  return { dir: outDir, images: named.length, boxes: named.reduce((n, i) => n + i.boxes.length, 0) };
}
