/** Graph edits: each returns a new graph and a label, leaves its input alone, and refuses bad requests in plain words. */
import { describe, expect, it } from 'vitest';
import {
  addLayer,
  connect,
  connectionProblem,
  disconnect,
  duplicate,
  insertAfter,
  moveNodes,
  offsetNodes,
  removeNodes,
  renameNode,
  setParam,
} from '../../../shared/graph-edit/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { frozen, j1, links, names, twoBranches, ok, reason } from './graphs.js';


describe('addLayer', () => {
  it('names layers like stackToGraph (dense, dense_2, dense_3) with fresh ids', () => {
    const g = j1();
    const before = frozen(g);
    const a = addLayer(g, 'Dense', { x: 10, y: 20 });
    expect(a.node).toMatchObject({ id: 'n4', type: 'Dense', name: 'dense_2', config: {}, position: { x: 10, y: 20 } });
    expect(a.label).toBe('add Dense');
    const b = addLayer(a.graph, 'Dense');
    expect(b.node.name).toBe('dense_3');
    expect(b.node.id).toBe('n5');
    expect(addLayer(g, 'Conv1D').node.name).toBe('conv1d');
    expect(addLayer(g, 'BatchNormalization', undefined, { momentum: 0.9 }).node.config).toEqual({ momentum: 0.9 });
    expect(g).toEqual(before);
  });

  it('without a position goes below the lowest layer', () => {
    const g = j1();
    const lowest = Math.max(...g.nodes.map((n) => n.position!.y));
    const { node } = addLayer(g, 'Dropout');
    expect(node.position!.y).toBeGreaterThan(lowest + 63);
    expect(addLayer({ version: 1, nodes: [], edges: [] }, 'Input').node.position).toEqual({ x: 0, y: 0 });
  });

  it('throws on a type the catalog does not have (a bug in the caller)', () => {
    expect(() => addLayer(j1(), 'Transformer')).toThrow("Unknown layer type 'Transformer'");
  });
});

describe('insertAfter', () => {
  it('the new layer takes over the selected layer’s outputs and sits one row below', () => {
    const g = j1();
    const before = frozen(g);
    const r = ok(insertAfter(g, 'n2', 'Dropout'));
    expect(links(r.graph)).toEqual(['input → lstm', 'dropout → dense', 'lstm → dropout']);
    const lstm = g.nodes[1]!.position!;
    expect(r.node.position!.x).toBe(lstm.x);
    expect(r.node.position!.y).toBeGreaterThan(lstm.y);
    // The Dense below moved down to make room.
    const dense = r.graph.nodes.find((n) => n.name === 'dense')!.position!;
    expect(dense.y).toBeGreaterThan(r.node.position!.y);
    expect(r.label).toBe('insert Dropout after lstm');
    expect(analyzeGraph(r.graph).valid).toBe(true);
    expect(g).toEqual(before);
  });

  it('keeps the port of a merge input it takes over', () => {
    const r = ok(insertAfter(twoBranches(), 'db', 'Dropout'));
    expect(links(r.graph)).toContain('dropout → concatenate:1');
    expect(analyzeGraph(r.graph).valid).toBe(true);
  });

  it('refuses an Input, which cannot have inputs', () => {
    expect(reason(insertAfter(j1(), 'n2', 'Input'))).toBe("Input takes no inputs, so it cannot go after 'lstm'");
  });
});

describe('connect', () => {
  const loose = (): ModelGraph => {
    const g = twoBranches();
    return { ...g, edges: g.edges.filter((e) => e.id !== 'e3' && e.id !== 'e4') };
  };

  it('gives a merge layer the next free port', () => {
    const a = ok(connect(loose(), 'db', 'cat'));
    expect(a.edge.targetPort).toBe(0);
    const b = ok(connect(a.graph, 'da', 'cat'));
    expect(b.edge.targetPort).toBe(1);
    expect(b.label).toBe('connect dense → concatenate');
    expect(analyzeGraph(b.graph).valid).toBe(true);
    // A single-input layer gets no port.
    const c = ok(connect(removeNodes(j1(), ['n2']).graph, 'n1', 'n3'));
    expect(c.edge.targetPort).toBeUndefined();
  });

  it('refuses self loops, duplicates, inputs into an Input, too many inputs and loops, with the reason', () => {
    const g = j1();
    expect(reason(connect(g, 'n2', 'n2'))).toBe("'lstm' cannot feed itself");
    expect(reason(connect(g, 'n1', 'n2'))).toBe("'input' already feeds 'lstm'");
    expect(reason(connect(g, 'n3', 'n1'))).toBe("'input' is an Input: data enters the model there, so nothing can feed it");
    expect(reason(connect(g, 'n1', 'n3'))).toBe("Dense 'dense' takes one input and already has one; disconnect it first");
    const extra = addLayer(g, 'Dense');
    const fed = ok(connect(extra.graph, 'n3', extra.node.id)).graph;
    expect(reason(connect(fed, extra.node.id, 'n2'))).toBe(
      "LSTM 'lstm' takes one input and already has one; disconnect it first",
    );
    const cut = disconnect(fed, 'e1').graph;
    expect(reason(connect(cut, extra.node.id, 'n2'))).toBe("Connecting 'dense_2' to 'lstm' would make a loop: 'lstm' already feeds 'dense_2'");
    expect(reason(connect(g, 'n1', 'nope'))).toBe("There is no layer with id 'nope'");
    expect(connectionProblem(cut, 'n1', 'n2')).toBeNull();
  });

  it('refuses a port that is taken', () => {
    const a = ok(connect(loose(), 'db', 'cat', 1));
    expect(reason(connect(a.graph, 'da', 'cat', 1))).toBe("Input 2 of 'concatenate' is already connected");
    expect(ok(connect(a.graph, 'da', 'cat', 0)).edge.targetPort).toBe(0);
  });
});

describe('disconnect and removeNodes', () => {
  it('disconnects by id and names the link in the label', () => {
    const r = disconnect(j1(), 'e1');
    expect(links(r.graph)).toEqual(['lstm → dense']);
    expect(r.label).toBe('disconnect input → lstm');
    expect(disconnect(j1(), ['e1', 'e2']).label).toBe('disconnect 2 connections');
  });

  it('removes layers with their connections', () => {
    const g = j1();
    const before = frozen(g);
    const r = removeNodes(g, ['n2']);
    expect(names(r.graph)).toEqual(['input', 'dense']);
    expect(r.graph.edges).toEqual([]);
    expect(r.label).toBe('delete lstm');
    expect(removeNodes(g, ['n2', 'n3']).label).toBe('delete 2 layers');
    expect(g).toEqual(before);
  });

  it('with reconnect, bridges a removed single-input chain', () => {
    const g = ok(insertAfter(j1(), 'n2', 'Dropout')).graph;
    const chainIds = g.nodes.filter((n) => n.name === 'lstm' || n.name === 'dropout').map((n) => n.id);
    const r = removeNodes(g, chainIds, { reconnect: true });
    expect(links(r.graph)).toEqual(['input → dense']);
    // A merge has two inputs: removing it leaves its inputs and output apart.
    const m = removeNodes(twoBranches(), ['cat'], { reconnect: true });
    expect(links(m.graph)).toEqual(['input → dense', 'input_2 → dense_2']);
    // A bridged branch keeps its port on the merge.
    expect(links(removeNodes(twoBranches(), ['db'], { reconnect: true }).graph)).toContain('input_2 → concatenate:1');
  });
});

describe('renameNode', () => {
  it('renames, trimming spaces', () => {
    const r = ok(renameNode(j1(), 'n3', '  output '));
    expect(names(r.graph)).toEqual(['input', 'lstm', 'output']);
    expect(r.label).toBe('rename dense to output');
  });

  it('refuses a taken, empty or unusable name', () => {
    expect(reason(renameNode(j1(), 'n3', 'lstm'))).toBe("'lstm' is already the name of another layer (LSTM); layer names must be unique");
    expect(reason(renameNode(j1(), 'n3', ' '))).toBe('A layer needs a name');
    expect(reason(renameNode(j1(), 'n3', 'a/b'))).toMatch(/^'a\/b' is not a usable layer name/);
    expect(ok(renameNode(j1(), 'n3', 'dense')).graph).toEqual(j1());
  });
});

describe('setParam', () => {
  it('sets and clears one parameter, with a key that coalesces typing', () => {
    const g = j1();
    const before = frozen(g);
    const r = setParam(g, 'n3', 'units', 4);
    expect(r.graph.nodes[2]!.config).toEqual({ units: 4 });
    expect(r.label).toBe('set units of dense');
    expect(r.coalesceKey).toBe('param:n3:units');
    expect(setParam(r.graph, 'n3', 'units', undefined).graph.nodes[2]!.config).toEqual({});
    expect(analyzeGraph(r.graph).nodes['n3']!.outputShape).toEqual([null, 4]);
    // Untouched layers are shared, not copied.
    expect(r.graph.nodes[0]).toBe(g.nodes[0]);
    expect(g).toEqual(before);
    expect(() => setParam(g, 'gone', 'units', 1)).toThrow("No layer with id 'gone'");
  });
});

describe('moveNodes, offsetNodes and duplicate', () => {
  it('moves to positions, with one coalescing key per set of layers', () => {
    const r = moveNodes(j1(), { n2: { x: 5, y: 6 }, missing: { x: 0, y: 0 } });
    expect(r.graph.nodes[1]!.position).toEqual({ x: 5, y: 6 });
    expect(r.label).toBe('move lstm');
    expect(r.coalesceKey).toBe('move:n2');
    expect(offsetNodes(j1(), ['n1', 'n2'], 10, 0).graph.nodes.map((n) => n.position!.x)).toEqual([10, 10, 0]);
  });

  it('duplicates layers and the links among them, offset, with new names', () => {
    const g = j1();
    const r = duplicate(g, ['n2', 'n3']);
    expect(r.ids).toEqual(['n4', 'n5']);
    expect(names(r.graph)).toEqual(['input', 'lstm', 'dense', 'lstm_2', 'dense_2']);
    expect(links(r.graph)).toEqual(['input → lstm', 'lstm → dense', 'lstm_2 → dense_2']);
    expect(r.graph.nodes[3]!.position).toEqual({ x: g.nodes[1]!.position!.x + 40, y: g.nodes[1]!.position!.y + 40 });
    expect(r.label).toBe('duplicate 2 layers');
    // A second duplicate does not land on the first.
    const again = duplicate(r.graph, ['n2', 'n3']);
    expect(again.graph.nodes[5]!.position).toEqual({ x: g.nodes[1]!.position!.x + 80, y: g.nodes[1]!.position!.y + 80 });
  });
});
