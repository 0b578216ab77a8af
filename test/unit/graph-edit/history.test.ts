/** Undo history: steps, labels, coalescing of typing and drags, the cap, and copies that callers cannot corrupt. */
import { describe, expect, it } from 'vitest';
import { GraphHistory, addLayer, moveNodes, setParam } from '../../../shared/graph-edit/index.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { j1, names } from './graphs.js';

/** A history on a clock the test moves by hand. */
function timed(initial: ModelGraph, options: { limit?: number; coalesceMs?: number } = {}) {
  let t = 0;
  const history = new GraphHistory(initial, { ...options, now: () => t });
  return { history, tick: (ms: number) => (t += ms) };
}

const units = (g: ModelGraph | null) => g?.nodes.find((n) => n.id === 'n3')?.config['units'];

describe('GraphHistory', () => {
  it('undoes and redoes steps, saying what each will undo', () => {
    const h = new GraphHistory(j1());
    expect(h.canUndo).toBe(false);
    expect(h.undoLabel).toBeNull();
    const a = addLayer(j1(), 'Dense');
    h.push(a.graph, a.label);
    const b = addLayer(a.graph, 'Dropout');
    h.push(b.graph, b.label);
    expect(h.undoLabel).toBe('Undo add Dropout');
    expect(names(h.undo()!)).toEqual(['input', 'lstm', 'dense', 'dense_2']);
    expect(h.undoLabel).toBe('Undo add Dense');
    expect(h.redoLabel).toBe('Redo add Dropout');
    expect(names(h.undo()!)).toEqual(['input', 'lstm', 'dense']);
    expect(h.canUndo).toBe(false);
    expect(h.undo()).toBeNull();
    expect(names(h.redo()!)).toEqual(['input', 'lstm', 'dense', 'dense_2']);
    expect(h.depth).toEqual({ undo: 1, redo: 1 });
  });

  it('a new edit after an undo drops the redo branch', () => {
    const h = new GraphHistory(j1());
    h.push(addLayer(j1(), 'Dense').graph, 'add Dense');
    h.undo();
    h.push(addLayer(j1(), 'Dropout').graph, 'add Dropout');
    expect(h.canRedo).toBe(false);
    expect(h.undoLabel).toBe('Undo add Dropout');
  });

  it('ignores a push that changes nothing', () => {
    const h = new GraphHistory(j1());
    expect(h.push(j1(), 'nothing')).toBe(false);
    expect(h.canUndo).toBe(false);
  });

  it('typing in one field is one step; a pause, another field or an undo starts a new one', () => {
    const { history: h, tick } = timed(j1());
    let g = j1();
    for (const v of [6, 64, 640]) {
      const e = setParam(g, 'n3', 'units', v);
      g = e.graph;
      h.push(e.graph, e.label, { coalesceKey: e.coalesceKey });
      tick(200);
    }
    expect(h.depth.undo).toBe(1);
    expect(h.undoLabel).toBe('Undo set units of dense');
    expect(units(h.current)).toBe(640);
    tick(5000);
    const later = setParam(g, 'n3', 'units', 7);
    h.push(later.graph, later.label, { coalesceKey: later.coalesceKey });
    expect(h.depth.undo).toBe(2);
    const other = setParam(later.graph, 'n3', 'activation', 'relu');
    h.push(other.graph, other.label, { coalesceKey: other.coalesceKey });
    expect(h.depth.undo).toBe(3);
    expect(units(h.undo())).toBe(7);
    expect(units(h.undo())).toBe(640);
    expect(units(h.undo())).toBe(1);
  });

  it('seal() ends a run: the same field typed again after blur is a new step', () => {
    const h = new GraphHistory(j1());
    const a = setParam(j1(), 'n3', 'units', 2);
    h.push(a.graph, a.label, { coalesceKey: a.coalesceKey });
    h.seal();
    const b = setParam(a.graph, 'n3', 'units', 3);
    h.push(b.graph, b.label, { coalesceKey: b.coalesceKey });
    expect(h.depth.undo).toBe(2);
  });

  it('typing a value and then the old value back leaves no step', () => {
    const h = new GraphHistory(j1());
    const a = setParam(j1(), 'n3', 'units', 12);
    h.push(a.graph, a.label, { coalesceKey: a.coalesceKey });
    const b = setParam(a.graph, 'n3', 'units', 1);
    h.push(b.graph, b.label, { coalesceKey: b.coalesceKey });
    expect(h.canUndo).toBe(false);
  });

  it('a drag is one step however long it lasts (coalesceMs: Infinity, sealed at the end)', () => {
    const { history: h, tick } = timed(j1());
    let g = j1();
    for (let x = 0; x <= 100; x += 10) {
      const e = moveNodes(g, { n2: { x, y: 0 } });
      g = e.graph;
      h.push(e.graph, e.label, { coalesceKey: e.coalesceKey, coalesceMs: Infinity });
      tick(3000);
    }
    h.seal();
    expect(h.depth.undo).toBe(1);
    expect(h.undoLabel).toBe('Undo move lstm');
    expect(h.undo()!.nodes[1]!.position).toEqual(j1().nodes[1]!.position);
    // The next drag of the same layer is its own step.
    h.redo();
    const next = moveNodes(g, { n2: { x: 500, y: 0 } });
    h.push(next.graph, next.label, { coalesceKey: next.coalesceKey, coalesceMs: Infinity });
    expect(h.depth.undo).toBe(2);
  });

  it('keeps at most `limit` steps, dropping the oldest', () => {
    const h = new GraphHistory(j1(), { limit: 3 });
    let g = j1();
    for (let i = 0; i < 5; i++) {
      const e = addLayer(g, 'Dense');
      g = e.graph;
      h.push(e.graph, `add layer ${i + 1}`);
    }
    expect(h.depth).toEqual({ undo: 3, redo: 0 });
    while (h.canUndo) h.undo();
    // The oldest state kept is after the second addition.
    expect(h.current.nodes).toHaveLength(5);
    expect(h.redoLabel).toBe('Redo add layer 3');
  });

  it('has a default cap of 200 steps', () => {
    const h = new GraphHistory(j1());
    let g = j1();
    for (let i = 0; i < 210; i++) {
      g = setParam(g, 'n3', 'units', i + 2).graph;
      h.push(g, 'set units');
    }
    expect(h.depth.undo).toBe(200);
  });

  it('keeps its own copies: changing a pushed or returned graph does not change history', () => {
    const h = new GraphHistory(j1());
    const a = addLayer(j1(), 'Dense').graph;
    h.push(a, 'add Dense');
    a.nodes[0]!.name = 'changed';
    const shown = h.undo()!;
    shown.nodes.length = 0;
    expect(names(h.redo()!)).toEqual(['input', 'lstm', 'dense', 'dense_2']);
    expect(names(h.undo()!)).toEqual(['input', 'lstm', 'dense']);
  });

  it('reset forgets every step', () => {
    const h = new GraphHistory(j1());
    h.push(addLayer(j1(), 'Dense').graph, 'add Dense');
    h.reset(j1());
    expect(h.canUndo || h.canRedo).toBe(false);
  });
});
