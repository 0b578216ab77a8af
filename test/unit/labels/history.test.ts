/** The labelling undo stack: it hands back the op to apply, coalesces nudges, caps its size. */
import { describe, expect, it } from 'vitest';
import { History, nudgeKey } from '../../../shared/labels/history.js';

type Op = { set: number; to: number };
/** Ops that set box `set`'s x to `to`; the "store" is one map the test applies ops to. */
function setup(options: { limit?: number; coalesceMs?: number } = {}) {
  let t = 0;
  const h = new History<Op>({ ...options, now: () => t });
  const xs = new Map<number, number>([[1, 0], [2, 0]]);
  const apply = (op: Op | null) => {
    if (op) xs.set(op.set, op.to);
  };
  const edit = (id: number, to: number, key?: string) => {
    const inverse = { set: id, to: xs.get(id)! };
    const op = { set: id, to };
    apply(op);
    h.push(op, inverse, key === undefined ? {} : { coalesceKey: key });
  };
  return { h, xs, apply, edit, tick: (ms: number) => (t += ms) };
}

describe('History', () => {
  it('undo hands back the inverse to apply, redo the op', () => {
    const { h, xs, apply, edit } = setup();
    expect(h.canUndo).toBe(false);
    expect(h.undo()).toBeNull();
    edit(1, 5);
    edit(1, 9);
    expect(h.undo()).toEqual({ set: 1, to: 5 });
    apply({ set: 1, to: 5 });
    apply(h.undo());
    expect(xs.get(1)).toBe(0);
    expect(h.canUndo).toBe(false);
    apply(h.redo());
    expect(xs.get(1)).toBe(5);
    apply(h.redo());
    expect(xs.get(1)).toBe(9);
    expect(h.redo()).toBeNull();
  });

  it('a new edit after an undo drops what could be redone', () => {
    const { h, apply, edit } = setup();
    edit(1, 5);
    apply(h.undo());
    edit(2, 7);
    expect(h.canRedo).toBe(false);
    expect(h.depth).toEqual({ undo: 1, redo: 0 });
  });

  it('a run of nudges of one box undoes in one step, back to where it started', () => {
    const { h, xs, apply, edit, tick } = setup();
    for (let i = 1; i <= 10; i++) {
      edit(1, i, nudgeKey(1));
      tick(100);
    }
    expect(h.depth.undo).toBe(1);
    apply(h.undo());
    expect(xs.get(1)).toBe(0);
    apply(h.redo());
    expect(xs.get(1)).toBe(10);
  });

  it('nudges of another box, a pause, a plain edit, an undo or seal() start a new step', () => {
    const { h, edit, tick, apply } = setup({ coalesceMs: 1000 });
    edit(1, 1, nudgeKey(1));
    edit(2, 1, nudgeKey(2));
    expect(h.depth.undo).toBe(2);
    edit(2, 2, nudgeKey(2));
    expect(h.depth.undo).toBe(2);
    tick(1500);
    edit(2, 3, nudgeKey(2));
    expect(h.depth.undo).toBe(3);
    edit(2, 4);
    edit(2, 5, nudgeKey(2));
    expect(h.depth.undo).toBe(5);
    h.seal();
    edit(2, 6, nudgeKey(2));
    expect(h.depth.undo).toBe(6);
    apply(h.undo());
    apply(h.redo());
    edit(2, 7, nudgeKey(2));
    expect(h.depth.undo).toBe(7);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    const { h, xs, apply, edit } = setup({ limit: 3 });
    for (let i = 1; i <= 5; i++) edit(1, i);
    expect(h.depth.undo).toBe(3);
    while (h.canUndo) apply(h.undo());
    expect(xs.get(1)).toBe(2);
  });

  it('revert() puts a step back when the core refused the op', () => {
    const { h, edit } = setup();
    edit(1, 5);
    expect(h.undo()).toEqual({ set: 1, to: 0 });
    h.revert('undo');
    expect(h.depth).toEqual({ undo: 1, redo: 0 });
    expect(h.undo()).toEqual({ set: 1, to: 0 });
    expect(h.redo()).toEqual({ set: 1, to: 5 });
    h.revert('redo');
    expect(h.depth).toEqual({ undo: 0, redo: 1 });
  });

  it('clear() forgets everything', () => {
    const { h, edit } = setup();
    edit(1, 5);
    h.clear();
    expect(h.canUndo).toBe(false);
    expect(h.canRedo).toBe(false);
  });
});
