/** The layer catalog's vocabulary: parameters with types and defaults, and a shape rule per layer. */
import type { Shape } from '../shape.js';
import type { JsonValue } from '../graph.js';

export type ParamType = 'int' | 'float' | 'bool' | 'enum' | 'ints' | 'string';

export interface ParamSpec {
  /** Keras config key, snake_case. */
  name: string;
  type: ParamType;
  default: JsonValue;
  min?: number;
  max?: number;
  /** For 'enum'. */
  options?: string[];
  /** For 'ints': how many numbers (e.g. a kernel size of 2). */
  length?: number;
  /** Allows null (e.g. Dense activation 'linear' vs none, Reshape target). */
  nullable?: boolean;
  /**
   * For 'ints' of length 4 that Keras writes as two pairs, ((top, bottom), (left, right)):
   * Cropping2D's cropping, ZeroPadding2D's padding. The graph keeps the flat list.
   */
  pairs?: boolean;
  /**
   * The parameter matters only when another one has one of these values (a wrapper's
   * recurrent_activation only for LSTM and GRU). A form may hide it otherwise.
   */
  onlyWhen?: { param: string; values: string[] };
  doc: string;
}

/** Palette groups, in the order the palette shows them. */
export const LAYER_GROUPS = [
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
  'Preprocessing',
] as const;

export type LayerGroup = (typeof LAYER_GROUPS)[number];

export interface LayerSpec {
  /** Keras class name. */
  type: string;
  group: LayerGroup;
  /** One line for the palette. */
  doc: string;
  params: ParamSpec[];
  /** How many inputs the layer takes: Input takes 0, most take 1, merges 2 or more. */
  inputs: { min: number; max: number };
  /**
   * Output shape from input shapes (batch first) and a full config (defaults filled in).
   * Throws ShapeError with a message that says what was expected and what was found.
   */
  outputShape(inputs: Shape[], config: Record<string, JsonValue>): Shape;
  /** Trainable and non-trainable parameter counts. */
  paramCount(inputs: Shape[], config: Record<string, JsonValue>): { trainable: number; nonTrainable: number };
  /**
   * Rough cost of one forward pass for one sample (batch excluded), in floating-point operations:
   * a multiply-add counts 2. Each spec documents its approximation; layers that only move data
   * count 0. Called with shapes and a config that outputShape has accepted.
   */
  flops(inputs: Shape[], output: Shape, config: Record<string, JsonValue>): number;
}

export class ShapeError extends Error {
  /** A suggested fix, when there is one ("add Flatten before Dense"). */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'ShapeError';
    this.hint = hint;
  }
}

/** Result of checking a whole graph: per node, and totals. */
export interface NodeAnalysis {
  id: string;
  outputShape?: Shape;
  params: { trainable: number; nonTrainable: number };
  /** Forward-pass cost per sample (see LayerSpec.flops); set with outputShape. */
  flops?: number;
  /** Output elements per sample (the output shape without the batch); set with outputShape. */
  activations?: number;
  error?: string;
  hint?: string;
}

export interface GraphAnalysis {
  nodes: Record<string, NodeAnalysis>;
  /** Node ids in topological order (when there is no cycle). */
  order: string[];
  inputs: string[];
  outputs: string[];
  totalParams: number;
  trainableParams: number;
  /** Sum of the nodes' flops: one forward pass for one sample. */
  flopsPerSample: number;
  /** Sum of the nodes' activations, Input included: values one sample's forward pass produces. */
  activationsPerSample: number;
  /** Every problem, in plain words, each naming its layer (or nodeId null for graph-wide ones). */
  problems: { nodeId: string | null; message: string; hint?: string }[];
  valid: boolean;
}
