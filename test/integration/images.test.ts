/**
 * Image datasets through the core: import a folder (bad files reported by name, the rest kept,
 * duplicates stored once), label with undo, export as COCO / VOC / YOLO and import the export
 * back, cancel an import, and a project reopened with every label still there.
 */
import { describe, it, expect } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createCore } from '../../main/core.js';
import type { ImageDataset } from '../../shared/dataset.js';
import { ROOT } from '../helpers/serve.js';

function makeCore(tmp: string) {
  return createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
}

async function jpeg(file: string, width: number, height: number, shade: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (shade + (i % 97)) & 255;
  await sharp(data, { raw: { width, height, channels: 3 } }).jpeg().toFile(file);
}

/** cats/ and dogs/ with 3 images each, one of them a byte-for-byte copy, and one truncated JPEG. */
async function classFolders(root: string): Promise<void> {
  for (let i = 0; i < 3; i++) await jpeg(path.join(root, 'cats', `cat-${i}.jpg`), 64, 48, i * 40);
  for (let i = 0; i < 3; i++) await jpeg(path.join(root, 'dogs', `dog-${i}.jpg`), 48, 64, 120 + i * 40);
  copyFileSync(path.join(root, 'cats', 'cat-0.jpg'), path.join(root, 'dogs', 'same-as-cat-0.jpg'));
  const whole = await sharp(path.join(root, 'cats', 'cat-1.jpg')).toBuffer();
  writeFileSync(path.join(root, 'dogs', 'broken.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
}

describe('image datasets through the core', () => {
  it('imports class folders, reports the broken file by name, stores duplicates once, and keeps labels across a reopen', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-img-'));
    const src = path.join(tmp, 'pets');
    await classFolders(src);
    const project = path.join(tmp, 'p');
    let core = makeCore(tmp);
    let d: ImageDataset;
    try {
      await core.handlers.projects.create({ dir: project });
      const events: unknown[] = [];
      core.onEvent((e, p) => e === 'import.progress' && events.push(p));
      d = await core.handlers.datasets.importImages({ path: src });
      expect(d).toMatchObject({ kind: 'images', name: 'pets', profile: { format: 'class-folders', imageCount: 7, task: 'classification' } });
      expect(d.profile.problems).toHaveLength(1);
      expect(d.profile.problems[0]).toMatchObject({ file: 'dogs/broken.jpg', code: 'IMAGE_CORRUPT' });
      expect(events.at(-1)).toMatchObject({ done: true, images: 8, problems: 1 });
      // 7 images, 6 distinct files: the copy of cat-0 is stored once.
      expect(readdirSync(path.join(project, 'media')).filter((f) => f.endsWith('.jpg'))).toHaveLength(6);

      const classes = await core.handlers.labels.classes({ datasetId: d.id });
      expect(classes.map((c) => [c.name, c.key])).toEqual([['cats', '1'], ['dogs', '2']]);
      const page = await core.handlers.labels.items({ filter: { datasetId: d.id, sort: 'name' }, offset: 0, limit: 100 });
      expect(page.total).toBe(7);
      expect(page.items.map((i) => i.relPath)).toEqual(['cats/cat-0.jpg', 'cats/cat-1.jpg', 'cats/cat-2.jpg', 'dogs/dog-0.jpg', 'dogs/dog-1.jpg', 'dogs/dog-2.jpg', 'dogs/same-as-cat-0.jpg']);
      expect(page.items[3]).toMatchObject({ width: 48, height: 64, classId: classes[1]!.id });

      // Relabel the copy as a cat, draw a box on a dog, undo the box.
      const copy = page.items[6]!;
      await core.handlers.labels.apply({ datasetId: d.id, op: { kind: 'setClass', items: [{ itemId: copy.id, classId: classes[0]!.id }] } });
      const drawn = await core.handlers.labels.apply({
        datasetId: d.id,
        op: { kind: 'addBoxes', boxes: [{ itemId: page.items[3]!.id, classId: classes[1]!.id, x: 4, y: 4, w: 20, h: 30, status: 'confirmed', score: null, source: null }] },
      });
      expect(drawn.items[0]).toMatchObject({ confirmedBoxes: 1, reviewed: true });
      await core.handlers.labels.apply({ datasetId: d.id, op: drawn.inverse! });
      expect((await core.handlers.labels.item({ itemId: page.items[3]!.id })).boxes).toEqual([]);
      const stats = await core.handlers.labels.stats({ datasetId: d.id });
      expect(stats.classes.map((c) => [c.name, c.images])).toEqual([['cats', 4], ['dogs', 3]]);
    } finally {
      await core.dispose();
    }

    core = makeCore(tmp);
    try {
      await core.handlers.projects.open({ dir: project });
      const [again] = await core.handlers.datasets.list({});
      expect(again).toMatchObject({ id: d.id, kind: 'images' });
      const cats = await core.handlers.labels.itemIds({ filter: { datasetId: d.id, classId: (await core.handlers.labels.classes({ datasetId: d.id }))[0]!.id } });
      expect(cats).toHaveLength(4);
    } finally {
      await core.dispose();
    }
  });

  it.each(['coco', 'voc', 'yolo'] as const)('exports boxes and the split as %s, and importing the export gives the same dataset back', async (format) => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), `lb-${format}-`));
    const src = path.join(tmp, 'street');
    for (let i = 0; i < 6; i++) await jpeg(path.join(src, `frame-${i}.jpg`), 80, 60, i * 30);
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      const d = await core.handlers.datasets.importImages({ path: src });
      expect(d.profile).toMatchObject({ format: 'image-folder', task: 'detection' });
      const person = await core.handlers.labels.addClass({ datasetId: d.id, name: 'person' });
      const bike = await core.handlers.labels.addClass({ datasetId: d.id, name: 'bicycle' });
      const ids = await core.handlers.labels.itemIds({ filter: { datasetId: d.id } });
      await core.handlers.labels.apply({
        datasetId: d.id,
        op: {
          kind: 'addBoxes',
          boxes: ids.flatMap((itemId, k) => [
            { itemId, classId: person.id, x: 2 + k, y: 3, w: 20, h: 40, status: 'confirmed' as const, score: null, source: null },
            ...(k % 2 ? [{ itemId, classId: bike.id, x: 40, y: 10, w: 30, h: 25, status: 'confirmed' as const, score: null, source: null }] : []),
          ]),
        },
      });
      // A proposal is not a label: it must not be exported.
      await core.handlers.labels.apply({
        datasetId: d.id,
        op: { kind: 'addBoxes', boxes: [{ itemId: ids[0]!, classId: person.id, x: 50, y: 30, w: 10, h: 10, status: 'proposal', score: 0.4, source: 'det' }] },
      });
      await core.handlers.labels.split({ datasetId: d.id, seed: 3, validationFraction: 0.2, testFraction: 0.2 });
      const out = path.join(tmp, 'out');
      expect(await core.handlers.datasets.exportImages({ id: d.id, format, dir: out })).toEqual({ dir: out, images: 6 });

      const back = await core.handlers.datasets.importImages({ path: out, name: 'back' });
      expect(back.profile.format).toBe(format);
      expect(back.profile.problems).toEqual([]);
      const summary = async (datasetId: string) => {
        const classes = new Map((await core.handlers.labels.classes({ datasetId })).map((c) => [c.id, c.name]));
        const page = await core.handlers.labels.items({ filter: { datasetId }, offset: 0, limit: 100 });
        const boxes = await core.handlers.labels.boxes({ itemIds: page.items.map((i) => i.id) });
        return page.items
          .map((i) => ({
            sha256: i.sha256,
            split: i.split,
            boxes: boxes
              .filter((b) => b.itemId === i.id)
              .map((b) => ({ cls: classes.get(b.classId), status: b.status, x: Math.round(b.x), y: Math.round(b.y), w: Math.round(b.w), h: Math.round(b.h) }))
              .sort((a, b) => a.x - b.x),
          }))
          .sort((a, b) => a.sha256.localeCompare(b.sha256));
      };
      const original = (await summary(d.id)).map((i) => ({ ...i, boxes: i.boxes.filter((b) => b.status === 'confirmed') }));
      expect(await summary(back.id)).toEqual(original);
    } finally {
      await core.dispose();
    }
  });

  it('cancelling an import leaves no dataset and no media behind', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-cancel-img-'));
    const src = path.join(tmp, 'many');
    for (let i = 0; i < 60; i++) await jpeg(path.join(src, `img-${i}.jpg`), 320, 240, i);
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      let cancelled = false;
      core.onEvent((e, p) => {
        const q = p as { importId: string; phase?: string; images?: number };
        if (e === 'import.progress' && q.phase === 'copying' && (q.images ?? 0) >= 5 && !cancelled) {
          cancelled = true;
          void core.handlers.datasets.cancelImport({ importId: q.importId });
        }
      });
      await expect(core.handlers.datasets.importImages({ path: src, importId: 'imp-1' })).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(cancelled).toBe(true);
      expect(await core.handlers.datasets.list({})).toEqual([]);
      expect(readdirSync(path.join(tmp, 'p', 'media'))).toEqual([]);
    } finally {
      await core.dispose();
    }
  });

  it('says what it expected when a folder holds no images, and imports nothing', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-noimg-'));
    const src = path.join(tmp, 'notes');
    mkdirSync(src);
    writeFileSync(path.join(src, 'readme.md'), '# not an image');
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      await expect(core.handlers.datasets.importImages({ path: src })).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
      expect(await core.handlers.datasets.list({})).toEqual([]);
      expect(existsSync(path.join(tmp, 'p', 'media'))).toBe(true);
    } finally {
      await core.dispose();
    }
  });
});
