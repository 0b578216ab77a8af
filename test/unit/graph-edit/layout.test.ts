/** Automatic layout: rows top to bottom, no overlaps, every layer below its inputs, deterministic. */
import { describe, expect, it } from 'vitest';
import { NODE_SIZE, addLayer, connect, fitBounds, layoutGraph } from '../../../shared/graph-edit/index.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { j1, twoBranches } from './graphs.js';

function pos(g: ModelGraph, name: string) {
  return g.nodes.find((n) => n.name === name)!.position!;
}

function overlaps(g: ModelGraph): string[] {
  const out: string[] = [];
  g.nodes.forEach((a, i) =>
    g.nodes.slice(i + 1).forEach((b) => {
      const p = a.position!;
      const q = b.position!;
      if (Math.abs(p.x - q.x) < NODE_SIZE.width && Math.abs(p.y - q.y) < NODE_SIZE.height) out.push(`${a.name}/${b.name}`);
    }),
  );
  return out;
}

function belowInputs(g: ModelGraph): string[] {
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  return g.edges
    .filter((e) => byId.get(e.target)!.position!.y < byId.get(e.source)!.position!.y + NODE_SIZE.height)
    .map((e) => `${byId.get(e.source)!.name} → ${byId.get(e.target)!.name}`);
}

describe('layoutGraph', () => {
  it('J3: two inputs side by side, each branch under its input, the merge centred between, Dense under it', () => {
    const g = layoutGraph(twoBranches());
    expect(overlaps(g)).toEqual([]);
    expect(belowInputs(g)).toEqual([]);
    expect(pos(g, 'input').y).toBe(pos(g, 'input_2').y);
    expect(pos(g, 'dense').x).toBe(pos(g, 'input').x);
    expect(pos(g, 'dense_2').x).toBe(pos(g, 'input_2').x);
    expect(pos(g, 'concatenate').x).toBe((pos(g, 'dense').x + pos(g, 'dense_2').x) / 2);
    expect(pos(g, 'dense_3').x).toBe(pos(g, 'concatenate').x);
    expect(Math.min(...g.nodes.map((n) => n.position!.x))).toBe(0);
  });

  it('is deterministic and ignores the positions it starts from', () => {
    const a = layoutGraph(twoBranches());
    const scrambled = twoBranches();
    scrambled.nodes.forEach((n, i) => (n.position = { x: 1000 - i * 37, y: i * 13 }));
    expect(layoutGraph(scrambled)).toEqual(a);
    expect(layoutGraph(twoBranches())).toEqual(a);
  });

  it('a chain is one column', () => {
    const g = layoutGraph(j1());
    expect(new Set(g.nodes.map((n) => n.position!.x)).size).toBe(1);
    expect(g.nodes.map((n) => n.position!.y)).toEqual([0, 120, 240]);
  });

  it('uncrosses branches listed in the wrong order', () => {
    // input_2's branch is listed first among the middle row, so the naive order crosses.
    const base = twoBranches();
    const g: ModelGraph = { ...base, nodes: [base.nodes[0]!, base.nodes[1]!, base.nodes[3]!, base.nodes[2]!, ...base.nodes.slice(4)] };
    const laid = layoutGraph(g);
    expect(pos(laid, 'dense').x < pos(laid, 'dense_2').x).toBe(pos(laid, 'input').x < pos(laid, 'input_2').x);
    expect(overlaps(laid)).toEqual([]);
  });

  it('long edges (a skip connection) and disconnected layers get room; nothing overlaps', () => {
    // input → dense → dense_2 → add, and input → add directly (skip), plus a lone Dropout.
    let g: ModelGraph = { version: 1, nodes: [], edges: [] };
    const add = (type: string, config = {}) => {
      const r = addLayer(g, type, undefined, config);
      g = r.graph;
      return r.node.id;
    };
    const link = (s: string, t: string) => {
      const r = connect(g, s, t);
      if (!r.ok) throw new Error(r.reason);
      g = r.graph;
    };
    const input = add('Input', { shape: [8] });
    const d1 = add('Dense', { units: 8 });
    const d2 = add('Dense', { units: 8 });
    const sum = add('Add');
    add('Dropout');
    link(input, d1);
    link(d1, d2);
    link(d2, sum);
    link(input, sum);
    const laid = layoutGraph(g);
    expect(overlaps(laid)).toEqual([]);
    expect(belowInputs(laid)).toEqual([]);
    // The skip edge passes beside dense and dense_2, not through them.
    const skipX = pos(laid, 'input').x;
    expect(pos(laid, 'dense').x === skipX && pos(laid, 'dense_2').x === skipX && pos(laid, 'add').x === skipX).toBe(false);
    // The lone Dropout stands to the right of everything else.
    const others = laid.nodes.filter((n) => n.name !== 'dropout').map((n) => n.position!.x + NODE_SIZE.width);
    expect(pos(laid, 'dropout').x).toBeGreaterThan(Math.max(...others));
  });

  it('survives a cycle and an empty graph', () => {
    const g = twoBranches();
    g.edges.push({ id: 'back', source: 'out', target: 'da' });
    const laid = layoutGraph(g);
    expect(overlaps(laid)).toEqual([]);
    expect(layoutGraph({ version: 1, nodes: [], edges: [] })).toEqual({ version: 1, nodes: [], edges: [] });
  });

  it('honours sizes, gaps and origin', () => {
    const g = layoutGraph(j1(), { node: { width: 100, height: 40 }, gapY: 10, origin: { x: 50, y: 60 } });
    expect(g.nodes.map((n) => n.position)).toEqual([
      { x: 50, y: 60 },
      { x: 50, y: 110 },
      { x: 50, y: 160 },
    ]);
  });
});

describe('fitBounds', () => {
  it('covers every layer at its drawn size', () => {
    const g = layoutGraph(twoBranches());
    expect(fitBounds(g)).toEqual({ x: 0, y: 0, width: 2 * NODE_SIZE.width + 40, height: 3 * 120 + NODE_SIZE.height });
    expect(fitBounds({ version: 1, nodes: [], edges: [] })).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});
