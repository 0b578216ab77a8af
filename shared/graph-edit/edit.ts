/**
 * Edits of a model graph for the graph editor. Each is pure: it returns a new graph (sharing the
 * untouched nodes and edges) and never changes the one it is given. Each also returns a label for
 * the undo history ("add Dense"), and edits that a user can ask for wrongly (a connection into an
 * Input, a name already taken) return a reason in plain words instead of throwing.
 * Ids that do not exist are the caller's bug and throw.
 */
import type { GraphEdge, GraphNode, JsonValue, ModelGraph } from '../graph.js';
import { getLayerSpec } from '../catalog/index.js';
import { baseName, edgeIds, nodeIds, takenNames, uniqueName } from './names.js';
import { extractFragment, insertFragment, type Point } from './fragment.js';
import { GAP_Y, ROW_STEP, fitBounds } from './layout.js';

export interface Edit {
  graph: ModelGraph;
  /** What the edit did, for "Undo …" ("add Dense", "set units of dense"). */
  label: string;
  /** Pass to GraphHistory.push: repeated edits with the same key (typing in one field) make one undo step. */
  coalesceKey?: string;
}

export interface Refusal {
  ok: false;
  /** Why, in plain words, naming the layers involved. */
  reason: string;
}

export type Checked<T extends object = object> = ({ ok: true } & Edit & T) | Refusal;

const refuse = (reason: string): Refusal => ({ ok: false, reason });

function nodeById(graph: ModelGraph, id: string): GraphNode {
  const n = graph.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`No layer with id '${id}' in the graph`);
  return n;
}

function replaceNode(graph: ModelGraph, node: GraphNode): ModelGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === node.id ? node : n)) };
}

/** Labels name one layer, or count several. */
function describeLayers(graph: ModelGraph, ids: string[]): string {
  if (ids.length === 1) return graph.nodes.find((n) => n.id === ids[0])?.name ?? ids[0]!;
  return `${ids.length} layers`;
}

/**
 * Adds a layer named after its type (dense, dense_2, ...). Without a position it goes below the
 * lowest layer. `config` holds only what differs from the defaults; `{}` is all defaults.
 */
export function addLayer(graph: ModelGraph, type: string, position?: Point, config: GraphNode['config'] = {}): Edit & { node: GraphNode } {
  if (!getLayerSpec(type)) throw new Error(`Unknown layer type '${type}'`);
  const node: GraphNode = {
    id: nodeIds(graph)(),
    type,
    name: uniqueName(baseName(type), takenNames(graph)),
    config: structuredClone(config),
    position: position ? { ...position } : below(graph),
  };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, node, label: `add ${type}` };
}

function below(graph: ModelGraph): Point {
  const placed = graph.nodes.filter((n) => n.position);
  if (placed.length === 0) return { x: 0, y: 0 };
  const box = fitBounds(graph);
  return { x: box.x, y: box.y + box.height + GAP_Y };
}

/**
 * Adds a layer right after `selectedId`: the selected layer feeds it, and it takes over everything
 * the selected layer fed (same ports). It goes one row below the selected layer, and the layers
 * downstream move down a row to make room.
 */
export function insertAfter(graph: ModelGraph, selectedId: string, type: string, config: GraphNode['config'] = {}): Checked<{ node: GraphNode }> {
  const selected = nodeById(graph, selectedId);
  const spec = getLayerSpec(type);
  if (!spec) throw new Error(`Unknown layer type '${type}'`);
  if (spec.inputs.max === 0) return refuse(`${type} takes no inputs, so it cannot go after '${selected.name}'`);
  const at = selected.position ? { x: selected.position.x, y: selected.position.y + ROW_STEP } : undefined;
  const added = addLayer(graph, type, at, config);
  const node = added.node;
  if (!at) delete node.position;
  const downstream = descendants(graph, selectedId);
  const nextEdge = edgeIds(graph);
  const edges: GraphEdge[] = graph.edges.map((e) => (e.source === selectedId ? { ...e, source: node.id } : e));
  edges.push({ id: nextEdge(), source: selectedId, target: node.id });
  const nodes = added.graph.nodes.map((n) =>
    downstream.has(n.id) && n.position && at && n.position.y >= at.y - ROW_STEP / 2 ? { ...n, position: { x: n.position.x, y: n.position.y + ROW_STEP } } : n,
  );
  return { ok: true, graph: { ...graph, nodes, edges }, node, label: `insert ${type} after ${selected.name}` };
}

function descendants(graph: ModelGraph, id: string): Set<string> {
  const out = new Set<string>();
  const stack = [id];
  while (stack.length > 0) {
    const cur = stack.pop()!;
    for (const e of graph.edges)
      if (e.source === cur && !out.has(e.target) && e.target !== id) {
        out.add(e.target);
        stack.push(e.target);
      }
  }
  return out;
}

/**
 * Why `source` cannot feed `target` (at `targetPort`), or null when it can. The editor can call
 * this while a connection is dragged, to show the reason before the drop.
 */
export function connectionProblem(graph: ModelGraph, source: string, target: string, targetPort?: number): string | null {
  const s = graph.nodes.find((n) => n.id === source);
  const t = graph.nodes.find((n) => n.id === target);
  if (!s || !t) return `There is no layer with id '${!s ? source : target}'`;
  if (source === target) return `'${s.name}' cannot feed itself`;
  const spec = getLayerSpec(t.type);
  if (spec && spec.inputs.max === 0) return `'${t.name}' is an ${t.type}: data enters the model there, so nothing can feed it`;
  const feeding = graph.edges.filter((e) => e.target === target);
  if (feeding.some((e) => e.source === source)) return `'${s.name}' already feeds '${t.name}'`;
  if (spec && feeding.length >= spec.inputs.max) {
    const has = feeding.length === 1 ? 'already has one' : `already has ${feeding.length}`;
    const takes = spec.inputs.max === 1 ? 'takes one input' : `takes at most ${spec.inputs.max} inputs`;
    return `${t.type} '${t.name}' ${takes} and ${has}; disconnect ${feeding.length === 1 ? 'it' : 'one'} first`;
  }
  if (targetPort !== undefined && feeding.some((e) => (e.targetPort ?? 0) === targetPort))
    return `Input ${targetPort + 1} of '${t.name}' is already connected`;
  if (descendants(graph, target).has(source))
    return `Connecting '${s.name}' to '${t.name}' would make a loop: '${t.name}' already feeds '${s.name}'`;
  return null;
}

/**
 * Connects `source` to `target`. A layer that takes several inputs (Concatenate, Add) gets the
 * next free port unless `targetPort` says which.
 */
export function connect(graph: ModelGraph, source: string, target: string, targetPort?: number): Checked<{ edge: GraphEdge }> {
  const problem = connectionProblem(graph, source, target, targetPort);
  if (problem) return refuse(problem);
  const t = nodeById(graph, target);
  const multi = (getLayerSpec(t.type)?.inputs.max ?? 1) > 1;
  const ports = graph.edges.filter((e) => e.target === target).map((e) => e.targetPort ?? 0);
  const port = targetPort ?? (multi ? (ports.length > 0 ? Math.max(...ports) + 1 : 0) : undefined);
  const edge: GraphEdge = { id: edgeIds(graph)(), source, target, ...(port !== undefined ? { targetPort: port } : {}) };
  return { ok: true, graph: { ...graph, edges: [...graph.edges, edge] }, edge, label: `connect ${nodeById(graph, source).name} → ${t.name}` };
}

/** Removes connections by id (unknown ids are ignored: the connection is already gone). */
export function disconnect(graph: ModelGraph, edgeIds: string | string[]): Edit {
  const gone = new Set(typeof edgeIds === 'string' ? [edgeIds] : edgeIds);
  const removed = graph.edges.filter((e) => gone.has(e.id));
  const name = (id: string) => graph.nodes.find((n) => n.id === id)?.name ?? id;
  const label = removed.length === 1 ? `disconnect ${name(removed[0]!.source)} → ${name(removed[0]!.target)}` : `disconnect ${removed.length} connections`;
  return { graph: { ...graph, edges: graph.edges.filter((e) => !gone.has(e.id)) }, label };
}

/**
 * Removes layers and their connections. With `reconnect`, a removed layer that had exactly one
 * input hands its outputs to that input, across runs of such layers (deleting the Dropout in
 * dense → dropout → dense_2 leaves dense → dense_2), unless the link already exists.
 */
export function removeNodes(graph: ModelGraph, ids: string[], options: { reconnect?: boolean } = {}): Edit {
  const gone = new Set(ids.filter((id) => graph.nodes.some((n) => n.id === id)));
  const label = `delete ${describeLayers(graph, [...gone])}`;
  const edges = graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
  if (options.reconnect) {
    const nextEdge = edgeIds(graph);
    const upstream = (id: string): string | null => {
      const seen = new Set<string>();
      let cur = id;
      while (gone.has(cur) && !seen.has(cur)) {
        seen.add(cur);
        const feeding = graph.edges.filter((e) => e.target === cur);
        if (feeding.length !== 1) return null;
        cur = feeding[0]!.source;
      }
      return gone.has(cur) ? null : cur;
    };
    for (const e of graph.edges) {
      if (!gone.has(e.source) || gone.has(e.target)) continue;
      const source = upstream(e.source);
      if (source === null || edges.some((x) => x.source === source && x.target === e.target)) continue;
      edges.push({ id: nextEdge(), source, target: e.target, ...(e.targetPort !== undefined ? { targetPort: e.targetPort } : {}) });
    }
  }
  return { graph: { ...graph, nodes: graph.nodes.filter((n) => !gone.has(n.id)), edges }, label };
}

/** Names TF.js accepts for a layer (and Keras: no '/'). */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function renameNode(graph: ModelGraph, id: string, name: string): Checked {
  const node = nodeById(graph, id);
  const wanted = name.trim();
  if (wanted === node.name) return { ok: true, graph, label: `rename ${node.name}` };
  if (!wanted) return refuse('A layer needs a name');
  if (!NAME.test(wanted))
    return refuse(`'${wanted}' is not a usable layer name: use letters, digits, '_', '.' or '-', starting with a letter or digit`);
  const other = graph.nodes.find((n) => n.name === wanted && n.id !== id);
  if (other) return refuse(`'${wanted}' is already the name of another layer (${other.type}); layer names must be unique`);
  return { ok: true, graph: replaceNode(graph, { ...node, name: wanted }), label: `rename ${node.name} to ${wanted}` };
}

/**
 * Sets one parameter; `undefined` removes it, so the layer uses the default. Values are not
 * checked here: the analysis shows a bad value on the layer, and the user can keep typing.
 */
export function setParam(graph: ModelGraph, id: string, key: string, value: JsonValue | undefined): Edit {
  const node = nodeById(graph, id);
  const config = { ...node.config };
  if (value === undefined) delete config[key];
  else config[key] = structuredClone(value);
  return { graph: replaceNode(graph, { ...node, config }), label: `set ${key} of ${node.name}`, coalesceKey: `param:${id}:${key}` };
}

/** Moves layers to new top-left positions (as a drag ends); ids not in the graph are ignored. */
export function moveNodes(graph: ModelGraph, positions: Record<string, Point>): Edit {
  const ids = Object.keys(positions).filter((id) => graph.nodes.some((n) => n.id === id));
  const nodes = graph.nodes.map((n) => {
    const p = positions[n.id];
    return p ? { ...n, position: { x: p.x, y: p.y } } : n;
  });
  return { graph: { ...graph, nodes }, label: `move ${describeLayers(graph, ids)}`, coalesceKey: `move:${[...ids].sort().join(',')}` };
}

/** Moves layers by an offset (arrow keys); layers without a position start from (0, 0). */
export function offsetNodes(graph: ModelGraph, ids: string[], dx: number, dy: number): Edit {
  const positions: Record<string, Point> = {};
  for (const n of graph.nodes) if (ids.includes(n.id)) positions[n.id] = { x: (n.position?.x ?? 0) + dx, y: (n.position?.y ?? 0) + dy };
  return moveNodes(graph, positions);
}

/** Copies layers and the connections among them beside the originals, with fresh ids and unique names. */
export function duplicate(graph: ModelGraph, ids: string[], step: Point = { x: 40, y: 40 }): Edit & { ids: string[] } {
  const fragment = extractFragment(graph, ids);
  const out = insertFragment(graph, fragment, { step });
  return { graph: out.graph, ids: out.ids, label: `duplicate ${describeLayers(graph, fragment.nodes.map((n) => n.id))}` };
}
