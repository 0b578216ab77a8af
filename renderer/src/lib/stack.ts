/** Edits on a plain layer stack; each returns the new graph, keeping the layers' names. Pure. */
import { stackToGraph, type GraphNode, type JsonValue, type ModelGraph } from '../../../shared/graph.js';

export interface StackLayer {
  type: string;
  name?: string;
  config: { [key: string]: JsonValue };
}

export function rebuild(layers: StackLayer[]): ModelGraph {
  const graph = stackToGraph(layers.map((l) => ({ type: l.type, config: l.config })));
  // stackToGraph names layers after their type; keep a user's or template's name when it is unique.
  const counts = new Map<string, number>();
  for (const l of layers) if (l.name) counts.set(l.name, (counts.get(l.name) ?? 0) + 1);
  const taken = new Set<string>();
  graph.nodes.forEach((n, i) => {
    const own = layers[i]?.name;
    if (own && counts.get(own) === 1) n.name = own;
  });
  for (const n of graph.nodes) {
    let name = n.name;
    for (let k = 2; taken.has(name); k++) name = `${n.name}_${k}`;
    n.name = name;
    taken.add(name);
  }
  return graph;
}

export function toLayers(nodes: GraphNode[]): StackLayer[] {
  return nodes.map((n) => ({ type: n.type, name: n.name, config: n.config }));
}

export function moveLayer(layers: StackLayer[], from: number, to: number): StackLayer[] {
  if (to < 0 || to >= layers.length || from === to) return layers;
  const out = layers.slice();
  const [l] = out.splice(from, 1);
  out.splice(to, 0, l!);
  return out;
}

export function insertLayer(layers: StackLayer[], after: number, layer: StackLayer): StackLayer[] {
  const out = layers.slice();
  out.splice(Math.min(layers.length, after + 1), 0, layer);
  return out;
}

export function removeLayer(layers: StackLayer[], index: number): StackLayer[] {
  return layers.filter((_, i) => i !== index);
}
