/** Writing an image dataset out as COCO, Pascal VOC or YOLO: the store's rows mapped onto the exporters' input. */
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { exportDataset, type ExportableDataset } from '../export/dataset/index.js';
import type { CoreContext } from '../core.js';

export async function exportImageDataset(ctx: CoreContext, id: string, format: 'coco' | 'voc' | 'yolo', dir?: string): Promise<{ dir: string; images: number }> {
  const store = ctx.requireStore();
  const d = store.getImageDataset(id);
  const classes = store.images.classes(id);
  const index = new Map(classes.map((c, i) => [c.id, i]));
  const data: ExportableDataset = { classes: classes.map((c) => c.name), images: [] };
  for (const { item, boxes } of store.images.allWithBoxes(id)) {
    data.images.push({
      mediaFile: path.join(store.mediaDir, `${item.sha256}${item.ext}`),
      fileName: item.relPath,
      width: item.width,
      height: item.height,
      split: item.split,
      classIndex: item.classId === null ? null : (index.get(item.classId) ?? null),
      boxes: boxes.map((b) => ({ classIndex: index.get(b.classId)!, x: b.x, y: b.y, w: b.w, h: b.h })),
    });
  }
  if (data.images.length === 0) throw new AppError('INVALID_REQUEST', `Dataset '${d.name}' has no images to export.`);
  const out = path.resolve(dir ?? path.join(store.dir, 'exports', `${d.name.replace(/[^A-Za-z0-9._-]+/g, '-')}-${format}`));
  await exportDataset(format, out, data);
  return { dir: out, images: data.images.length };
}
