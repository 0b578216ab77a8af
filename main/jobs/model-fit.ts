import { AppError } from '../../shared/errors.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { formatShape } from '../../shared/shape.js';
import type { ModelGraph } from '../../shared/graph.js';

/** One model input as the dataset feeds it. */
export interface InputFeed {
  /** The Input layer's name. */
  name: string;
  /** Per-sample shape the model takes (batch excluded). */
  shape: number[];
  /** Which of the dataset's inputs feeds it. */
  dataIndex: number;
}

/**
 * The model's inputs and output must match what the dataset gives, or training would fail deep
 * inside TF.js. With one input on each side they pair up whatever their names; otherwise each
 * Input layer takes the columns assigned to its name. An input fits when it holds the same values:
 * equal shapes up to axes of size 1 (the J1 template's (1, n) for plain rows of n features), or a
 * flat row of features read as any shape of the same size (pixels p0…p47 as a 4×4×3 image).
 * Returns the feeds in the model's input order.
 */
export function checkModelFitsData(graph: ModelGraph, data: { name: string; shape: number[] }[], outputUnits: number): InputFeed[] {
  const a = analyzeGraph(graph);
  if (!a.valid) throw new AppError('GRAPH_INVALID', `The model is not valid: ${a.problems[0]?.message ?? 'unknown problem'}`);
  const listData = () => data.map((d) => `'${d.name}' ${formatShape([null, ...d.shape])}`).join(', ');
  if (a.inputs.length !== data.length)
    throw new AppError(
      'GRAPH_INVALID',
      `The model has ${a.inputs.length} input${a.inputs.length === 1 ? '' : 's'} but the dataset feeds ${data.length}: ${listData()}. Assign the feature columns to inputs named like the model's Input layers.`,
    );
  const feeds = a.inputs.map((id): InputFeed => {
    const node = graph.nodes.find((n) => n.id === id)!;
    const dataIndex = data.length === 1 ? 0 : data.findIndex((d) => d.name === node.name);
    if (dataIndex < 0)
      throw new AppError('GRAPH_INVALID', `The model's input '${node.name}' has no columns in the dataset, which feeds ${listData()}. Rename the Input layer or assign columns to '${node.name}'.`);
    const got = a.nodes[id]?.outputShape ?? [];
    const want = data[dataIndex]!.shape;
    if (!fits(got.slice(1), want))
      throw new AppError(
        'GRAPH_INVALID',
        `The model's input '${node.name}' takes ${formatShape(got)} but the dataset gives ${formatShape([null, ...want])}. Set the Input shape to [${want.join(', ')}] or start from a template.`,
      );
    return { name: node.name, shape: got.slice(1) as number[], dataIndex };
  });
  const outShape = a.nodes[a.outputs[0]!]?.outputShape ?? [];
  const last = outShape[outShape.length - 1];
  if (a.outputs.length !== 1 || outShape.length !== 2 || last !== outputUnits)
    throw new AppError('GRAPH_INVALID', `The model's output is ${formatShape(outShape)} but the target needs (batch, ${outputUnits}).`);
  return feeds;
}

function fits(model: (number | null)[], data: number[]): boolean {
  if (model.some((d) => d === null)) return false;
  const dims = model as number[];
  const withoutOnes = (s: number[]) => s.filter((d) => d !== 1).join(',');
  if (withoutOnes(dims) === withoutOnes(data)) return true;
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return data.length === 1 && size(dims) === size(data);
}
