/** Graphs the graph-edit tests share. */
import { stackToGraph, type ModelGraph } from '../../../shared/graph.js';
import type { Checked, Edit } from '../../../shared/graph-edit/index.js';

/** J1: Input (1, 8) → LSTM(50) → Dense(1), named as the template names it (input, lstm, dense). */
export function j1(): ModelGraph {
  return stackToGraph([
    { type: 'Input', config: { shape: [1, 8] } },
    { type: 'LSTM', config: { units: 50 } },
    { type: 'Dense', config: { units: 1 } },
  ]);
}

/** J3-like: two inputs, a Dense branch on each, joined by Concatenate, then one Dense out. */
export function twoBranches(): ModelGraph {
  return {
    version: 1,
    nodes: [
      { id: 'in_a', type: 'Input', name: 'input', config: { shape: [8] } },
      { id: 'in_b', type: 'Input', name: 'input_2', config: { shape: [4] } },
      { id: 'da', type: 'Dense', name: 'dense', config: { units: 16, activation: 'relu' } },
      { id: 'db', type: 'Dense', name: 'dense_2', config: { units: 16, activation: 'relu' } },
      { id: 'cat', type: 'Concatenate', name: 'concatenate', config: {} },
      { id: 'out', type: 'Dense', name: 'dense_3', config: { units: 1 } },
    ],
    edges: [
      { id: 'e1', source: 'in_a', target: 'da' },
      { id: 'e2', source: 'in_b', target: 'db' },
      { id: 'e3', source: 'da', target: 'cat', targetPort: 0 },
      { id: 'e4', source: 'db', target: 'cat', targetPort: 1 },
      { id: 'e5', source: 'cat', target: 'out' },
    ],
  };
}

export function names(graph: ModelGraph): string[] {
  return graph.nodes.map((n) => n.name);
}

/** Connections as 'source → target' by layer name, with the port when there is one. */
export function links(graph: ModelGraph): string[] {
  const name = new Map(graph.nodes.map((n) => [n.id, n.name]));
  return graph.edges.map((e) => `${name.get(e.source)} → ${name.get(e.target)}${e.targetPort !== undefined ? `:${e.targetPort}` : ''}`);
}

/** A deep copy to check an edit left its input alone. */
export function frozen(graph: ModelGraph): ModelGraph {
  return structuredClone(graph);
}

/** The successful result of an edit that may refuse; fails the test with the reason otherwise. */
export function ok<T extends object>(r: Checked<T>): { ok: true } & Edit & T {
  if (!r.ok) throw new Error(`expected the edit to succeed; it was refused: ${r.reason}`);
  return r;
}

/** The reason an edit was refused; fails the test if it succeeded. */
export function reason<T extends object>(r: Checked<T>): string {
  if (r.ok) throw new Error(`expected a refusal; the edit succeeded (${r.label})`);
  return r.reason;
}
