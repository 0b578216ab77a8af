import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store/project-store.js';
import type { NewItem } from '../../../main/store/image-store.js';
import type { ImageDataset } from '../../../shared/dataset.js';
import type { LabelOp } from '../../../shared/api/labels.js';
import { AppError } from '../../../shared/errors.js';
import { classColor } from '../../../shared/images.js';
import { tempDir } from './fixtures.js';

function imageDataset(id = 'img'): ImageDataset {
  return {
    id, name: 'people', kind: 'images', sourceName: 'photos', sha256: '', bytes: 0,
    profile: { format: 'image-folder', imageCount: 0, problems: [], notes: [], task: 'detection' },
    config: { height: 224, width: 224, channels: 3, task: 'detection' },
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function item(n: number, extra: Partial<NewItem> = {}): NewItem {
  return {
    sha256: n.toString(16).padStart(64, '0'), ext: '.jpg', relPath: `photos/img-${String(n).padStart(3, '0')}.jpg`, width: 640, height: 480,
    split: null, classIndex: null, frame: null, boxes: [], ...extra,
  };
}

function fresh(items: NewItem[] = Array.from({ length: 10 }, (_, i) => item(i)), classes = ['person', 'dog']) {
  const store = ProjectStore.create(path.join(tempDir(), 'p'));
  store.insertImageDataset(imageDataset(), classes, items);
  const [person, dog] = store.images.classes('img');
  return { store, images: store.images, person: person!.id, dog: dog!.id, ids: store.images.ids({ datasetId: 'img' }) };
}

function caught(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('did not throw');
}

/** Everything a user could see of the dataset: every image with its boxes. */
function snapshot(store: ProjectStore) {
  return [...store.images.allWithBoxes('img')].map(({ item }) => ({ item: store.images.item(item.id), boxes: store.images.boxes([item.id]) }));
}

describe('image store', () => {
  it('keeps the classes with keys 1–9 and colours, and the images in import order', () => {
    const { images } = fresh();
    expect(images.classes('img').map((c) => [c.name, c.key, c.position])).toEqual([['person', '1', 0], ['dog', '2', 1]]);
    expect(images.count({ datasetId: 'img' })).toBe(10);
    expect(images.page({ datasetId: 'img' }, 2, 3).map((i) => i.relPath)).toEqual(['photos/img-002.jpg', 'photos/img-003.jpg', 'photos/img-004.jpg']);
  });

  it('stores imported boxes as confirmed, with counters on the image', () => {
    const { images } = fresh([item(1, { boxes: [{ classIndex: 0, x: 10, y: 20, w: 30, h: 40 }], classIndex: 1 })]);
    const [it] = images.page({ datasetId: 'img' }, 0, 10);
    expect(it).toMatchObject({ confirmedBoxes: 1, proposals: 0, classId: images.classes('img')[1]!.id });
    expect(images.boxes([it!.id])).toMatchObject([{ x: 10, y: 20, w: 30, h: 40, status: 'confirmed', score: null }]);
  });

  it('undoes every kind of edit exactly, and redoes it', () => {
    const { store, images, person, dog, ids } = fresh();
    const before = snapshot(store);
    const ops: LabelOp[] = [
      { kind: 'setClass', items: [{ itemId: ids[0]!, classId: dog }, { itemId: ids[1]!, classId: dog }] },
      { kind: 'addBoxes', boxes: [{ itemId: ids[2]!, classId: person, x: 1, y: 2, w: 100, h: 200, status: 'confirmed', score: null, source: null }] },
      { kind: 'setSplit', items: [{ itemId: ids[3]!, split: 'test' }] },
      { kind: 'setReviewed', items: [{ itemId: ids[4]!, reviewed: true }] },
    ];
    const inverses: LabelOp[] = [];
    for (const op of ops) inverses.push(images.apply('img', op).inverse!);
    const after = snapshot(store);
    expect(after).not.toEqual(before);
    const redo: LabelOp[] = [];
    for (const inv of inverses.reverse()) redo.push(images.apply('img', inv).inverse!);
    expect(snapshot(store)).toEqual(before);
    for (const op of redo.reverse()) images.apply('img', op);
    expect(snapshot(store)).toEqual(after);
  });

  it('moves, reclassifies, confirms and deletes boxes with undo, keeping box ids', () => {
    const { store, images, person, dog, ids } = fresh();
    const added = images.apply('img', { kind: 'addBoxes', boxes: [{ itemId: ids[0]!, classId: person, x: 0, y: 0, w: 50, h: 50, status: 'proposal', score: 0.4, source: 'det' }] });
    const boxId = added.boxes[0]!.id;
    expect(added.items[0]).toMatchObject({ proposals: 1, confirmedBoxes: 0, minProposalScore: 0.4, reviewed: false });
    const before = snapshot(store);
    const moved = images.apply('img', { kind: 'updateBoxes', boxes: [{ id: boxId, x: 10, classId: dog, status: 'confirmed' }] });
    expect(moved.boxes[0]).toMatchObject({ id: boxId, x: 10, y: 0, classId: dog, status: 'confirmed' });
    expect(moved.items[0]).toMatchObject({ proposals: 0, confirmedBoxes: 1, minProposalScore: null, reviewed: true });
    images.apply('img', moved.inverse!);
    expect(snapshot(store)).toEqual(before);
    const deleted = images.apply('img', { kind: 'deleteBoxes', ids: [boxId] });
    expect(images.boxes([ids[0]!])).toEqual([]);
    images.apply('img', deleted.inverse!);
    expect(images.boxes([ids[0]!])[0]!.id).toBe(boxId);
  });

  it('refuses a box outside its image, a class of another dataset or an unknown image, and changes nothing', () => {
    const { store, images, person, ids } = fresh();
    store.insertImageDataset(imageDataset('other'), ['cat'], [item(99)]);
    const foreign = images.classes('other')[0]!.id;
    const before = snapshot(store);
    const outside = caught(() =>
      images.apply('img', {
        kind: 'batch',
        ops: [
          { kind: 'setClass', items: [{ itemId: ids[0]!, classId: person }] },
          { kind: 'addBoxes', boxes: [{ itemId: ids[1]!, classId: person, x: 600, y: 0, w: 100, h: 10, status: 'confirmed', score: null, source: null }] },
        ],
      }),
    );
    expect(outside.code).toBe('LABEL_INVALID');
    expect(outside.message).toBe('A box must lie inside its image (640×480 px, photos/img-001.jpg); got x=600, y=0, w=100, h=10.');
    expect(caught(() => images.apply('img', { kind: 'setClass', items: [{ itemId: ids[0]!, classId: foreign }] })).message).toBe(`No class with id ${foreign} in this dataset`);
    expect(caught(() => images.apply('img', { kind: 'setClass', items: [{ itemId: 12345, classId: person }] })).code).toBe('NOT_FOUND');
    // The batch's first part (a valid class) was rolled back with the rest.
    expect(snapshot(store)).toEqual(before);
  });

  it('filters by status, class, split, confidence and name, and orders the review queue', () => {
    const { images, person, dog, ids } = fresh();
    images.apply('img', { kind: 'setClass', items: [{ itemId: ids[0]!, classId: dog }] });
    images.apply('img', { kind: 'addBoxes', boxes: [{ itemId: ids[1]!, classId: person, x: 0, y: 0, w: 10, h: 10, status: 'confirmed', score: null, source: null }] });
    images.replaceProposals(ids[2]!, 'det', [{ classId: person, x: 0, y: 0, w: 10, h: 10, score: 0.9 }]);
    images.replaceProposals(ids[3]!, 'det', [{ classId: person, x: 0, y: 0, w: 10, h: 10, score: 0.3 }, { classId: person, x: 5, y: 5, w: 10, h: 10, score: 0.8 }]);
    images.apply('img', { kind: 'setSplit', items: [{ itemId: ids[4]!, split: 'validation' }] });
    const f = { datasetId: 'img' };
    expect(images.count({ ...f, status: 'labelled' })).toBe(2);
    expect(images.count({ ...f, status: 'unlabelled' })).toBe(8);
    expect(images.ids({ ...f, status: 'has-proposals' })).toEqual([ids[2], ids[3]]);
    expect(images.ids({ ...f, classId: person })).toEqual([ids[1]]);
    expect(images.ids({ ...f, split: 'validation' })).toEqual([ids[4]]);
    expect(images.count({ ...f, split: 'none' })).toBe(9);
    expect(images.ids({ ...f, minScore: 0.25, maxScore: 0.5 })).toEqual([ids[3]]);
    expect(images.ids({ ...f, search: 'IMG-00%' })).toEqual([]);
    expect(images.ids({ ...f, search: 'img-007' })).toEqual([ids[7]]);
    const queue = images.ids({ ...f, sort: 'review' });
    // Unseen images with nothing proposed first, then the least confident proposals, the labelled ones last.
    expect(queue.slice(-2).sort()).toEqual([ids[0], ids[1]].sort());
    expect(queue.indexOf(ids[3]!)).toBeLessThan(queue.indexOf(ids[2]!));
    expect(queue.indexOf(ids[5]!)).toBeLessThan(queue.indexOf(ids[3]!));
    expect(images.ids({ ...f, sort: 'confidence' }).slice(0, 2)).toEqual([ids[3], ids[2]]);
  });

  it('replaces a proposer\'s earlier proposals on a second run and clips them to the image', () => {
    const { images, person, ids } = fresh();
    images.replaceProposals(ids[0]!, 'det', [{ classId: person, x: 0, y: 0, w: 10, h: 10, score: 0.5 }]);
    const kept = images.replaceProposals(ids[0]!, 'det', [{ classId: person, x: 600, y: 400, w: 100, h: 100, score: 0.7 }, { classId: person, x: 700, y: 0, w: 10, h: 10, score: 0.9 }]);
    expect(kept).toBe(1);
    expect(images.boxes([ids[0]!])).toMatchObject([{ x: 600, y: 400, w: 40, h: 80, score: 0.7, status: 'proposal' }]);
  });

  it('counts classes, boxes per image and box sizes', () => {
    const { images, person, dog, ids } = fresh();
    images.apply('img', { kind: 'setClass', items: [{ itemId: ids[0]!, classId: dog }] });
    images.apply('img', {
      kind: 'addBoxes',
      boxes: [
        { itemId: ids[1]!, classId: person, x: 0, y: 0, w: 10, h: 10, status: 'confirmed', score: null, source: null },
        { itemId: ids[1]!, classId: person, x: 0, y: 0, w: 200, h: 300, status: 'confirmed', score: null, source: null },
      ],
    });
    const s = images.stats('img');
    expect(s).toMatchObject({ images: 10, labelled: 2, unlabelled: 8, proposals: 0, bySplit: { train: 0, validation: 0, test: 0, none: 10 } });
    expect(s.classes).toEqual([
      { classId: person, name: 'person', color: classColor(0), images: 0, boxes: 2 },
      { classId: dog, name: 'dog', color: classColor(1), images: 1, boxes: 0 },
    ]);
    expect(s.boxesPerImage.slice(0, 3)).toEqual([9, 0, 1]);
    expect(s.boxSizes).toEqual({ small: 1, medium: 0, large: 1, huge: 0 });
  });

  it('gives a class key to one class only, and refuses keys the labelling commands use', () => {
    const { images, person, dog } = fresh();
    images.updateClass(dog, { key: '1' });
    expect(images.classes('img').map((c) => c.key)).toEqual([null, '1']);
    expect(caught(() => images.updateClass(person, { key: 'd' })).code).toBe('LABEL_INVALID');
    expect(caught(() => images.updateClass(person, { name: 'dog' })).message).toBe("A class named 'dog' already exists in this dataset.");
    expect(images.addClass('img', 'cat')).toMatchObject({ name: 'cat', key: '3', position: 2 });
  });

  it('deleting the dataset removes its images, classes and boxes', () => {
    const { store, images, person, ids } = fresh();
    images.apply('img', { kind: 'addBoxes', boxes: [{ itemId: ids[0]!, classId: person, x: 0, y: 0, w: 10, h: 10, status: 'confirmed', score: null, source: null }] });
    const media = images.mediaOf('img');
    expect(media).toHaveLength(10);
    store.deleteDataset('img');
    expect(images.count({ datasetId: 'img' })).toBe(0);
    expect(images.boxes(ids)).toEqual([]);
    expect(images.unusedMedia(media)).toHaveLength(10);
  });
});
