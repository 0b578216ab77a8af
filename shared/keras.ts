/**
 * Keras model JSON in and out. Out: the functional config (`class_name: 'Functional'`) that Keras 2
 * and TF.js (`tf.models.modelFromJSON`) both read. In: Sequential and Functional/Model configs from
 * Keras 2 or 3, bare or wrapped in a TF.js model.json (`modelTopology`). Each layer's own config
 * is converted by catalog/keras-config.ts.
 */
import type { GraphEdge, GraphNode, JsonValue, ModelGraph } from './graph.js';
import { AppError } from './errors.js';
import { CATALOG, getLayerSpec, withDefaults } from './catalog/index.js';
import { analyzeGraph, incomingEdges } from './catalog/analyze.js';
import { KERAS_ALIASES, kerasLayerConfig, paramsFromKeras } from './catalog/keras-config.js';

type Json = { [key: string]: JsonValue };
type InboundRef = [string, number, number, Json];

export interface KerasLayerJson {
  class_name: string;
  name: string;
  config: Json;
  inbound_nodes: InboundRef[][];
}

export interface KerasModelJson {
  class_name: 'Functional';
  config: {
    name: string;
    layers: KerasLayerJson[];
    input_layers: [string, number, number][];
    output_layers: [string, number, number][];
  };
}

export function graphToKerasJson(graph: ModelGraph, name = 'model'): KerasModelJson {
  const analysis = analyzeGraph(graph);
  if (!analysis.valid) throw new AppError('GRAPH_INVALID', `The model is not valid: ${analysis.problems[0]!.message}`);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layers = analysis.order.map((id): KerasLayerJson => {
    const n = byId.get(id)!;
    const config = withDefaults(n.type, n.config);
    if (n.type === 'Input') {
      const shape = config['shape'] as number[];
      return { class_name: 'InputLayer', name: n.name, config: { batch_input_shape: [null, ...shape], dtype: 'float32', sparse: false, name: n.name }, inbound_nodes: [] };
    }
    const inbound = incomingEdges(graph, id).map((e): InboundRef => [byId.get(e.source)!.name, 0, 0, {}]);
    return { class_name: n.type, name: n.name, config: kerasLayerConfig(n.type, n.name, config), inbound_nodes: [inbound] };
  });
  const ref = (id: string): [string, number, number] => [byId.get(id)!.name, 0, 0];
  return {
    class_name: 'Functional',
    config: { name, layers, input_layers: analysis.inputs.map(ref), output_layers: analysis.outputs.map(ref) },
  };
}

const bad = (message: string) => new AppError('MODEL_JSON_INVALID', message);

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A graph from Keras model JSON (object or text). Throws AppError('MODEL_JSON_INVALID') naming what is unsupported. */
export function kerasJsonToGraph(json: unknown): ModelGraph {
  let root: unknown = json;
  if (typeof root === 'string') {
    try {
      root = JSON.parse(root);
    } catch (e) {
      throw bad(`The model JSON does not parse: ${(e as Error).message}`);
    }
  }
  if (isObj(root) && isObj(root['modelTopology'])) root = root['modelTopology'];
  if (isObj(root) && isObj(root['model_config'])) root = root['model_config'];
  if (!isObj(root) || typeof root['class_name'] !== 'string')
    throw bad('Expected a Keras model config: an object with class_name (Sequential, Functional or Model) and config');
  const cls = root['class_name'];
  const config = root['config'];
  if (cls === 'Sequential') {
    const layers = Array.isArray(config) ? config : isObj(config) ? config['layers'] : undefined;
    if (!Array.isArray(layers)) throw bad('Sequential model config has no layers list');
    return fromSequential(layers);
  }
  if (cls === 'Functional' || cls === 'Model') {
    if (!isObj(config) || !Array.isArray(config['layers'])) throw bad(`${cls} model config has no layers list`);
    return fromFunctional(config['layers'], config['output_layers']);
  }
  throw bad(`Model class '${cls}' is not supported; expected Sequential, Functional or Model`);
}

interface RawLayer {
  cls: string;
  name: string;
  config: Json;
  raw: Json;
}

function readLayer(v: JsonValue, i: number): RawLayer {
  if (!isObj(v) || typeof v['class_name'] !== 'string') throw bad(`Layer ${i + 1} is not a {class_name, config} object`);
  const config = isObj(v['config']) ? v['config'] : {};
  const name = typeof v['name'] === 'string' ? v['name'] : typeof config['name'] === 'string' ? config['name'] : '';
  if (!name) throw bad(`Layer ${i + 1} (${v['class_name']}) has no name`);
  return { cls: v['class_name'], name, config, raw: v };
}

function fromSequential(list: JsonValue[]): ModelGraph {
  const raws = list.map(readLayer);
  const nodes: GraphNode[] = [];
  const first = raws[0];
  if (!first) throw bad('Sequential model has no layers');
  if (first.cls !== 'InputLayer') {
    const shape = first.config['batch_input_shape'] ?? first.config['batch_shape'];
    if (!Array.isArray(shape))
      throw bad(`Sequential model has no input shape: its first layer '${first.name}' has no batch_input_shape; add an InputLayer`);
    const taken = new Set(raws.map((r) => r.name));
    let name = 'input';
    for (let k = 1; taken.has(name); k++) name = `input_${k}`;
    nodes.push(node(nodes.length, 'Input', name, { shape: inputShape(name, shape) }));
  }
  for (const r of raws) nodes.push(convertLayer(r, nodes.length));
  const edges: GraphEdge[] = nodes.slice(1).map((n, i) => ({ id: `e${i + 1}`, source: nodes[i]!.id, target: n.id }));
  return layout(lastAxisAsMinusOne({ version: 1, nodes, edges }));
}

function fromFunctional(list: JsonValue[], outputLayers: JsonValue | undefined): ModelGraph {
  const raws = list.map(readLayer);
  const nodes = raws.map((r, i) => convertLayer(r, i));
  const idByName = new Map<string, string>();
  for (const n of nodes) {
    if (idByName.has(n.name)) throw bad(`Two layers are named '${n.name}'`);
    idByName.set(n.name, n.id);
  }
  const edges: GraphEdge[] = [];
  raws.forEach((r, i) => {
    const refs = inboundRefs(r);
    refs.forEach((src, port) => {
      const source = idByName.get(src);
      if (!source) throw bad(`Layer '${r.name}' takes its input from '${src}', which is not in the model`);
      edges.push({ id: `e${edges.length + 1}`, source, target: nodes[i]!.id, ...(refs.length > 1 ? { targetPort: port } : {}) });
    });
  });
  if (Array.isArray(outputLayers)) {
    for (const o of outputLayers) {
      const oname = Array.isArray(o) ? o[0] : undefined;
      const id = typeof oname === 'string' ? idByName.get(oname) : undefined;
      if (id && edges.some((e) => e.source === id))
        throw bad(`Output '${String(oname)}' also feeds other layers; Layerbench's outputs are the layers nothing else consumes`);
    }
  }
  return layout(lastAxisAsMinusOne({ version: 1, nodes, edges }));
}

/** Names of the layers feeding one layer, from Keras 2 ([[name, 0, 0, {}]]) or Keras 3 ({args: [keras tensors]}) format. */
function inboundRefs(r: RawLayer): string[] {
  const inbound = r.raw['inbound_nodes'];
  if (inbound === undefined || (Array.isArray(inbound) && inbound.length === 0)) return [];
  if (!Array.isArray(inbound)) throw bad(`Layer '${r.name}' has malformed inbound_nodes`);
  if (inbound.length > 1) throw bad(`Layer '${r.name}' is called ${inbound.length} times (a shared layer); Layerbench supports one call per layer`);
  const call = inbound[0]!;
  const refs: JsonValue[] = Array.isArray(call) ? call : isObj(call) && Array.isArray(call['args']) ? flattenArgs(call['args']) : [];
  return refs.map((ref) => {
    const hist = isObj(ref) && isObj(ref['config']) ? ref['config']['keras_history'] : ref;
    if (!Array.isArray(hist) || typeof hist[0] !== 'string') throw bad(`Layer '${r.name}' has malformed inbound_nodes`);
    if (hist[1] !== 0 || hist[2] !== 0)
      throw bad(`Layer '${r.name}' uses output ${String(hist[2])} of call ${String(hist[1])} of '${hist[0]}'; Layerbench supports single-output, single-call layers`);
    return hist[0];
  });
}

function flattenArgs(args: JsonValue[]): JsonValue[] {
  return args.flatMap((a) => (Array.isArray(a) ? a : [a]));
}

function inputShape(layer: string, batchShape: JsonValue[]): JsonValue {
  const dims = batchShape.slice(1);
  if (!dims.every((d) => typeof d === 'number'))
    throw bad(`Input '${layer}' has shape (${batchShape.map((d) => (d === null ? 'None' : String(d))).join(', ')}); Layerbench needs every dimension but the batch fixed`);
  return dims;
}

function convertLayer(r: RawLayer, index: number): GraphNode {
  const type = KERAS_ALIASES[r.cls] ?? r.cls;
  const spec = getLayerSpec(type);
  if (!spec)
    throw bad(`Layer '${r.name}' is a ${r.cls}, which Layerbench does not support; supported: ${CATALOG.map((s) => s.type).join(', ')}`);
  if (type === 'Input') {
    const shape = r.config['batch_input_shape'] ?? r.config['batch_shape'];
    if (!Array.isArray(shape)) throw bad(`InputLayer '${r.name}' has no batch_input_shape`);
    return node(index, 'Input', r.name, { shape: inputShape(r.name, shape) });
  }
  const config = paramsFromKeras(type, r.name, r.config);
  try {
    return node(index, type, r.name, withDefaults(type, config));
  } catch (e) {
    throw bad(`Layer '${r.name}': ${(e as Error).message}`);
  }
}

function node(index: number, type: string, name: string, config: Json): GraphNode {
  return { id: `n${index + 1}`, type, name, config };
}

/**
 * Keras and TF.js save a built normalization layer's axis as a positive index ([3] on a 4-D
 * input); the catalog's default is -1. Writing the last axis as -1 keeps a round trip unchanged.
 */
function lastAxisAsMinusOne(graph: ModelGraph): ModelGraph {
  const analysis = analyzeGraph(graph);
  for (const n of graph.nodes) {
    if (n.type !== 'BatchNormalization' && n.type !== 'LayerNormalization') continue;
    const source = incomingEdges(graph, n.id)[0]?.source;
    const rank = source === undefined ? undefined : analysis.nodes[source]?.outputShape?.length;
    if (rank !== undefined && n.config['axis'] === rank - 1) n.config['axis'] = -1;
  }
  return graph;
}

/** Places nodes in rows by depth, side by side within a row, for the graph editor. */
function layout(graph: ModelGraph): ModelGraph {
  const depth = new Map<string, number>();
  const order = analyzeGraph(graph).order;
  for (const id of order) {
    const d = Math.max(-1, ...graph.edges.filter((e) => e.target === id).map((e) => depth.get(e.source) ?? 0));
    depth.set(id, d + 1);
  }
  const perRow = new Map<number, number>();
  for (const n of graph.nodes) {
    const d = depth.get(n.id) ?? 0;
    const col = perRow.get(d) ?? 0;
    perRow.set(d, col + 1);
    n.position = { x: col * 220, y: d * 90 };
  }
  return graph;
}
