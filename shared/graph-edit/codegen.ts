/**
 * Read-only code for a model graph: TF.js JavaScript and Keras Python, both in the functional
 * style. Arguments come from the catalog (every parameter that differs from its default), so a
 * layer added to the catalog gets code without a change here. Special cases are only what the
 * catalog cannot say: Input, wrapper layers, parameters the frameworks require, and where a
 * framework's default differs from the catalog's.
 */
import type { GraphNode, JsonValue, ModelGraph } from '../graph.js';
import { getLayerSpec } from '../catalog/index.js';
import type { LayerSpec, ParamSpec } from '../catalog/types.js';
import { analyzeGraph, incomingEdges } from '../catalog/analyze.js';
import { fullConfig, sameJson } from './config.js';

type Config = Record<string, JsonValue>;
export type CodeTarget = 'tfjs' | 'keras';

export interface CodegenOptions {
  /** Start with the import lines (default true). */
  imports?: boolean;
  /** The model's name, passed to tf.model / keras.Model when given. */
  modelName?: string;
}

/**
 * Parameters Keras and TF.js make the caller pass, though the catalog gives them a default for the
 * palette. Always written, and positionally in Python when they lead (layers.Dense(64)).
 */
const REQUIRED = new Set(['units', 'filters', 'kernel_size', 'rate', 'target_shape', 'input_dim', 'output_dim', 'n', 'dims', 'num_heads', 'key_dim', 'stddev']);

/** Parameters only TF.js requires (its Cropping2D has no default cropping). */
const TFJS_REQUIRED = new Set(['cropping']);

function isRequired(spec: LayerSpec, p: ParamSpec, target: CodeTarget): boolean {
  if (REQUIRED.has(p.name) || (target === 'tfjs' && TFJS_REQUIRED.has(p.name))) return true;
  // Rescaling's scale factor (BatchNormalization's scale is a switch with a default).
  if (p.name === 'scale') return p.type === 'float';
  // The Activation layer's activation (Dense's has a default).
  if (p.name === 'activation') return spec.params.length === 1;
  return false;
}

/** Where a framework's own default differs from the catalog's, compare with the framework's. */
const FRAMEWORK_DEFAULTS: Record<CodeTarget, Config> = {
  // Keras 2.3+ and 3 build a GRU with reset_after=True; the catalog (following TF.js) says false.
  keras: { reset_after: true },
  // TF.js gates LSTM and GRU with hard_sigmoid; Keras (and the catalog) with sigmoid.
  tfjs: { recurrent_activation: 'hard_sigmoid' },
};

/** Layers that wrap another: config.layer names the inner layer, whose parameters sit beside the wrapper's. */
const WRAPPERS = new Set(['Bidirectional', 'TimeDistributed']);
/** The wrappers' own parameters, for when the catalog does not describe the wrapper. */
const WRAPPER_OWN = ['merge_mode'];

interface Call {
  type: string;
  /** In catalog order; the first `positional` are required and may be written without a name. */
  args: [string, JsonValue][];
  positional: number;
  inner?: Call;
}

function layerCall(type: string, config: Config, target: CodeTarget): Call {
  if (WRAPPERS.has(type)) return wrapperCall(type, config, target);
  const spec = getLayerSpec(type);
  if (!spec) return { type, args: Object.entries(config), positional: 0 };
  const full = fullConfig(type, config);
  const defaults = FRAMEWORK_DEFAULTS[target];
  const args: [string, JsonValue][] = [];
  let positional = 0;
  let leading = true;
  for (const p of spec.params) {
    const value = full[p.name];
    if (value === undefined) continue;
    const required = isRequired(spec, p, target);
    const def = p.name in defaults ? defaults[p.name] : p.default;
    // Keras writes four-number paddings and croppings as ((top, bottom), (left, right)); so does TF.js.
    const written = p.pairs && Array.isArray(value) && value.length === 4 ? [value.slice(0, 2), value.slice(2, 4)] : value;
    if (required || !sameJson(value, def)) args.push([p.name, written]);
    if (leading && required) positional++;
    else leading = false;
  }
  return { type, args, positional };
}

function wrapperCall(type: string, config: Config, target: CodeTarget): Call {
  const spec = getLayerSpec(type);
  const full = spec ? fullConfig(type, config) : { ...config };
  const layer = full['layer'];
  const nested = isObj(layer) && typeof layer['class_name'] === 'string';
  const innerType = nested ? (layer['class_name'] as string) : typeof layer === 'string' ? layer : undefined;
  if (innerType === undefined) return { type, args: Object.entries(config), positional: 0 };
  const layerParam = spec?.params.find((p) => p.name === 'layer');
  // Parameters of any layer the wrapper may hold belong to the inner layer, not the wrapper.
  const innerNames = new Set([innerType, ...(layerParam?.options ?? [])].flatMap((t) => getLayerSpec(t)?.params.map((p) => p.name) ?? []));
  const own = spec ? spec.params.filter((p) => p.name !== 'layer' && !innerNames.has(p.name)) : [];
  const ownNames = new Set(spec ? own.map((p) => p.name) : WRAPPER_OWN);
  const innerSpec = getLayerSpec(innerType);
  let innerConfig: Config;
  if (nested) innerConfig = isObj(layer['config']) ? (layer['config'] as Config) : {};
  else
    innerConfig = Object.fromEntries(
      Object.entries(full).filter(([k]) => k !== 'layer' && !ownNames.has(k) && (!innerSpec || innerSpec.params.some((p) => p.name === k))),
    );
  const defaults = FRAMEWORK_DEFAULTS[target];
  const args: [string, JsonValue][] = [];
  for (const [k, v] of Object.entries(full)) {
    if (!ownNames.has(k)) continue;
    const p = own.find((x) => x.name === k);
    const def = k in defaults ? defaults[k] : p?.default;
    if (!p || !sameJson(v, def)) args.push([k, v]);
  }
  return { type, args, positional: 0, inner: layerCall(innerType, innerConfig, target) };
}

interface Plan {
  lines: { id: string; name: string; variable: string; node: GraphNode; inputs: string[]; many: boolean }[];
  outputs: string[];
  inputs: string[];
  problems: string[];
  skipped: { name: string; type: string }[];
}

function plan(graph: ModelGraph): Plan {
  const analysis = analyzeGraph(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const vars = variableNames(graph.nodes);
  const emitted = new Set<string>();
  const lines: Plan['lines'] = [];
  const skipped: Plan['skipped'] = [];
  for (const id of analysis.order) {
    const node = byId.get(id)!;
    const feeding = incomingEdges(graph, id).map((e) => e.source);
    if (node.type !== 'Input' && (feeding.length === 0 || !feeding.every((s) => emitted.has(s)))) {
      skipped.push({ name: node.name, type: node.type });
      continue;
    }
    emitted.add(id);
    const many = feeding.length > 1 || (getLayerSpec(node.type)?.inputs.max ?? 1) > 1;
    lines.push({ id, name: node.name, variable: vars.get(id)!, node, inputs: feeding.map((s) => vars.get(s)!), many });
  }
  return {
    lines,
    inputs: analysis.inputs.filter((id) => emitted.has(id)).map((id) => vars.get(id)!),
    outputs: analysis.outputs.filter((id) => emitted.has(id)).map((id) => vars.get(id)!),
    problems: analysis.problems.map((p) => p.message),
    skipped,
  };
}

const RESERVED = new Set(
  [
    // JavaScript
    'await break case catch class const continue debugger default delete do else enum export extends false finally for function if',
    'implements import in instanceof interface let new null package private protected public return static super switch this throw',
    'true try typeof var void while with yield arguments eval undefined NaN Infinity',
    // Python
    'False None True and as assert async def del elif except from global is lambda nonlocal not or pass raise',
    // Names the generated code uses
    'tf keras layers model',
  ]
    .join(' ')
    .split(' '),
);

/** A valid, unique identifier per layer, from its name. */
function variableNames(nodes: GraphNode[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const n of nodes) {
    let base = n.name.replace(/[^A-Za-z0-9_]/g, '_') || 'layer';
    if (/^[0-9]/.test(base)) base = `_${base}`;
    if (RESERVED.has(base)) base = `${base}_`;
    let v = base;
    for (let k = 2; used.has(v); k++) v = `${base}_${k}`;
    used.add(v);
    out.set(n.id, v);
  }
  return out;
}

// ---- Keras Python --------------------------------------------------------------------------

export function kerasCode(graph: ModelGraph, options: CodegenOptions = {}): string {
  const p = plan(graph);
  const out: string[] = [...problemComments(p, '#')];
  if (options.imports !== false) out.push('import keras', 'from keras import layers', '');
  for (const l of p.lines) {
    if (l.node.type === 'Input') {
      const shape = fullConfig('Input', l.node.config)['shape'] ?? [];
      out.push(`${l.variable} = keras.Input(shape=${py(shape)}, name=${py(l.name)})`);
      continue;
    }
    const call = pyCall(layerCall(l.node.type, l.node.config, 'keras'), l.name);
    const x = l.many ? `[${l.inputs.join(', ')}]` : l.inputs[0]!;
    out.push(`${l.variable} = ${call}(${x})`);
  }
  const name = options.modelName !== undefined ? `, name=${py(options.modelName)}` : '';
  out.push('', `model = keras.Model(inputs=[${p.inputs.join(', ')}], outputs=[${p.outputs.join(', ')}]${name})`);
  return out.join('\n') + '\n';
}

function pyCall(call: Call, name?: string): string {
  const parts: string[] = [];
  if (call.inner) parts.push(pyCall(call.inner));
  call.args.forEach(([k, v], i) => parts.push(i < call.positional ? py(v) : `${k}=${py(v)}`));
  if (name !== undefined) parts.push(`name=${py(name)}`);
  return `layers.${call.type}(${parts.join(', ')})`;
}

/** Lists of numbers (and lists of such lists) are shapes and sizes; Keras writes them as tuples. */
function numeric(v: JsonValue): boolean {
  return typeof v === 'number' || v === null || (Array.isArray(v) && v.every(numeric));
}

function py(v: JsonValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    const items = v.map(py);
    if (!numeric(v)) return `[${items.join(', ')}]`;
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`)
    .join(', ')}}`;
}

// ---- TF.js JavaScript ----------------------------------------------------------------------

/**
 * TF.js code for the functional API. With `imports: false` the text is a function body with `tf`
 * in scope that leaves the model in `model` (a test appends `return model;`).
 */
export function tfjsCode(graph: ModelGraph, options: CodegenOptions = {}): string {
  const p = plan(graph);
  const out: string[] = [...problemComments(p, '//')];
  if (options.imports !== false) out.push("import * as tf from '@tensorflow/tfjs';", '');
  for (const l of p.lines) {
    if (l.node.type === 'Input') {
      const shape = fullConfig('Input', l.node.config)['shape'] ?? [];
      out.push(`const ${l.variable} = tf.input({ shape: ${js(shape)}, name: ${js(l.name)} });`);
      continue;
    }
    const call = jsCall(layerCall(l.node.type, l.node.config, 'tfjs'), l.name);
    const x = l.many ? `[${l.inputs.join(', ')}]` : l.inputs[0]!;
    if (NOT_IN_TFJS.has(l.node.type)) out.push(`// TF.js 4 has no ${l.node.type} layer: define one (Layerbench's engine does) or rebuild this step.`);
    out.push(`const ${l.variable} = ${call}.apply(${x});`);
  }
  const name = options.modelName !== undefined ? `, name: ${js(options.modelName)}` : '';
  out.push('', `const model = tf.model({ inputs: [${p.inputs.join(', ')}], outputs: [${p.outputs.join(', ')}]${name} });`);
  return out.join('\n') + '\n';
}

/** TF.js factory names: lowerCamel of the class, '2D' as '2d' (tf.layers.conv2d), with a few irregulars. */
const TFJS_FACTORY: Record<string, string> = { PReLU: 'prelu', ConvLSTM2D: 'convLstm2d', Cropping2D: 'cropping2D' };

export function tfjsFactory(type: string): string {
  const irregular = TFJS_FACTORY[type];
  if (irregular) return irregular;
  const lower = /^[A-Z0-9]+$/.test(type) ? type.toLowerCase() : type[0]!.toLowerCase() + type.slice(1);
  return lower.replace(/(\d)D/g, '$1d');
}

/** Keras layers TF.js 4 lacks (the engine defines its own, main/engine/custom-layers.ts). */
const NOT_IN_TFJS = new Set(['Subtract', 'SpatialDropout2D']);

/** Keras values TF.js spells differently. */
const TFJS_VALUES: Record<string, string> = { hard_sigmoid: 'hardSigmoid', channels_last: 'channelsLast', channels_first: 'channelsFirst' };

function jsCall(call: Call, name?: string): string {
  const parts: string[] = [];
  if (call.inner) parts.push(`layer: ${jsCall(call.inner)}`);
  for (const [k, v] of call.args) {
    // TF.js reads a missing argument as its default; null is how the catalog says "the default".
    if (v === null) continue;
    parts.push(`${jsKey(camel(k))}: ${js(typeof v === 'string' ? (TFJS_VALUES[v] ?? v) : v)}`);
  }
  if (name !== undefined) parts.push(`name: ${js(name)}`);
  return `tf.layers.${tfjsFactory(call.type)}(${parts.length > 0 ? `{ ${parts.join(', ')} }` : ''})`;
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

function jsKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : js(k);
}

function js(v: JsonValue): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(js).join(', ')}]`;
  const entries = Object.entries(v);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${jsKey(k)}: ${js(x)}`).join(', ')} }`;
}

// ---- Both ----------------------------------------------------------------------------------

function problemComments(p: Plan, mark: string): string[] {
  const lines = [...p.problems];
  for (const s of p.skipped) {
    const line = `${s.type} '${s.name}' is left out: it has no complete inputs`;
    if (!lines.includes(line)) lines.push(line);
  }
  if (lines.length === 0) return [];
  return [`${mark} This model is not valid yet:`, ...lines.map((l) => `${mark} - ${l}`), ''];
}

function isObj(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function generateCode(graph: ModelGraph, target: CodeTarget, options: CodegenOptions = {}): string {
  return target === 'tfjs' ? tfjsCode(graph, options) : kerasCode(graph, options);
}
