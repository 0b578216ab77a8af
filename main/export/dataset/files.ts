/** Helpers the three exporters share: unique file names, split folder names, copying with a few files in flight. */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Split } from '../../../shared/images.js';
import type { ExportableImage } from './types.js';

/** Folder (and list) name of a split, as the formats' own tools name them; images without a split go to 'default' (CVAT's name). */
export function splitFolder(split: Split | null): string {
  return split === 'validation' ? 'val' : (split ?? 'default');
}

export interface NamedImage extends ExportableImage {
  /** Unique in the export, whatever the case: "001.jpg", "001-2.jpg". */
  name: string;
  /** `name` without its extension (VOC ids, YOLO label files). */
  stem: string;
}

/**
 * The base name of each image, made safe (no spaces: VOC's image lists are whitespace separated)
 * and unique by stem, without regard to case (two "001.jpg" from different folders become
 * "001.jpg" and "001-2.jpg"). The extension is the stored file's (a BMP was stored as PNG).
 */
export function uniqueNames(images: ExportableImage[]): NamedImage[] {
  const taken = new Set<string>();
  return images.map((img) => {
    const base = path.posix.basename(img.fileName.replace(/\\/g, '/'));
    const raw = base.replace(/\.[^.]*$/, '') || 'image';
    const clean = [...raw].map((ch) => (ch.charCodeAt(0) < 32 || /[\s<>:"/\\|?*]/.test(ch) ? '_' : ch)).join('').replace(/_+/g, '_');
    let stem = clean;
    for (let k = 2; taken.has(stem.toLowerCase()); k++) stem = `${clean}-${k}`;
    taken.add(stem.toLowerCase());
    const ext = path.extname(img.mediaFile).toLowerCase() || '.jpg';
    return { ...img, name: `${stem}${ext}`, stem };
  });
}

export async function copyAll(jobs: { from: string; to: string }[], limit = 8): Promise<void> {
  const dirs = new Set(jobs.map((j) => path.dirname(j.to)));
  for (const d of dirs) await fsp.mkdir(d, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const j = jobs[next++]!;
      await fsp.copyFile(j.from, j.to);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

/** Splits in the data, in train, validation, test, none order. */
export function splitsIn(images: ExportableImage[]): (Split | null)[] {
  const order: (Split | null)[] = ['train', 'validation', 'test', null];
  return order.filter((s) => images.some((i) => i.split === s));
}
