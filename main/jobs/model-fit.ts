import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { formatShape } from '../../shared/shape.js';
import type { ModelGraph } from '../../shared/graph.js';

/**
 * The model's input and output must match what the dataset gives, or training would fail deep
 * inside TF.js. An input that only adds axes of size 1 (the J1 template's (1, n) for plain rows
 * of n features) takes the same values, so it fits. Returns the per-sample shape to feed.
 */
export function checkModelFitsData(graph: ModelGraph, inputShape: number[], outputUnits: number): number[] {
  const a = analyzeGraph(graph);
  if (!a.valid) throw new AppError('GRAPH_INVALID', `The model is not valid: ${a.problems[0]?.message ?? 'unknown problem'}`);
  if (a.inputs.length !== 1) throw new AppError('GRAPH_INVALID', `A tabular dataset feeds one input; the model has ${a.inputs.length}.`);
  const inputNode = graph.nodes.find((n) => n.id === a.inputs[0]);
  const got = a.nodes[a.inputs[0]!]?.outputShape ?? [];
  const want = [null, ...inputShape];
  const withoutOnes = (dims: (number | null)[]) => dims.slice(1).filter((d) => d !== 1).join(',');
  if (got.some((d, i) => i > 0 && d === null) || withoutOnes(got) !== withoutOnes(want))
    throw new AppError(
      'GRAPH_INVALID',
      `The model's input '${inputNode?.name ?? '?'}' takes ${formatShape(got)} but the dataset gives ${formatShape(want)}. Set the Input shape to [${inputShape.join(', ')}] or start from a template.`,
    );
  const outShape = a.nodes[a.outputs[0]!]?.outputShape ?? [];
  const last = outShape[outShape.length - 1];
  if (a.outputs.length !== 1 || outShape.length !== 2 || last !== outputUnits)
    throw new AppError(
      'GRAPH_INVALID',
      `The model's output is ${formatShape(outShape)} but the target needs (batch, ${outputUnits}).`,
    );
  return got.slice(1) as number[];
}
