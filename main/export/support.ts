/**
 * Which layers of a graph an exporter cannot write, and why, before anything is written: each
 * exporter gives its table of layer types (with an optional per-config refusal), and this walks
 * the graph with the shapes each layer receives. The export dialog, the graph editor's export
 * targets, the CLI and the exports themselves ask through onnxSupport and pythonSupport.
 */
import type { ModelGraph } from '../../shared/graph.js';
import type { JsonValue } from '../../shared/graph.js';
import { withDefaults } from '../../shared/catalog/index.js';
import { analyzeGraph, incomingEdges } from '../../shared/catalog/analyze.js';
import type { Shape } from '../../shared/shape.js';

export interface LayerSupport {
  supported: boolean;
  unsupported: { nodeId: string; layer: string; reason: string }[];
}

/** What an exporter knows of one layer type: why a given config cannot be written (null: it can). */
export interface LayerWriter {
  unsupported?(config: Record<string, JsonValue>, inputShapes: Shape[]): string | null;
}

/** `missing(type)` says why a type the table lacks cannot be written. */
export function layerSupport(graph: ModelGraph, writers: Readonly<Record<string, LayerWriter | undefined>>, missing: (type: string) => string): LayerSupport {
  const analysis = analyzeGraph(graph);
  const unsupported: LayerSupport['unsupported'] = [];
  for (const n of graph.nodes) {
    if (n.type === 'Input') continue;
    const writer = writers[n.type];
    if (!writer) {
      unsupported.push({ nodeId: n.id, layer: n.name, reason: missing(n.type) });
      continue;
    }
    let config;
    try {
      config = withDefaults(n.type, n.config);
    } catch (e) {
      unsupported.push({ nodeId: n.id, layer: n.name, reason: (e as Error).message });
      continue;
    }
    const shapes = incomingEdges(graph, n.id).map((e) => analysis.nodes[e.source]?.outputShape);
    const reason = writer.unsupported?.(config, shapes.filter((s): s is Shape => s !== undefined)) ?? null;
    if (reason) unsupported.push({ nodeId: n.id, layer: n.name, reason: `${n.type} '${n.name}': ${reason}` });
  }
  return { supported: unsupported.length === 0, unsupported };
}
