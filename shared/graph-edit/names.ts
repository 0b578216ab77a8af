/** Fresh ids and unique layer names, shared by the edits and the clipboard. */
import { snakeCase, type ModelGraph } from '../graph.js';

/**
 * The name a new layer of `type` gets: its snake_case type, then `_2`, `_3`... while taken.
 * The same scheme as stackToGraph (dense, dense_2), so templates and edits agree.
 */
export function uniqueName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  // 'dense_2' pasted next to 'dense_2' becomes 'dense_3', not 'dense_2_2'.
  const stem = wanted.replace(/_\d+$/, '') || wanted;
  for (let k = 2; ; k++) {
    const name = `${stem}_${k}`;
    if (!taken.has(name)) return name;
  }
}

export function baseName(type: string): string {
  return snakeCase(type);
}

/** Hands out ids `${prefix}${k}` above every such id already in use, so ids are never reused within a graph. */
export function idMaker(used: Iterable<string>, prefix: string): () => string {
  const pattern = new RegExp(`^${prefix}(\\d+)$`);
  let max = 0;
  for (const id of used) {
    const m = pattern.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return () => `${prefix}${++max}`;
}

export function nodeIds(graph: ModelGraph): () => string {
  return idMaker(
    graph.nodes.map((n) => n.id),
    'n',
  );
}

export function edgeIds(graph: ModelGraph): () => string {
  return idMaker(
    graph.edges.map((e) => e.id),
    'e',
  );
}

export function takenNames(graph: ModelGraph): Set<string> {
  return new Set(graph.nodes.map((n) => n.name));
}
