/** Copy and paste: a JSON payload, fresh ids, names made unique, offset positions, and clear refusals. */
import { describe, expect, it } from 'vitest';
import { copySelection, pasteClipboard, readClipboard } from '../../../shared/graph-edit/index.js';
import { graphToKerasJson } from '../../../shared/keras.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import { j1, links, names, twoBranches, ok, reason } from './graphs.js';


describe('clipboard', () => {
  it('copies the selected layers and only the links among them, as plain JSON', () => {
    const text = copySelection(twoBranches(), ['da', 'cat', 'out']);
    const payload = JSON.parse(text) as { format: string; nodes: { name: string }[]; edges: { source: string; target: string }[] };
    expect(payload.format).toBe('layerbench/layers');
    expect(payload.nodes.map((n) => n.name)).toEqual(['dense', 'concatenate', 'dense_3']);
    expect(payload.edges.map((e) => `${e.source}→${e.target}`)).toEqual(['da→cat', 'cat→out']);
  });

  it('pastes into a graph that already has the names: fresh ids, unique names, links and ports kept', () => {
    const g = twoBranches();
    const r = ok(pasteClipboard(g, copySelection(g, ['da', 'db', 'cat'])));
    expect(r.ids).toHaveLength(3);
    expect(new Set([...g.nodes.map((n) => n.id), ...r.ids]).size).toBe(9);
    expect(names(r.graph).slice(6)).toEqual(['dense_4', 'dense_5', 'concatenate_2']);
    expect(links(r.graph).slice(5)).toEqual(['dense_4 → concatenate_2:0', 'dense_5 → concatenate_2:1']);
    expect(new Set(r.graph.edges.map((e) => e.id)).size).toBe(r.graph.edges.length);
    expect(r.label).toBe('paste 3 layers');
    // The pasted layers have no inputs; the original model is untouched and the analysis names no duplicate.
    expect(analyzeGraph(r.graph).problems.some((p) => p.message.includes('named'))).toBe(false);
  });

  it('offsets pasted layers, further on each paste; `at` puts them where asked', () => {
    const g = j1();
    const text = copySelection(g, ['n2']);
    const once = ok(pasteClipboard(g, text));
    const at = g.nodes[1]!.position!;
    expect(once.graph.nodes[3]!.position).toEqual({ x: at.x + 40, y: at.y + 40 });
    const twice = ok(pasteClipboard(once.graph, text));
    expect(twice.graph.nodes[4]!.position).toEqual({ x: at.x + 80, y: at.y + 80 });
    const placed = ok(pasteClipboard(g, copySelection(g, ['n2', 'n3']), { at: { x: 500, y: 300 } }));
    expect(placed.graph.nodes.slice(3).map((n) => n.position)).toEqual([
      { x: 500, y: 300 },
      { x: 500, y: 300 + g.nodes[2]!.position!.y - at.y },
    ]);
    expect(once.label).toBe('paste LSTM');
  });

  it('a name that is free stays as it was', () => {
    const r = ok(pasteClipboard({ version: 1, nodes: [], edges: [] }, copySelection(j1(), ['n2', 'n3'])));
    expect(names(r.graph)).toEqual(['lstm', 'dense']);
  });

  it('refuses text that is not copied layers, saying what it is', () => {
    const g = j1();
    expect(reason(pasteClipboard(g, 'hello world'))).toBe(
      'The clipboard does not hold Layerbench layers: it holds text ("hello world"), not layers copied from the model editor',
    );
    expect(reason(pasteClipboard(g, ''))).toBe('The clipboard does not hold Layerbench layers: it holds nothing, not layers copied from the model editor');
    expect(reason(pasteClipboard(g, '[1, 2]'))).toBe('The clipboard does not hold Layerbench layers: it holds JSON, but not an object of copied layers');
    expect(reason(pasteClipboard(g, '{"a": 1}'))).toBe("The clipboard does not hold Layerbench layers: it holds JSON without format 'layerbench/layers'");
    expect(reason(pasteClipboard(g, '{"format": "layerbench/layers", "version": 2, "nodes": [], "edges": []}'))).toMatch(/newer Layerbench/);
    const unknown = JSON.stringify({ format: 'layerbench/layers', version: 1, nodes: [{ id: 'x', type: 'Transformer', name: 't', config: {} }], edges: [] });
    expect(reason(pasteClipboard(g, unknown))).toBe("The clipboard's layer 't' is a Transformer, which this version of Layerbench does not know");
    const dangling = JSON.stringify({ format: 'layerbench/layers', version: 1, nodes: [{ id: 'x', type: 'Dense', name: 'd', config: {} }], edges: [{ id: 'e', source: 'x', target: 'y' }] });
    expect(reason(pasteClipboard(g, dangling))).toBe('The clipboard does not hold Layerbench layers: connection 1 does not join two of its layers');
  });

  it('pastes a Keras model JSON as layers', () => {
    const keras = JSON.stringify(graphToKerasJson(j1()));
    const r = ok(pasteClipboard(j1(), keras));
    expect(names(r.graph).slice(3)).toEqual(['input_2', 'lstm_2', 'dense_2']);
    expect(links(r.graph).slice(2)).toEqual(['input_2 → lstm_2', 'lstm_2 → dense_2']);
    expect(readClipboard('{"class_name": "Sequential", "config": {"layers": []}}')).toEqual({
      reason: 'The clipboard holds a Keras model that cannot be pasted: Sequential model has no layers',
    });
  });
});
