/** The `layerbench` commands: each opens the project, calls the core through the api, and prints. */
import type { Core } from '../core.js';
import { dispatch } from '../../shared/api/dispatch.js';
import type { Api } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import type { Dataset, DatasetConfig, TabularDataset, Task } from '../../shared/dataset.js';
import { DEFAULT_TRAIN_SETTINGS, type BackendChoice, type RunSummary, type TrainSettings } from '../../shared/training.js';
import { analyzeGraph } from '../../shared/catalog/analyze.js';
import { formatShape } from '../../shared/shape.js';
import { promises as fsp } from 'node:fs';
import { fmtDuration, type Output } from './output.js';

export type Flags = Record<string, string | boolean | undefined>;

/** The api as the CLI calls it: through dispatch, so CLI input is validated like any other. */
export function apiOf(core: Core): Api {
  return new Proxy({} as Api, {
    get: (_t, feature: string) =>
      new Proxy({}, { get: (_u, m: string) => (input: unknown) => dispatch(core.handlers, `${feature}.${m}`, input ?? {}) }),
  });
}

function str(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

function num(flags: Flags, name: string): number | undefined {
  const v = str(flags, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new AppError('INVALID_REQUEST', `--${name} expects a number; got '${v}'.`);
  return n;
}

function list(flags: Flags, name: string): string[] {
  return (str(flags, name) ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

async function pickDataset(api: Api, flags: Flags): Promise<Dataset> {
  const all = await api.datasets.list({});
  const id = str(flags, 'dataset');
  const d = id ? all.find((x) => x.id === id || x.name === id) : all[all.length - 1];
  if (!d) throw new AppError('NOT_FOUND', id ? `No dataset '${id}' in this project.` : 'This project has no dataset yet: run `layerbench import` first.');
  return d;
}

async function pickRun(api: Api, flags: Flags): Promise<RunSummary> {
  const runs = await api.training.list({});
  const id = str(flags, 'run');
  const r = id ? runs.find((x) => x.id === id || x.name === id) : runs[0];
  if (!r) throw new AppError('NOT_FOUND', id ? `No run '${id}' in this project.` : 'This project has no runs yet: run `layerbench train` first.');
  return r;
}

export async function cmdCreate(core: Core, dir: string, flags: Flags, out: Output): Promise<void> {
  const info = await apiOf(core).projects.create({ dir, name: str(flags, 'name') });
  out.result(info, () => `Created project '${info.name}' in ${info.dir}`);
}

/** Applies --target/--ignore/--encoding/--scaling/--lookback/--split flags to the default config. */
export function configFromFlags(d: TabularDataset, flags: Flags): DatasetConfig {
  const c: DatasetConfig = structuredClone(d.config);
  const names = new Set(d.profile.columns.map((x) => x.name));
  const need = (n: string) => {
    if (!names.has(n)) throw new AppError('CSV_BAD_CONFIG', `Column '${n}' is not in ${d.sourceName}; it has ${[...names].join(', ')}.`);
    return n;
  };
  const target = str(flags, 'target');
  if (target) {
    need(target);
    for (const col of c.columns) {
      if (col.name === target) col.role = 'target';
      else if (col.role === 'target') col.role = 'feature';
    }
  }
  for (const n of list(flags, 'ignore')) c.columns.find((x) => x.name === need(n))!.role = 'ignore';
  for (const n of list(flags, 'features')) c.columns.find((x) => x.name === need(n))!.role = 'feature';
  for (const pair of list(flags, 'encoding')) {
    const [n, e] = pair.split('=');
    if (e !== 'onehot' && e !== 'integer') throw new AppError('CSV_BAD_CONFIG', `--encoding expects column=onehot or column=integer; got '${pair}'.`);
    c.columns.find((x) => x.name === need(n ?? ''))!.encoding = e;
  }
  const scaling = str(flags, 'scaling');
  if (scaling) c.scaling = scaling as DatasetConfig['scaling'];
  const lookback = num(flags, 'lookback');
  if (lookback !== undefined) c.lookback = lookback;
  const horizon = num(flags, 'horizon');
  if (horizon !== undefined) c.horizon = horizon;
  if (flags['target-as-input']) c.targetAsInput = true;
  const validationFraction = num(flags, 'validation') ?? c.split.validationFraction;
  const split = str(flags, 'split');
  if (split?.startsWith('chronological')) {
    const rows = Number(split.split(':')[1] ?? Math.floor(d.profile.rowCount * 0.8));
    c.split = { kind: 'chronological', trainRows: rows, validationFraction };
  } else if (split?.startsWith('random')) {
    const testFraction = Number(split.split(':')[1] ?? 0.2);
    c.split = { kind: 'random', seed: num(flags, 'seed') ?? 42, testFraction, validationFraction };
  } else if (split) throw new AppError('CSV_BAD_CONFIG', `--split expects chronological[:TRAIN_ROWS] or random[:TEST_FRACTION]; got '${split}'.`);
  else c.split = { ...c.split, validationFraction };
  return c;
}

/** A table (CSV/TSV) is profiled and configured from the flags; anything else is imported as images. */
export async function cmdImport(core: Core, file: string, flags: Flags, out: Output): Promise<void> {
  if (!/\.(csv|tsv|txt)$/i.test(file)) return cmdImportImages(core, file, flags, out);
  const api = apiOf(core);
  const off = core.onEvent((event, p) => {
    if (event !== 'import.progress') return;
    const q = p as { bytesRead: number; bytesTotal: number; rows: number };
    out.progress(`importing ${((100 * q.bytesRead) / Math.max(1, q.bytesTotal)).toFixed(0)}% (${q.rows} rows)`);
  });
  let d: TabularDataset;
  try {
    d = await api.datasets.importCsv({ path: file, name: str(flags, 'name') });
  } finally {
    off();
  }
  try {
    d = await api.datasets.configure({ id: d.id, config: configFromFlags(d, flags) });
  } catch (e) {
    // One command, one change: flags that do not fit the file undo the import.
    await api.datasets.remove({ id: d.id });
    throw e;
  }
  const layout = await api.datasets.layout({ id: d.id });
  out.result({ dataset: d, layout }, () =>
    [
      `Imported ${d.sourceName}: ${d.profile.rowCount} rows, ${d.profile.columns.length} columns (dataset ${d.id})`,
      ...d.profile.columns.map((c) => {
        const role = d.config.columns.find((x) => x.name === c.name)?.role ?? '?';
        return `  ${c.name.padEnd(16)} ${c.type.padEnd(12)} ${role.padEnd(8)} missing ${c.missing}`;
      }),
      `Input ${formatShape([null, ...layout.inputShape])}, ${layout.task} of '${layout.target}'`,
    ].join('\n'),
  );
}

async function cmdImportImages(core: Core, src: string, flags: Flags, out: Output): Promise<void> {
  const off = core.onEvent((event, p) => {
    if (event !== 'import.progress') return;
    const q = p as { phase?: string; images?: number; imagesTotal?: number; problems?: number };
    out.progress(q.phase === 'copying' ? `importing ${q.images ?? 0} of ${q.imagesTotal ?? 0} images (${q.problems ?? 0} skipped)` : q.images ? `looking through ${q.images} files` : 'looking through the folder');
  });
  const every = num(flags, 'every-seconds');
  const frames = num(flags, 'every-frames');
  let d;
  try {
    d = await apiOf(core).datasets.importImages({
      path: src,
      name: str(flags, 'name'),
      ...(every !== undefined || frames !== undefined || flags['keep-similar']
        ? { video: { ...(every !== undefined ? { everySeconds: every } : {}), ...(frames !== undefined ? { everyFrames: frames } : {}), ...(flags['keep-similar'] ? { skipSimilar: false } : {}) } }
        : {}),
    });
  } finally {
    off();
  }
  const dataset = d;
  out.result({ dataset }, () =>
    [
      `Imported ${dataset.sourceName}: ${dataset.profile.imageCount} images (${dataset.profile.format}, for ${dataset.profile.task}; dataset ${dataset.id})`,
      ...dataset.profile.notes.map((n) => `  ${n}`),
      ...(dataset.profile.problems.length ? [`Skipped ${dataset.profile.problems.length}:`, ...dataset.profile.problems.slice(0, 20).map((p) => `  ${p.file}: ${p.message}`)] : []),
    ].join('\n'),
  );
}

export async function cmdModel(core: Core, flags: Flags, out: Output): Promise<void> {
  const api = apiOf(core);
  const keras = str(flags, 'keras');
  const template = str(flags, 'template');
  let graph;
  if (keras) graph = await api.models.importKeras({ json: await fsp.readFile(keras, 'utf8') });
  else if (template) {
    const datasetId = (await api.datasets.list({})).length ? (await pickDataset(api, flags)).id : undefined;
    graph = await api.models.fromTemplate({ template: template as 'j1-lstm', datasetId });
  } else graph = await api.models.get({});
  if (!graph) throw new AppError('NOT_FOUND', 'The project has no model yet: use --template j1-lstm or --keras FILE.');
  const a = analyzeGraph(graph);
  out.result({ graph, analysis: a }, () =>
    [
      ...a.order.map((id) => {
        const n = graph.nodes.find((x) => x.id === id)!;
        const na = a.nodes[id];
        const shape = na?.outputShape ? formatShape(na.outputShape) : '?';
        return `  ${n.name.padEnd(20)} ${n.type.padEnd(18)} ${shape.padEnd(22)} ${na?.params.trainable ?? 0}${na?.error ? '  ✗ ' + na.error : ''}`;
      }),
      `Total params: ${a.totalParams} (trainable ${a.trainableParams})`,
      ...a.problems.map((p) => `Problem: ${p.message}`),
    ].join('\n'),
  );
}

export function trainSettingsFromFlags(flags: Flags, task: Task): TrainSettings {
  const s: TrainSettings = { ...DEFAULT_TRAIN_SETTINGS };
  if (task === 'classification') Object.assign(s, { loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  // A detector logs its loss only: mAP is what its evaluation measures.
  if (task === 'detection') Object.assign(s, { loss: 'gridDetection', metrics: [] });
  const set = <K extends keyof TrainSettings>(k: K, v: TrainSettings[K] | undefined) => v !== undefined && (s[k] = v);
  set('epochs', num(flags, 'epochs'));
  set('batchSize', num(flags, 'batch-size'));
  set('learningRate', num(flags, 'lr'));
  set('momentum', num(flags, 'momentum'));
  set('seed', num(flags, 'seed'));
  set('optimizer', str(flags, 'optimizer') as TrainSettings['optimizer'] | undefined);
  set('loss', str(flags, 'loss') as TrainSettings['loss'] | undefined);
  set('backend', str(flags, 'backend') as TrainSettings['backend'] | undefined);
  if (flags.metrics !== undefined) s.metrics = list(flags, 'metrics') as TrainSettings['metrics'];
  return s;
}

export async function cmdTrain(core: Core, flags: Flags, out: Output): Promise<void> {
  const api = apiOf(core);
  const d = await pickDataset(api, flags);
  const layout = await api.datasets.layout({ id: d.id });
  const settings = trainSettingsFromFlags(flags, layout.task);
  const off = core.onEvent((event, payload) => {
    if (event === 'training.status') {
      const s = payload as { backend?: { name: string; device: string } };
      if (s.backend) out.progress(`backend: ${s.backend.name} on ${s.backend.device}`);
    }
    if (event === 'training.preparing') {
      // Image datasets: decoding progress, then every image skipped, by name (the count says if more were).
      const p = payload as import('../../shared/api/training.js').TrainingPreparing;
      out.progress(`preparing images ${p.images}/${p.total}${p.skipped ? `, ${p.skipped} skipped` : ''}`);
      if (p.done) for (const f of p.skippedFiles) process.stderr.write(`skipped: ${f}\n`);
    }
    if (event !== 'training.progress') return;
    const p = payload as import('../../shared/training.js').TrainingProgress;
    const logs = Object.entries(p.point.logs).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
    const line = `epoch ${p.point.epoch + 1}/${p.epochs} ${p.point.kind === 'epoch' ? 'done' : `batch ${p.point.batch + 1}/${p.batchesPerEpoch}`}  ${logs}  ${Math.round(p.samplesPerSec)} samples/s  ETA ${fmtDuration(p.etaMs)}`;
    if (p.point.kind === 'epoch' && !out.json) process.stderr.write(line + '\n');
    else out.progress(line);
  });
  let run: RunSummary;
  try {
    const started = await api.training.start({ datasetId: d.id, settings, name: str(flags, 'name') });
    const stop = () => void api.training.stop({ runId: started.id }).catch(() => undefined);
    process.once('SIGINT', stop);
    run = await api.training.wait({ runId: started.id });
    process.off('SIGINT', stop);
  } finally {
    off();
  }
  if (run.status === 'failed') throw new AppError('TRAINING_FAILED', `Run '${run.name}' failed: ${run.error ?? 'unknown reason'}`);
  out.result(run, () =>
    `Run '${run.name}' ${run.status} after ${run.epochsDone} epoch(s) on ${run.backend?.name ?? '?'} (${run.backend?.device ?? ''}): ` +
    Object.entries(run.finalLogs ?? {}).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ') +
    `, ${Math.round(run.samplesPerSec ?? 0)} samples/s (run ${run.id})`,
  );
}

export async function cmdEvaluate(core: Core, flags: Flags, out: Output): Promise<void> {
  const api = apiOf(core);
  const run = await pickRun(api, flags);
  const e = await api.evaluation.run({ runId: run.id });
  const pct = (v: number | null) => (v === null ? '-' : `${(v * 100).toFixed(1)}%`);
  out.result(e, () =>
    e.task === 'regression'
      ? `Run '${run.name}' on ${e.count} test samples: MAE ${e.mae.toFixed(4)}, RMSE ${e.rmse.toFixed(4)} (${e.target} units)`
      : e.task === 'detection'
        ? `Run '${run.name}' on ${e.count} test images (${e.groundTruths} boxes): mAP@0.5 ${pct(e.map50)}, mAP@0.5:0.95 ${pct(e.map)}, ` +
          (e.bestF1 ? `best F1 ${e.bestF1.f1.toFixed(3)} at threshold ${e.bestF1.threshold.toFixed(3)}` : 'no detections') +
          '\n' +
          e.perClass.map((c) => `  ${c.className.padEnd(12)} AP@0.5 ${pct(c.ap50)}  AP ${pct(c.ap)}  ${c.groundTruths} boxes, ${c.detections} detections`).join('\n')
        : `Run '${run.name}' on ${e.count} test samples: accuracy ${(e.accuracy * 100).toFixed(2)}%\n` +
          e.classes.map((c, i) => `  ${c.padEnd(12)} ${e.confusion[i]!.join(' ')}`).join('\n'),
  );
}

export async function cmdExport(core: Core, flags: Flags, out: Output): Promise<void> {
  const api = apiOf(core);
  const run = await pickRun(api, flags);
  const format = str(flags, 'format') ?? 'tfjs';
  const input = { runId: run.id, dir: str(flags, 'out') };
  const names: Record<string, string> = { tfjs: 'a TF.js LayersModel', keras: 'Keras (.keras and .h5)', onnx: 'ONNX', python: 'Python code (PyTorch + Keras)' };
  if (!names[format]) throw new AppError('INVALID_REQUEST', `--format expects tfjs, keras, onnx or python; got '${format}'.`);
  const r =
    format === 'keras' ? await api.export.keras(input) : format === 'onnx' ? await api.export.onnx(input) : format === 'python' ? await api.export.python(input) : await api.export.tfjs(input);
  // The parity measured at export, one line per check, so a script's log shows what was proven.
  const parity = r.report.parity.map((p) => `  parity ${p.status}: ${p.method}${p.maxAbsDiff !== undefined && p.maxAbsDiff >= 0 ? ` (max abs diff ${p.maxAbsDiff}${p.tolerance !== undefined ? `, tolerance ${p.tolerance}` : ''})` : ''}${p.note ? `; ${p.note}` : ''}`);
  // A detector's threshold and what data/ holds, worded as EXPORT.md (and the Export view) word them.
  const t = r.report.threshold;
  const d = r.report.data;
  const facts = [
    ...(t ? [`  score threshold ${t.value} (${t.source === 'evaluation' ? "the run's evaluation: best F1 at IoU 0.5" : 'the default: not evaluated yet; evaluate the run to set it'})`] : []),
    ...(d ? [d.format === 'none' ? `  dataset files: not written (${d.reason})` : `  dataset files: ${d.summary}`] : []),
  ];
  out.result(r, () => [`Exported run '${run.name}' as ${names[format]} to ${r.dir}:`, ...r.files.map((f) => `  ${f}`), ...facts, ...parity].join('\n'));
}

export async function cmdDatasets(core: Core, out: Output): Promise<void> {
  const ds = await apiOf(core).datasets.list({});
  out.result(ds, () => (ds.length === 0 ? 'No datasets yet.' : ds.map((d) => `${d.id}  ${d.name}  ${d.kind === 'tabular' ? `${d.profile.rowCount} rows` : `${d.profile.imageCount} images`}  ${d.sourceName}`).join('\n')));
}

/** Which TF.js backends load here, best first, and why the others do not: the first check when a GPU is not used. */
export async function cmdBackends(core: Core, flags: Flags, out: Output): Promise<void> {
  const backend = str(flags, 'backend') as BackendChoice | undefined;
  const info = await apiOf(core).training.backends({ ...(backend ? { backend } : {}) });
  out.result(info, () =>
    [
      `Training uses ${info.name}: ${info.device}`,
      ...info.attempts.map((a) => `  ${a.ok ? '✓' : '✗'} ${a.name.padEnd(15)} ${a.ok ? 'loads' : (a.reason ?? 'does not load')}`),
    ].join('\n'),
  );
}

/** Trains a stopped or failed run further, as a new run, and waits for it like `train`. */
export async function cmdResume(core: Core, flags: Flags, out: Output): Promise<void> {
  const api = apiOf(core);
  const runId = str(flags, 'run');
  if (!runId) throw new AppError('INVALID_REQUEST', 'layerbench resume needs --run ID (see layerbench runs).');
  const from = str(flags, 'from');
  if (from !== undefined && from !== 'latest' && from !== 'best') throw new AppError('INVALID_REQUEST', `--from takes latest or best; got '${from}'.`);
  const epochs = str(flags, 'epochs');
  const run = await api.training.resume({ runId, ...(from ? { from } : {}), ...(epochs ? { epochs: Number(epochs) } : {}) });
  process.stderr.write(`${run.name}: epochs ${run.epochsDone + 1}–${run.settings.epochs}\n`);
  const ended = await api.training.wait({ runId: run.id });
  if (ended.status === 'failed') throw new AppError('TRAINING_FAILED', `${ended.name} failed: ${ended.error ?? 'unknown reason'}`);
  out.result(ended, () => `${ended.name} ${ended.status} after ${ended.epochsDone} epochs, loss ${ended.finalLogs?.['loss']?.toFixed(4) ?? '-'}`);
}
