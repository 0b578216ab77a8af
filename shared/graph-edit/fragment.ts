/** A piece of a graph (some layers and the connections among them), cut out or put in with fresh ids and names. */
import type { GraphEdge, GraphNode, ModelGraph } from '../graph.js';
import { edgeIds, nodeIds, takenNames, uniqueName } from './names.js';

export interface Fragment {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface Point {
  x: number;
  y: number;
}

/** The chosen layers (in graph order) and the connections among them; copies, not shared objects. */
export function extractFragment(graph: ModelGraph, ids: Iterable<string>): Fragment {
  const chosen = new Set(ids);
  const nodes = graph.nodes.filter((n) => chosen.has(n.id));
  const edges = graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target));
  return structuredClone({ nodes, edges });
}

/**
 * Where a fragment lands: `at` puts its top-left corner there; otherwise it moves by `step`
 * (repeatedly, so a second paste does not hide under the first) until no layer sits on another.
 */
export type Placement = { at: Point } | { step: Point };

/** Adds a fragment with fresh ids and unique names; returns the new graph and the new node ids in fragment order. */
export function insertFragment(graph: ModelGraph, fragment: Fragment, placement: Placement): { graph: ModelGraph; ids: string[] } {
  const nextNode = nodeIds(graph);
  const nextEdge = edgeIds(graph);
  const taken = takenNames(graph);
  const shift = offsetFor(graph, fragment, placement);
  const idMap = new Map<string, string>();
  const nodes = fragment.nodes.map((n): GraphNode => {
    const id = nextNode();
    idMap.set(n.id, id);
    const name = uniqueName(n.name, taken);
    taken.add(name);
    const node: GraphNode = { id, type: n.type, name, config: structuredClone(n.config) };
    if (n.position) node.position = { x: n.position.x + shift.x, y: n.position.y + shift.y };
    return node;
  });
  const edges = fragment.edges.flatMap((e): GraphEdge[] => {
    const source = idMap.get(e.source);
    const target = idMap.get(e.target);
    if (!source || !target) return [];
    return [{ id: nextEdge(), source, target, ...(e.targetPort !== undefined ? { targetPort: e.targetPort } : {}) }];
  });
  return { graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] }, ids: nodes.map((n) => n.id) };
}

/** Two layers closer than this on both axes count as on top of each other. */
const NEAR = 8;
const MAX_STEPS = 100;

function offsetFor(graph: ModelGraph, fragment: Fragment, placement: Placement): Point {
  const placed = fragment.nodes.flatMap((n) => (n.position ? [n.position] : []));
  if (placed.length === 0) return { x: 0, y: 0 };
  if ('at' in placement) {
    const left = Math.min(...placed.map((p) => p.x));
    const top = Math.min(...placed.map((p) => p.y));
    return { x: placement.at.x - left, y: placement.at.y - top };
  }
  const existing = graph.nodes.flatMap((n) => (n.position ? [n.position] : []));
  const { step } = placement;
  for (let k = 1; k < MAX_STEPS; k++) {
    const dx = step.x * k;
    const dy = step.y * k;
    const clash = placed.some((p) => existing.some((q) => Math.abs(p.x + dx - q.x) < NEAR && Math.abs(p.y + dy - q.y) < NEAR));
    if (!clash) return { x: dx, y: dy };
  }
  return { x: step.x * MAX_STEPS, y: step.y * MAX_STEPS };
}
