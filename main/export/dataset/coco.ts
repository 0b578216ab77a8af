/**
 * COCO: `annotations/instances_<split>.json` per split and the images in `images/<split>/`
 * (`val` for validation, `default` for images without a split), `file_name` the image's name in
 * that folder. Categories are the classes in order with ids from 1; boxes are [x, y, w, h] in
 * pixels as stored (no rounding). COCO has no image-level class, so those are not written.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { copyAll, splitFolder, splitsIn, uniqueNames } from './files.js';
import type { ExportableDataset, ExportSummary } from './types.js';

export async function exportCoco(outDir: string, data: ExportableDataset): Promise<ExportSummary> {
  const named = uniqueNames(data.images);
  const categories = data.classes.map((name, i) => ({ id: i + 1, name, supercategory: '' }));
  await fsp.mkdir(path.join(outDir, 'annotations'), { recursive: true });
  let boxes = 0;
  let annId = 1;
  for (const split of splitsIn(data.images)) {
    const folder = splitFolder(split);
    const these = named.filter((i) => i.split === split);
    const images = these.map((img, k) => ({ id: k + 1, file_name: img.name, width: img.width, height: img.height }));
    const annotations = these.flatMap((img, k) =>
      img.boxes.map((b) => ({ id: annId++, image_id: k + 1, category_id: b.classIndex + 1, bbox: [b.x, b.y, b.w, b.h], area: b.w * b.h, iscrowd: 0, segmentation: [] })),
    );
    boxes += annotations.length;
    const doc = { info: { description: 'Exported by Layerbench', date_created: new Date().toISOString() }, licenses: [], images, annotations, categories };
    await fsp.writeFile(path.join(outDir, 'annotations', `instances_${folder}.json`), JSON.stringify(doc));
    await copyAll(these.map((img) => ({ from: img.mediaFile, to: path.join(outDir, 'images', folder, img.name) })));
  }
  return { dir: outDir, images: named.length, boxes };
}
