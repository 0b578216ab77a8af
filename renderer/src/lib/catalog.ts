/**
 * The renderer's view of the shared layer catalog: lookup by type and default
 * configs. Shape inference (analyzeGraph) is pure, so the Model view runs it locally on every edit.
 */
import { getLayerSpec, withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import type { GraphAnalysis, LayerSpec, ParamSpec } from '../../../shared/catalog/types.js';
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';

export function layerSpec(type: string): LayerSpec | undefined {
  return getLayerSpec(type);
}

export function defaultConfig(spec: LayerSpec): Record<string, JsonValue> {
  return structuredClone(withDefaults(spec.type, {}));
}

/** The config value shown in a form: the layer's own, else the catalog default. */
export function paramValue(p: ParamSpec, config: Record<string, JsonValue>): JsonValue {
  return p.name in config ? (config[p.name] ?? null) : p.default;
}

export function analyze(graph: ModelGraph): GraphAnalysis {
  return analyzeGraph(graph);
}
