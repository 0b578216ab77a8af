/** Checks a whole model graph: order, shapes, parameter counts, and every problem in plain words. */
import type { GraphEdge, GraphNode, ModelGraph } from '../graph.js';
import type { Shape } from '../shape.js';
import { getLayerSpec, withDefaults } from './index.js';
import { perSample } from './common.js';
import { ShapeError, type GraphAnalysis, type NodeAnalysis } from './types.js';

type Problem = GraphAnalysis['problems'][number];

/** The edges feeding a node, in port order (ties keep the graph's edge order). */
export function incomingEdges(graph: ModelGraph, nodeId: string): GraphEdge[] {
  return graph.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.target === nodeId)
    .sort((a, b) => (a.e.targetPort ?? 0) - (b.e.targetPort ?? 0) || a.i - b.i)
    .map(({ e }) => e);
}

export function analyzeGraph(graph: ModelGraph): GraphAnalysis {
  const problems: Problem[] = [];
  const nodes: Record<string, NodeAnalysis> = {};
  const byId = new Map<string, GraphNode>();
  const names = new Map<string, string>();
  for (const n of graph.nodes) {
    nodes[n.id] = { id: n.id, params: { trainable: 0, nonTrainable: 0 } };
    if (byId.has(n.id)) problems.push({ nodeId: n.id, message: `Two layers share the id '${n.id}'` });
    byId.set(n.id, n);
    if (names.has(n.name)) problems.push({ nodeId: n.id, message: `Two layers are named '${n.name}'; layer names must be unique` });
    names.set(n.name, n.id);
  }
  const fail = (n: GraphNode, message: string, hint?: string) => {
    const na = nodes[n.id]!;
    na.error = message;
    if (hint) na.hint = hint;
    // Spec messages start with the layer type; name the layer too in the graph-wide list.
    const named = message.startsWith(n.type + ' ') ? `${n.type} '${n.name}' ${message.slice(n.type.length + 1)}` : `${n.name}: ${message}`;
    problems.push({ nodeId: n.id, message: named, ...(hint ? { hint } : {}) });
  };

  const edges = graph.edges.filter((e) => {
    const ok = byId.has(e.source) && byId.has(e.target);
    if (!ok) problems.push({ nodeId: null, message: `Connection ${e.id} refers to a layer that does not exist (${byId.has(e.source) ? e.target : e.source})` });
    return ok;
  });
  const clean: ModelGraph = { ...graph, edges };

  const order = topologicalOrder(clean);
  if (order.length < graph.nodes.length) {
    const cycle = findCycle(clean, new Set(order));
    problems.push({ nodeId: cycle[0] ?? null, message: `The graph has a cycle through ${cycle.map((id) => byId.get(id)?.name ?? id).join(' → ')}` });
  }

  if (graph.nodes.length === 0) problems.push({ nodeId: null, message: 'The model is empty; add an Input layer' });
  else if (!graph.nodes.some((n) => n.type === 'Input')) problems.push({ nodeId: null, message: 'The model has no Input layer; add one and connect it to the first layer' });

  const shapes = new Map<string, Shape>();
  for (const id of order) {
    const n = byId.get(id)!;
    const na = nodes[id]!;
    const spec = getLayerSpec(n.type);
    if (!spec) {
      fail(n, `Unknown layer type '${n.type}'`);
      continue;
    }
    const feeding = incomingEdges(clean, id);
    const { min, max } = spec.inputs;
    if (feeding.length < min || feeding.length > max) {
      fail(n, inputCountMessage(n.type, min, max, feeding.length));
      continue;
    }
    if (n.type === 'Input' && graph.nodes.length > 1 && !edges.some((e) => e.source === id)) {
      fail(n, 'Input is not connected to any layer');
    }
    let config;
    try {
      config = withDefaults(n.type, n.config);
    } catch (e) {
      fail(n, (e as Error).message);
      continue;
    }
    const inShapes = feeding.map((e) => shapes.get(e.source));
    // Below an error there is nothing to check: the error above says what to fix.
    if (inShapes.some((s) => s === undefined)) continue;
    try {
      const out = spec.outputShape(inShapes as Shape[], config);
      const params = spec.paramCount(inShapes as Shape[], config);
      const flops = spec.flops(inShapes as Shape[], out, config);
      shapes.set(id, out);
      na.outputShape = out;
      na.params = params;
      na.flops = flops;
      na.activations = perSample(out);
    } catch (e) {
      if (e instanceof ShapeError) fail(n, e.message, e.hint);
      else fail(n, (e as Error).message);
    }
  }

  let trainable = 0;
  let total = 0;
  let flops = 0;
  let activations = 0;
  for (const na of Object.values(nodes)) {
    trainable += na.params.trainable;
    total += na.params.trainable + na.params.nonTrainable;
    flops += na.flops ?? 0;
    activations += na.activations ?? 0;
  }
  const sources = new Set(edges.map((e) => e.source));
  return {
    nodes,
    order,
    inputs: graph.nodes.filter((n) => n.type === 'Input').map((n) => n.id),
    outputs: graph.nodes.filter((n) => !sources.has(n.id) && n.type !== 'Input').map((n) => n.id),
    totalParams: total,
    trainableParams: trainable,
    flopsPerSample: flops,
    activationsPerSample: activations,
    problems,
    valid: problems.length === 0,
  };
}

function inputCountMessage(type: string, min: number, max: number, got: number): string {
  if (max === 0) return `${type} takes no inputs; got ${got}`;
  if (min === max) return `${type} needs ${min} input${min === 1 ? '' : 's'}; got ${got}`;
  if (got < min) return `${type} needs at least ${min} inputs; got ${got}`;
  return `${type} takes at most ${max} inputs; got ${got}`;
}

/** Kahn's algorithm, stable in the graph's node order. Nodes on or below a cycle are left out. */
function topologicalOrder(graph: ModelGraph): string[] {
  const indegree = new Map(graph.nodes.map((n) => [n.id, 0]));
  for (const e of graph.edges) indegree.set(e.target, (indegree.get(e.target) ?? 0) + 1);
  const ready = graph.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  const done = new Set<string>();
  while (ready.length > 0) {
    const id = ready.shift()!;
    if (done.has(id)) continue;
    done.add(id);
    order.push(id);
    for (const e of graph.edges) {
      if (e.source !== id) continue;
      const d = (indegree.get(e.target) ?? 0) - 1;
      indegree.set(e.target, d);
      if (d === 0) ready.push(e.target);
    }
  }
  return order;
}

/** A cycle among the nodes Kahn could not order, as ids with the first repeated at the end. */
function findCycle(graph: ModelGraph, ordered: Set<string>): string[] {
  const rest = graph.nodes.map((n) => n.id).filter((id) => !ordered.has(id));
  const next = new Map<string, string[]>();
  for (const e of graph.edges) if (!ordered.has(e.source) && !ordered.has(e.target)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const state = new Map<string, 'open' | 'closed'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    path.push(id);
    for (const t of next.get(id) ?? []) {
      if (state.get(t) === 'open') return [...path.slice(path.indexOf(t)), t];
      if (!state.has(t)) {
        const c = visit(t);
        if (c) return c;
      }
    }
    path.pop();
    state.set(id, 'closed');
    return null;
  };
  for (const id of rest) {
    if (state.has(id)) continue;
    const c = visit(id);
    if (c) return c;
  }
  return rest;
}
