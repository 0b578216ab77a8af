/** Model graph + analysis → the nodes and edges xyflow draws. Pure, so it is unit-tested. */
import { getLayerSpec } from '../../../../shared/catalog/index.js';
import type { GraphAnalysis } from '../../../../shared/catalog/types.js';
import type { JsonValue, ModelGraph } from '../../../../shared/graph.js';
import { formatShape } from '../../../../shared/shape.js';
import type { LayerFlowNode, ShapeFlowEdge } from './types.js';

/** The settings worth reading on the node itself, in this order, when the layer has them. */
const KEY_PARAMS = ['units', 'filters', 'kernel_size', 'pool_size', 'rate', 'shape', 'target_shape', 'output_dim', 'layer', 'activation', 'axis'];

export function nodeSummary(type: string, config: Record<string, JsonValue>): string {
  const parts: string[] = [];
  for (const key of KEY_PARAMS) {
    const v = config[key];
    if (v === undefined || v === null) continue;
    if (key === 'activation' && v === 'linear') continue;
    if (Array.isArray(v)) parts.push(key === 'shape' || key === 'target_shape' ? `(${v.join(', ')})` : v.join('×'));
    else parts.push(key === 'rate' ? `${v}` : String(v));
    if (parts.length === 3) break;
  }
  return type === 'Input' && parts.length === 0 ? '' : parts.join(', ');
}

/** `flags` are problems found beyond the graph itself (the dataset, the loss), by layer id. */
export function toFlowNodes(
  graph: ModelGraph,
  analysis: GraphAnalysis | null,
  selected: readonly string[],
  flags: Record<string, { message: string; hint?: string }> = {},
): LayerFlowNode[] {
  const sel = new Set(selected);
  return graph.nodes.map((n, i) => {
    const spec = getLayerSpec(n.type);
    const a = analysis?.nodes[n.id];
    // A merge shows one more free port than it has connections, up to its maximum.
    const connected = graph.edges.filter((e) => e.target === n.id).length;
    const max = spec?.inputs.max ?? 1;
    const ports = max <= 1 ? max : Math.min(max, Math.max(spec?.inputs.min ?? 2, connected + 1));
    return {
      id: n.id,
      type: 'layer' as const,
      position: n.position ?? { x: 0, y: i * 120 },
      selected: sel.has(n.id),
      data: {
        type: n.type,
        name: n.name,
        summary: nodeSummary(n.type, n.config),
        params: a ? a.params.trainable + a.params.nonTrainable : 0,
        shape: a?.outputShape ? formatShape(a.outputShape) : null,
        error: a?.error ?? flags[n.id]?.message ?? (spec ? null : `Unknown layer type '${n.type}'`),
        hint: a?.error ? (a.hint ?? null) : (flags[n.id]?.hint ?? null),
        ports,
        isInput: n.type === 'Input',
      },
    };
  });
}

export function toFlowEdges(graph: ModelGraph, analysis: GraphAnalysis | null): ShapeFlowEdge[] {
  return graph.edges.map((e) => {
    const shape = analysis?.nodes[e.source]?.outputShape;
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      targetHandle: String(e.targetPort ?? 0),
      type: 'shape' as const,
      data: { shape: shape ? formatShape(shape) : null },
    };
  });
}
