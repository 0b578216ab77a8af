/**
 * The try-it group: the form a run's inputs make, and one prediction from cells a user typed or
 * pasted. Cells are checked here against what the run trained on, so a wrong value is named before
 * a trainer process starts; the trainer then encodes them with the run's stored preprocessing.
 */
import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { ApiHandlers } from '../../shared/api/index.js';
import { AppError } from '../../shared/errors.js';
import { rowsFromPaste, type TableForm, type TryColumn, type TryForm, type TryImageResult, type TryPrediction } from '../../shared/tryit.js';
import type { BackendChoice, RunSummary } from '../../shared/training.js';
import { isMissing, parseNumber } from '../importers/csv/values.js';
import { unscaleTarget, type Preprocessing } from '../importers/csv/prepare.js';
import { callWorker } from '../jobs/worker-call.js';
import type { PredictInput } from '../jobs/messages.js';
import { decodeForTraining } from '../importers/images/ingest.js';
import type { ProjectStore } from '../store/index.js';
import type { CoreContext } from '../core.js';
import sharp from 'sharp';
import { DEFAULT_DETECTION_THRESHOLD, type DetectedBoxView } from '../../shared/detection.js';

export function tryitHandlers(ctx: CoreContext): ApiHandlers['tryit'] {
  return {
    async form({ runId }) {
      return buildForm(ctx.requireStore(), runId).form;
    },
    async predict({ runId, rows, csv }) {
      const store = ctx.requireStore();
      const { form, run, pre } = buildForm(store, runId);
      if (form.kind === 'images') throw new AppError('INVALID_REQUEST', `${run.name} classifies images; give it images, not rows of a table.`, { runId });
      if (form.kind !== 'table' || !pre) throw new AppError('RUN_NOT_FINISHED', form.kind === 'unavailable' ? form.reason : 'This run cannot be tried.', { runId });
      const cells = csv !== undefined ? rowsFromPaste(form, csv) : (rows ?? []);
      const filled = checkCells(form, cells);
      const outputs = await runModel(ctx, store, run, { kind: 'table', preprocessing: pre, samples: [cells] });
      return toPrediction(pre, outputs[0] ?? [], filled);
    },
    async predictImages({ runId, images, threshold }) {
      const store = ctx.requireStore();
      const { form, run } = buildForm(store, runId);
      if (form.kind === 'table') throw new AppError('INVALID_REQUEST', `${run.name} reads rows of a table; give it a row, not images.`, { runId });
      if (form.kind !== 'images') throw new AppError('RUN_NOT_FINISHED', form.reason, { runId });
      const decoded = await decodeImages(store.cacheDir, images, form.shape);
      const ok = decoded.filter((d) => d.pixels);
      if (form.detector) return detectImages(decoded, form.classes, threshold ?? form.detector.threshold, (input) => runModel(ctx, store, run, input, true), form.shape);
      const outputs = ok.length
        ? await runModel(ctx, store, run, { kind: 'images', shape: form.shape, pixels: concatBytes(ok.map((d) => d.pixels!)), count: ok.length })
        : [];
      let k = 0;
      return decoded.map((d): TryImageResult => {
        if (!d.pixels) return { name: d.name, error: d.error ?? 'could not be read' };
        const out = outputs[k++] ?? [];
        return { name: d.name, probabilities: form.classes.map((label, j) => ({ label, p: out[j] ?? 0 })).sort((a, b) => b.p - a.p) };
      });
    },
  };
}

/** The run's model on the input, in a trainer process: raw outputs, one array per sample (or a detector's boxes). */
async function runModel(ctx: CoreContext, store: ProjectStore, run: RunSummary, input: PredictInput): Promise<number[][]>;
async function runModel(ctx: CoreContext, store: ProjectStore, run: RunSummary, input: PredictInput, detector: true): Promise<DetectedBoxView[][]>;
async function runModel(ctx: CoreContext, store: ProjectStore, run: RunSummary, input: PredictInput, detector = false): Promise<number[][] | DetectedBoxView[][]> {
  const weights = store.getWeights(run.id);
  if (!weights) throw new AppError('RUN_NOT_FINISHED', `Run '${run.name}' has no trained weights (status: ${run.status}).`, { runId: run.id });
  const call = (backend: BackendChoice) => callWorker(ctx.spawn, ctx.opts.workerEntry, { type: 'predict', weights, input, backend }, 'predicted');
  // As in evaluation: the run's own backend gives its numbers; if it no longer loads, the best one that does.
  const r = await call(run.backend?.name ?? 'auto').catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'BACKEND_UNAVAILABLE') return call('auto');
    throw e;
  });
  if (detector) {
    if (!r.detections) throw new AppError('INTERNAL', 'The trainer answered a detector with no boxes.');
    return r.detections;
  }
  return r.outputs;
}

/**
 * A detector tried on images: the trainer decodes its grid as evaluation does (gridDetections),
 * in each image's own pixels, keeping boxes scoring at least `threshold`.
 */
async function detectImages(
  decoded: Decoded[],
  classes: string[],
  threshold: number,
  run: (input: PredictInput) => Promise<DetectedBoxView[][]>,
  shape: [number, number, number],
): Promise<TryImageResult[]> {
  const ok = decoded.filter((d) => d.pixels);
  const sizes = ok.map((d) => d.size!);
  const found = ok.length ? await run({ kind: 'images', shape, pixels: concatBytes(ok.map((d) => d.pixels!)), count: ok.length, detect: { sizes, minScore: threshold } }) : [];
  let k = 0;
  return decoded.map((d): TryImageResult => {
    if (!d.pixels) return { name: d.name, error: d.error ?? 'could not be read' };
    const boxes = found[k++] ?? [];
    return {
      name: d.name,
      detection: { ...d.size!, boxes: boxes.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h, label: classes[b.classIndex] ?? `class ${b.classIndex}`, score: b.score })) },
    };
  });
}

interface Decoded {
  name: string;
  pixels?: Uint8Array;
  /** The image's own size after EXIF rotation: a detector's boxes are given in it. */
  size?: { width: number; height: number };
  error?: string;
}

/**
 * Each image decoded and resized exactly as training decoded its images (sharp, EXIF orientation,
 * the run's height × width × channels). sharp reads files, so the bytes pass through cache/.
 */
async function decodeImages(
  cacheDir: string,
  images: { name: string; data: string }[],
  shape: [number, number, number],
): Promise<Decoded[]> {
  const dir = path.join(cacheDir, 'tryit');
  await fsp.mkdir(dir, { recursive: true });
  const out: Decoded[] = [];
  for (const image of images) {
    const file = path.join(dir, randomUUID());
    try {
      await fsp.writeFile(file, Buffer.from(image.data, 'base64'));
      const pixels = await decodeForTraining(file, { height: shape[0], width: shape[1], channels: shape[2] as 1 | 3 });
      const meta = await sharp(file).metadata();
      const turned = (meta.orientation ?? 1) >= 5;
      const size = { width: (turned ? meta.height : meta.width) ?? shape[1], height: (turned ? meta.width : meta.height) ?? shape[0] };
      out.push({ name: image.name, pixels, size });
    } catch (e) {
      const reason = (e as Error).message.replace(/^Input (file|buffer) (contains|has) /, '');
      out.push({ name: image.name, error: `${image.name} could not be read as an image (${reason}).` });
    } finally {
      await fsp.rm(file, { force: true });
    }
  }
  return out;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

interface Built {
  form: TryForm;
  run: RunSummary;
  pre: Preprocessing | null;
}

/** The form from the run's stored preprocessing, or why the run cannot be tried. */
export function buildForm(store: ProjectStore, runId: string): Built {
  const run = store.listRuns().find((r) => r.id === runId);
  if (!run) throw new AppError('NOT_FOUND', `No run with id ${runId}`, { runId });
  const unavailable = (reason: string): Built => ({ form: { kind: 'unavailable', runId, runName: run.name, reason }, run, pre: null });
  if (!run.hasWeights) return unavailable(`${run.name} has no trained weights (status: ${run.status}); try a run that finished at least one epoch.`);
  const dataset = store.getDataset(run.datasetId);
  const prep = store.getRunPrep(runId) as { preprocessing?: Preprocessing | { images?: { shape: [number, number, number]; classes: string[]; task?: 'detection' } } } | null;
  const noPrep = unavailable(`${run.name} kept no record of how it prepared its data, so its inputs cannot be rebuilt.`);
  if (dataset.kind !== 'tabular') {
    const images = prep?.preprocessing && 'images' in prep.preprocessing ? prep.preprocessing.images : undefined;
    if (!images) return noPrep;
    const form: TryForm = { kind: 'images', runId, runName: run.name, shape: images.shape, classes: images.classes };
    // A detector's slider starts at its evaluation's F1-optimal threshold.
    if (images.task === 'detection') {
      const e = store.getEvaluation(runId);
      form.detector = { threshold: e?.task === 'detection' ? e.threshold : DEFAULT_DETECTION_THRESHOLD };
    }
    return { form, run, pre: null };
  }
  const pre = prep?.preprocessing && 'features' in prep.preprocessing ? prep.preprocessing : undefined;
  if (!pre) return noPrep;
  const columns = pre.features.map((f): TryColumn => {
    const isTarget = f.column === pre.target.column ? { isTarget: true } : {};
    if (f.kind === 'number') return { name: f.column, kind: 'number', initial: String(Number(f.fill.toPrecision(6))), ...isTarget };
    const categories = f.categories ?? [];
    return { name: f.column, kind: 'category', categories, initial: categories[f.fill] ?? categories[0] ?? '', ...isTarget };
  });
  const form: TableForm = {
    kind: 'table',
    runId,
    runName: run.name,
    task: pre.target.task,
    target: pre.target.column,
    ...(pre.target.classes ? { classes: pre.target.classes } : {}),
    columns,
    steps: Math.max(pre.lookback, 1),
    horizon: pre.horizon,
    fileColumns: dataset.profile.columns.map((c) => c.name),
    delimiter: dataset.profile.delimiter,
    sourceName: dataset.sourceName,
  };
  return { form, run, pre };
}

const MAX_LISTED = 12;

/**
 * Every cell must be what training read in that column: a number, or one of the categories the
 * run knows. Empty cells are filled as training filled them; the columns filled are returned.
 */
export function checkCells(form: TableForm, rows: string[][]): string[] {
  if (rows.length !== form.steps)
    throw new AppError('INVALID_REQUEST', `Expected ${form.steps === 1 ? 'one row' : `${form.steps} rows (the run's window)`} of values but received ${rows.length}.`);
  const filled = new Set<string>();
  rows.forEach((row, i) => {
    const where = form.steps > 1 ? ` (row ${i + 1} of ${form.steps})` : '';
    if (row.length !== form.columns.length)
      throw new AppError(
        'INVALID_REQUEST',
        `Expected ${form.columns.length} values${where}, one per input column (${form.columns.map((c) => c.name).join(', ')}), but received ${row.length}.`,
      );
    form.columns.forEach((c, j) => {
      const cell = row[j]!;
      if (isMissing(cell)) return void filled.add(c.name);
      if (c.kind === 'number') {
        if (Number.isNaN(parseNumber(cell)))
          throw new AppError('INVALID_REQUEST', `Column '${c.name}'${where}: expected a number but found '${cell}'.`, { column: c.name, row: i });
        return;
      }
      const known = c.categories ?? [];
      if (!known.includes(cell.trim())) {
        const list = known.length > MAX_LISTED ? `${known.slice(0, MAX_LISTED).join(', ')}, … (${known.length} in all)` : known.join(', ');
        throw new AppError('INVALID_REQUEST', `Column '${c.name}'${where}: '${cell}' is not a value the run trained on; expected one of ${list}.`, {
          column: c.name,
          row: i,
        });
      }
    });
  });
  return [...filled];
}

function toPrediction(pre: Preprocessing, out: number[], filled: string[]): TryPrediction {
  const t = pre.target;
  if (t.task === 'regression') return { task: 'regression', target: t.column, value: unscaleTarget(pre, out[0]!), filled };
  const classes = t.classes ?? [];
  const probabilities = classes.map((label, k) => ({ label, p: out[k] ?? 0 })).sort((a, b) => b.p - a.p);
  return { task: 'classification', target: t.column, probabilities, filled };
}
