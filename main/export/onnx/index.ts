/**
 * ONNX export (opset 17, IR version 8) of a model graph with its stored weights, written with
 * protobufjs from the ONNX schema (schema.ts). Inputs and outputs keep the app's channels-last
 * layout and names (the Input layers' and output layers' names); the batch dimension is 'batch'.
 *
 *   const check = onnxSupport(graph);                 // before offering the export
 *   const { file } = await writeOnnxModel(out, run.weights, graph);
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ModelGraph } from '../../../shared/graph.js';
import { AppError } from '../../../shared/errors.js';
import { withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph, incomingEdges } from '../../../shared/catalog/analyze.js';
import { weightsByLayer, type StoredWeights } from '../keras/layer-weights.js';
import { OnnxBuilder } from './builder.js';
import { CONVERTERS } from './converters.js';
import { onnxSupport } from './support.js';
import { DT, onnxType } from './schema.js';

export { onnxSupport, type OnnxSupport } from './support.js';

export const ONNX_OPSET = 17;
const IR_VERSION = 8;

export interface OnnxExportOptions {
  /** The graph's name inside the file; 'layerbench' by default. */
  name?: string;
  /** Key/value pairs stored as metadata_props (classes, preprocessing, ...). */
  metadata?: Record<string, string>;
  producerVersion?: string;
}

function valueInfo(name: string, shape: (number | null)[]) {
  return {
    name,
    type: { tensor_type: { elem_type: DT.FLOAT, shape: { dim: shape.map((d) => (d === null ? { dim_param: 'batch' } : { dim_value: d })) } } },
  };
}

/** The ONNX ModelProto bytes for a graph and its weights. Throws AppError('EXPORT_UNSUPPORTED') naming unsupported layers. */
export function onnxModelBytes(artifacts: StoredWeights, graph: ModelGraph, opts: OnnxExportOptions = {}): Uint8Array {
  const analysis = analyzeGraph(graph);
  if (!analysis.valid) throw new AppError('GRAPH_INVALID', `The model is not valid: ${analysis.problems[0]!.message}`);
  const support = onnxSupport(graph);
  if (!support.supported)
    throw new AppError('EXPORT_UNSUPPORTED', `The ONNX export cannot write ${support.unsupported.length === 1 ? 'one layer' : `${support.unsupported.length} layers`}: ${support.unsupported.map((u) => u.reason).join('; ')}`, {
      unsupported: support.unsupported,
    });
  const weights = weightsByLayer(artifacts);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const b = new OnnxBuilder();
  const tensors = new Map<string, string>();
  const inputs: ReturnType<typeof valueInfo>[] = [];
  // Output tensors carry their layers' names; reserved first so no inner tensor takes them.
  const outputNames = new Map(analysis.outputs.map((id) => [id, b.reserve(byId.get(id)!.name)]));
  for (const id of analysis.order) {
    const n = byId.get(id)!;
    const na = analysis.nodes[id]!;
    if (n.type === 'Input') {
      tensors.set(id, b.reserve(n.name));
      inputs.push(valueInfo(n.name, na.outputShape!));
      continue;
    }
    const sources = incomingEdges(graph, id).map((e) => e.source);
    const out = CONVERTERS[n.type]!.convert({
      b,
      name: n.name,
      type: n.type,
      config: withDefaults(n.type, n.config),
      inputs: sources.map((s) => tensors.get(s)!),
      inputShapes: sources.map((s) => analysis.nodes[s]!.outputShape!),
      outputShape: na.outputShape!,
      weights: weights.get(n.name) ?? [],
    });
    tensors.set(id, out);
  }
  const outputs = analysis.outputs.map((id) => {
    const name = outputNames.get(id)!;
    b.opN('Identity', [tensors.get(id)!], {}, `${name}/output`, [name]);
    return valueInfo(name, analysis.nodes[id]!.outputShape!);
  });
  const model = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: 'Layerbench',
    producer_version: opts.producerVersion ?? '1',
    graph: { name: opts.name ?? 'layerbench', node: b.nodes, initializer: b.initializers, input: inputs, output: outputs },
    metadata_props: Object.entries(opts.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
  const type = onnxType('ModelProto');
  const problem = type.verify(model);
  if (problem) throw new Error(`The ONNX model does not match the schema: ${problem}`);
  return type.encode(type.fromObject(model)).finish();
}

/** Writes the ONNX model to outFile (atomically); returns its path and opset. */
export async function writeOnnxModel(outFile: string, artifacts: StoredWeights, graph: ModelGraph, opts: OnnxExportOptions = {}): Promise<{ file: string; opset: number }> {
  const bytes = onnxModelBytes(artifacts, graph, opts);
  await fsp.mkdir(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  await fsp.writeFile(tmp, bytes);
  await fsp.rename(tmp, outFile);
  return { file: outFile, opset: ONNX_OPSET };
}
