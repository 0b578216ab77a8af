/** Diffs by layer name: additions, removals, parameter changes with defaults filled in, and connections. */
import { describe, expect, it } from 'vitest';
import { describeDiff, diffGraphs, insertAfter, removeNodes, renameNode, setParam } from '../../../shared/graph-edit/index.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { j1, ok, twoBranches } from './graphs.js';


describe('diffGraphs', () => {
  it('a graph against itself, or moved around, is the same', () => {
    const moved = j1();
    moved.nodes.forEach((n) => (n.position = { x: 999, y: 999 }));
    const d = diffGraphs(j1(), moved);
    expect(d.same).toBe(true);
    expect(describeDiff(d)).toEqual([]);
  });

  it('{} and a parameter at its default are no change; a real value is, old → new', () => {
    const explicit = setParam(j1(), 'n3', 'activation', 'linear').graph;
    expect(diffGraphs(j1(), explicit).same).toBe(true);
    const ints = setParam(j1(), 'n2', 'units', 50).graph;
    expect(diffGraphs(j1(), ints).same).toBe(true);
    const changed = setParam(setParam(j1(), 'n3', 'units', 4).graph, 'n3', 'activation', 'relu').graph;
    const d = diffGraphs(j1(), changed);
    expect(d.changed).toEqual([
      {
        name: 'dense',
        params: [
          { key: 'units', from: 1, to: 4 },
          { key: 'activation', from: 'linear', to: 'relu' },
        ],
      },
    ]);
    expect(describeDiff(d)).toEqual(['dense: units 1 → 4', 'dense: activation "linear" → "relu"']);
  });

  it('kernel_size 3 and (3,) are the same Conv1D', () => {
    const a: ModelGraph = { version: 1, nodes: [{ id: 'c', type: 'Conv1D', name: 'conv', config: { kernel_size: 3 } }], edges: [] };
    const b: ModelGraph = { version: 1, nodes: [{ id: 'c', type: 'Conv1D', name: 'conv', config: { kernel_size: [3] } }], edges: [] };
    expect(diffGraphs(a, b).same).toBe(true);
  });

  it('an inserted layer is added with its connections; the bypassed link is removed', () => {
    const after = ok(insertAfter(j1(), 'n2', 'Dropout')).graph;
    const d = diffGraphs(j1(), after);
    expect(d.added).toEqual([{ name: 'dropout', type: 'Dropout' }]);
    expect(d.removed).toEqual([]);
    expect(d.connections).toEqual({
      added: [
        { source: 'dropout', target: 'dense', port: 0 },
        { source: 'lstm', target: 'dropout', port: 0 },
      ],
      removed: [{ source: 'lstm', target: 'dense', port: 0 }],
    });
    expect(describeDiff(d)).toEqual(["Added Dropout 'dropout'", 'Connected dropout → dense', 'Connected lstm → dropout', 'Disconnected lstm → dense']);
  });

  it('a type change lists the type and the parameters of both', () => {
    const after = j1();
    after.nodes[1] = { ...after.nodes[1]!, type: 'GRU', config: { units: 50 } };
    const d = diffGraphs(j1(), after);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.type).toEqual({ from: 'LSTM', to: 'GRU' });
    expect(d.changed[0]!.params).toEqual([
      { key: 'unit_forget_bias', from: true, to: undefined },
      { key: 'reset_after', from: undefined, to: false },
    ]);
  });

  it('matches by name: removal, rename and swapped merge inputs show', () => {
    const removed = removeNodes(twoBranches(), ['out']).graph;
    expect(diffGraphs(twoBranches(), removed).removed).toEqual([{ name: 'dense_3', type: 'Dense' }]);
    const renamed = ok(renameNode(j1(), 'n3', 'out')).graph;
    const r = diffGraphs(j1(), renamed);
    expect(r.added).toEqual([{ name: 'out', type: 'Dense' }]);
    expect(r.removed).toEqual([{ name: 'dense', type: 'Dense' }]);
    const swapped = twoBranches();
    swapped.edges = swapped.edges.map((e) => (e.targetPort === undefined ? e : { ...e, targetPort: 1 - e.targetPort }));
    const s = diffGraphs(twoBranches(), swapped);
    expect(describeDiff(s)).toEqual([
      'Connected dense → concatenate (input 2)',
      'Connected dense_2 → concatenate',
      'Disconnected dense → concatenate',
      'Disconnected dense_2 → concatenate (input 2)',
    ]);
  });
});
