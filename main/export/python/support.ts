/**
 * Which layers of a graph the Python (PyTorch) export cannot write, and why, before anything is
 * written: the export dialog, the CLI and the export itself ask here (as onnxSupport does for ONNX).
 */
import type { ModelGraph } from '../../../shared/graph.js';
import { layerSupport, type LayerSupport } from '../support.js';
import { TORCH_LAYERS } from './torch-layers.js';

export type PythonSupport = LayerSupport;

export function pythonSupport(graph: ModelGraph): PythonSupport {
  return layerSupport(graph, TORCH_LAYERS, (type) => `${type} has no torch.nn equivalent in Layerbench's Python export`);
}
