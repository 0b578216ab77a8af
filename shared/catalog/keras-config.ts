/**
 * One layer's config in Keras form and back. The graph keeps flat configs; Keras nests a few
 * values (Cropping2D's ((top, bottom), (left, right))) and a wrapper's layer ({class_name, config}).
 * On import, initializers, regularizers and constraints are dropped (they change training, not the
 * architecture); anything else the catalog does not model is refused by name.
 */
import { snakeCase, type JsonValue } from '../graph.js';
import { AppError } from '../errors.js';
import type { LayerSpec } from './types.js';
import { getLayerSpec } from './index.js';
import { WRAPPABLE, wrappedLayer } from './wrappers.js';

type Json = { [key: string]: JsonValue };

const bad = (message: string) => new AppError('MODEL_JSON_INVALID', message);

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A catalog type's parameters from its Keras config (before defaults). `type` is the catalog type
 * (aliases resolved). Throws AppError('MODEL_JSON_INVALID') naming the layer and the key.
 */
export function paramsFromKeras(type: string, name: string, kerasConfig: Json): Json {
  const spec = getLayerSpec(type);
  if (!spec) throw bad(`Layer '${name}' is a ${type}, which Layerbench does not support`);
  return WRAPPABLE[type] ? wrapperParams(type, name, kerasConfig) : readParams(spec, kerasConfig, `${type} '${name}'`);
}

/** A layer's Keras config: bookkeeping keys, pairs nested, a wrapper's layer nested as {class_name, config}. */
export function kerasLayerConfig(type: string, name: string, config: Json): Json {
  const base = { name, trainable: true, dtype: 'float32' };
  if (!WRAPPABLE[type]) return { ...base, ...kerasParams(getLayerSpec(type)!, config) };
  const inner = wrappedLayer(type, config);
  const layer = { class_name: inner.spec.type, config: kerasLayerConfig(inner.spec.type, `${name}_${snakeCase(inner.spec.type)}`, inner.config) };
  return { ...base, layer, ...(type === 'Bidirectional' ? { merge_mode: config['merge_mode']! } : {}) };
}

/** Parameters as Keras writes them: ((top, bottom), (left, right)) for the flat four-number lists. */
function kerasParams(spec: LayerSpec, config: Json): Json {
  const out: Json = { ...config };
  for (const p of spec.params) {
    const v = config[p.name];
    if (p.pairs && Array.isArray(v)) out[p.name] = [v.slice(0, 2), v.slice(2, 4)];
  }
  return out;
}

/** Other Keras names for catalog types. */
export const KERAS_ALIASES: Record<string, string> = {
  InputLayer: 'Input',
  MaxPool1D: 'MaxPooling1D',
  MaxPool2D: 'MaxPooling2D',
  AvgPool1D: 'AveragePooling1D',
  AvgPool2D: 'AveragePooling2D',
  GlobalAvgPool1D: 'GlobalAveragePooling1D',
  GlobalAvgPool2D: 'GlobalAveragePooling2D',
  GlobalMaxPool1D: 'GlobalMaxPooling1D',
  GlobalMaxPool2D: 'GlobalMaxPooling2D',
  Convolution1D: 'Conv1D',
  Convolution2D: 'Conv2D',
  Convolution2DTranspose: 'Conv2DTranspose',
  SeparableConvolution2D: 'SeparableConv2D',
};

/** Keys that describe a layer's bookkeeping, not its architecture. */
const METADATA = new Set(['name', 'trainable', 'dtype', 'module', 'registered_name', 'build_config', 'batch_input_shape', 'batch_shape', 'input_shape', 'input_length', 'implementation', 'unroll', 'seed', 'fused', 'renorm_momentum', 'use_cudnn']);

/** Keys we do not model but accept at their Keras defaults. */
const DEFAULT_ONLY: Record<string, (v: JsonValue) => boolean> = {
  data_format: (v) => v === null || v === 'channels_last',
  dilation_rate: (v) => v === 1 || (Array.isArray(v) && v.every((x) => x === 1)),
  groups: (v) => v === 1,
  depth_multiplier: (v) => v === 1,
};

/** The parameters the spec knows, from a Keras config; anything else must be bookkeeping or a default. `who` names the layer. */
function readParams(spec: LayerSpec, kerasConfig: Json, who: string): Json {
  const params = new Map(spec.params.map((p) => [p.name, p]));
  const config: Json = {};
  for (const [key, value] of Object.entries(kerasConfig)) {
    const p = params.get(key);
    if (p) {
      if (value === null && !p.nullable) continue; // TF.js writes some defaults as null
      // Keras stores a built BatchNormalization's axis as a list.
      config[key] = p.type === 'int' && Array.isArray(value) && value.length === 1 ? value[0]! : p.pairs ? flatPairs(value) : value;
    } else if (METADATA.has(key) || /_(initializer|regularizer|constraint)$/.test(key) || value === null || value === false) {
      continue;
    } else if (DEFAULT_ONLY[key]) {
      if (!DEFAULT_ONLY[key](value)) throw bad(`${who} sets ${key} = ${JSON.stringify(value)}, which Layerbench does not support`);
    } else {
      throw bad(`${who} sets ${key} = ${JSON.stringify(value)}, which Layerbench does not support`);
    }
  }
  return config;
}

/** Keras' n, (a, b) or ((top, bottom), (left, right)) as the graph's (top, bottom, left, right). */
function flatPairs(v: JsonValue): JsonValue {
  if (!Array.isArray(v) || v.length !== 2) return v; // a number (spread by withDefaults) or a bad value it reports
  const [a, b] = v;
  if (typeof a === 'number' && typeof b === 'number') return [a, a, b, b];
  if (Array.isArray(a) && Array.isArray(b) && a.length === 2 && b.length === 2) return [...a, ...b];
  return v;
}

/** A wrapper's flat parameters: `layer` and the wrapped layer's own beside the wrapper's. */
function wrapperParams(type: string, name: string, kerasConfig: Json): Json {
  const read = (v: JsonValue | undefined, what: string): { type: string; config: Json } => {
    if (!isObj(v) || typeof v['class_name'] !== 'string') throw bad(`${type} '${name}' has no ${what} ({class_name, config})`);
    const innerType = KERAS_ALIASES[v['class_name']] ?? v['class_name'];
    const spec = WRAPPABLE[type]!.find((s) => s.type === innerType);
    if (!spec)
      throw bad(`${type} '${name}' wraps a ${v['class_name']}, which Layerbench does not support; it can wrap ${WRAPPABLE[type]!.map((s) => s.type).join(', ')}`);
    // Keras sets zero_output_for_mask to return_sequences itself in a Bidirectional: not a choice.
    const { go_backwards: goBackwards, zero_output_for_mask: _forced, ...config } = isObj(v['config']) ? v['config'] : {};
    if (what === 'layer' && goBackwards === true) throw bad(`The ${innerType} in ${type} '${name}' sets go_backwards = true, which Layerbench does not support`);
    return { type: innerType, config: readParams(spec, config, `The ${innerType} in ${type} '${name}'`) };
  };
  const inner = read(kerasConfig['layer'], 'layer');
  const own: Json = { layer: inner.type, ...inner.config };
  for (const [key, value] of Object.entries(kerasConfig)) {
    if (key === 'layer' || METADATA.has(key)) continue;
    if (key === 'backward_layer' && value !== null) {
      // Keras 3 writes the backward copy out; we accept it when it is the forward layer reversed.
      const back = read(value, 'backward_layer');
      if (back.type !== inner.type || JSON.stringify(back.config) !== JSON.stringify(inner.config))
        throw bad(`${type} '${name}' has a backward layer that differs from its forward layer, which Layerbench does not support`);
    } else if (key === 'merge_mode' && type === 'Bidirectional') {
      if (value === null) throw bad(`${type} '${name}' sets merge_mode = null (two outputs), which Layerbench does not support`);
      own[key] = value;
    } else if (value !== null && value !== false) {
      throw bad(`${type} '${name}' sets ${key} = ${JSON.stringify(value)}, which Layerbench does not support`);
    }
  }
  return own;
}

