/**
 * What changed between two versions of a model, layer by layer (matched by name, as Keras
 * matches weights). Defaults are filled in first, so `{}` and `{units: 32}` on a Dense are the same.
 * Positions are not compared: moving a layer does not change the model.
 */
import type { JsonValue, ModelGraph } from '../graph.js';
import { fullConfig, sameJson } from './config.js';

export interface LayerRef {
  name: string;
  type: string;
}

export interface ParamChange {
  key: string;
  /** undefined: the layer had no such parameter (its type changed). */
  from: JsonValue | undefined;
  to: JsonValue | undefined;
}

export interface LayerChange {
  name: string;
  /** Present when the layer's type changed. */
  type?: { from: string; to: string };
  params: ParamChange[];
}

export interface Connection {
  source: string;
  target: string;
  /** Which input of the target (0 for single-input layers). */
  port: number;
}

export interface GraphDiff {
  added: LayerRef[];
  removed: LayerRef[];
  changed: LayerChange[];
  connections: { added: Connection[]; removed: Connection[] };
  /** True when nothing differs. */
  same: boolean;
}

export function diffGraphs(before: ModelGraph, after: ModelGraph): GraphDiff {
  const old = new Map(before.nodes.map((n) => [n.name, n]));
  const now = new Map(after.nodes.map((n) => [n.name, n]));
  const added = after.nodes.filter((n) => !old.has(n.name)).map((n) => ({ name: n.name, type: n.type }));
  const removed = before.nodes.filter((n) => !now.has(n.name)).map((n) => ({ name: n.name, type: n.type }));
  const changed: LayerChange[] = [];
  for (const b of after.nodes) {
    const a = old.get(b.name);
    if (!a) continue;
    const ca = fullConfig(a.type, a.config);
    const cb = fullConfig(b.type, b.config);
    const keys = [...Object.keys(ca), ...Object.keys(cb).filter((k) => !(k in ca))];
    const params = keys.filter((k) => !sameJson(ca[k], cb[k])).map((k) => ({ key: k, from: ca[k], to: cb[k] }));
    if (a.type !== b.type || params.length > 0) changed.push({ name: b.name, ...(a.type !== b.type ? { type: { from: a.type, to: b.type } } : {}), params });
  }
  const ca = connections(before);
  const cb = connections(after);
  const keyOf = (c: Connection) => `${c.source}\u0000${c.target}\u0000${c.port}`;
  const ka = new Set(ca.map(keyOf));
  const kb = new Set(cb.map(keyOf));
  const conn = { added: cb.filter((c) => !ka.has(keyOf(c))), removed: ca.filter((c) => !kb.has(keyOf(c))) };
  const same = added.length + removed.length + changed.length + conn.added.length + conn.removed.length === 0;
  return { added, removed, changed, connections: conn, same };
}

function connections(graph: ModelGraph): Connection[] {
  const name = new Map(graph.nodes.map((n) => [n.id, n.name]));
  return graph.edges.flatMap((e) => {
    const source = name.get(e.source);
    const target = name.get(e.target);
    return source !== undefined && target !== undefined ? [{ source, target, port: e.targetPort ?? 0 }] : [];
  });
}

/** The diff as lines for a person: "Added Dense 'dense_3'", "dense: units 32 → 64". */
export function describeDiff(diff: GraphDiff): string[] {
  const v = (x: JsonValue | undefined) => (x === undefined ? '(none)' : JSON.stringify(x));
  const port = (c: Connection) => (c.port > 0 ? ` (input ${c.port + 1})` : '');
  return [
    ...diff.added.map((l) => `Added ${l.type} '${l.name}'`),
    ...diff.removed.map((l) => `Removed ${l.type} '${l.name}'`),
    ...diff.changed.flatMap((c) => [
      ...(c.type ? [`${c.name}: type ${c.type.from} → ${c.type.to}`] : []),
      ...c.params.map((p) => `${c.name}: ${p.key} ${v(p.from)} → ${v(p.to)}`),
    ]),
    ...diff.connections.added.map((c) => `Connected ${c.source} → ${c.target}${port(c)}`),
    ...diff.connections.removed.map((c) => `Disconnected ${c.source} → ${c.target}${port(c)}`),
  ];
}
