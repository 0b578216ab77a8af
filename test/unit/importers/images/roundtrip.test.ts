/**
 * Export → import round trips: a labelled dataset written as COCO, Pascal VOC and YOLO and read
 * back by our importers gives the same images (by SHA-256), classes, splits and boxes (COCO
 * exactly, VOC exactly for whole-pixel boxes, YOLO within a pixel).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportDataset, type ExportableDataset } from '../../../../main/export/dataset/index.js';
import { ingestImage } from '../../../../main/importers/images/ingest.js';
import type { ImportedBox, Split } from '../../../../shared/images.js';
import { bmp, image, importAll, jpegWithOrientation, pixels } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-roundtrip-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const classes = ['person', 'bicycle', 'dog'];
let data: ExportableDataset;
/** sha256 → what was exported. */
const bySha = new Map<string, { split: Split | null; boxes: ImportedBox[] }>();

beforeAll(async () => {
  const media = path.join(tmp, 'media');
  const sources: { bytes: Uint8Array; fileName: string; split: Split | null; boxes: ImportedBox[] }[] = [
    { bytes: await image('jpeg', 120, 80, 1), fileName: 'street/001.jpg', split: 'train', boxes: [{ classIndex: 0, x: 10.25, y: 5.5, w: 30.5, h: 60 }, { classIndex: 1, x: 50, y: 20, w: 40, h: 30 }] },
    // The same name from another folder: exported under a different name.
    { bytes: await image('jpeg', 120, 80, 2), fileName: 'park/001.jpg', split: 'train', boxes: [{ classIndex: 2, x: 0, y: 0, w: 120, h: 80 }] },
    { bytes: await image('png', 64, 48, 3), fileName: 'val/a b.png', split: 'validation', boxes: [{ classIndex: 0, x: 3, y: 4, w: 5, h: 6 }] },
    // Stored as PNG; exported with .png.
    { bytes: bmp(40, 30, pixels(40, 30, 4), { bits: 24 }), fileName: 'old.bmp', split: 'test', boxes: [{ classIndex: 1, x: 1, y: 2, w: 38, h: 27 }] },
    // EXIF 6: 60×40 stored, 40×60 displayed; boxes are in the displayed frame.
    { bytes: await jpegWithOrientation(60, 40, 6, 5), fileName: 'phone.jpg', split: null, boxes: [{ classIndex: 0, x: 5, y: 40, w: 30, h: 15 }] },
    { bytes: await image('webp', 50, 50, 6), fileName: 'empty.webp', split: 'train', boxes: [] },
  ];
  data = { classes, images: [] };
  for (const s of sources) {
    const got = await ingestImage({ bytes: s.bytes, relPath: s.fileName }, media);
    data.images.push({ mediaFile: path.join(media, `${got.sha256}${got.ext}`), fileName: s.fileName, width: got.width, height: got.height, split: s.split, classIndex: null, boxes: s.boxes });
    bySha.set(got.sha256, { split: s.split, boxes: s.boxes });
  }
});

async function roundTrip(format: 'coco' | 'voc' | 'yolo') {
  const out = path.join(tmp, format);
  const summary = await exportDataset(format, out, data);
  expect(summary).toEqual({ dir: out, images: 6, boxes: 6 });
  return { out, back: await importAll(out, path.join(tmp, `media-${format}`)) };
}

function expectSame(back: Awaited<ReturnType<typeof importAll>>, format: string, tolerance: number) {
  expect(back.plan.format).toBe(format);
  expect(back.problems).toEqual([]);
  expect(back.plan.classes).toEqual(classes);
  expect(back.ingested.map((i) => i.got.sha256).sort()).toEqual([...bySha.keys()].sort());
  for (const { img, got } of back.ingested) {
    const want = bySha.get(got.sha256)!;
    expect(img.split ?? null, img.relPath).toBe(want.split);
    const boxes = img.boxes ?? [];
    expect(boxes.map((b) => b.classIndex), img.relPath).toEqual(want.boxes.map((b) => b.classIndex));
    if (tolerance === 0) expect(boxes, img.relPath).toEqual(want.boxes);
    else {
      boxes.forEach((b, k) => {
        const w = want.boxes[k]!;
        for (const key of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(b[key] - w[key]), `${img.relPath} box ${k} ${key}`).toBeLessThanOrEqual(tolerance);
      });
    }
  }
}

describe('dataset export round trips', () => {
  it('COCO: one JSON per split, images/<split>/, boxes exactly', async () => {
    const { out, back } = await roundTrip('coco');
    expect(readdirSync(path.join(out, 'annotations')).sort()).toEqual(['instances_default.json', 'instances_test.json', 'instances_train.json', 'instances_val.json']);
    expect(readdirSync(path.join(out, 'images', 'train')).sort()).toEqual(['001-2.jpg', '001.jpg', 'empty.webp']);
    expect(readdirSync(path.join(out, 'images', 'test'))).toEqual(['old.png']);
    expectSame(back, 'coco', 0);
  });

  it('Pascal VOC: Annotations, JPEGImages, ImageSets/Main; whole-pixel boxes exactly, the others within a pixel', async () => {
    const { out, back } = await roundTrip('voc');
    expect(readdirSync(path.join(out, 'ImageSets', 'Main')).sort()).toEqual(['test.txt', 'train.txt', 'val.txt']);
    expect(readFileSync(path.join(out, 'ImageSets', 'Main', 'val.txt'), 'utf8')).toBe('a_b\n');
    expect(readFileSync(path.join(out, 'Annotations', '001.xml'), 'utf8')).toContain('<bndbox><xmin>51</xmin><ymin>21</ymin><xmax>90</xmax><ymax>50</ymax></bndbox>');
    expectSame(back, 'voc', 0.5);
    const whole = back.ingested.filter((i) => bySha.get(i.got.sha256)!.boxes.every((b) => [b.x, b.y, b.w, b.h].every(Number.isInteger)));
    expect(whole).toHaveLength(5);
    for (const { img, got } of whole) expect(img.boxes).toEqual(bySha.get(got.sha256)!.boxes);
  });

  it('YOLO: images/<split>, labels/<split>, data.yaml; boxes within a pixel', async () => {
    const { out, back } = await roundTrip('yolo');
    expect(readdirSync(path.join(out, 'labels')).sort()).toEqual(['default', 'test', 'train', 'val']);
    expect(readFileSync(path.join(out, 'data.yaml'), 'utf8')).toBe(
      'path: .\ntrain: images/train\nval: images/val\ntest: images/test\nnc: 3\nnames:\n  - person\n  - bicycle\n  - dog\n',
    );
    expect(readFileSync(path.join(out, 'labels', 'train', 'empty.txt'), 'utf8')).toBe('');
    expectSame(back, 'yolo', 1);
  });

  it('YOLO without any split: flat images/ and labels/', async () => {
    const flat: ExportableDataset = { classes, images: data.images.map((i) => ({ ...i, split: null })) };
    const out = path.join(tmp, 'yolo-flat');
    await exportDataset('yolo', out, flat);
    expect(readdirSync(path.join(out, 'images')).sort()).toEqual(['001-2.jpg', '001.jpg', 'a_b.png', 'empty.webp', 'old.png', 'phone.jpg']);
    const back = await importAll(out, path.join(tmp, 'media-flat'));
    expect(back.plan.images.every((i) => i.split === undefined)).toBe(true);
    expect(back.plan.images.reduce((n, i) => n + (i.boxes?.length ?? 0), 0)).toBe(6);
  });

  it('a box of a class the dataset does not have is refused', async () => {
    const bad: ExportableDataset = { classes: ['a'], images: [{ ...data.images[0]!, boxes: [{ classIndex: 2, x: 0, y: 0, w: 1, h: 1 }] }] };
    await expect(exportDataset('yolo', path.join(tmp, 'bad'), bad)).rejects.toThrow("Image 0 (street/001.jpg) has a box of class 2; expected 0–0 (1 class).");
  });
});
