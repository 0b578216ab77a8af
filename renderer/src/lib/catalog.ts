/**
 * The renderer's view of the shared layer catalog: lookup by type, palette groups and default
 * configs. Shape inference (analyzeGraph) is pure, so the Model view runs it locally on every edit.
 */
import { CATALOG, getLayerSpec, withDefaults } from '../../../shared/catalog/index.js';
import { analyzeGraph } from '../../../shared/catalog/analyze.js';
import type { GraphAnalysis, LayerGroup, LayerSpec, ParamSpec } from '../../../shared/catalog/types.js';
import type { JsonValue, ModelGraph } from '../../../shared/graph.js';


export const GROUP_ORDER: LayerGroup[] = [
  'Input',
  'Core',
  'Convolution',
  'Pooling',
  'Recurrent',
  'Normalization',
  'Regularization',
  'Reshaping',
  'Merging',
  'Activations',
];

export function layerSpec(type: string): LayerSpec | undefined {
  return getLayerSpec(type);
}

/** Palette groups for a stack: merges need several inputs, so the stack editor leaves them out. */
export function paletteGroups(): { group: LayerGroup; specs: LayerSpec[] }[] {
  return GROUP_ORDER.map((group) => ({
    group,
    specs: CATALOG.filter((s) => s.group === group && s.inputs.max <= 1 && s.inputs.min <= 1).sort((a, b) => a.type.localeCompare(b.type)),
  })).filter((g) => g.specs.length > 0);
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
