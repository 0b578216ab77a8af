/** Starting models, sized to a dataset's inputs and target when one is given. */
import { snakeCase, stackToGraph, type GraphEdge, type GraphNode, type ModelGraph } from './graph.js';
import type { FeatureLayout, InputLayout } from './dataset.js';
import type { TemplateId } from './api/models.js';
import { layoutGraph } from './graph-edit/layout.js';
import { GRID_BOX_CHANNELS } from './detection.js';

type Layer = { type: string; config: GraphNode['config'] };

/** J1's data: one step of 8 features, one value out. */
const J1_SHAPE = [1, 8];
/** J2's data: 28×28 grey images (MNIST / Fashion-MNIST). */
const J2_SHAPE = [28, 28, 1];
/** J3's data: a 50×50 colour image and a question of 27 word ids from a vocabulary of 1427; 1427 answers. */
const J3_IMAGE = [50, 50, 3];
const J3_WORDS = 27;
const J3_VOCABULARY = 1427;

export const TEMPLATE_INFO: Record<TemplateId, { label: string; doc: string }> = {
  'j1-lstm': { label: 'J1 LSTM', doc: 'LSTM(50) → Dense: a multivariate time-series regressor' },
  mlp: { label: 'MLP', doc: 'Dense layers for plain tabular rows' },
  'j2-cnn': { label: 'J2 CNN', doc: 'Two Conv2D(5×5) + pooling blocks → Dense(1024) → Dropout → softmax: an image classifier for MNIST-sized images' },
  'image-small': { label: 'Small image CNN', doc: 'Two small Conv2D blocks → global average pooling → softmax: quick to train on few images' },
  'j3-vqa': { label: 'J3 two-input VQA', doc: 'A CNN for the image and Embedding → LSTM for the question, concatenated → softmax over answers' },
  'detector-grid': {
    label: 'Grid detector',
    doc: 'Four Conv2D + pooling blocks (stride 16) → a sigmoid grid head of 5 + classes per cell: one box per cell (YOLOv1-style), trained with the grid loss',
  },
};

/** A template, laid out for the canvas. */
export function buildTemplate(id: TemplateId, layout?: FeatureLayout): ModelGraph {
  return layoutGraph(unplaced(id, layout));
}

function unplaced(id: TemplateId, layout?: FeatureLayout): ModelGraph {
  const shape = layout?.inputShape ?? J1_SHAPE;
  const head = outputLayer(layout, 1);
  switch (id) {
    case 'j1-lstm':
      // An LSTM reads (steps, features): plain rows become one step each.
      return stackToGraph([
        { type: 'Input', config: { shape: shape.length === 1 ? [1, shape[0]!] : [...shape] } },
        { type: 'LSTM', config: { units: 50 } },
        head,
      ]);
    case 'mlp':
      if (layout && layout.inputs.length > 1) return mlpOfMany(layout, head);
      return stackToGraph([
        { type: 'Input', config: { shape: [...shape] } },
        // Dense works on the last axis; windows (steps, features) must become one vector first.
        ...(shape.length > 1 ? [{ type: 'Flatten', config: {} }] : []),
        { type: 'Dense', config: { units: 64, activation: 'relu' } },
        { type: 'Dropout', config: { rate: 0.2 } },
        { type: 'Dense', config: { units: 32, activation: 'relu' } },
        head,
      ]);
    case 'j2-cnn':
      return stackToGraph([
        { type: 'Input', config: { shape: imageShape(layout?.inputs[0], J2_SHAPE) } },
        { type: 'Conv2D', config: { filters: 32, kernel_size: [5, 5], padding: 'same', activation: 'relu' } },
        { type: 'MaxPooling2D', config: { pool_size: [2, 2] } },
        { type: 'Conv2D', config: { filters: 64, kernel_size: [5, 5], padding: 'same', activation: 'relu' } },
        { type: 'MaxPooling2D', config: { pool_size: [2, 2] } },
        { type: 'Flatten', config: {} },
        { type: 'Dense', config: { units: 1024, activation: 'relu' } },
        { type: 'Dropout', config: { rate: 0.5 } },
        outputLayer(layout, 10),
      ]);
    case 'image-small':
      return stackToGraph([
        { type: 'Input', config: { shape: imageShape(layout?.inputs[0], J2_SHAPE) } },
        { type: 'Conv2D', config: { filters: 16, kernel_size: [3, 3], padding: 'same', activation: 'relu' } },
        { type: 'MaxPooling2D', config: { pool_size: [2, 2] } },
        { type: 'Conv2D', config: { filters: 32, kernel_size: [3, 3], padding: 'same', activation: 'relu' } },
        { type: 'MaxPooling2D', config: { pool_size: [2, 2] } },
        { type: 'GlobalAveragePooling2D', config: {} },
        { type: 'Dense', config: { units: 32, activation: 'relu' } },
        outputLayer(layout, 10),
      ]);
    case 'j3-vqa':
      return j3(layout);
    case 'detector-grid':
      return detectorGrid(layout);
  }
}

/** Without a detection dataset: 128×128 RGB and one class. */
const DETECTOR_SHAPE = [128, 128, 3];

/**
 * A small YOLOv1-style detector: four 3×3 Conv2D + MaxPool blocks (16, 32, 64, 128 filters) take
 * the image to a grid of one cell per 16×16 pixels, then Conv2D(128, 3×3) and a 1×1 sigmoid head of
 * 5 + C channels per cell, laid out as shared/detection.ts says. No BatchNormalization: TF.js
 * trains it only on the last axis, and the net is small enough to train without.
 */
function detectorGrid(layout?: FeatureLayout): ModelGraph {
  const shape = layout?.task === 'detection' ? imageShape(layout.inputs[0], DETECTOR_SHAPE) : [...DETECTOR_SHAPE];
  const classes = layout?.task === 'detection' ? Math.max(1, layout.outputUnits - GRID_BOX_CHANNELS) : 1;
  const conv = (filters: number, kernel: number, activation: string): Layer => ({
    type: 'Conv2D',
    config: { filters, kernel_size: [kernel, kernel], padding: 'same', activation },
  });
  const pool: Layer = { type: 'MaxPooling2D', config: { pool_size: [2, 2] } };
  return stackToGraph([
    { type: 'Input', config: { shape } },
    ...[16, 32, 64, 128].flatMap((f) => [conv(f, 3, 'relu'), pool]),
    conv(128, 3, 'relu'),
    conv(GRID_BOX_CHANNELS + classes, 1, 'sigmoid'),
  ]);
}

/**
 * J3 as in Keras's functional-API guide (the VQA model of the framework comparison): a VGG-like
 * CNN of three blocks (64, 128, 256 filters) for the image, Embedding → LSTM(256) for the question,
 * both concatenated into a softmax over the answers. With a two-input dataset, the larger input is
 * the image and the other the question; their names and sizes are taken from it.
 */
function j3(layout?: FeatureLayout): ModelGraph {
  const two = layout && layout.inputs.length === 2 ? [...layout.inputs] : null;
  if (two) two.sort((a, b) => size(b.shape) - size(a.shape));
  const image = two?.[0];
  const question = two?.[1];
  const imageDims = imageShape(image, J3_IMAGE);
  const words = question ? size(question.shape) : J3_WORDS;
  const vocabulary = question?.maxValue != null && Number.isInteger(question.maxValue) ? Math.max(question.maxValue + 1, 2) : J3_VOCABULARY;
  // Very small images cannot take three halvings; pool only while the side stays at least 2.
  let side = Math.min(imageDims[0]!, imageDims[1]!);
  const block = (filters: number, convs: number): Layer[] => {
    const layers: Layer[] = [];
    for (let i = 0; i < convs; i++) layers.push({ type: 'Conv2D', config: { filters, kernel_size: [3, 3], padding: 'same', activation: 'relu' } });
    if (side >= 4) {
      layers.push({ type: 'MaxPooling2D', config: { pool_size: [2, 2] } });
      side = Math.floor(side / 2);
    }
    return layers;
  };
  const b = new GraphBuilder();
  const img = b.add('Input', { shape: imageDims }, image?.name ?? 'image');
  let x = img;
  for (const l of [...block(64, 2), ...block(128, 2), ...block(256, 3), { type: 'Flatten', config: {} }]) x = b.add(l.type, l.config, undefined, [x]);
  const q = b.add('Input', { shape: [words] }, question?.name ?? 'question');
  const emb = b.add('Embedding', { input_dim: vocabulary, output_dim: 256 }, undefined, [q]);
  const lstm = b.add('LSTM', { units: 256 }, undefined, [emb]);
  const merged = b.add('Concatenate', {}, undefined, [lstm, x]);
  const out = outputLayer(layout, J3_VOCABULARY);
  b.add(out.type, out.config, undefined, [merged]);
  return b.graph();
}

/** Builds a branching graph node by node, naming layers as stackToGraph does. */
class GraphBuilder {
  private nodes: GraphNode[] = [];
  private edges: GraphEdge[] = [];
  private used = new Map<string, number>();

  add(type: string, config: GraphNode['config'], name?: string, inputs: string[] = []): string {
    const id = `n${this.nodes.length + 1}`;
    const base = name ?? snakeCase(type);
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    this.nodes.push({ id, type, name: n === 1 ? base : `${base}_${n}`, config });
    inputs.forEach((source, port) =>
      this.edges.push({ id: `e${this.edges.length + 1}`, source, target: id, ...(inputs.length > 1 ? { targetPort: port } : {}) }),
    );
    return id;
  }

  graph(): ModelGraph {
    return { version: 1, nodes: this.nodes, edges: this.edges };
  }
}

/**
 * An MLP for a dataset with several inputs: one Input per input, named and sized as the dataset
 * gives it (windows flattened), concatenated into the same Dense body.
 */
function mlpOfMany(layout: FeatureLayout, head: Layer): ModelGraph {
  const b = new GraphBuilder();
  const branches = layout.inputs.map((input) => {
    const id = b.add('Input', { shape: [...input.shape] }, input.name);
    return input.shape.length > 1 ? b.add('Flatten', {}, undefined, [id]) : id;
  });
  let x = b.add('Concatenate', {}, undefined, branches);
  x = b.add('Dense', { units: 64, activation: 'relu' }, undefined, [x]);
  x = b.add('Dropout', { rate: 0.2 }, undefined, [x]);
  x = b.add('Dense', { units: 32, activation: 'relu' }, undefined, [x]);
  b.add(head.type, head.config, undefined, [x]);
  return b.graph();
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The image shape of an input: its own when it has height, width and channels; a flat row of
 * n = s×s×c pixels (CSV columns p0…) is read as a square image with 3 channels, or 1, when one fits.
 */
export function imageShape(input: InputLayout | undefined, fallback: number[]): number[] {
  if (!input) return [...fallback];
  if (input.shape.length === 3) return [...input.shape];
  const n = size(input.shape);
  for (const channels of [3, 1]) {
    const s = Math.round(Math.sqrt(n / channels));
    if (s >= 2 && s * s * channels === n) return [s, s, channels];
  }
  return [...fallback];
}

function outputLayer(layout: FeatureLayout | undefined, defaultClasses: number): Layer {
  if (!layout) {
    return defaultClasses > 1
      ? { type: 'Dense', config: { units: defaultClasses, activation: 'softmax' } }
      : { type: 'Dense', config: { units: 1, activation: 'linear' } };
  }
  const classification = layout.task === 'classification';
  return { type: 'Dense', config: { units: layout.outputUnits, activation: classification ? 'softmax' : 'linear' } };
}
