/** What a trainer process does for each request: wires the CSV preparation to the engine. */
import type { FromWorker, ToWorker } from './messages.js';
import { prepareTabular, unscaleTarget } from '../importers/csv/prepare.js';
import { loadBackend, threadsForModel } from '../engine/backend.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { buildModel } from '../engine/build.js';
import { train } from '../engine/train.js';
import { withSeed } from '../engine/seed.js';
import { loadFromArtifacts, saveArtifacts } from '../engine/artifacts.js';
import { predict } from '../engine/predict.js';
import { gather } from '../engine/train-step.js';
import { AppError } from '../../shared/errors.js';
import { checkModelFitsData, type InputFeed } from './model-fit.js';
import { loadImageSplit } from './image-data.js';
import type { ImageDataSource } from './messages.js';
import { IMAGE_INPUT_NAME } from '../../shared/image-layout.js';
import type { ModelGraph } from '../../shared/graph.js';
import { detectTestImages, gridShapeOf, gridTargets } from './detection-job.js';

type Send = (m: FromWorker) => void;

export async function runProbe(m: Extract<ToWorker, { type: 'probe' }>, send: Send): Promise<void> {
  const { info } = await loadBackend(m.backend);
  send({ type: 'probed', info });
}

export async function runTrain(
  m: Extract<ToWorker, { type: 'train' }>,
  send: Send,
  shouldStop: () => boolean,
  whilePaused: () => Promise<void> | undefined = () => undefined,
): Promise<void> {
  // Big models train faster on every core; small ones on one (threadsForModel).
  const threads = threadsForModel(analyzeGraph(m.graph).flopsPerSample, m.settings.batchSize);
  const { tf, info } = await loadBackend(m.settings.backend, undefined, { wasmThreads: threads });
  send({ type: 'backend', info });
  const data = m.data.kind === 'images' ? await imageTrainingData(m.data, m.graph) : await prepareTabular(m.data.csvPath, m.data.profile, m.data.config);
  send({
    type: 'prepared',
    preprocessing: data.pre,
    counts: { train: data.train.count, validation: data.validation.count, test: data.test.count },
  });
  const target = 'target' in data ? data.target : undefined;
  const feeds = checkModelFitsData(m.graph, data.inputs, data.outputUnits, undefined, target ? 'detection' : undefined);
  if (data.train.count === 0) throw new AppError('CSV_BAD_CONFIG', 'The training split is empty: check the split settings.');
  // Every layer's initial weights follow from the run's seed, so the same settings give the same run;
  // a resumed run starts from the weights it was resumed from.
  const model = m.initial ? await loadFromArtifacts(tf, m.initial.weights) : withSeed(m.settings.seed, () => buildModel(tf, m.graph));
  const checkpoints = new Checkpoints(m.settings.epochs, async () => saveArtifacts(tf, model), send);
  const result = await train(
    tf,
    model,
    {
      train: feed(data.train, feeds),
      validation: data.validation.count > 0 ? feed(data.validation, feeds) : undefined,
      inputShapes: feeds.map((f) => f.shape),
      // A detector's target is a grid per image: outputUnits counts its values.
      outputUnits: target ? target.units : data.outputUnits,
      ...(target ? { targetShape: target.shape } : {}),
    },
    m.settings,
    {
      onBatch: (point, stats) => send({ type: 'progress', progress: { runId: m.runId, point, epochs: m.settings.epochs, ...stats } }),
      onEpoch: async (point, stats) => {
        send({ type: 'progress', progress: { runId: m.runId, point, epochs: m.settings.epochs, ...stats } });
        await checkpoints.onEpoch(point);
      },
      shouldStop,
      whilePaused,
    },
    { initialEpoch: m.initial?.epoch ?? 0 },
  );
  const weights = await saveArtifacts(tf, model);
  send({ type: 'trained', weights, ...result });
}

/** A latest checkpoint is written at most this often (an epoch of a small model takes a fraction of a second). */
export const LAST_CHECKPOINT_MS = 2000;

/**
 * Sends checkpoints while a run trains: its best epoch by the monitored loss (val_loss when there
 * is a validation split, else loss) each time it improves, and its latest epoch every
 * LAST_CHECKPOINT_MS, so a crash loses at most that much training. The last epoch needs none: the
 * run's own weights follow it.
 */
export class Checkpoints {
  private best = Infinity;
  private lastAt = Date.now();

  constructor(
    private readonly epochs: number,
    private readonly weights: () => Promise<import('./messages.js').WeightArtifacts>,
    private readonly send: Send,
    private readonly now: () => number = Date.now,
  ) {}

  async onEpoch(point: { epoch: number; logs: Record<string, number> }): Promise<void> {
    const monitored = point.logs['val_loss'] ?? point.logs['loss'];
    const improved = monitored !== undefined && Number.isFinite(monitored) && monitored < this.best;
    const due = point.epoch + 1 < this.epochs && this.now() - this.lastAt >= LAST_CHECKPOINT_MS;
    if (!improved && !due) return;
    const weights = await this.weights();
    if (improved) {
      this.best = monitored;
      this.send({ type: 'checkpoint', kind: 'best', epoch: point.epoch, logs: point.logs, weights });
    }
    if (due) {
      this.lastAt = this.now();
      this.send({ type: 'checkpoint', kind: 'last', epoch: point.epoch, logs: point.logs, weights });
    }
  }
}

export async function runEvaluate(m: Extract<ToWorker, { type: 'evaluate' }>, send: Send): Promise<void> {
  if (m.data.kind === 'images') return runEvaluateImages(m, m.data, send);
  const { tf } = await loadBackend(m.backend);
  const data = await prepareTabular(m.data.csvPath, m.data.profile, m.data.config);
  const model = await loadFromArtifacts(tf, m.weights);
  // The stored model fixes the input order and shapes; the data is paired by name (or alone).
  const feeds = model.inputs.map((input, k) => {
    const name = model.inputNames[k] ?? '';
    const dataIndex = data.inputs.length === 1 ? 0 : data.inputs.findIndex((d) => d.name === name);
    if (dataIndex < 0) throw new AppError('GRAPH_INVALID', `The trained model's input '${name}' has no columns in the dataset any more.`);
    return { name, shape: input.shape.slice(1) as number[], dataIndex };
  });
  const test = feed(data.test, feeds);
  const out = predict(tf, model, test.xs, test.count, feeds.map((f) => f.shape));
  const units = data.outputUnits;
  const actual: number[] = [];
  const predicted: number[] = [];
  const probabilities: number[][] = [];
  const target = data.pre.target;
  for (let i = 0; i < data.test.count; i++) {
    if (target.task === 'classification') {
      actual.push(argmax(data.test.y, i * units, units));
      predicted.push(argmax(out, i * units, units));
      probabilities.push(Array.from(out.subarray(i * units, (i + 1) * units)));
    } else {
      actual.push(unscaleTarget(data.pre, data.test.y[i]!));
      predicted.push(unscaleTarget(data.pre, out[i]!));
    }
  }
  model.dispose();
  send({
    type: 'evaluated',
    output: {
      task: target.task,
      actual,
      predicted,
      rows: Array.from(data.test.rowIndex),
      classes: target.classes,
      target: target.column,
      ...(target.task === 'classification' ? { probabilities } : {}),
    },
  });
}

/**
 * An image dataset as the training loop takes it: bytes per split (scaled per batch), one image
 * input, and one-hot labels, or for a detector grid targets at the graph's output rows × cols.
 */
async function imageTrainingData(data: ImageDataSource, graph: ModelGraph) {
  const [train, validation] = await Promise.all([loadImageSplit(data, 'train'), loadImageSplit(data, 'validation')]);
  if (train.count === 0) throw new AppError('TRAINING_FAILED', 'No image could be used for training: the training split is empty (see the images skipped).');
  const common = {
    test: { count: data.splits.test?.count ?? 0 },
    inputs: [{ name: IMAGE_INPUT_NAME, shape: [...data.shape], image: true as const }],
  };
  if (data.detection) {
    const a = analyzeGraph(graph);
    const grid = gridShapeOf(a.nodes[a.outputs[0] ?? '']?.outputShape ?? [], data.classes.length);
    const { truths } = data.detection;
    return {
      ...common,
      pre: { images: { shape: data.shape, classes: data.classes, task: 'detection', grid } },
      train: { ...train, y: gridTargets(train, truths, grid) },
      validation: { ...validation, y: gridTargets(validation, truths, grid) },
      outputUnits: grid[2],
      target: { units: grid[0] * grid[1] * grid[2], shape: grid },
    };
  }
  return { ...common, pre: { images: { shape: data.shape, classes: data.classes } }, train, validation, outputUnits: data.classes.length };
}

/** Predicts the test images in chunks (bytes scaled to floats chunk by chunk), with each sample's class probabilities and image id. */
async function runEvaluateImages(m: Extract<ToWorker, { type: 'evaluate' }>, data: ImageDataSource, send: Send): Promise<void> {
  const { tf } = await loadBackend(m.backend);
  const test = await loadImageSplit(data, 'test');
  if (test.count === 0) throw new AppError('INVALID_REQUEST', 'The test split has no images: give some images the test split (Label view, Split) to evaluate.');
  const model = await loadFromArtifacts(tf, m.weights);
  const shape = model.inputs[0]!.shape.slice(1) as number[];
  if (model.inputs.length !== 1 || shape.join('x') !== data.shape.join('x'))
    throw new AppError('GRAPH_INVALID', `The trained model takes ${model.inputs.map((i) => `[${i.shape.slice(1).join(', ')}]`).join(' + ')}; the images were prepared as [${data.shape.join(', ')}].`);
  if (data.detection) {
    const detections = detectTestImages(tf, model, test, data.detection.truths, data.classes.length);
    model.dispose();
    send({ type: 'evaluated', output: { task: 'detection', actual: [], predicted: [], rows: [], classes: data.classes, target: 'boxes', itemIds: test.itemIds, detections } });
    return;
  }
  const units = data.classes.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const CHUNK = 1024;
  const predicted: number[] = [];
  const probabilities: number[][] = [];
  for (let start = 0; start < test.count; start += CHUNK) {
    const rows = new Uint32Array(Math.min(CHUNK, test.count - start)).map((_, i) => start + i);
    const out = predict(tf, model, [gather(test.xs[0]!, rows, size)], rows.length, [shape]);
    for (let i = 0; i < rows.length; i++) {
      predicted.push(argmax(out, i * units, units));
      probabilities.push(Array.from(out.subarray(i * units, (i + 1) * units)));
    }
  }
  model.dispose();
  send({
    type: 'evaluated',
    output: { task: 'classification', actual: test.labels, predicted, rows: test.labels.map((_, i) => i), classes: data.classes, target: 'class', probabilities, itemIds: test.itemIds },
  });
}

/** The dataset's arrays in the model's input order. */
function feed<S extends { xs: (Float32Array | Uint8Array)[] }>(split: S, feeds: InputFeed[]): S {
  return { ...split, xs: feeds.map((f) => split.xs[f.dataIndex]!) };
}

function argmax(a: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[start + j]! > a[start + best]!) best = j;
  return best;
}

