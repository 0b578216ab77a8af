/**
 * A project on disk: a folder holding `project.lbproj` (SQLite, WAL), `media/` (imported files)
 * and `cache/` (safe to delete). Every write is one transaction, committed before it returns.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openSqlite } from './sqlite.js';
import { claimOwnership, releaseOwnership } from './owner.js';
import { AppError } from '../../shared/errors.js';
import type { ProjectInfo } from '../../shared/api/projects.js';
import type { Dataset, DatasetConfig, ImageDataset, TabularDataset } from '../../shared/dataset.js';
import type { StoredEvaluation } from '../../shared/evaluation.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { MetricPoint, Run, RunSummary } from '../../shared/training.js';
import { fromJson, fromJsonOrNull, toJson } from './json.js';
import { migrate, readFileVersion, assertReadable, schemaVersion } from './migrate.js';
import type { Db } from './migrations/index.js';
import { ImageStore, type NewItem } from './image-store.js';

export const PROJECT_FILE = 'project.lbproj';
export const INTERRUPTED_MESSAGE = 'Interrupted: Layerbench closed while this run was training.';
const CURRENT_MODEL = 'current';

export interface StoredWeights {
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: Uint8Array;
}

export type CheckpointKind = 'best' | 'last';

export type RunPatch = Partial<Pick<RunSummary, 'status' | 'error' | 'backend' | 'epochsDone' | 'finalLogs' | 'samplesPerSec' | 'endedAt' | 'earlyStopping'>>;

interface DatasetRow {
  id: string; name: string; kind: Dataset['kind']; source_name: string; sha256: string; bytes: number;
  profile: string; config: string; created_at: string;
}

interface RunRow {
  id: string; name: string; dataset_id: string; status: RunSummary['status']; error: string | null;
  settings: string; graph: string; backend: string | null; epochs_done: number; final_logs: string | null;
  samples_per_sec: number | null; started_at: string; ended_at: string | null; has_weights: number; early_stop: string | null;
  best_epoch: number | null; last_epoch: number | null; hidden: number;
}

/** updateRun's patch keys → column and how the value is stored. */
const RUN_COLUMNS: Record<keyof RunPatch, { column: string; json: boolean }> = {
  status: { column: 'status', json: false },
  error: { column: 'error', json: false },
  backend: { column: 'backend', json: true },
  epochsDone: { column: 'epochs_done', json: false },
  finalLogs: { column: 'final_logs', json: true },
  samplesPerSec: { column: 'samples_per_sec', json: false },
  endedAt: { column: 'ended_at', json: false },
  earlyStopping: { column: 'early_stop', json: true },
};

const RUN_SELECT = `SELECT runs.*, EXISTS (SELECT 1 FROM run_weights w WHERE w.run_id = runs.id) AS has_weights,
  (SELECT epoch FROM run_checkpoints c WHERE c.run_id = runs.id AND c.kind = 'best') AS best_epoch,
  (SELECT epoch FROM run_checkpoints c WHERE c.run_id = runs.id AND c.kind = 'last') AS last_epoch FROM runs`;

export class ProjectStore {
  readonly mediaDir: string;
  readonly cacheDir: string;
  /** Classes, images and boxes of image datasets. */
  readonly images: ImageStore;

  private constructor(
    readonly dir: string,
    private readonly db: Db,
  ) {
    this.mediaDir = path.join(dir, 'media');
    this.cacheDir = path.join(dir, 'cache');
    this.images = new ImageStore(db);
  }

  /** Makes a new project in `dir` (created if missing). Refuses a folder that already holds one. */
  static create(dir: string, name?: string): ProjectStore {
    const root = path.resolve(dir);
    const file = path.join(root, PROJECT_FILE);
    if (fs.existsSync(file)) {
      throw new AppError('PROJECT_EXISTS', `A Layerbench project already exists at ${file}; open it instead, or choose another folder.`, { path: file });
    }
    fs.mkdirSync(root, { recursive: true });
    const store = new ProjectStore(root, connect(file));
    store.ensureFolders();
    claimOwnership(root);
    store.db.transaction(() => {
      const put = store.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
      put.run('name', name?.trim() || path.basename(root));
      put.run('createdAt', new Date().toISOString());
    })();
    return store;
  }

  /** Opens the project in `dir`, upgrading its schema and tidying what a crash left behind. */
  static open(dir: string): ProjectStore {
    const root = path.resolve(dir);
    const file = path.join(root, PROJECT_FILE);
    if (!fs.existsSync(file)) {
      throw new AppError('PROJECT_NOT_FOUND', `No Layerbench project at ${root}: expected a file ${file}.`, { path: file });
    }
    // Checked read-only first: a file from a newer Layerbench must stay byte-for-byte as it was.
    assertReadable(readFileVersion(file));
    const store = new ProjectStore(root, connect(file));
    store.ensureFolders();
    // Only the first Layerbench process to open a project tidies after a crash: another one
    // (a CLI command beside the desktop app) must not fail its runs or delete its imports.
    if (claimOwnership(root)) {
      store.removePartialMedia();
      store.failInterruptedRuns();
    }
    return store;
  }

  close(): void {
    if (this.db.open) this.db.close();
    releaseOwnership(this.dir);
  }

  info(): ProjectInfo {
    const meta = new Map(
      (this.db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]),
    );
    return {
      dir: this.dir,
      name: meta.get('name') ?? path.basename(this.dir),
      createdAt: meta.get('createdAt') ?? '',
      schemaVersion: schemaVersion(this.db),
    };
  }

  // ── Datasets ────────────────────────────────────────────────────────────────────────────

  insertDataset(d: Dataset): void {
    this.db
      .prepare(
        `INSERT INTO datasets (id, name, kind, source_name, sha256, bytes, profile, config, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(d.id, d.name, d.kind, d.sourceName, d.sha256, d.bytes, toJson(d.profile), toJson(d.config), d.createdAt);
  }

  /** An image dataset with its classes and images, in one transaction: all of it or nothing. */
  insertImageDataset(d: ImageDataset, classes: string[], items: NewItem[]): void {
    this.db.transaction(() => {
      this.insertDataset(d);
      this.images.insertImages(d.id, classes, items);
    })();
  }

  updateImageDatasetProfile(id: string, profile: ImageDataset['profile']): void {
    this.changeOne('dataset', id, 'UPDATE datasets SET profile = ? WHERE id = ?', toJson(profile), id);
  }

  listDatasets(): Dataset[] {
    return (this.db.prepare('SELECT * FROM datasets ORDER BY created_at, rowid').all() as DatasetRow[]).map(datasetFromRow);
  }

  getDataset(id: string): Dataset {
    const row = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;
    if (!row) throw notFound('dataset', id);
    return datasetFromRow(row);
  }

  /** The dataset, which must be a table: what the CSV pipeline (training, evaluation, templates) reads. */
  getTabularDataset(id: string): TabularDataset {
    const d = this.getDataset(id);
    if (d.kind !== 'tabular')
      throw new AppError('WRONG_DATASET_KIND', `Dataset '${d.name}' holds images; this needs a table (CSV) dataset.`, { datasetId: id, kind: d.kind });
    return d;
  }

  getImageDataset(id: string): ImageDataset {
    const d = this.getDataset(id);
    if (d.kind !== 'images')
      throw new AppError('WRONG_DATASET_KIND', `Dataset '${d.name}' is a table (CSV); this needs an image dataset.`, { datasetId: id, kind: d.kind });
    return d;
  }

  updateDatasetConfig(id: string, config: DatasetConfig): void {
    this.changeOne('dataset', id, 'UPDATE datasets SET config = ? WHERE id = ?', toJson(config), id);
  }

  renameDataset(id: string, name: string): void {
    this.changeOne('dataset', id, 'UPDATE datasets SET name = ? WHERE id = ?', name, id);
  }

  /** Deletes the dataset and, through the foreign keys, its runs and everything they hold. Media files stay (they may be shared). */
  deleteDataset(id: string): void {
    this.changeOne('dataset', id, 'DELETE FROM datasets WHERE id = ?', id);
  }

  // ── The current model ───────────────────────────────────────────────────────────────────

  getModel(): ModelGraph | null {
    const row = this.db.prepare('SELECT graph FROM models WHERE id = ?').get(CURRENT_MODEL) as { graph: string } | undefined;
    return row ? fromJson<ModelGraph>(row.graph) : null;
  }

  setModel(graph: ModelGraph): void {
    this.db
      .prepare(
        `INSERT INTO models (id, graph, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET graph = excluded.graph, updated_at = excluded.updated_at`,
      )
      .run(CURRENT_MODEL, toJson(graph), new Date().toISOString());
  }

  // ── Runs ────────────────────────────────────────────────────────────────────────────────

  /** Stores the run with the exact graph and settings it trains with. `hasWeights` is ignored (computed). */
  insertRun(run: Omit<Run, 'metrics'>): void {
    this.db
      .prepare(
        `INSERT INTO runs (id, name, dataset_id, status, error, settings, graph, backend, epochs_done, final_logs, samples_per_sec, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id, run.name, run.datasetId, run.status, run.error ?? null, toJson(run.settings), toJson(run.graph),
        run.backend ? toJson(run.backend) : null, run.epochsDone, run.finalLogs ? toJson(run.finalLogs) : null,
        run.samplesPerSec ?? null, run.startedAt, run.endedAt ?? null,
      );
  }

  /** Changes the given fields; fields absent or undefined in `patch` are left as they are. */
  updateRun(id: string, patch: RunPatch): void {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, spec] of Object.entries(RUN_COLUMNS) as [keyof RunPatch, (typeof RUN_COLUMNS)[keyof RunPatch]][]) {
      const value = patch[key];
      if (value === undefined) continue;
      sets.push(`${spec.column} = ?`);
      values.push(spec.json ? toJson(value) : value);
    }
    if (sets.length === 0) {
      this.getRunRow(id);
      return;
    }
    this.changeOne('run', id, `UPDATE runs SET ${sets.join(', ')} WHERE id = ?`, ...values, id);
  }

  /** Appends points in one transaction (the trainer flushes a batch of them at a time). */
  appendMetrics(runId: string, points: MetricPoint[]): void {
    const insert = this.db.prepare('INSERT INTO run_metrics (run_id, kind, epoch, batch, step, logs) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.getRunRow(runId);
      for (const p of points) insert.run(runId, p.kind, p.epoch, p.batch, p.step, toJson(p.logs));
    })();
  }

  /** Newest first. */
  listRuns(): RunSummary[] {
    return (this.db.prepare(`${RUN_SELECT} ORDER BY started_at DESC, rowid DESC`).all() as RunRow[]).map(summaryFromRow);
  }

  getRun(id: string): Run {
    const row = this.getRunRow(id);
    const metrics = (
      this.db.prepare('SELECT kind, epoch, batch, step, logs FROM run_metrics WHERE run_id = ? ORDER BY id').all(id) as {
        kind: MetricPoint['kind']; epoch: number; batch: number; step: number; logs: string;
      }[]
    ).map((m) => ({ kind: m.kind, epoch: m.epoch, batch: m.batch, step: m.step, logs: fromJson<Record<string, number>>(m.logs) }));
    return { ...summaryFromRow(row), graph: fromJson<ModelGraph>(row.graph), metrics };
  }

  /** Deletes the run with its metrics, weights, checkpoints, evaluation and prep, in one transaction (the foreign keys cascade). */
  deleteRun(id: string): void {
    this.db.transaction(() => this.changeOne('run', id, 'DELETE FROM runs WHERE id = ?', id))();
  }

  renameRun(id: string, name: string): void {
    this.changeOne('run', id, 'UPDATE runs SET name = ? WHERE id = ?', name, id);
  }

  /** Hidden runs stay in the project, weights and all; the run lists leave them out unless asked. */
  setRunHidden(id: string, hidden: boolean): void {
    this.changeOne('run', id, 'UPDATE runs SET hidden = ? WHERE id = ?', hidden ? 1 : 0, id);
  }

  // ── Weights, evaluations, prep: one of each per run, a second save replaces the first ─

  saveWeights(runId: string, w: StoredWeights): void {
    const bytes = Buffer.from(w.weightData.buffer, w.weightData.byteOffset, w.weightData.byteLength);
    this.upsertForRun(
      runId,
      `INSERT INTO run_weights (run_id, model_topology, weight_specs, weight_data) VALUES (?, ?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET model_topology = excluded.model_topology, weight_specs = excluded.weight_specs, weight_data = excluded.weight_data`,
      runId, toJson(w.modelTopology), toJson(w.weightSpecs), bytes,
    );
  }

  getWeights(runId: string): StoredWeights | null {
    const row = this.db.prepare('SELECT model_topology, weight_specs, weight_data FROM run_weights WHERE run_id = ?').get(runId) as
      | { model_topology: string; weight_specs: string; weight_data: Buffer }
      | undefined;
    if (!row) return null;
    // A plain Uint8Array of its own (not a Buffer view), so it clones and compares cleanly.
    return { modelTopology: fromJson(row.model_topology), weightSpecs: fromJson(row.weight_specs), weightData: new Uint8Array(row.weight_data) };
  }

  /** Keeps a run's best or latest epoch's weights (replacing the previous one of that kind). */
  saveCheckpoint(runId: string, kind: CheckpointKind, epoch: number, logs: Record<string, number>, w: StoredWeights): void {
    const bytes = Buffer.from(w.weightData.buffer, w.weightData.byteOffset, w.weightData.byteLength);
    this.upsertForRun(
      runId,
      `INSERT INTO run_checkpoints (run_id, kind, epoch, logs, model_topology, weight_specs, weight_data, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, kind) DO UPDATE SET epoch = excluded.epoch, logs = excluded.logs, model_topology = excluded.model_topology,
         weight_specs = excluded.weight_specs, weight_data = excluded.weight_data, saved_at = excluded.saved_at`,
      runId, kind, epoch, toJson(logs), toJson(w.modelTopology), toJson(w.weightSpecs), bytes, new Date().toISOString(),
    );
  }

  getCheckpoint(runId: string, kind: CheckpointKind): { epoch: number; logs: Record<string, number>; weights: StoredWeights } | null {
    const row = this.db
      .prepare('SELECT epoch, logs, model_topology, weight_specs, weight_data FROM run_checkpoints WHERE run_id = ? AND kind = ?')
      .get(runId, kind) as { epoch: number; logs: string; model_topology: string; weight_specs: string; weight_data: Buffer } | undefined;
    if (!row) return null;
    return {
      epoch: row.epoch,
      logs: fromJson(row.logs),
      weights: { modelTopology: fromJson(row.model_topology), weightSpecs: fromJson(row.weight_specs), weightData: new Uint8Array(row.weight_data) },
    };
  }

  /** The evaluation with the gallery's samples (bounded: see shared/evaluation-gallery.ts). */
  saveEvaluation(runId: string, e: StoredEvaluation): void {
    this.upsertForRun(
      runId,
      `INSERT INTO evaluations (run_id, evaluation, created_at) VALUES (?, ?, ?)
       ON CONFLICT (run_id) DO UPDATE SET evaluation = excluded.evaluation, created_at = excluded.created_at`,
      runId, toJson(e), new Date().toISOString(),
    );
  }

  getEvaluation(runId: string): StoredEvaluation | null {
    const row = this.db.prepare('SELECT evaluation FROM evaluations WHERE run_id = ?').get(runId) as { evaluation: string } | undefined;
    return fromJsonOrNull<StoredEvaluation>(row?.evaluation);
  }

  /** What the trainer worked out while preparing the data (scaling, categories); its shape is the trainer's business. */
  saveRunPrep(runId: string, prep: unknown): void {
    this.upsertForRun(runId, 'INSERT INTO run_prep (run_id, prep) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET prep = excluded.prep', runId, toJson(prep));
  }

  getRunPrep(runId: string): unknown {
    const row = this.db.prepare('SELECT prep FROM run_prep WHERE run_id = ?').get(runId) as { prep: string } | undefined;
    return fromJsonOrNull<unknown>(row?.prep);
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────

  private getRunRow(id: string): RunRow {
    const row = this.db.prepare(`${RUN_SELECT} WHERE id = ?`).get(id) as RunRow | undefined;
    if (!row) throw notFound('run', id);
    return row;
  }

  /** Runs a statement that must touch exactly one row of `what` with this id. */
  private changeOne(what: 'dataset' | 'run', id: string, sql: string, ...params: unknown[]): void {
    const { changes } = this.db.prepare(sql).run(...params);
    if (changes === 0) throw notFound(what, id);
  }

  private upsertForRun(runId: string, sql: string, ...params: unknown[]): void {
    this.db.transaction(() => {
      this.getRunRow(runId);
      this.db.prepare(sql).run(...params);
    })();
  }

  private ensureFolders(): void {
    fs.mkdirSync(this.mediaDir, { recursive: true });
    fs.mkdirSync(this.cacheDir, { recursive: true });
  }

  /** An import writes `<name>.partial` and renames it when complete; leftovers are from a crash. */
  private removePartialMedia(): void {
    for (const name of fs.readdirSync(this.mediaDir)) {
      if (name.endsWith('.partial')) fs.rmSync(path.join(this.mediaDir, name), { force: true });
    }
  }

  /** No trainer survives a restart, so a run still marked as going was cut off. */
  private failInterruptedRuns(): void {
    this.db.prepare(`UPDATE runs SET status = 'failed', error = ? WHERE status IN ('running', 'paused', 'queued')`).run(INTERRUPTED_MESSAGE);
  }
}

function connect(file: string): Db {
  const db = openSqlite(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function notFound(what: 'dataset' | 'run', id: string): AppError {
  return new AppError('NOT_FOUND', `No ${what} with id ${id}`, { [`${what}Id`]: id });
}

function datasetFromRow(r: DatasetRow): Dataset {
  // The kind column says which profile and config shapes the JSON holds.
  return {
    id: r.id, name: r.name, kind: r.kind, sourceName: r.source_name, sha256: r.sha256, bytes: r.bytes,
    profile: fromJson(r.profile), config: fromJson(r.config), createdAt: r.created_at,
  } as Dataset;
}

function summaryFromRow(r: RunRow): RunSummary {
  const s: RunSummary = {
    id: r.id, name: r.name, datasetId: r.dataset_id, status: r.status, settings: fromJson(r.settings),
    epochsDone: r.epochs_done, startedAt: r.started_at, hasWeights: r.has_weights === 1,
  };
  if (r.error !== null) s.error = r.error;
  if (r.backend !== null) s.backend = fromJson(r.backend);
  if (r.final_logs !== null) s.finalLogs = fromJson(r.final_logs);
  if (r.samples_per_sec !== null) s.samplesPerSec = r.samples_per_sec;
  if (r.ended_at !== null) s.endedAt = r.ended_at;
  if (r.early_stop !== null) s.earlyStopping = fromJson(r.early_stop);
  if (r.hidden === 1) s.hidden = true;
  if (r.best_epoch !== null || r.last_epoch !== null)
    s.checkpoints = { ...(r.best_epoch !== null ? { best: r.best_epoch } : {}), ...(r.last_epoch !== null ? { last: r.last_epoch } : {}) };
  return s;
}
