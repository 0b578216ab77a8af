/**
 * Automatic top-to-bottom layout of a model graph, Sugiyama-lite: longest-path layers, dummy
 * nodes on long edges, barycentre ordering to reduce crossings, then x positions pulled toward
 * each node's neighbours without overlap. Deterministic: the same graph always gets the same picture.
 */
import type { ModelGraph } from '../graph.js';
import type { Point } from './fragment.js';

export interface NodeSize {
  width: number;
  height: number;
}

/** The size the editor draws a layer at; positions are top-left corners, as in xyflow. */
export const NODE_SIZE: NodeSize = { width: 200, height: 64 };
export const GAP_X = 40;
export const GAP_Y = 56;
/** Vertical distance between the tops of two rows. */
export const ROW_STEP = NODE_SIZE.height + GAP_Y;

export interface LayoutOptions {
  node?: NodeSize;
  gapX?: number;
  gapY?: number;
  origin?: Point;
}

/** Width a long edge's bend point takes in its row: enough to keep edges off the layers. */
const DUMMY_WIDTH = 20;
const ORDER_SWEEPS = 24;
const PLACE_SWEEPS = 12;

interface Item {
  id: string;
  dummy: boolean;
  width: number;
  up: Item[];
  down: Item[];
  x: number;
}

export function layoutGraph(graph: ModelGraph, options: LayoutOptions = {}): ModelGraph {
  const size = options.node ?? NODE_SIZE;
  const gapX = options.gapX ?? GAP_X;
  const gapY = options.gapY ?? GAP_Y;
  const origin = options.origin ?? { x: 0, y: 0 };
  if (graph.nodes.length === 0) return graph;

  const ids = graph.nodes.map((n) => n.id);
  const known = new Set(ids);
  const links = uniqueLinks(graph, known);
  const linked = new Set(links.flatMap(([s, t]) => [s, t]));
  const main = ids.filter((id) => linked.has(id));
  const loose = ids.filter((id) => !linked.has(id));

  const forward = acyclic(main, links);
  const layerOf = longestPath(main, forward);
  const rows = buildRows(main, forward, layerOf, size.width);
  orderRows(rows);
  placeRows(rows, gapX);

  const positions = new Map<string, Point>();
  let right = origin.x;
  if (rows.length > 0) {
    const left = Math.min(...rows.flatMap((row) => row.map((it) => it.x - it.width / 2)));
    rows.forEach((row, r) => {
      for (const it of row) {
        const x = Math.round(origin.x + it.x - it.width / 2 - left);
        right = Math.max(right, x + it.width + 2 * gapX);
        if (!it.dummy) positions.set(it.id, { x, y: origin.y + r * (size.height + gapY) });
      }
    });
  }
  // Layers with no connections at all stand in a column to the right, in graph order.
  loose.forEach((id, i) => positions.set(id, { x: rows.length > 0 ? right : origin.x, y: origin.y + i * (size.height + gapY) }));

  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: positions.get(n.id)! })) };
}

/** Bounding box of every positioned layer (drawn at `size`); all zero for an empty graph. */
export function fitBounds(graph: ModelGraph, size: NodeSize = NODE_SIZE): { x: number; y: number; width: number; height: number } {
  const placed = graph.nodes.flatMap((n) => (n.position ? [n.position] : []));
  if (placed.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  const x = Math.min(...placed.map((p) => p.x));
  const y = Math.min(...placed.map((p) => p.y));
  const width = Math.max(...placed.map((p) => p.x + size.width)) - x;
  const height = Math.max(...placed.map((p) => p.y + size.height)) - y;
  return { x, y, width, height };
}

/** Source → target pairs between existing layers, without repeats or self loops. */
function uniqueLinks(graph: ModelGraph, known: Set<string>): [string, string][] {
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const e of graph.edges) {
    const key = `${e.source}\u0000${e.target}`;
    if (e.source === e.target || !known.has(e.source) || !known.has(e.target) || seen.has(key)) continue;
    seen.add(key);
    out.push([e.source, e.target]);
  }
  return out;
}

/** The links with those that close a cycle turned around (a depth-first search in graph order finds them). */
function acyclic(ids: string[], links: [string, string][]): [string, string][] {
  const next = new Map<string, string[]>();
  for (const [s, t] of links) next.set(s, [...(next.get(s) ?? []), t]);
  const state = new Map<string, 'open' | 'done'>();
  const back = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const t of next.get(id) ?? []) {
      if (state.get(t) === 'open') back.add(`${id}\u0000${t}`);
      else if (!state.has(t)) visit(t);
    }
    state.set(id, 'done');
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  return links.map(([s, t]) => (back.has(`${s}\u0000${t}`) ? [t, s] : [s, t]));
}

/** Each layer one row below its lowest input: every layer sits below everything that feeds it. */
function longestPath(ids: string[], links: [string, string][]): Map<string, number> {
  const indegree = new Map(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>();
  for (const [s, t] of links) {
    indegree.set(t, (indegree.get(t) ?? 0) + 1);
    next.set(s, [...(next.get(s) ?? []), t]);
  }
  const layer = new Map(ids.map((id) => [id, 0]));
  const ready = ids.filter((id) => indegree.get(id) === 0);
  while (ready.length > 0) {
    const id = ready.shift()!;
    for (const t of next.get(id) ?? []) {
      layer.set(t, Math.max(layer.get(t)!, layer.get(id)! + 1));
      const d = indegree.get(t)! - 1;
      indegree.set(t, d);
      if (d === 0) ready.push(t);
    }
  }
  return layer;
}

/** Rows of items, with a dummy item in every row a long edge crosses. */
function buildRows(ids: string[], links: [string, string][], layerOf: Map<string, number>, width: number): Item[][] {
  const rows: Item[][] = [];
  const items = new Map<string, Item>();
  const add = (item: Item, r: number) => {
    while (rows.length <= r) rows.push([]);
    rows[r]!.push(item);
    item.x = rows[r]!.length;
  };
  for (const id of ids) {
    const item: Item = { id, dummy: false, width, up: [], down: [], x: 0 };
    items.set(id, item);
    add(item, layerOf.get(id)!);
  }
  links.forEach(([s, t], k) => {
    let from = items.get(s)!;
    const to = items.get(t)!;
    for (let r = layerOf.get(s)! + 1; r < layerOf.get(t)!; r++) {
      const dummy: Item = { id: `dummy${k}_${r}`, dummy: true, width: DUMMY_WIDTH, up: [from], down: [], x: 0 };
      from.down.push(dummy);
      add(dummy, r);
      from = dummy;
    }
    from.down.push(to);
    to.up.push(from);
  });
  return rows;
}

/** Barycentre sweeps, down then up, keeping the order with the fewest crossings. */
function orderRows(rows: Item[][]): void {
  const index = () => rows.forEach((row) => row.forEach((it, i) => (it.x = i)));
  index();
  let best = rows.map((row) => row.slice());
  let bestCrossings = crossings(rows);
  for (let sweep = 0; sweep < ORDER_SWEEPS && bestCrossings > 0; sweep++) {
    const downward = sweep % 2 === 0;
    const range = downward ? rows.keys() : [...rows.keys()].reverse();
    for (const r of range) {
      const row = rows[r]!;
      const keyed = row.map((it) => {
        const near = downward ? it.up : it.down;
        return { it, key: near.length > 0 ? near.reduce((a, n) => a + n.x, 0) / near.length : it.x };
      });
      keyed.sort((a, b) => a.key - b.key);
      rows[r] = keyed.map((k) => k.it);
      rows[r]!.forEach((it, i) => (it.x = i));
    }
    const c = crossings(rows);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = rows.map((row) => row.slice());
    }
  }
  best.forEach((row, r) => (rows[r] = row));
  index();
}

function crossings(rows: Item[][]): number {
  let count = 0;
  for (const row of rows) {
    const segs = row.flatMap((it) => it.down.map((d) => [it.x, d.x] as const));
    for (let i = 0; i < segs.length; i++)
      for (let j = i + 1; j < segs.length; j++) {
        const [a1, b1] = segs[i]!;
        const [a2, b2] = segs[j]!;
        if ((a1 - a2) * (b1 - b2) < 0) count++;
      }
  }
  return count;
}

/** Centre x of every item: packed rows, then sweeps pulling each item toward the mean of its neighbours. */
function placeRows(rows: Item[][], gap: number): void {
  for (const row of rows) {
    let x = 0;
    row.forEach((it, i) => {
      if (i > 0) x += (row[i - 1]!.width + it.width) / 2 + gap;
      it.x = x;
    });
  }
  for (let sweep = 0; sweep < PLACE_SWEEPS; sweep++) {
    const downward = sweep % 2 === 0;
    const range = downward ? [...rows.keys()].slice(1) : [...rows.keys()].reverse().slice(1);
    for (const r of range) {
      const row = rows[r]!;
      const wanted = row.map((it) => {
        const near = downward ? it.up : it.down;
        return near.length > 0 ? near.reduce((a, n) => a + n.x, 0) / near.length : it.x;
      });
      const xs = closestSpaced(
        wanted,
        row.map((it, i) => (i === 0 ? 0 : (row[i - 1]!.width + it.width) / 2 + gap)),
      );
      row.forEach((it, i) => (it.x = xs[i]!));
    }
  }
}

/**
 * Positions as close as possible (least squares) to `wanted`, keeping order and at least `gaps[i]`
 * between item i-1 and item i. Subtracting the running gap turns this into isotonic regression,
 * solved exactly by pooling adjacent violators.
 */
export function closestSpaced(wanted: number[], gaps: number[]): number[] {
  const offset: number[] = [];
  let acc = 0;
  wanted.forEach((_, i) => {
    acc += i === 0 ? 0 : gaps[i]!;
    offset.push(acc);
  });
  const blocks: { sum: number; count: number }[] = [];
  wanted.forEach((w, i) => {
    blocks.push({ sum: w - offset[i]!, count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sum / a.count <= b.sum / b.count) break;
      blocks.pop();
      a.sum += b.sum;
      a.count += b.count;
    }
  });
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) out.push(b.sum / b.count + offset[out.length]!);
  return out;
}
