/** What a trainer process does for each request: wires the CSV preparation to the engine. */
import type { FromWorker, ToWorker } from './messages.js';
import { prepareTabular, unscaleTarget } from '../importers/csv/prepare.js';
import { loadBackend } from '../engine/backend.js';
import { buildModel } from '../engine/build.js';
import { train } from '../engine/train.js';
import { loadFromArtifacts, saveArtifacts } from '../engine/artifacts.js';
import { predict } from '../engine/predict.js';
import { AppError } from '../../shared/errors.js';
import { checkModelFitsData } from './model-fit.js';

type Send = (m: FromWorker) => void;

export async function runProbe(m: Extract<ToWorker, { type: 'probe' }>, send: Send): Promise<void> {
  const { info } = await loadBackend(m.backend);
  send({ type: 'probed', info });
}

export async function runTrain(m: Extract<ToWorker, { type: 'train' }>, send: Send, shouldStop: () => boolean): Promise<void> {
  const { tf, info } = await loadBackend(m.settings.backend);
  send({ type: 'backend', info });
  const data = await prepareTabular(m.data.csvPath, m.data.profile, m.data.config);
  send({
    type: 'prepared',
    preprocessing: data.pre,
    counts: { train: data.train.count, validation: data.validation.count, test: data.test.count },
  });
  const inputShape = checkModelFitsData(m.graph, data.inputShape, data.outputUnits);
  if (data.train.count === 0) throw new AppError('CSV_BAD_CONFIG', 'The training split is empty: check the split settings.');
  const model = buildModel(tf, m.graph);
  const result = await train(
    tf,
    model,
    {
      train: data.train,
      validation: data.validation.count > 0 ? data.validation : undefined,
      inputShape,
      outputUnits: data.outputUnits,
    },
    m.settings,
    {
      onBatch: (point, stats) => send({ type: 'progress', progress: { runId: m.runId, point, epochs: m.settings.epochs, ...stats } }),
      onEpoch: (point, stats) => send({ type: 'progress', progress: { runId: m.runId, point, epochs: m.settings.epochs, ...stats } }),
      shouldStop,
    },
  );
  const weights = await saveArtifacts(tf, model);
  send({ type: 'trained', weights, ...result });
}

export async function runEvaluate(m: Extract<ToWorker, { type: 'evaluate' }>, send: Send): Promise<void> {
  const { tf } = await loadBackend(m.backend);
  const data = await prepareTabular(m.data.csvPath, m.data.profile, m.data.config);
  const model = await loadFromArtifacts(tf, m.weights);
  const modelShape = (model.inputs[0]?.shape ?? []).slice(1) as number[];
  const out = predict(tf, model, data.test.x, data.test.count, modelShape.length ? modelShape : data.inputShape);
  const units = data.outputUnits;
  const actual: number[] = [];
  const predicted: number[] = [];
  const target = data.pre.target;
  for (let i = 0; i < data.test.count; i++) {
    if (target.task === 'classification') {
      actual.push(argmax(data.test.y, i * units, units));
      predicted.push(argmax(out, i * units, units));
    } else {
      actual.push(unscaleTarget(data.pre, data.test.y[i]!));
      predicted.push(unscaleTarget(data.pre, out[i]!));
    }
  }
  model.dispose();
  send({ type: 'evaluated', output: { task: target.task, actual, predicted, rows: Array.from(data.test.rowIndex), classes: target.classes, target: target.column } });
}

function argmax(a: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (a[start + j]! > a[start + best]!) best = j;
  return best;
}

