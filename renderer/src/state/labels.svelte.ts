/**
 * The Label view's state: one image dataset's images (fetched in pages as the grid scrolls), the
 * current image and its boxes, the selection, and every edit with its undo. Each edit is sent to
 * the core at once (saved in SQLite before the call returns); the core answers with the op that
 * undoes it, kept on the undo stack for as long as the project is open.
 */
import type { ApiClient } from '../../../shared/api/client.js';
import type { ApplyResult, LabelOp, NewBox, PrelabelProgress, ProposerInfo } from '../../../shared/api/labels.js';
import { SvelteSet } from 'svelte/reactivity';
import { History, nudgeKey } from '../../../shared/labels/history.js';
import type { Box, BoxGeometry, ImageDatasetStats, ImageItem, ItemFilter, LabelClass } from '../../../shared/images.js';

export const PAGE_SIZE = 200;

/**
 * The op as it can be re-applied exactly: boxes it added carry the ids the core gave them, so a
 * redo brings back the same boxes and later steps that name them still apply.
 */
export function exactOp(op: LabelOp, inverse: LabelOp): LabelOp {
  if (op.kind !== 'addBoxes') return op;
  const del = inverse.kind === 'deleteBoxes' ? inverse : inverse.kind === 'batch' ? inverse.ops.find((o) => o.kind === 'deleteBoxes') : undefined;
  if (!del || del.kind !== 'deleteBoxes' || del.ids.length !== op.boxes.length) return op;
  return { kind: 'addBoxes', boxes: op.boxes.map((b, i) => ({ ...b, id: del.ids[i]! })) };
}

export class LabelState {
  datasetId = $state<string | null>(null);
  filter = $state<Omit<ItemFilter, 'datasetId'>>({ status: 'all', sort: 'added' });
  total = $state(0);
  classes = $state.raw<LabelClass[]>([]);
  stats = $state.raw<ImageDatasetStats | null>(null);

  /** Pages of the filtered list, by page number; a page is fetched when the grid or the navigation needs it. */
  // Raw (not deeply proxied): pages are replaced whole, and 50,000 proxied items would make every
  // read of the grid and every "next image" pay for the proxies.
  private pages = $state.raw<Record<number, ImageItem[]>>({});
  // Bookkeeping, not state: nothing on screen reads it.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private loading = new Map<number, Promise<void>>();
  /** Bumped when the filter changes, so answers to an older filter are dropped. */
  private generation = 0;

  /** Index of the current image in the filtered list; -1 for none. */
  index = $state(-1);
  current = $state.raw<ImageItem | null>(null);
  boxes = $state.raw<Box[]>([]);
  selectedBoxId = $state<number | null>(null);
  /** Images picked in the grid (ids), for labelling many at once. */
  readonly selection = new SvelteSet<number>();
  activeClassId = $state<number | null>(null);
  showBoxes = $state(true);
  /** Proposals at or above it are accepted by "accept all"; below it they are drawn faint. */
  threshold = $state(0.5);

  // A cache read when an image becomes current; what is on screen is `boxes`.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private boxCache = new Map<number, Box[]>();
  private readonly history = new History<LabelOp>();
  /** Bumped on every history change: History is plain TS, this makes canUndo/canRedo reactive. */
  private historyVersion = $state(0);

  proposers = $state<ProposerInfo[]>([]);
  prelabel = $state<PrelabelProgress | null>(null);

  /** The last failure, for the view's banner. */
  error = $state<string | null>(null);

  constructor(private readonly api: ApiClient) {
    api.on('prelabel.progress', (p) => {
      if (p.datasetId !== this.datasetId) return;
      this.prelabel = p;
      // New proposals change counters and the current image's boxes: refresh what is on screen now and then.
      if (p.finished || p.done % 25 === 0) void this.refreshAfterPrelabel();
    });
  }

  get canUndo(): boolean {
    void this.historyVersion;
    return this.history.canUndo;
  }
  get canRedo(): boolean {
    void this.historyVersion;
    return this.history.canRedo;
  }

  /** The item at an index of the filtered list, if its page has arrived. */
  itemAt(index: number): ImageItem | undefined {
    return this.pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
  }

  classById(id: number | null): LabelClass | undefined {
    return id === null ? undefined : this.classes.find((c) => c.id === id);
  }

  // ── Loading ───────────────────────────────────────────────────────────────────────────

  /** Forgets everything: another project was opened. */
  reset(): void {
    this.datasetId = null;
    this.history.clear();
    this.historyVersion++;
    this.selection.clear();
    this.boxCache.clear();
    this.pages = {};
    this.total = 0;
    this.index = -1;
    this.current = null;
    this.boxes = [];
    this.classes = [];
    this.stats = null;
    this.prelabel = null;
    this.activeClassId = null;
  }

  /** Opens a dataset (or re-opens the same one, keeping the undo stack). */
  async open(datasetId: string): Promise<void> {
    if (this.datasetId !== datasetId) {
      this.datasetId = datasetId;
      this.history.clear();
      this.historyVersion++;
      this.selection.clear();
      this.boxCache.clear();
      this.filter = { status: 'all', sort: 'added' };
      this.index = -1;
      this.current = null;
      this.boxes = [];
    }
    const [classes, proposers] = await Promise.all([this.api.labels.classes({ datasetId }), this.api.labels.proposers({ datasetId })]);
    this.classes = classes;
    this.proposers = proposers;
    this.activeClassId ??= classes[0]?.id ?? null;
    if (this.activeClassId !== null && !classes.some((c) => c.id === this.activeClassId)) this.activeClassId = classes[0]?.id ?? null;
    await this.reload();
  }

  /** Re-reads the filtered list from the start (after a filter change). */
  async reload(): Promise<void> {
    if (!this.datasetId) return;
    this.generation++;
    this.pages = {};
    this.loading.clear();
    await this.ensurePage(0);
    void this.refreshStats();
    if (this.total === 0) {
      this.index = -1;
      this.current = null;
      this.boxes = [];
    } else if (this.index < 0 || this.index >= this.total) await this.go(0);
    else await this.go(this.index);
  }

  async setFilter(patch: Partial<Omit<ItemFilter, 'datasetId'>>): Promise<void> {
    this.filter = { ...this.filter, ...patch };
    this.index = 0;
    await this.reload();
  }

  /** Fetches the pages covering [from, to) that are not here yet. */
  async ensureRange(from: number, to: number): Promise<void> {
    const first = Math.max(0, Math.floor(from / PAGE_SIZE));
    const last = Math.floor(Math.max(from, to - 1) / PAGE_SIZE);
    const waits: Promise<void>[] = [];
    for (let p = first; p <= last; p++) waits.push(this.ensurePage(p));
    await Promise.all(waits);
  }

  private ensurePage(page: number): Promise<void> {
    if (!this.datasetId) return Promise.resolve();
    if (this.pages[page]) return Promise.resolve();
    const inFlight = this.loading.get(page);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const job = this.api.labels
      .items({ filter: { ...this.filter, datasetId: this.datasetId }, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
      .then((res) => {
        if (generation !== this.generation) return;
        this.total = res.total;
        this.pages = { ...this.pages, [page]: res.items };
      })
      .finally(() => this.loading.delete(page));
    this.loading.set(page, job);
    return job;
  }

  async refreshStats(): Promise<void> {
    if (!this.datasetId) return;
    // Counts are a nicety: when the server is gone the banner says so, and the old counts stay.
    const stats = await this.api.labels.stats({ datasetId: this.datasetId }).catch(() => null);
    if (stats) this.stats = stats;
  }

  private statsTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * The counts after an edit, once edits pause: the statistics scan the whole dataset, and a
   * labeller pressing keys several times a second must not make the core run them per press.
   */
  private refreshStatsSoon(): void {
    clearTimeout(this.statsTimer);
    this.statsTimer = setTimeout(() => void this.refreshStats(), 400);
  }

  private async refreshAfterPrelabel(): Promise<void> {
    // The core adds the proposer's classes ("person") to the dataset when they are missing.
    if (this.datasetId) {
      this.classes = await this.api.labels.classes({ datasetId: this.datasetId });
      this.activeClassId ??= this.classes[0]?.id ?? null;
    }
    if (this.current) {
      this.boxCache.delete(this.current.id);
      const { item, boxes } = await this.api.labels.item({ itemId: this.current.id });
      this.replaceItems([item]);
      if (this.current?.id === item.id) this.boxes = boxes;
    }
    // Counters on the tiles: re-read the pages on screen.
    this.generation++;
    const pages = Object.keys(this.pages).map(Number);
    this.pages = {};
    await Promise.all(pages.map((p) => this.ensurePage(p)));
    void this.refreshStats();
  }

  // ── Navigation ────────────────────────────────────────────────────────────────────────

  /** Makes the image at `index` current; its boxes come from the cache when prefetched. */
  async go(index: number): Promise<void> {
    if (this.total === 0) return;
    const i = Math.max(0, Math.min(this.total - 1, index));
    await this.ensureRange(i, i + 1);
    const item = this.itemAt(i);
    if (!item) return;
    this.index = i;
    this.current = item;
    this.selectedBoxId = null;
    const cached = this.boxCache.get(item.id);
    if (cached) this.boxes = cached;
    else {
      const boxes = await this.api.labels.boxes({ itemIds: [item.id] });
      this.boxCache.set(item.id, boxes);
      if (this.current?.id === item.id) this.boxes = boxes;
    }
    void this.prefetch(i);
  }

  next(): Promise<void> {
    return this.go(this.index + 1);
  }
  previous(): Promise<void> {
    return this.go(this.index - 1);
  }

  /** The boxes of the next few images, so "next" draws at once. */
  private async prefetch(i: number): Promise<void> {
    await this.ensureRange(i, Math.min(this.total, i + 4));
    const ids: number[] = [];
    for (let k = i - 1; k <= i + 3; k++) {
      const it = this.itemAt(k);
      if (it && !this.boxCache.has(it.id)) ids.push(it.id);
    }
    if (ids.length === 0) return;
    const boxes = await this.api.labels.boxes({ itemIds: ids });
    for (const id of ids) this.boxCache.set(id, boxes.filter((b) => b.itemId === id));
  }

  // ── Edits ─────────────────────────────────────────────────────────────────────────────

  /**
   * Applies an edit and puts its undo on the stack. Edits with the same `coalesce` key in quick
   * succession (arrow-key nudges of one box) undo as one step.
   */
  async apply(op: LabelOp, opts: { coalesce?: string } = {}): Promise<ApplyResult | undefined> {
    const res = await this.send(op);
    if (res) this.pushStep(op, res, opts.coalesce);
    return res;
  }

  private pushStep(op: LabelOp, res: ApplyResult, coalesce?: string): void {
    if (!res.inverse) return;
    this.history.push(exactOp(op, res.inverse), res.inverse, coalesce ? { coalesceKey: coalesce } : {});
    this.historyVersion++;
  }

  async undo(): Promise<void> {
    const op = this.history.undo();
    if (!op) return;
    if (!(await this.send(op))) this.history.revert('undo');
    this.historyVersion++;
  }

  async redo(): Promise<void> {
    const op = this.history.redo();
    if (!op) return;
    if (!(await this.send(op))) this.history.revert('redo');
    this.historyVersion++;
  }

  /** Ends a run of nudges that undo as one (another box or image was chosen). */
  sealHistory(): void {
    this.history.seal();
  }

  private async send(op: LabelOp): Promise<ApplyResult | undefined> {
    if (!this.datasetId) return undefined;
    try {
      const res = await this.api.labels.apply({ datasetId: this.datasetId, op });
      this.absorb(res);
      this.error = null;
      return res;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return undefined;
    }
  }

  /** Puts the core's answer on screen: touched images in their pages, their boxes in the cache. */
  private absorb(res: ApplyResult): void {
    this.replaceItems(res.items);
    for (const it of res.items) this.boxCache.set(it.id, res.boxes.filter((b) => b.itemId === it.id));
    if (this.current) {
      const mine = this.boxCache.get(this.current.id);
      if (mine && res.items.some((i) => i.id === this.current!.id)) this.boxes = mine;
    }
    if (this.selectedBoxId !== null && !this.boxes.some((b) => b.id === this.selectedBoxId)) this.selectedBoxId = null;
    this.refreshStatsSoon();
  }

  private replaceItems(items: ImageItem[]): void {
    if (items.length === 0) return;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, never kept
    const byId = new Map(items.map((i) => [i.id, i]));
    const pages: Record<number, ImageItem[]> = {};
    for (const [k, page] of Object.entries(this.pages)) pages[Number(k)] = page.some((i) => byId.has(i.id)) ? page.map((i) => byId.get(i.id) ?? i) : page;
    this.pages = pages;
    if (this.current && byId.has(this.current.id)) this.current = byId.get(this.current.id)!;
  }

  /** Labels the selected images, or else the current one, with a class (null clears it); advances when labelling one. */
  async labelWith(classId: number | null, opts: { advance?: boolean } = {}): Promise<void> {
    const ids = this.selection.size > 0 ? [...this.selection] : this.current ? [this.current.id] : [];
    if (ids.length === 0) return;
    await this.apply({ kind: 'setClass', items: ids.map((itemId) => ({ itemId, classId })) });
    if (classId !== null) this.activeClassId = classId;
    if (ids.length === 1 && this.selection.size === 0 && opts.advance !== false) await this.next();
  }

  async addBox(geom: BoxGeometry): Promise<void> {
    if (!this.current) return;
    const classId = this.activeClassId ?? (await this.ensureClass('object'));
    const res = await this.apply(
      { kind: 'addBoxes', boxes: [{ itemId: this.current.id, classId, ...geom, status: 'confirmed', score: null, source: null }] },
    );
    const made = res?.boxes.filter((b) => b.itemId === this.current?.id).at(-1);
    if (made) this.selectedBoxId = made.id;
  }

  /** Moves, resizes or reclassifies a box; `nudge` makes a run of arrow presses one undo step. */
  async changeBox(id: number, geom: Partial<BoxGeometry> & { classId?: number }, opts: { nudge?: boolean } = {}): Promise<void> {
    const box = this.boxes.find((b) => b.id === id);
    // Adjusting a proposal makes it a person's box.
    await this.apply({ kind: 'updateBoxes', boxes: [{ id, ...geom, ...(box?.status === 'proposal' ? { status: 'confirmed' as const } : {}) }] }, opts.nudge ? { coalesce: nudgeKey(id) } : {});
  }

  async deleteBox(id: number): Promise<void> {
    await this.apply({ kind: 'deleteBoxes', ids: [id] });
  }

  async acceptProposal(id: number): Promise<void> {
    await this.apply({ kind: 'updateBoxes', boxes: [{ id, status: 'confirmed' }] });
  }

  /** Accepts the proposals at or above the threshold on the current image (or the selection, or the whole dataset). */
  async acceptAbove(scope: 'current' | 'selection' | 'dataset'): Promise<number> {
    if (!this.datasetId) return 0;
    const itemIds = scope === 'current' ? (this.current ? [this.current.id] : []) : scope === 'selection' ? [...this.selection] : undefined;
    if (itemIds && itemIds.length === 0) return 0;
    try {
      const res = await this.api.labels.acceptProposals({ datasetId: this.datasetId, minScore: this.threshold, itemIds });
      this.absorb(res);
      if (res.op) this.pushStep(res.op, res);
      const n = res.boxes.filter((b) => b.status === 'confirmed').length;
      if (scope === 'dataset') await this.reload();
      return n;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return 0;
    }
  }

  /** R: the previous image's confirmed boxes, copied onto this one (frames of a video change little). */
  async copyFromPrevious(): Promise<void> {
    if (!this.current || this.index <= 0) return;
    const prev = this.itemAt(this.index - 1) ?? (await this.ensureRange(this.index - 1, this.index), this.itemAt(this.index - 1));
    if (!prev) return;
    const boxes = this.boxCache.get(prev.id) ?? (await this.api.labels.boxes({ itemIds: [prev.id] }));
    const item = this.current;
    const copies: NewBox[] = boxes
      .filter((b) => b.status === 'confirmed')
      .map((b) => {
        // Scaled when the two images differ in size, and kept inside this one.
        const sx = item.width / prev.width;
        const sy = item.height / prev.height;
        const x = Math.min(b.x * sx, item.width - 1);
        const y = Math.min(b.y * sy, item.height - 1);
        return { itemId: item.id, classId: b.classId, x, y, w: Math.min(b.w * sx, item.width - x), h: Math.min(b.h * sy, item.height - y), status: 'confirmed', score: null, source: null };
      });
    if (copies.length === 0) {
      this.error = `The previous image (${prev.relPath}) has no confirmed boxes to copy.`;
      return;
    }
    await this.apply({ kind: 'addBoxes', boxes: copies });
  }

  async markReviewed(): Promise<void> {
    if (!this.current) return;
    await this.apply({ kind: 'setReviewed', items: [{ itemId: this.current.id, reviewed: true }] });
  }

  // ── Classes, split, pre-label ───────────────────────────────────────────────────────────

  async addClass(name: string): Promise<LabelClass | undefined> {
    if (!this.datasetId) return undefined;
    try {
      const c = await this.api.labels.addClass({ datasetId: this.datasetId, name });
      this.classes = [...this.classes, c];
      this.activeClassId = c.id;
      return c;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return undefined;
    }
  }

  async updateClass(classId: number, patch: { name?: string; key?: string | null; color?: string }): Promise<void> {
    try {
      await this.api.labels.updateClass({ classId, ...patch });
      if (this.datasetId) this.classes = await this.api.labels.classes({ datasetId: this.datasetId });
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  private async ensureClass(name: string): Promise<number> {
    const found = this.classes.find((c) => c.name === name);
    if (found) return found.id;
    const made = await this.addClass(name);
    if (!made) throw new Error(this.error ?? `Could not add class ${name}`);
    return made.id;
  }

  async split(opts: { seed: number; validationFraction: number; testFraction: number }): Promise<void> {
    if (!this.datasetId) return;
    try {
      const res = await this.api.labels.split({ datasetId: this.datasetId, ...opts });
      if (res.op) this.pushStep(res.op, res);
      await this.reload();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async startPrelabel(opts: { proposer?: string; scope: 'all' | 'selection' | 'unlabelled' }): Promise<void> {
    if (!this.datasetId) return;
    try {
      const itemIds =
        opts.scope === 'selection' ? [...this.selection] : opts.scope === 'unlabelled' ? await this.api.labels.itemIds({ filter: { datasetId: this.datasetId, status: 'unlabelled' } }) : undefined;
      const { jobId } = await this.api.labels.prelabel({ datasetId: this.datasetId, proposer: opts.proposer, itemIds });
      this.prelabel = { jobId, datasetId: this.datasetId, done: 0, total: itemIds?.length ?? this.total, proposals: 0, imagesPerSec: 0, finished: false };
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  async cancelPrelabel(): Promise<void> {
    if (this.prelabel && !this.prelabel.finished) await this.api.labels.cancelPrelabel({ jobId: this.prelabel.jobId });
  }

  // ── Selection ───────────────────────────────────────────────────────────────────────────

  select(index: number, mode: { shift?: boolean; ctrl?: boolean } = {}): void {
    const item = this.itemAt(index);
    if (!item) return;
    if (mode.shift && this.index >= 0) {
      const [a, b] = [Math.min(this.index, index), Math.max(this.index, index)];
      for (let k = a; k <= b; k++) {
        const it = this.itemAt(k);
        if (it) this.selection.add(it.id);
      }
    } else if (mode.ctrl) {
      if (this.selection.has(item.id)) this.selection.delete(item.id);
      else this.selection.add(item.id);
    } else this.selection.clear();
    void this.go(index);
  }

  async selectAll(): Promise<void> {
    if (!this.datasetId) return;
    const ids = await this.api.labels.itemIds({ filter: { ...this.filter, datasetId: this.datasetId } });
    this.selection.clear();
    for (const id of ids) this.selection.add(id);
  }

  clearSelection(): void {
    this.selection.clear();
  }
}
