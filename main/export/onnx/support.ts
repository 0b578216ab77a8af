/**
 * Which layers of a graph the ONNX export cannot write, and why, without exporting anything: the
 * export dialog and the graph editor call this before an export starts.
 */
import type { ModelGraph } from '../../../shared/graph.js';
import { withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph, incomingEdges } from '../../../shared/catalog/analyze.js';
import type { Shape } from '../../../shared/shape.js';
import { CONVERTERS } from './converters.js';

export interface OnnxSupport {
  supported: boolean;
  unsupported: { nodeId: string; layer: string; reason: string }[];
}

export function onnxSupport(graph: ModelGraph): OnnxSupport {
  const analysis = analyzeGraph(graph);
  const unsupported: OnnxSupport['unsupported'] = [];
  for (const n of graph.nodes) {
    if (n.type === 'Input') continue;
    const converter = CONVERTERS[n.type];
    if (!converter) {
      unsupported.push({ nodeId: n.id, layer: n.name, reason: `${n.type} has no ONNX mapping in Layerbench's exporter` });
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
    const reason = converter.unsupported?.(config, shapes.filter((s): s is Shape => s !== undefined)) ?? null;
    if (reason) unsupported.push({ nodeId: n.id, layer: n.name, reason: `${n.type} '${n.name}': ${reason}` });
  }
  return { supported: unsupported.length === 0, unsupported };
}
