/**
 * Copy and paste of layers as plain JSON text, so it goes through the system clipboard and
 * between windows. Paste also takes a Keras model JSON (model.to_json(), a TF.js model.json).
 */
import type { GraphEdge, GraphNode, JsonValue, ModelGraph } from '../graph.js';
import { getLayerSpec } from '../catalog/index.js';
import { kerasJsonToGraph } from '../keras.js';
import { extractFragment, insertFragment, type Fragment, type Point } from './fragment.js';
import type { Checked } from './edit.js';

export const CLIPBOARD_FORMAT = 'layerbench/layers';

export interface ClipboardPayload extends Fragment {
  format: typeof CLIPBOARD_FORMAT;
  version: 1;
}

/** The selected layers and the connections among them, as text for the clipboard. */
export function copySelection(graph: ModelGraph, ids: Iterable<string>): string {
  const payload: ClipboardPayload = { format: CLIPBOARD_FORMAT, version: 1, ...extractFragment(graph, ids) };
  return JSON.stringify(payload);
}

export interface PasteOptions {
  /** Put the pasted layers' top-left corner here (where the pointer is); else beside the originals. */
  at?: Point;
  /** How far each paste moves from the copied position; repeated until nothing overlaps. */
  step?: Point;
}

/**
 * Adds the clipboard's layers with fresh ids and names made unique in `graph`
 * (dense stays dense when free, else dense_2...). Returns the new layers' ids to select them.
 */
export function pasteClipboard(graph: ModelGraph, text: string, options: PasteOptions = {}): Checked<{ ids: string[] }> {
  const read = readClipboard(text);
  if ('reason' in read) return { ok: false, reason: read.reason };
  const placement = options.at ? { at: options.at } : { step: options.step ?? { x: 40, y: 40 } };
  const out = insertFragment(graph, read.fragment, placement);
  const label = out.ids.length === 1 ? `paste ${read.fragment.nodes[0]!.type}` : `paste ${out.ids.length} layers`;
  return { ok: true, graph: out.graph, ids: out.ids, label };
}

const NOT_LAYERS = 'The clipboard does not hold Layerbench layers';

/** The fragment in clipboard text, or why there is none. */
export function readClipboard(text: string): { fragment: Fragment } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const preview = text.trim().slice(0, 40);
    return { reason: `${NOT_LAYERS}: it holds ${preview ? `text ("${preview}${text.trim().length > 40 ? '…' : ''}")` : 'nothing'}, not layers copied from the model editor` };
  }
  if (!isObj(json)) return { reason: `${NOT_LAYERS}: it holds JSON, but not an object of copied layers` };
  if (json['format'] !== CLIPBOARD_FORMAT) {
    if ('class_name' in json || 'modelTopology' in json || 'model_config' in json) return fromKeras(json);
    return { reason: `${NOT_LAYERS}: it holds JSON without format '${CLIPBOARD_FORMAT}'` };
  }
  if (json['version'] !== 1) return { reason: `The clipboard holds layers from a newer Layerbench (format version ${String(json['version'])}); this one reads version 1` };
  const nodes = json['nodes'];
  const edges = json['edges'];
  if (!Array.isArray(nodes) || !Array.isArray(edges)) return { reason: `${NOT_LAYERS}: its nodes or edges list is missing` };
  const outNodes: GraphNode[] = [];
  for (const [i, n] of nodes.entries()) {
    if (!isObj(n) || typeof n['id'] !== 'string' || typeof n['type'] !== 'string' || typeof n['name'] !== 'string' || !isObj(n['config']))
      return { reason: `${NOT_LAYERS}: layer ${i + 1} is not an {id, type, name, config} object` };
    if (!getLayerSpec(n['type'])) return { reason: `The clipboard's layer '${n['name']}' is a ${n['type']}, which this version of Layerbench does not know` };
    const p = n['position'];
    const node: GraphNode = { id: n['id'], type: n['type'], name: n['name'], config: n['config'] as GraphNode['config'] };
    if (isObj(p) && typeof p['x'] === 'number' && typeof p['y'] === 'number') node.position = { x: p['x'], y: p['y'] };
    outNodes.push(node);
  }
  const ids = new Set(outNodes.map((n) => n.id));
  const outEdges: GraphEdge[] = [];
  for (const [i, e] of edges.entries()) {
    if (!isObj(e) || typeof e['source'] !== 'string' || typeof e['target'] !== 'string' || !ids.has(e['source']) || !ids.has(e['target']))
      return { reason: `${NOT_LAYERS}: connection ${i + 1} does not join two of its layers` };
    const port = e['targetPort'];
    outEdges.push({ id: typeof e['id'] === 'string' ? e['id'] : `e${i + 1}`, source: e['source'], target: e['target'], ...(typeof port === 'number' ? { targetPort: port } : {}) });
  }
  if (outNodes.length === 0) return { reason: 'The clipboard holds no layers' };
  return { fragment: { nodes: outNodes, edges: outEdges } };
}

function fromKeras(json: { [key: string]: unknown }): { fragment: Fragment } | { reason: string } {
  try {
    const g = kerasJsonToGraph(json);
    return { fragment: { nodes: g.nodes, edges: g.edges } };
  } catch (e) {
    return { reason: `The clipboard holds a Keras model that cannot be pasted: ${(e as Error).message}` };
  }
}

function isObj(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
