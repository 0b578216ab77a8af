/**
 * The graph editor's state: the graph on the canvas, the selection, and the undo history. Every
 * change goes through `apply`, which records it and hands the graph to `save` at once (no Save
 * button). The edits themselves are shared/graph-edit (plain, tested TypeScript).
 */
import {
  GraphHistory,
  connect,
  copySelection,
  disconnect,
  duplicate,
  insertAfter,
  addLayer,
  layoutGraph,
  moveNodes,
  offsetNodes,
  pasteClipboard,
  removeNodes,
  renameNode,
  setParam,
  type Checked,
  type Edit,
  type Point,
} from '../../../shared/graph-edit/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import type { GraphAnalysis } from '../../../shared/catalog/types.js';
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';

const EMPTY: ModelGraph = { version: 1, nodes: [], edges: [] };

export class GraphEditorState {
  graph = $state.raw<ModelGraph>(EMPTY);
  selected = $state.raw<string[]>([]);
  /** Why the last edit was refused ("'input' is an Input: …"); cleared by the next edit. */
  notice = $state<string | null>(null);
  /** Bumped to make the canvas zoom to fit. */
  fitSignal = $state(0);
  undoLabel = $state<string | null>(null);
  redoLabel = $state<string | null>(null);

  readonly analysis: GraphAnalysis | { crashed: string } = $derived.by(() => {
    try {
      return analyzeGraph(this.graph);
    } catch (e) {
      return { crashed: e instanceof Error ? e.message : String(e) };
    }
  });

  readonly #history = new GraphHistory(EMPTY);
  readonly #save: (graph: ModelGraph) => void;

  constructor(save: (graph: ModelGraph) => void) {
    this.#save = save;
  }

  /** Starts afresh with another project's model: no undo into the previous project. */
  reset(graph: ModelGraph | null): void {
    this.graph = placed(graph ?? EMPTY);
    this.#history.reset(this.graph);
    this.selected = [];
    this.notice = null;
    this.#labels();
    this.fitSignal++;
  }

  /**
   * A model that arrived from elsewhere (a template, an import, a past run): one undoable step,
   * so a template applied by mistake is one Ctrl+Z away from the user's own graph.
   */
  replace(graph: ModelGraph, label: string): void {
    if (JSON.stringify(graph) === JSON.stringify(this.graph)) return;
    const next = placed(graph);
    this.graph = next;
    this.#history.push(next, label);
    this.selected = [];
    this.notice = null;
    this.#labels();
    this.fitSignal++;
    if (next !== graph) this.#save(next);
  }

  get selectedNode() {
    return this.selected.length === 1 ? this.graph.nodes.find((n) => n.id === this.selected[0]) : undefined;
  }

  /** Records an edit (or shows why it was refused) and saves the graph. */
  apply(edit: Edit | Checked, select?: string[]): boolean {
    if ('ok' in edit && !edit.ok) {
      this.notice = edit.reason;
      return false;
    }
    const e = edit as Edit;
    this.notice = null;
    if (!this.#history.push(e.graph, e.label, e.coalesceKey ? { coalesceKey: e.coalesceKey } : {})) {
      if (select) this.selected = select;
      return false;
    }
    this.graph = e.graph;
    if (select) this.selected = select;
    else this.selected = this.selected.filter((id) => e.graph.nodes.some((n) => n.id === id));
    this.#labels();
    this.#save(e.graph);
    return true;
  }

  undo(): void {
    const g = this.#history.undo();
    if (g) this.#restore(g);
  }

  redo(): void {
    const g = this.#history.redo();
    if (g) this.#restore(g);
  }

  /** Ends a run of edits that would otherwise merge into one undo step (typing in one field). */
  seal(): void {
    this.#history.seal();
  }

  select(ids: string[]): void {
    this.selected = ids;
  }

  /** Adds a layer after the selected one (connected), or on its own when nothing is selected. */
  add(type: string, at?: Point): void {
    const after = this.selectedNode;
    if (after && !at) {
      const r = insertAfter(this.graph, after.id, type);
      // An Input cannot follow anything: it goes on its own.
      if (r.ok) {
        this.apply(r, [r.node.id]);
        return;
      }
    }
    const r = addLayer(this.graph, type, at);
    this.apply(r, [r.node.id]);
  }

  connect(source: string, target: string, port?: number): void {
    this.apply(connect(this.graph, source, target, port));
  }

  /** Connects two selected layers: the upper one (as drawn) feeds the lower one. */
  connectSelected(): void {
    if (this.selected.length !== 2) {
      this.notice = 'Select two layers (Shift+click) to connect them: the upper one feeds the lower one';
      return;
    }
    const [a, b] = this.selected.map((id) => this.graph.nodes.find((n) => n.id === id)!);
    const [from, to] = (a!.position?.y ?? 0) <= (b!.position?.y ?? 0) ? [a!, b!] : [b!, a!];
    this.connect(from.id, to.id);
  }

  disconnect(edgeIds: string[]): void {
    this.apply(disconnect(this.graph, edgeIds));
  }

  remove(nodeIds: string[], edgeIds: string[] = []): void {
    let g = this.graph;
    const labels: string[] = [];
    if (edgeIds.length) {
      const d = disconnect(g, edgeIds);
      g = d.graph;
      labels.push(d.label);
    }
    if (nodeIds.length) {
      const r = removeNodes(g, nodeIds, { reconnect: true });
      g = r.graph;
      labels.unshift(r.label);
    }
    if (labels.length) this.apply({ graph: g, label: labels[0]! }, []);
  }

  removeSelected(): void {
    this.remove(this.selected);
  }

  setParam(id: string, key: string, value: JsonValue | undefined): void {
    this.apply(setParam(this.graph, id, key, value));
  }

  /** Renames a layer; returns why not, or null. */
  rename(id: string, name: string): string | null {
    const r = renameNode(this.graph, id, name);
    if (!r.ok) return r.reason;
    this.apply(r);
    return null;
  }

  move(positions: Record<string, Point>): void {
    this.apply(moveNodes(this.graph, positions));
    this.#history.seal();
  }

  nudge(dx: number, dy: number): void {
    if (this.selected.length) this.apply(offsetNodes(this.graph, this.selected, dx, dy));
  }

  duplicateSelected(): void {
    if (!this.selected.length) return;
    const r = duplicate(this.graph, this.selected);
    this.apply(r, r.ids);
  }

  /** The selected layers as clipboard text, or null when nothing is selected. */
  copy(): string | null {
    return this.selected.length ? copySelection(this.graph, this.selected) : null;
  }

  paste(text: string): void {
    const r = pasteClipboard(this.graph, text);
    this.apply(r, r.ok ? r.ids : undefined);
  }

  autoLayout(): void {
    this.apply({ graph: layoutGraph(this.graph), label: 'auto-layout' });
    this.fitSignal++;
  }

  selectAll(): void {
    this.selected = this.graph.nodes.map((n) => n.id);
  }

  /** Moves the selection along a connection: up to the layer feeding it, down to the one it feeds. */
  step(direction: 'up' | 'down'): void {
    const current = this.selected[0];
    if (!current) {
      const first = this.graph.nodes[0];
      if (first) this.selected = [first.id];
      return;
    }
    const edge = this.graph.edges.find((e) => (direction === 'up' ? e.target === current : e.source === current));
    if (edge) this.selected = [direction === 'up' ? edge.source : edge.target];
  }

  #restore(graph: ModelGraph): void {
    this.graph = graph;
    this.selected = this.selected.filter((id) => graph.nodes.some((n) => n.id === id));
    this.notice = null;
    this.#labels();
    this.#save(graph);
  }

  #labels(): void {
    this.undoLabel = this.#history.undoLabel;
    this.redoLabel = this.#history.redoLabel;
  }
}

/** A graph whose every layer has a place on the canvas (imports and old models may have none). */
function placed(graph: ModelGraph): ModelGraph {
  return graph.nodes.every((n) => n.position) ? graph : layoutGraph(graph);
}
