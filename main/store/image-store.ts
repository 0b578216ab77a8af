/**
 * The rows of image datasets: classes, images and boxes. Every change is one transaction that
 * also refreshes the touched images' counters, and returns the op that undoes it.
 */
import { AppError } from '../../shared/errors.js';
import { classColor, defaultClassKey, type Box, type ImageDatasetStats, type ImageItem, type ItemFilter, type LabelClass, type Split } from '../../shared/images.js';
import type { ApplyResult, BoxChange, LabelOp, NewBox } from '../../shared/api/labels.js';
import { reservedKeys } from '../../shared/labels/keys.js';
import { fromJsonOrNull, toJson } from './json.js';
import type { Db } from './migrations/index.js';

/** An image to insert: its media file and what the importer found on it. */
export interface NewItem {
  sha256: string;
  ext: string;
  relPath: string;
  width: number;
  height: number;
  split: Split | null;
  /** Index into the classes given with the items. */
  classIndex: number | null;
  frame: ImageItem['frame'];
  boxes: { classIndex: number; x: number; y: number; w: number; h: number }[];
}

interface ItemRow {
  id: number; dataset_id: string; position: number; sha256: string; ext: string; rel_path: string; width: number; height: number;
  split: Split | null; class_id: number | null; frame: string | null; reviewed: number; confirmed_boxes: number; proposals: number; min_score: number | null;
}
interface BoxRow { id: number; item_id: number; class_id: number; x: number; y: number; w: number; h: number; status: Box['status']; score: number | null; source: string | null }
interface ClassRow { id: number; dataset_id: string; name: string; key: string | null; color: string; position: number }

const SORTS: Record<NonNullable<ItemFilter['sort']>, string> = {
  added: 'position',
  name: 'rel_path COLLATE NOCASE, position',
  // What needs a person most first: not looked at, no confirmed label, nothing proposed, then the least confident proposals.
  review: `reviewed, (class_id IS NOT NULL OR confirmed_boxes > 0), proposals > 0, min_score IS NULL, min_score, position`,
  confidence: 'min_score IS NULL, min_score, position',
};

export class ImageStore {
  constructor(private readonly db: Db) {}

  /** Inserts classes and images (with their boxes, confirmed) of a dataset whose row exists; one transaction with it. */
  insertImages(datasetId: string, classes: string[], items: NewItem[]): void {
    const existing = this.classes(datasetId);
    const byName = new Map(existing.map((c) => [c.name, c.id]));
    const addClass = this.db.prepare('INSERT INTO label_classes (dataset_id, name, key, color, position) VALUES (?, ?, ?, ?, ?)');
    const classIds = classes.map((name) => {
      const found = byName.get(name);
      if (found !== undefined) return found;
      const position = byName.size;
      const id = Number(addClass.run(datasetId, name, defaultClassKey(position), classColor(position), position).lastInsertRowid);
      byName.set(name, id);
      return id;
    });
    const start = (this.db.prepare('SELECT COALESCE(MAX(position), -1) + 1 AS p FROM items WHERE dataset_id = ?').get(datasetId) as { p: number }).p;
    const addItem = this.db.prepare(
      `INSERT INTO items (dataset_id, position, sha256, ext, rel_path, width, height, split, class_id, frame, confirmed_boxes)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const addBox = this.db.prepare(`INSERT INTO boxes (item_id, class_id, x, y, w, h, status, score, source) VALUES (?, ?, ?, ?, ?, ?, 'confirmed', NULL, NULL)`);
    const classId = (i: number | null) => (i === null ? null : (classIds[i] ?? null));
    items.forEach((it, k) => {
      const itemId = Number(
        addItem.run(datasetId, start + k, it.sha256, it.ext, it.relPath, it.width, it.height, it.split, classId(it.classIndex), it.frame ? toJson(it.frame) : null, it.boxes.length)
          .lastInsertRowid,
      );
      for (const b of it.boxes) addBox.run(itemId, classId(b.classIndex), b.x, b.y, b.w, b.h);
    });
  }

  // ── Classes ─────────────────────────────────────────────────────────────────────────────

  classes(datasetId: string): LabelClass[] {
    return (this.db.prepare('SELECT * FROM label_classes WHERE dataset_id = ? ORDER BY position').all(datasetId) as ClassRow[]).map(classFromRow);
  }

  addClass(datasetId: string, name: string): LabelClass {
    return this.db.transaction(() => {
      if (this.classes(datasetId).some((c) => c.name === name)) throw new AppError('LABEL_INVALID', `A class named '${name}' already exists in this dataset.`);
      const position = (this.db.prepare('SELECT COUNT(*) AS n FROM label_classes WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
      const used = new Set(this.classes(datasetId).map((c) => c.key));
      const key = defaultClassKey(position);
      const id = Number(
        this.db
          .prepare('INSERT INTO label_classes (dataset_id, name, key, color, position) VALUES (?, ?, ?, ?, ?)')
          .run(datasetId, name, key && !used.has(key) ? key : null, classColor(position), position).lastInsertRowid,
      );
      return this.getClass(id);
    })();
  }

  updateClass(classId: number, patch: { name?: string; key?: string | null; color?: string }): LabelClass {
    return this.db.transaction(() => {
      const c = this.getClass(classId);
      if (patch.name !== undefined && patch.name !== c.name && this.classes(c.datasetId).some((x) => x.name === patch.name))
        throw new AppError('LABEL_INVALID', `A class named '${patch.name}' already exists in this dataset.`);
      if (patch.key) {
        if (reservedKeys().has(patch.key.toLowerCase()))
          throw new AppError('LABEL_INVALID', `Key '${patch.key}' is taken by a labelling command (A/D previous/next, R copy boxes, N/B new box, H hide boxes, 0 fit, +/- zoom, ? help); choose another.`);
        // A key labels with one class only: it moves from the class that had it.
        this.db.prepare('UPDATE label_classes SET key = NULL WHERE dataset_id = ? AND key = ? AND id <> ?').run(c.datasetId, patch.key, classId);
      }
      this.db
        .prepare('UPDATE label_classes SET name = ?, key = ?, color = ? WHERE id = ?')
        .run(patch.name ?? c.name, patch.key === undefined ? c.key : patch.key, patch.color ?? c.color, classId);
      return this.getClass(classId);
    })();
  }

  getClass(classId: number): LabelClass {
    const row = this.db.prepare('SELECT * FROM label_classes WHERE id = ?').get(classId) as ClassRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No class with id ${classId}`, { classId });
    return classFromRow(row);
  }

  // ── Images ──────────────────────────────────────────────────────────────────────────────

  count(filter: ItemFilter): number {
    const { where, params } = whereOf(filter);
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM items WHERE ${where}`).get(...params) as { n: number }).n;
  }

  page(filter: ItemFilter, offset: number, limit: number): ImageItem[] {
    const { where, params } = whereOf(filter);
    return (
      this.db.prepare(`SELECT * FROM items WHERE ${where} ORDER BY ${SORTS[filter.sort ?? 'added']} LIMIT ? OFFSET ?`).all(...params, limit, offset) as ItemRow[]
    ).map(itemFromRow);
  }

  ids(filter: ItemFilter): number[] {
    const { where, params } = whereOf(filter);
    return (this.db.prepare(`SELECT id FROM items WHERE ${where} ORDER BY ${SORTS[filter.sort ?? 'added']}`).pluck().all(...params) as number[]);
  }

  item(itemId: number): ImageItem {
    const row = this.db.prepare('SELECT * FROM items WHERE id = ?').get(itemId) as ItemRow | undefined;
    if (!row) throw new AppError('NOT_FOUND', `No image with id ${itemId}`, { itemId });
    return itemFromRow(row);
  }

  items(itemIds: number[]): ImageItem[] {
    if (itemIds.length === 0) return [];
    return (this.db.prepare(`SELECT * FROM items WHERE id IN (SELECT value FROM json_each(?)) ORDER BY position`).all(toJson(itemIds)) as ItemRow[]).map(itemFromRow);
  }

  boxes(itemIds: number[]): Box[] {
    if (itemIds.length === 0) return [];
    return (this.db.prepare(`SELECT * FROM boxes WHERE item_id IN (SELECT value FROM json_each(?)) ORDER BY id`).all(toJson(itemIds)) as BoxRow[]).map(boxFromRow);
  }

  /** Every image of a dataset with its confirmed boxes, in import order: what exports and training read. */
  *allWithBoxes(datasetId: string): Generator<{ item: ImageItem; boxes: Box[] }> {
    const rows = this.db.prepare('SELECT * FROM items WHERE dataset_id = ? ORDER BY position').iterate(datasetId) as IterableIterator<ItemRow>;
    const boxesOf = this.db.prepare(`SELECT * FROM boxes WHERE item_id = ? AND status = 'confirmed' ORDER BY id`);
    for (const row of rows) yield { item: itemFromRow(row), boxes: (boxesOf.all(row.id) as BoxRow[]).map(boxFromRow) };
  }

  /** What training a classifier reads: every image's media file, class and split, in import order (one query, no boxes). */
  trainingItems(datasetId: string): { id: number; sha256: string; ext: string; relPath: string; classId: number | null; split: Split | null }[] {
    return this.db
      .prepare('SELECT id, sha256, ext, rel_path AS relPath, class_id AS classId, split FROM items WHERE dataset_id = ? ORDER BY position')
      .all(datasetId) as { id: number; sha256: string; ext: string; relPath: string; classId: number | null; split: Split | null }[];
  }

  /** The media files (sha256 + ext) no image of any dataset uses any more, among those given. */
  unusedMedia(files: { sha256: string; ext: string }[]): { sha256: string; ext: string }[] {
    const used = this.db.prepare('SELECT 1 FROM items WHERE sha256 = ? LIMIT 1').pluck();
    return files.filter((f) => used.get(f.sha256) === undefined);
  }

  mediaOf(datasetId: string): { sha256: string; ext: string }[] {
    return this.db.prepare('SELECT DISTINCT sha256, ext FROM items WHERE dataset_id = ?').all(datasetId) as { sha256: string; ext: string }[];
  }

  // ── Edits ───────────────────────────────────────────────────────────────────────────────

  /** Applies an edit to images of `datasetId` in one transaction; refuses (changing nothing) if any part is invalid. */
  apply(datasetId: string, op: LabelOp): ApplyResult {
    return this.db.transaction(() => {
      const touched = new Set<number>();
      const inverse = this.applyOne(datasetId, op, touched);
      const ids = [...touched];
      this.refreshCounters(ids);
      return { inverse, items: this.items(ids), boxes: this.boxes(ids) };
    })();
  }

  /** Replaces one source's proposals on an image (a second pre-label run does not pile up boxes); returns how many were kept. */
  replaceProposals(itemId: number, source: string, proposals: { classId: number; x: number; y: number; w: number; h: number; score: number }[]): number {
    return this.db.transaction(() => {
      const item = this.item(itemId);
      this.db.prepare(`DELETE FROM boxes WHERE item_id = ? AND status = 'proposal' AND source = ?`).run(itemId, source);
      const add = this.db.prepare(`INSERT INTO boxes (item_id, class_id, x, y, w, h, status, score, source) VALUES (?, ?, ?, ?, ?, ?, 'proposal', ?, ?)`);
      let kept = 0;
      for (const p of proposals) {
        const g = clampToImage(p, item);
        if (!g) continue;
        add.run(itemId, this.classOf(item.datasetId, p.classId).id, g.x, g.y, g.w, g.h, p.score, source);
        kept++;
      }
      this.refreshCounters([itemId]);
      return kept;
    })();
  }

  stats(datasetId: string): ImageDatasetStats {
    const q = <T>(sql: string, ...p: unknown[]) => this.db.prepare(sql).all(datasetId, ...p) as T[];
    const totals = this.db
      .prepare(
        `SELECT COUNT(*) AS images, SUM(class_id IS NOT NULL OR confirmed_boxes > 0) AS labelled, SUM(proposals) AS proposals FROM items WHERE dataset_id = ?`,
      )
      .get(datasetId) as { images: number; labelled: number | null; proposals: number | null };
    const bySplit: ImageDatasetStats['bySplit'] = { train: 0, validation: 0, test: 0, none: 0 };
    for (const r of q<{ split: Split | null; n: number }>('SELECT split, COUNT(*) AS n FROM items WHERE dataset_id = ? GROUP BY split')) bySplit[r.split ?? 'none'] = r.n;
    const images = new Map(q<{ class_id: number; n: number }>('SELECT class_id, COUNT(*) AS n FROM items WHERE dataset_id = ? AND class_id IS NOT NULL GROUP BY class_id').map((r) => [r.class_id, r.n]));
    const boxes = new Map(
      q<{ class_id: number; n: number }>(
        `SELECT b.class_id, COUNT(*) AS n FROM boxes b JOIN items i ON i.id = b.item_id WHERE i.dataset_id = ? AND b.status = 'confirmed' GROUP BY b.class_id`,
      ).map((r) => [r.class_id, r.n]),
    );
    const boxesPerImage = new Array<number>(11).fill(0);
    for (const r of q<{ n: number; c: number }>('SELECT MIN(confirmed_boxes, 10) AS n, COUNT(*) AS c FROM items WHERE dataset_id = ? GROUP BY 1'))
      boxesPerImage[r.n] = r.c;
    const sizes = q<{ small: number | null; medium: number | null; large: number | null; huge: number | null }>(
      `SELECT SUM(a < 0.01) AS small, SUM(a >= 0.01 AND a < 0.1) AS medium, SUM(a >= 0.1 AND a < 0.3) AS large, SUM(a >= 0.3) AS huge
       FROM (SELECT (b.w * b.h) / (i.width * i.height) AS a FROM boxes b JOIN items i ON i.id = b.item_id WHERE i.dataset_id = ? AND b.status = 'confirmed')`,
    )[0];
    const labelled = totals.labelled ?? 0;
    return {
      images: totals.images,
      labelled,
      unlabelled: totals.images - labelled,
      proposals: totals.proposals ?? 0,
      bySplit,
      classes: this.classes(datasetId).map((c) => ({ classId: c.id, name: c.name, color: c.color, images: images.get(c.id) ?? 0, boxes: boxes.get(c.id) ?? 0 })),
      boxesPerImage,
      boxSizes: { small: sizes?.small ?? 0, medium: sizes?.medium ?? 0, large: sizes?.large ?? 0, huge: sizes?.huge ?? 0 },
    };
  }

  /** Each image's stratum for a split: its class, else its first confirmed box's class, else none. */
  strata(datasetId: string): { id: number; stratum: number | null; split: Split | null }[] {
    return this.db
      .prepare(
        `SELECT id, split, COALESCE(class_id, (SELECT class_id FROM boxes b WHERE b.item_id = items.id AND b.status = 'confirmed' ORDER BY b.id LIMIT 1)) AS stratum
         FROM items WHERE dataset_id = ? ORDER BY position`,
      )
      .all(datasetId) as { id: number; stratum: number | null; split: Split | null }[];
  }

  private applyOne(datasetId: string, op: LabelOp, touched: Set<number>): LabelOp {
    switch (op.kind) {
      case 'batch': {
        const inverses = op.ops.map((o) => this.applyOne(datasetId, o, touched));
        return { kind: 'batch', ops: inverses.reverse() };
      }
      case 'setClass': {
        const before = this.itemsOf(datasetId, op.items.map((i) => i.itemId));
        const set = this.db.prepare('UPDATE items SET class_id = ?, reviewed = 1 WHERE id = ?');
        for (const { itemId, classId } of op.items) {
          if (classId !== null) this.classOf(datasetId, classId);
          set.run(classId, itemId);
          touched.add(itemId);
        }
        return {
          kind: 'batch',
          // setClass marks images reviewed, so the review marks are put back after it.
          ops: [
            { kind: 'setClass', items: before.map((b) => ({ itemId: b.id, classId: b.classId })) },
            { kind: 'setReviewed', items: before.map((b) => ({ itemId: b.id, reviewed: b.reviewed })) },
          ],
        };
      }
      case 'setSplit': {
        const before = this.itemsOf(datasetId, op.items.map((i) => i.itemId));
        const set = this.db.prepare('UPDATE items SET split = ? WHERE id = ?');
        for (const { itemId, split } of op.items) set.run(split, itemId);
        // Not "touched": a split changes no labels, and a whole-dataset split would send every image back.
        return { kind: 'setSplit', items: before.map((b) => ({ itemId: b.id, split: b.split })) };
      }
      case 'setReviewed': {
        const before = this.itemsOf(datasetId, op.items.map((i) => i.itemId));
        const set = this.db.prepare('UPDATE items SET reviewed = ? WHERE id = ?');
        for (const { itemId, reviewed } of op.items) {
          set.run(reviewed ? 1 : 0, itemId);
          touched.add(itemId);
        }
        return { kind: 'setReviewed', items: before.map((b) => ({ itemId: b.id, reviewed: b.reviewed })) };
      }
      case 'addBoxes': {
        const reviewed = this.reviewedState(datasetId, op.boxes.map((b) => b.itemId));
        const ids = op.boxes.map((b) => this.insertBox(datasetId, b, touched));
        return { kind: 'batch', ops: [{ kind: 'deleteBoxes', ids }, { kind: 'setReviewed', items: reviewed }] };
      }
      case 'deleteBoxes': {
        const before = this.boxesOf(datasetId, op.ids);
        this.db.prepare('DELETE FROM boxes WHERE id IN (SELECT value FROM json_each(?))').run(toJson(op.ids));
        for (const b of before) touched.add(b.itemId);
        return { kind: 'addBoxes', boxes: before.map(({ id, itemId, classId, x, y, w, h, status, score, source }) => ({ id, itemId, classId, x, y, w, h, status, score, source })) };
      }
      case 'updateBoxes': {
        const before = new Map(this.boxesOf(datasetId, op.boxes.map((b) => b.id)).map((b) => [b.id, b]));
        const reviewed = this.reviewedState(datasetId, [...before.values()].map((b) => b.itemId));
        const set = this.db.prepare('UPDATE boxes SET x = ?, y = ?, w = ?, h = ?, class_id = ?, status = ? WHERE id = ?');
        const inverse: BoxChange[] = [];
        for (const change of op.boxes) {
          const b = before.get(change.id)!;
          const next = { ...b, ...definedOnly(change) };
          if (change.classId !== undefined) this.classOf(datasetId, change.classId);
          this.checkGeometry(next, this.item(b.itemId));
          set.run(next.x, next.y, next.w, next.h, next.classId, next.status, b.id);
          touched.add(b.itemId);
          // Confirming a proposal (or editing a box) is a person's look at the image.
          this.db.prepare('UPDATE items SET reviewed = 1 WHERE id = ?').run(b.itemId);
          inverse.push({ id: b.id, x: b.x, y: b.y, w: b.w, h: b.h, classId: b.classId, status: b.status });
        }
        return { kind: 'batch', ops: [{ kind: 'updateBoxes', boxes: inverse }, { kind: 'setReviewed', items: reviewed }] };
      }
    }
  }

  /** The images' review marks as they are now, once each: part of the undo of an edit that sets them. */
  private reviewedState(datasetId: string, itemIds: number[]): { itemId: number; reviewed: boolean }[] {
    return this.itemsOf(datasetId, [...new Set(itemIds)]).map((i) => ({ itemId: i.id, reviewed: i.reviewed }));
  }

  private insertBox(datasetId: string, b: NewBox, touched: Set<number>): number {
    const item = this.itemsOf(datasetId, [b.itemId])[0]!;
    this.classOf(datasetId, b.classId);
    this.checkGeometry(b, item);
    const info = this.db
      .prepare('INSERT INTO boxes (id, item_id, class_id, x, y, w, h, status, score, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(b.id ?? null, b.itemId, b.classId, b.x, b.y, b.w, b.h, b.status, b.score, b.source);
    if (b.status === 'confirmed') this.db.prepare('UPDATE items SET reviewed = 1 WHERE id = ?').run(b.itemId);
    touched.add(b.itemId);
    return Number(info.lastInsertRowid);
  }

  private checkGeometry(b: { x: number; y: number; w: number; h: number }, item: ImageItem): void {
    // Half a pixel of slack: boxes dragged to the edge land on fractional coordinates.
    const eps = 0.5;
    if (b.w <= 0 || b.h <= 0 || b.x < -eps || b.y < -eps || b.x + b.w > item.width + eps || b.y + b.h > item.height + eps)
      throw new AppError(
        'LABEL_INVALID',
        `A box must lie inside its image (${item.width}×${item.height} px, ${item.relPath}); got x=${round(b.x)}, y=${round(b.y)}, w=${round(b.w)}, h=${round(b.h)}.`,
        { itemId: item.id },
      );
  }

  private itemsOf(datasetId: string, itemIds: number[]): ImageItem[] {
    const found = new Map(this.items(itemIds).map((i) => [i.id, i]));
    return itemIds.map((id) => {
      const it = found.get(id);
      if (!it || it.datasetId !== datasetId) throw new AppError('NOT_FOUND', `No image with id ${id} in this dataset`, { itemId: id });
      return it;
    });
  }

  private boxesOf(datasetId: string, ids: number[]): Box[] {
    const rows = this.db
      .prepare('SELECT b.*, i.dataset_id FROM boxes b JOIN items i ON i.id = b.item_id WHERE b.id IN (SELECT value FROM json_each(?))')
      .all(toJson(ids)) as (BoxRow & { dataset_id: string })[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      if (!r || r.dataset_id !== datasetId) throw new AppError('NOT_FOUND', `No box with id ${id} in this dataset`, { boxId: id });
      return boxFromRow(r);
    });
  }

  private classOf(datasetId: string, classId: number): LabelClass {
    const c = this.getClass(classId);
    if (c.datasetId !== datasetId) throw new AppError('NOT_FOUND', `No class with id ${classId} in this dataset`, { classId });
    return c;
  }

  private refreshCounters(itemIds: number[]): void {
    if (itemIds.length === 0) return;
    this.db
      .prepare(
        `UPDATE items SET
           confirmed_boxes = (SELECT COUNT(*) FROM boxes b WHERE b.item_id = items.id AND b.status = 'confirmed'),
           proposals = (SELECT COUNT(*) FROM boxes b WHERE b.item_id = items.id AND b.status = 'proposal'),
           min_score = (SELECT MIN(score) FROM boxes b WHERE b.item_id = items.id AND b.status = 'proposal')
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .run(toJson(itemIds));
  }
}

function whereOf(f: ItemFilter): { where: string; params: unknown[] } {
  const parts = ['dataset_id = ?'];
  const params: unknown[] = [f.datasetId];
  switch (f.status ?? 'all') {
    case 'unlabelled':
      parts.push('class_id IS NULL AND confirmed_boxes = 0');
      break;
    case 'labelled':
      parts.push('(class_id IS NOT NULL OR confirmed_boxes > 0)');
      break;
    case 'has-proposals':
      parts.push('proposals > 0');
      break;
    case 'unreviewed':
      parts.push('reviewed = 0');
      break;
  }
  if (f.classId !== undefined) {
    parts.push(`(class_id = ? OR EXISTS (SELECT 1 FROM boxes b WHERE b.item_id = items.id AND b.class_id = ? AND b.status = 'confirmed'))`);
    params.push(f.classId, f.classId);
  }
  if (f.split === 'none') parts.push('split IS NULL');
  else if (f.split) {
    parts.push('split = ?');
    params.push(f.split);
  }
  if (f.minScore !== undefined || f.maxScore !== undefined) {
    parts.push(`EXISTS (SELECT 1 FROM boxes b WHERE b.item_id = items.id AND b.status = 'proposal' AND b.score BETWEEN ? AND ?)`);
    params.push(f.minScore ?? 0, f.maxScore ?? 1);
  }
  if (f.search?.trim()) {
    parts.push(`rel_path LIKE ? ESCAPE '\\'`);
    params.push(`%${f.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  return { where: parts.join(' AND '), params };
}

function clampToImage(b: { x: number; y: number; w: number; h: number }, item: ImageItem): { x: number; y: number; w: number; h: number } | null {
  const x0 = Math.max(0, b.x);
  const y0 = Math.max(0, b.y);
  const x1 = Math.min(item.width, b.x + b.w);
  const y1 = Math.min(item.height, b.y + b.h);
  return x1 - x0 >= 1 && y1 - y0 >= 1 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : null;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'id')) as Partial<T>;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function itemFromRow(r: ItemRow): ImageItem {
  return {
    id: r.id, datasetId: r.dataset_id, sha256: r.sha256, ext: r.ext, relPath: r.rel_path, width: r.width, height: r.height,
    split: r.split, classId: r.class_id, frame: fromJsonOrNull(r.frame ?? undefined), confirmedBoxes: r.confirmed_boxes,
    proposals: r.proposals, minProposalScore: r.min_score, reviewed: r.reviewed === 1,
  };
}

function boxFromRow(r: BoxRow): Box {
  return { id: r.id, itemId: r.item_id, classId: r.class_id, x: r.x, y: r.y, w: r.w, h: r.h, status: r.status, score: r.score, source: r.source };
}

function classFromRow(r: ClassRow): LabelClass {
  return { id: r.id, datasetId: r.dataset_id, name: r.name, key: r.key, color: r.color, position: r.position };
}
