/** What each layer-family converter receives and provides. */
import type { JsonValue } from '../../../../shared/graph.js';
import type { Shape } from '../../../../shared/shape.js';
import type { NamedWeight } from '../../keras/layer-weights.js';
import type { OnnxBuilder } from '../builder.js';

export type Config = Record<string, JsonValue>;

export interface LayerContext {
  b: OnnxBuilder;
  /** The layer's name, used as the prefix of its tensors' names. */
  name: string;
  type: string;
  /** The full config (defaults filled in). */
  config: Config;
  /** Input tensor names, in port order (TF.js layout: channels last). */
  inputs: string[];
  inputShapes: Shape[];
  outputShape: Shape;
  /** The layer's TF.js weights, in stored order. */
  weights: NamedWeight[];
}

export interface LayerConverter {
  /** Why this layer (with this config and these input shapes) cannot be exported, or null. */
  unsupported?(config: Config, inputShapes: Shape[]): string | null;
  /** Emits the layer's nodes; returns the output tensor's name. */
  convert(ctx: LayerContext): string;
}

/** A weight by its name within the layer (`kernel`, `bias`); throws naming the layer when missing. */
export function weight(ctx: LayerContext, local: string): NamedWeight {
  const w = ctx.weights.find((x) => x.local === local || x.local.endsWith(`/${local}`));
  if (!w) throw new Error(`${ctx.type} '${ctx.name}' has no weight '${local}'; it has ${ctx.weights.map((x) => x.local).join(', ') || 'none'}`);
  return w;
}

export function optionalWeight(ctx: LayerContext, local: string): NamedWeight | undefined {
  return ctx.weights.find((x) => x.local === local || x.local.endsWith(`/${local}`));
}
