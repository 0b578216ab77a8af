/** The layer catalog: every layer the editor offers, with parameters, defaults and shape rules. */
import type { JsonValue } from '../graph.js';
import type { LayerSpec, ParamSpec } from './types.js';
import { INPUT_LAYERS } from './input.js';
import { CORE_LAYERS } from './core.js';
import { RECURRENT_LAYERS } from './recurrent.js';
import { RESHAPING_LAYERS } from './reshaping.js';
import { NORMALIZATION_LAYERS } from './normalization.js';
import { CONVOLUTION_LAYERS } from './convolution.js';
import { POOLING_LAYERS } from './pooling.js';
import { MERGING_LAYERS } from './merging.js';
import { REGULARIZATION_LAYERS } from './regularization.js';
import { RESHAPING_2D_LAYERS } from './reshaping-2d.js';
import { WRAPPER_LAYERS } from './wrappers.js';
import { PREPROCESSING_LAYERS } from './preprocessing.js';

export type { LayerSpec, ParamSpec, LayerGroup, GraphAnalysis, NodeAnalysis } from './types.js';
export { ShapeError, LAYER_GROUPS } from './types.js';

export const CATALOG: LayerSpec[] = [
  ...INPUT_LAYERS,
  ...CORE_LAYERS,
  ...CONVOLUTION_LAYERS,
  ...POOLING_LAYERS,
  ...RECURRENT_LAYERS,
  ...WRAPPER_LAYERS,
  ...NORMALIZATION_LAYERS,
  ...REGULARIZATION_LAYERS,
  ...RESHAPING_LAYERS,
  ...RESHAPING_2D_LAYERS,
  ...MERGING_LAYERS,
  ...PREPROCESSING_LAYERS,
];

const BY_TYPE = new Map(CATALOG.map((s) => [s.type, s]));

export function getLayerSpec(type: string): LayerSpec | undefined {
  return BY_TYPE.get(type);
}

/**
 * A full config for a layer: missing parameters get their defaults, the rest are checked.
 * A single integer for a fixed-length list (kernel_size: 3) is spread (3, 3), as Keras does.
 * Throws an Error naming the layer, the parameter, what was expected and what was found.
 */
export function withDefaults(type: string, config: Record<string, JsonValue> = {}): Record<string, JsonValue> {
  const spec = BY_TYPE.get(type);
  if (!spec) throw new Error(`Unknown layer type '${type}'`);
  const known = new Set(spec.params.map((p) => p.name));
  for (const key of Object.keys(config)) {
    if (!known.has(key)) {
      const list = spec.params.map((p) => p.name).join(', ');
      throw new Error(`${type} has no parameter '${key}'; expected ${list ? 'one of ' + list : 'none'}`);
    }
  }
  const out: Record<string, JsonValue> = {};
  for (const p of spec.params) {
    const v = config[p.name];
    out[p.name] = v === undefined ? p.default : checkParam(type, p, v);
  }
  return out;
}

function checkParam(type: string, p: ParamSpec, v: JsonValue): JsonValue {
  const fail = (expected: string): never => {
    throw new Error(`${type} parameter '${p.name}' expects ${expected}; got ${JSON.stringify(v)}`);
  };
  if (v === null) return p.nullable ? null : fail(describe(p));
  const inRange = (x: number) => (p.min === undefined || x >= p.min) && (p.max === undefined || x <= p.max);
  switch (p.type) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || !inRange(v)) fail(describe(p));
      return v;
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v) || !inRange(v)) fail(describe(p));
      return v;
    case 'bool':
      if (typeof v !== 'boolean') fail(describe(p));
      return v;
    case 'string':
      if (typeof v !== 'string') fail(describe(p));
      return v;
    case 'enum':
      if (typeof v !== 'string' || !(p.options ?? []).includes(v)) fail(describe(p));
      return v;
    case 'ints': {
      const list = typeof v === 'number' && p.length !== undefined ? Array<JsonValue>(p.length).fill(v) : v;
      if (!Array.isArray(list) || list.length === 0) return fail(describe(p));
      if (p.length !== undefined && list.length !== p.length) fail(describe(p));
      if (!list.every((x) => typeof x === 'number' && Number.isInteger(x) && inRange(x))) fail(describe(p));
      return list;
    }
  }
}

function describe(p: ParamSpec): string {
  const range =
    p.min !== undefined && p.max !== undefined
      ? ` from ${p.min} to ${p.max}`
      : p.min !== undefined
        ? ` ≥ ${p.min}`
        : p.max !== undefined
          ? ` ≤ ${p.max}`
          : '';
  const orNull = p.nullable ? ' or null' : '';
  switch (p.type) {
    case 'int':
      return `an integer${range}${orNull}`;
    case 'float':
      return `a number${range}${orNull}`;
    case 'bool':
      return `true or false${orNull}`;
    case 'string':
      return `a string${orNull}`;
    case 'enum':
      return `one of ${(p.options ?? []).map((o) => `'${o}'`).join(', ')}${orNull}`;
    case 'ints':
      return `${p.length !== undefined ? p.length : 'a list of'} integer${p.length === 1 ? '' : 's'}${range}${orNull}`;
  }
}
