/**
 * Which layers of a graph the ONNX export cannot write, and why, without exporting anything: the
 * export dialog and the graph editor call this before an export starts.
 */
import type { ModelGraph } from '../../../shared/graph.js';
import { layerSupport, type LayerSupport } from '../support.js';
import { CONVERTERS } from './converters.js';

export type OnnxSupport = LayerSupport;

export function onnxSupport(graph: ModelGraph): OnnxSupport {
  return layerSupport(graph, CONVERTERS, (type) => `${type} has no ONNX mapping in Layerbench's exporter`);
}
