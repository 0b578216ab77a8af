/**
 * Does a model fit the data it will train on? The graph editor shows these problems on the layer
 * that causes them while the user edits; the core refuses to train while any exists. Pure, so
 * both sides run the same rules.
 */
import { analyzeGraph } from './catalog/analyze.js';
import { withDefaults } from './catalog/index.js';
import type { GraphAnalysis } from './catalog/types.js';
import type { ModelGraph } from './graph.js';
import { formatShape } from './shape.js';
import type { Loss } from './training.js';
import { GRID_BOX_CHANNELS } from './detection.js';

/** One model input as the dataset feeds it. */
export interface InputFeed {
  /** The Input layer's name. */
  name: string;
  /** Per-sample shape the model takes (batch excluded). */
  shape: number[];
  /** Which of the dataset's inputs feeds it. */
  dataIndex: number;
}

/** What the dataset gives: its inputs (name, per-sample shape, largest value) and the target's width. */
export interface DataShape {
  /** `image`: images, resized to any (height, width, channels) the model takes, channels 1 (grey) or 3 (RGB). */
  inputs: { name: string; shape: number[]; maxValue?: number | null; image?: true }[];
  /** Detection: the channels of each grid cell, 5 + C (shared/detection.ts); any rows × cols fit. */
  outputUnits: number;
  task?: 'regression' | 'classification' | 'detection';
}

export interface FitProblem {
  /** The layer to flag; null for the model as a whole. */
  nodeId: string | null;
  message: string;
  hint?: string;
}

export interface FitResult {
  /** Feeds in the model's input order; empty when an input has no match. */
  feeds: InputFeed[];
  problems: FitProblem[];
}

/**
 * Pairs the model's inputs with the dataset's and checks the output against the target. With one
 * input on each side they pair up whatever their names; otherwise each Input layer takes the
 * columns assigned to its name. An input fits when it holds the same values: equal shapes up to
 * axes of size 1 (the J1 template's (1, n) for plain rows of n features), or a flat row of
 * features read as any shape of the same size (pixels p0…p47 as a 4×4×3 image).
 * Only meaningful for a graph without problems of its own (analysis.valid).
 */
export function modelDataFit(graph: ModelGraph, data: DataShape, loss?: Loss, analysis: GraphAnalysis = analyzeGraph(graph)): FitResult {
  const problems: FitProblem[] = [];
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const listData = () => data.inputs.map((d) => `'${d.name}' ${formatShape([null, ...d.shape])}`).join(', ');
  if (analysis.inputs.length !== data.inputs.length) {
    const n = analysis.inputs.length;
    problems.push({
      nodeId: null,
      message: `The model has ${n} input${n === 1 ? '' : 's'} but the dataset feeds ${data.inputs.length}: ${listData()}`,
      hint: "Assign the feature columns to inputs named like the model's Input layers, or add or remove an Input layer.",
    });
    return { feeds: [], problems };
  }
  const feeds: InputFeed[] = [];
  for (const id of analysis.inputs) {
    const node = byId.get(id)!;
    const dataIndex = data.inputs.length === 1 ? 0 : data.inputs.findIndex((d) => d.name === node.name);
    if (dataIndex < 0) {
      problems.push({
        nodeId: id,
        message: `The model's input '${node.name}' has no columns in the dataset, which feeds ${listData()}`,
        hint: `Rename the Input layer or assign columns to '${node.name}'.`,
      });
      continue;
    }
    const got = analysis.nodes[id]?.outputShape ?? [];
    const want = data.inputs[dataIndex]!.shape;
    if (data.inputs[dataIndex]!.image) {
      const problem = imageInputProblem(node.name, got, want);
      if (problem) {
        problems.push({ nodeId: id, ...problem });
        continue;
      }
    } else if (!fits(got.slice(1), want)) {
      problems.push({
        nodeId: id,
        message: `The model's input '${node.name}' takes ${formatShape(got)} but the dataset gives ${formatShape([null, ...want])}`,
        hint: `Set the Input shape to [${want.join(', ')}] or start from a template.`,
      });
      continue;
    }
    feeds.push({ name: node.name, shape: got.slice(1) as number[], dataIndex });
    problems.push(...embeddingProblems(graph, id, data.inputs[dataIndex]!.maxValue ?? null));
  }
  problems.push(...outputProblems(graph, analysis, data, loss));
  problems.push(...untrainable(graph));
  return { feeds: problems.length ? [] : feeds, problems };
}

/** Images are resized to the Input's height and width, so any size fits; the channels must be grey (1) or RGB (3). */
function imageInputProblem(name: string, got: (number | null)[], want: number[]): { message: string; hint: string } | null {
  const dims = got.slice(1);
  const ok = dims.length === 3 && dims.every((d) => d !== null && d >= 1) && (dims[2] === 1 || dims[2] === 3);
  if (ok) return null;
  return {
    message: `The model's input '${name}' takes ${formatShape(got)}, but this dataset feeds images as (height, width, channels) with 1 (grey) or 3 (RGB) channels`,
    hint: `Set the Input shape to [height, width, channels], such as [${want.join(', ')}], or start from an image template.`,
  };
}

/** Layers the engine builds but cannot train: TF.js 4.22 has no gradient for dilated convolutions. */
const DILATED = new Set(['Conv1D', 'Conv2D', 'SeparableConv2D']);

function untrainable(graph: ModelGraph): FitProblem[] {
  return graph.nodes
    .filter((n) => DILATED.has(n.type) && (withDefaults(n.type, n.config)['dilation_rate'] as number[] | undefined)?.some((d) => d > 1))
    .map((n) => ({
      nodeId: n.id,
      message: `${n.type} '${n.name}' has dilation_rate ${JSON.stringify(n.config['dilation_rate'])}, which TF.js cannot train (its convolution gradients support no dilation)`,
      hint: 'Set dilation_rate to 1, or widen kernel_size to see as far.',
    }));
}

function fits(model: (number | null)[], data: number[]): boolean {
  if (model.some((d) => d === null)) return false;
  const dims = model as number[];
  const withoutOnes = (s: number[]) => s.filter((d) => d !== 1).join(',');
  if (withoutOnes(dims) === withoutOnes(data)) return true;
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  return data.length === 1 && size(dims) === size(data);
}

/** An Embedding fed straight from an input needs input_dim above every id in its columns. */
function embeddingProblems(graph: ModelGraph, inputId: string, maxValue: number | null): FitProblem[] {
  if (maxValue === null) return [];
  return graph.edges
    .filter((e) => e.source === inputId)
    .map((e) => graph.nodes.find((n) => n.id === e.target))
    .filter((n) => n?.type === 'Embedding')
    .flatMap((n) => {
      const dim = withDefaults('Embedding', n!.config)['input_dim'];
      if (typeof dim !== 'number' || maxValue < dim) return [];
      return [
        {
          nodeId: n!.id,
          message: `Embedding '${n!.name}' has input_dim ${dim}, but its input holds ids up to ${maxValue}`,
          hint: `Set input_dim to at least ${Math.floor(maxValue) + 1}.`,
        },
      ];
    });
}

function outputProblems(graph: ModelGraph, analysis: GraphAnalysis, data: DataShape, loss: Loss | undefined): FitProblem[] {
  if (analysis.outputs.length !== 1) {
    return [
      {
        nodeId: null,
        message: `The model has ${analysis.outputs.length} outputs, but the dataset has one target`,
        hint: 'Merge the branches (Concatenate) before one output layer, or delete the extra outputs.',
      },
    ];
  }
  const id = analysis.outputs[0]!;
  const out = graph.nodes.find((n) => n.id === id)!;
  const shape = analysis.nodes[id]?.outputShape ?? [];
  if (data.task === 'detection') return detectorOutputProblems(out, id, shape, data, loss);
  const last = shape[shape.length - 1];
  if (loss === 'gridDetection')
    return [{ nodeId: null, message: `The grid detection loss trains a detector, but this dataset's target is a ${data.task ?? 'table'} target`, hint: 'Pick a loss for the target, or train on an image dataset with boxes.' }];
  if (shape.length !== 2 || last !== data.outputUnits) {
    const hint =
      shape.length > 2
        ? 'Add Flatten or GlobalAveragePooling before the output Dense layer.'
        : `Set the output layer's units to ${data.outputUnits}.`;
    return [{ nodeId: id, message: `The model's output is ${formatShape(shape)} but the target needs (batch, ${data.outputUnits})`, hint }];
  }
  // Configs hold only what differs from the defaults (Dense is linear unless told otherwise).
  const activation = out.type === 'Activation' || out.type === 'Dense' ? withDefaults(out.type, out.config)['activation'] : undefined;
  if (typeof activation !== 'string' || !loss) return [];
  if (loss === 'categoricalCrossentropy' && activation !== 'softmax')
    return [
      {
        nodeId: id,
        message: `Categorical cross-entropy needs class probabilities, but '${out.name}' ends with '${activation}'`,
        hint: `Set '${out.name}' activation to softmax.`,
      },
    ];
  if (loss === 'binaryCrossentropy' && activation !== 'sigmoid')
    return [
      {
        nodeId: id,
        message: `Binary cross-entropy needs values in (0, 1), but '${out.name}' ends with '${activation}'`,
        hint: `Set '${out.name}' activation to sigmoid.`,
      },
    ];
  if ((loss === 'meanAbsoluteError' || loss === 'meanSquaredError') && data.task === 'regression' && (activation === 'softmax' || activation === 'sigmoid'))
    return [
      {
        nodeId: id,
        message: `A regression target takes any value, but '${out.name}' squashes its output with '${activation}'`,
        hint: `Set '${out.name}' activation to linear.`,
      },
    ];
  return [];
}

/**
 * A detector's output is one grid of cells of (objectness, box, class probabilities): rank 4
 * (batch, rows, cols, 5 + C), all squashed to 0–1 by a sigmoid, trained with the grid loss.
 */
function detectorOutputProblems(out: ModelGraph['nodes'][number], id: string, shape: (number | null)[], data: DataShape, loss: Loss | undefined): FitProblem[] {
  const classes = data.outputUnits - GRID_BOX_CHANNELS;
  const want = `(rows, cols, ${GRID_BOX_CHANNELS} + ${classes} class${classes === 1 ? '' : 'es'}) = (rows, cols, ${data.outputUnits})`;
  const dims = shape.slice(1);
  if (dims.length !== 3 || dims.some((d) => d === null || d < 1) || dims[2] !== data.outputUnits)
    return [
      {
        nodeId: id,
        message: `A detector's last layer must output ${want}; this one outputs ${formatShape(dims)}`,
        hint: `End with Conv2D(${data.outputUnits}, 1×1, sigmoid) on a feature map, or start from the Grid detector template.`,
      },
    ];
  const problems: FitProblem[] = [];
  if (loss && loss !== 'gridDetection')
    problems.push({ nodeId: null, message: `A detector trains with the grid detection loss; this run asks for ${loss}`, hint: "Set the loss to 'gridDetection'." });
  const activation = out.type === 'Activation' || out.type === 'Conv2D' || out.type === 'Dense' ? withDefaults(out.type, out.config)['activation'] : undefined;
  if (typeof activation === 'string' && activation !== 'sigmoid')
    problems.push({
      nodeId: id,
      message: `A detector's grid values are fractions (0–1), but '${out.name}' ends with '${activation}'`,
      hint: `Set '${out.name}' activation to sigmoid.`,
    });
  return problems;
}
