/**
 * The model format: a graph of Keras-style layers. Plain JSON, so it can be stored,
 * diffed, sent over the api and turned into Keras JSON or a TF.js model.
 * A node's `type` is the Keras class name ("Dense", "LSTM"); its `config` holds the
 * Keras config keys in snake_case ("units", "return_sequences").
 * Inputs are nodes of type "Input" (config.shape excludes the batch dimension);
 * outputs are the nodes nothing else consumes.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface GraphNode {
  id: string;
  type: string;
  name: string;
  config: { [key: string]: JsonValue };
  position?: { x: number; y: number };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Which input of a multi-input layer (Concatenate, Add) this edge feeds; 0 otherwise. */
  targetPort?: number;
}

export interface ModelGraph {
  version: 1;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Builds a graph from a plain stack of layers, each feeding the next. */
export function stackToGraph(layers: { type: string; config: GraphNode['config'] }[]): ModelGraph {
  const used = new Map<string, number>();
  const nodes: GraphNode[] = layers.map((l, i) => {
    const base = snakeCase(l.type);
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    return { id: `n${i + 1}`, type: l.type, name: n === 1 ? base : `${base}_${n}`, config: l.config, position: { x: 0, y: i * 90 } };
  });
  const edges: GraphEdge[] = nodes.slice(1).map((node, i) => ({ id: `e${i + 1}`, source: nodes[i]!.id, target: node.id }));
  return { version: 1, nodes, edges };
}

/**
 * Reads a graph back as a stack when it is one (each node feeds only the next).
 * Returns null for branching graphs, which the stack editor cannot show.
 */
export function graphToStack(graph: ModelGraph): GraphNode[] | null {
  if (graph.nodes.length === 0) return [];
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const e of graph.edges) {
    incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
    outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
  }
  const starts = graph.nodes.filter((n) => !incoming.has(n.id));
  if (starts.length !== 1) return null;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const order: GraphNode[] = [];
  let cur: GraphNode | undefined = starts[0];
  const seen = new Set<string>();
  while (cur && !seen.has(cur.id)) {
    seen.add(cur.id);
    order.push(cur);
    const next: string[] = outgoing.get(cur.id) ?? [];
    if (next.length > 1) return null;
    cur = next[0] ? byId.get(next[0]) : undefined;
    if (cur && (incoming.get(cur.id)?.length ?? 0) > 1) return null;
  }
  return order.length === graph.nodes.length ? order : null;
}

/** A layer type as Keras names its layers: Conv2D → conv2d, MaxPooling2D → max_pooling2d, SimpleRNN → simple_rnn. */
export function snakeCase(type: string): string {
  return type
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
