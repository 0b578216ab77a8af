/**
 * A small synthetic detection dataset for tests: noisy PNGs with filled squares (class 'square')
 * and discs (class 'disc') at random places and sizes, written with the COCO json that describes
 * them, so a test imports it through the real COCO importer (`datasets.importImages` on `dir`).
 * Seeded: the same options give the same files. Shapes do not overlap, so every box is visible.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';

export interface ShapesOptions {
  /** How many images (default 160). */
  images?: number;
  /** Width and height in pixels (default 64). */
  size?: number;
  seed?: number;
  /** Shapes' side or diameter range in pixels (default 12–28, clipped to the image). */
  minShape?: number;
  maxShape?: number;
  /** Every this-many-th image (1-based) has no shapes, a negative; 0 for none (default 0). */
  emptyEvery?: number;
}

export interface ShapesBox {
  classIndex: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface ShapesDataset {
  /** The folder holding the json and the images: import this. */
  dir: string;
  cocoPath: string;
  imagesDir: string;
  classes: string[];
  /** Per image, in file order: its file name and boxes in pixels. */
  images: { fileName: string; boxes: ShapesBox[] }[];
}

export const SHAPE_CLASSES = ['square', 'disc'];

/** A seeded stream (Park–Miller), so the generated images are the same on every run. */
function random(seed: number): () => number {
  let s = Math.max(1, Math.floor(seed) % 2147483647);
  return () => ((s = (s * 16807) % 2147483647) / 2147483647);
}

function overlaps(a: ShapesBox, b: ShapesBox): boolean {
  return a.x < b.x + b.w + 2 && b.x < a.x + a.w + 2 && a.y < b.y + b.h + 2 && b.y < a.y + a.h + 2;
}

/** Writes `dir/annotations.json` and `dir/images/*.png`; returns where they are and every box. */
export async function writeShapesCoco(dir: string, opts: ShapesOptions = {}): Promise<ShapesDataset> {
  const n = opts.images ?? 160;
  const size = opts.size ?? 64;
  const minS = Math.min(opts.minShape ?? 12, size);
  const maxS = Math.min(opts.maxShape ?? 28, size);
  const rnd = random(opts.seed ?? 7);
  const imagesDir = path.join(dir, 'images');
  mkdirSync(imagesDir, { recursive: true });
  const images: ShapesDataset['images'] = [];
  const annotations: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const boxes: ShapesBox[] = [];
    const empty = opts.emptyEvery ? (i + 1) % opts.emptyEvery === 0 : false;
    const want = empty ? 0 : 1 + Math.floor(rnd() * 2);
    for (let tries = 0; boxes.length < want && tries < 50; tries++) {
      const s = Math.round(minS + rnd() * (maxS - minS));
      const b: ShapesBox = { classIndex: rnd() < 0.5 ? 0 : 1, x: Math.floor(rnd() * (size - s + 1)), y: Math.floor(rnd() * (size - s + 1)), w: s, h: s };
      if (!boxes.some((o) => overlaps(o, b))) boxes.push(b);
    }
    const px = Buffer.alloc(size * size * 3);
    for (let p = 0; p < px.length; p++) px[p] = Math.floor(20 + rnd() * 70);
    for (const b of boxes) {
      const colour = [150 + rnd() * 105, 150 + rnd() * 105, 150 + rnd() * 105];
      const r = b.w / 2;
      const cx = b.x + r;
      const cy = b.y + r;
      for (let y = b.y; y < b.y + b.h; y++)
        for (let x = b.x; x < b.x + b.w; x++) {
          if (b.classIndex === 1 && (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > r * r) continue;
          for (let c = 0; c < 3; c++) px[(y * size + x) * 3 + c] = Math.floor(colour[c]!);
        }
    }
    const fileName = `shape-${String(i).padStart(4, '0')}.png`;
    await sharp(px, { raw: { width: size, height: size, channels: 3 } }).png().toFile(path.join(imagesDir, fileName));
    images.push({ fileName, boxes });
    for (const b of boxes) annotations.push({ id: annotations.length + 1, image_id: i + 1, category_id: b.classIndex + 1, bbox: [b.x, b.y, b.w, b.h], area: b.w * b.h, iscrowd: 0 });
  }
  const coco = {
    images: images.map((im, i) => ({ id: i + 1, file_name: im.fileName, width: size, height: size })),
    annotations,
    categories: SHAPE_CLASSES.map((name, i) => ({ id: i + 1, name })),
  };
  const cocoPath = path.join(dir, 'annotations.json');
  writeFileSync(cocoPath, JSON.stringify(coco));
  return { dir, cocoPath, imagesDir, classes: [...SHAPE_CLASSES], images };
}
