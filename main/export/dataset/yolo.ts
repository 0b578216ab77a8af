/**
 * YOLO (Ultralytics layout): `images/<split>/<name>`, `labels/<split>/<stem>.txt` with a line
 * `class cx cy w h` per box (normalised to the image, 6 decimals: under 0.001 px on a 1000 px
 * image) and `data.yaml` with the split folders and `names`. Without any split the folders are
 * flat (`images/`, `labels/`); images without a split among split ones go to `default/`. An image
 * without boxes gets an empty label file (a background image, in YOLO's terms).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { copyAll, splitFolder, splitsIn, uniqueNames } from './files.js';
import type { ExportableDataset, ExportSummary } from './types.js';

const f6 = (n: number) => String(Number(n.toFixed(6)));

export async function exportYolo(outDir: string, data: ExportableDataset): Promise<ExportSummary> {
  const named = uniqueNames(data.images);
  const splits = splitsIn(data.images);
  const flat = splits.length === 1 && splits[0] === null;
  const sub = (s: (typeof splits)[number]) => (flat ? '' : splitFolder(s));
  let boxes = 0;
  for (const split of splits) {
    const these = named.filter((i) => i.split === split);
    const labels = path.join(outDir, 'labels', sub(split));
    await fsp.mkdir(labels, { recursive: true });
    for (const img of these) {
      const lines = img.boxes.map((b) => `${b.classIndex} ${f6((b.x + b.w / 2) / img.width)} ${f6((b.y + b.h / 2) / img.height)} ${f6(b.w / img.width)} ${f6(b.h / img.height)}`);
      boxes += lines.length;
      await fsp.writeFile(path.join(labels, `${img.stem}.txt`), lines.length ? lines.join('\n') + '\n' : '');
    }
    await copyAll(these.map((img) => ({ from: img.mediaFile, to: path.join(outDir, 'images', sub(split), img.name) })));
  }
  const yaml: Record<string, unknown> = { path: '.' };
  if (flat) yaml.train = 'images';
  for (const [s, key] of [['train', 'train'], ['validation', 'val'], ['test', 'test']] as const) if (splits.includes(s)) yaml[key] = `images/${splitFolder(s)}`;
  yaml.nc = data.classes.length;
  yaml.names = data.classes;
  await fsp.writeFile(path.join(outDir, 'data.yaml'), stringify(yaml));
  return { dir: outDir, images: named.length, boxes };
}
