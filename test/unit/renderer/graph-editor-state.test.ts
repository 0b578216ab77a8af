/** The graph editor's state: every edit is one undo step and is saved at once; refusals say why. */
import { describe, expect, it } from 'vitest';
import { GraphEditorState } from '../../../renderer/src/state/graph-editor.svelte.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { j1 } from '../graph-edit/graphs.js';

function editor(initial: ModelGraph | null = null) {
  const saved: ModelGraph[] = [];
  const e = new GraphEditorState((g) => saved.push(g));
  e.reset(initial);
  return { e, saved };
}

const names = (g: ModelGraph) => g.nodes.map((n) => n.name);
const links = (g: ModelGraph) => g.edges.map((x) => `${g.nodes.find((n) => n.id === x.source)!.name}→${g.nodes.find((n) => n.id === x.target)!.name}`);

describe('GraphEditorState', () => {
  it('builds a chain by adding after the selection, saving each step, and undoes it step by step', () => {
    const { e, saved } = editor();
    e.add('Input');
    e.add('Dense');
    e.add('Dropout');
    expect(names(e.graph)).toEqual(['input', 'dense', 'dropout']);
    expect(links(e.graph)).toEqual(['input→dense', 'dense→dropout']);
    expect(e.selected).toEqual([e.graph.nodes[2]!.id]);
    expect(saved).toHaveLength(3);
    expect(e.undoLabel).toBe('Undo insert Dropout after dense');
    e.undo();
    expect(names(e.graph)).toEqual(['input', 'dense']);
    expect(e.selected).toEqual([]);
    e.redo();
    expect(names(e.graph)).toEqual(['input', 'dense', 'dropout']);
    expect(saved).toHaveLength(5);
    expect(saved.at(-1)).toEqual(e.graph);
  });

  it('an Input typed while a layer is selected goes on its own, not after it', () => {
    const { e } = editor(j1());
    e.select(['n2']);
    e.add('Input');
    expect(e.graph.nodes).toHaveLength(4);
    expect(e.graph.edges).toHaveLength(2);
    expect(e.notice).toBeNull();
  });

  it('deleting a layer in a chain reconnects its neighbours, and the analysis follows', () => {
    const { e } = editor(j1());
    e.remove(['n2']);
    expect(links(e.graph)).toEqual(['input→dense']);
    expect('nodes' in e.analysis && e.analysis.valid).toBe(true);
    e.undo();
    expect(names(e.graph)).toEqual(['input', 'lstm', 'dense']);
  });

  it('refuses a connection into an Input with the reason, changing nothing', () => {
    const { e, saved } = editor(j1());
    e.connect('n3', 'n1');
    expect(e.notice).toMatch(/'input' is an Input/);
    expect(saved).toHaveLength(0);
    e.select(['n1']);
    e.connectSelected();
    expect(e.notice).toMatch(/Select two layers/);
  });

  it('copies and pastes layers with fresh names; typing in one field is one undo step', () => {
    const { e } = editor(j1());
    e.select(['n2', 'n3']);
    const text = e.copy()!;
    e.paste(text);
    expect(names(e.graph)).toEqual(['input', 'lstm', 'dense', 'lstm_2', 'dense_2']);
    expect(links(e.graph)).toContain('lstm_2→dense_2');
    expect(e.selected).toHaveLength(2);
    e.setParam('n2', 'units', 5);
    e.setParam('n2', 'units', 55);
    expect(e.graph.nodes[1]!.config['units']).toBe(55);
    e.undo();
    expect(e.graph.nodes[1]!.config['units']).toBe(50);
    e.paste('not layers');
    expect(e.notice).toMatch(/clipboard/i);
  });

  it('a template replacing the graph is one undo step back to the user\'s own', () => {
    const { e } = editor(j1());
    const other: ModelGraph = { version: 1, nodes: [{ id: 'x', type: 'Input', name: 'only', config: { shape: [3] } }], edges: [] };
    e.replace(other, 'apply template MLP');
    expect(names(e.graph)).toEqual(['only']);
    // It had no position: the editor laid it out.
    expect(e.graph.nodes[0]!.position).toBeDefined();
    expect(e.undoLabel).toBe('Undo apply template MLP');
    e.undo();
    expect(names(e.graph)).toEqual(['input', 'lstm', 'dense']);
    e.reset(other);
    expect(e.undoLabel).toBeNull();
  });

  it('moves along connections with the arrow keys', () => {
    const { e } = editor(j1());
    e.step('down');
    expect(e.selected).toEqual(['n1']);
    e.step('down');
    e.step('down');
    expect(e.selected).toEqual(['n3']);
    e.step('up');
    expect(e.selected).toEqual(['n2']);
  });
});
