/**
 * Undo and redo for labelling, as a stack of applied ops each with its inverse. The history
 * applies nothing itself: undo() and redo() hand back the op to send to the core (which applies
 * it in one transaction), so the store stays the only place data changes.
 *
 * Unlike the graph editor's snapshot history (shared/graph-edit/history.ts), labelling edits
 * touch one row of a dataset that may hold 50,000 images, so a step is an (op, inverse) pair.
 */

export interface LabelHistoryOptions {
  /** Most undo steps kept; the oldest go first. */
  limit?: number;
  /** Pushes with the same coalesceKey closer together than this become one step. */
  coalesceMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

interface Step<Op> {
  op: Op;
  inverse: Op;
  key?: string;
  time: number;
}

export const LABEL_HISTORY_LIMIT = 500;
export const LABEL_COALESCE_MS = 1500;

/** The coalescing key for nudges of one box: a run of arrow presses undoes in one step. */
export function nudgeKey(boxId: number): string {
  return `nudge:${boxId}`;
}

export class History<Op> {
  private steps: Step<Op>[] = [];
  /** How many steps are applied: steps[0, index) can be undone, steps[index, …) redone. */
  private index = 0;
  private sealed = true;
  private readonly limit: number;
  private readonly coalesceMs: number;
  private readonly now: () => number;

  constructor(options: LabelHistoryOptions = {}) {
    this.limit = Math.max(1, options.limit ?? LABEL_HISTORY_LIMIT);
    this.coalesceMs = options.coalesceMs ?? LABEL_COALESCE_MS;
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * Records an op that has been applied, with the op that undoes it. Drops anything that could be
   * redone. With a `coalesceKey` equal to the previous push's (and within coalesceMs, with no
   * undo, redo or seal() between), the two become one step: the first push's inverse and the
   * latest op. That is right for ops that set absolute values (a box's geometry), which nudges do.
   */
  push(op: Op, inverse: Op, options: { coalesceKey?: string } = {}): void {
    const time = this.now();
    const key = options.coalesceKey;
    const top = this.index > 0 ? this.steps[this.index - 1] : undefined;
    this.steps.length = this.index;
    if (key !== undefined && top && !this.sealed && top.key === key && time - top.time <= this.coalesceMs) {
      top.op = op;
      top.time = time;
      return;
    }
    this.steps.push({ op, inverse, ...(key !== undefined ? { key } : {}), time });
    if (this.steps.length > this.limit) this.steps.splice(0, this.steps.length - this.limit);
    this.index = this.steps.length;
    this.sealed = key === undefined;
  }

  /** Ends a run of coalescing pushes (the selection changed, the user moved to another image). */
  seal(): void {
    this.sealed = true;
  }

  get canUndo(): boolean {
    return this.index > 0;
  }

  get canRedo(): boolean {
    return this.index < this.steps.length;
  }

  /** The op that undoes the last step (apply it), or null when there is nothing to undo. */
  undo(): Op | null {
    if (!this.canUndo) return null;
    this.sealed = true;
    return this.steps[--this.index]!.inverse;
  }

  /** The op that redoes the last undone step (apply it), or null when there is nothing to redo. */
  redo(): Op | null {
    if (!this.canRedo) return null;
    this.sealed = true;
    return this.steps[this.index++]!.op;
  }

  /**
   * Takes back the last undo or redo, for when the core refused to apply the op it returned
   * (the step stays where it was, so the user can try again).
   */
  revert(direction: 'undo' | 'redo'): void {
    if (direction === 'undo' && this.index < this.steps.length) this.index++;
    else if (direction === 'redo' && this.index > 0) this.index--;
  }

  /** Forgets every step (another dataset was opened). */
  clear(): void {
    this.steps = [];
    this.index = 0;
    this.sealed = true;
  }

  /** How many steps can be undone and redone. */
  get depth(): { undo: number; redo: number } {
    return { undo: this.index, redo: this.steps.length - this.index };
  }
}
