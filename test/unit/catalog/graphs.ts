/** Small graphs for tests: one layer on one or more Inputs. */
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';

export function oneLayer(inputShapes: number[][], type: string, config: Record<string, JsonValue> = {}): ModelGraph {
  const inputs = inputShapes.map((shape, i) => ({ id: `in${i}`, type: 'Input', name: i === 0 ? 'input' : `input_${i + 1}`, config: { shape } }));
  return {
    version: 1,
    nodes: [...inputs, { id: 'l', type, name: 'layer', config }],
    edges: inputs.map((n, i) => ({ id: `e${i}`, source: n.id, target: 'l', ...(inputShapes.length > 1 ? { targetPort: i } : {}) })),
  };
}

/** A chain of layers after one Input, named by type as stackToGraph does. */
export function chain(shape: number[], ...layers: [string, Record<string, JsonValue>?][]): ModelGraph {
  const nodes = [{ id: 'n0', type: 'Input', name: 'input', config: { shape } as Record<string, JsonValue> }];
  layers.forEach(([type, config], i) => nodes.push({ id: `n${i + 1}`, type, name: `${type.toLowerCase()}_${i + 1}`, config: config ?? {} }));
  return { version: 1, nodes, edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })) };
}
