/**
 * Which layers of a graph the Python (PyTorch) export cannot write, and why, before anything is
 * written: the export dialog, the CLI and the export itself ask here (as onnxSupport does for ONNX).
 */
import type { ModelGraph } from '../../../shared/graph.js';
import { withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph, incomingEdges } from '../../../shared/catalog/analyze.js';
import type { Shape } from '../../../shared/shape.js';
import { TORCH_LAYERS } from './torch-layers.js';

export interface PythonSupport {
  supported: boolean;
  unsupported: { nodeId: string; layer: string; reason: string }[];
}

export function pythonSupport(graph: ModelGraph): PythonSupport {
  const analysis = analyzeGraph(graph);
  const unsupported: PythonSupport['unsupported'] = [];
  for (const n of graph.nodes) {
    if (n.type === 'Input') continue;
    const layer = TORCH_LAYERS[n.type];
    if (!layer) {
      unsupported.push({ nodeId: n.id, layer: n.name, reason: `${n.type} has no torch.nn equivalent in Layerbench's Python export` });
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
    const reason = layer.unsupported?.(config, shapes.filter((s): s is Shape => s !== undefined)) ?? null;
    if (reason) unsupported.push({ nodeId: n.id, layer: n.name, reason: `${n.type} '${n.name}': ${reason}` });
  }
  return { supported: unsupported.length === 0, unsupported };
}
