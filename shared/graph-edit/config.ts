/** Layer configs with their defaults filled in, and structural equality of JSON values. */
import type { JsonValue } from '../graph.js';
import { getLayerSpec, withDefaults } from '../catalog/index.js';

type Config = Record<string, JsonValue>;

/**
 * The config a layer really has: catalog defaults under its own values. Unlike withDefaults this
 * never throws: an invalid value (the analysis reports it) or an unknown type keeps what is there.
 */
export function fullConfig(type: string, config: Config): Config {
  const spec = getLayerSpec(type);
  if (!spec) return { ...config };
  try {
    return withDefaults(type, config);
  } catch {
    const out: Config = {};
    for (const p of spec.params) out[p.name] = p.default;
    return { ...out, ...config };
  }
}

export function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const ao = a as { [key: string]: JsonValue };
  const bo = b as { [key: string]: JsonValue };
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => k in bo && sameJson(ao[k], bo[k]));
}
