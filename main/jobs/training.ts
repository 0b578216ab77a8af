/**
 * Runs training jobs: one trainer process per run. The core process is the only writer to the
 * project store; the trainer streams progress and weights back and never touches SQLite.
 */
import type { ProjectStore } from '../store/index.js';
import type { WorkerSpawner } from './process.js';
import type { DataSource, FromWorker, ImageDataSource, ToWorker, WeightArtifacts } from './messages.js';
import { exitReason, startWorker, type WorkerSession } from './worker-call.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { MetricPoint, RunStatus, RunSummary, TrainSettings, TrainingProgress, TrainingStatusEvent } from '../../shared/training.js';
import { AppError } from '../../shared/errors.js';

export interface TrainingEvents {
  progress(p: TrainingProgress): void;
  status(s: TrainingStatusEvent): void;
}

interface ActiveRun {
  datasetId: string;
  session: WorkerSession;
  pending: MetricPoint[];
  flushTimer: NodeJS.Timeout | null;
  /** Why the run is ending at our request (a stop, a closed project); null while it trains. */
  stopReason: string | null;
  /** While the core decodes an image dataset for the run, what cancels that. */
  preparing: AbortController | null;
  ended: Promise<RunSummary>;
}

/** A stop must be acknowledged within this time (the trainer checks between batches), or it is killed. */
const STOP_ACK_MS = 800;
/** After acknowledging, the trainer has this long to save its weights. */
const STOP_SAVE_MS = 15_000;
const FLUSH_MS = 250;

/**
 * An image dataset's run gets its data this way: the core decodes the images (or finds them in
 * the cache) while the trainer process starts; `prep` is what the run keeps about it.
 */
export type PrepareData = (signal: AbortSignal) => Promise<{ data: ImageDataSource; prep: Record<string, unknown> }>;

export class TrainingJobs {
  private active = new Map<string, ActiveRun>();

  constructor(
    private readonly spawn: WorkerSpawner,
    private readonly entry: string,
    private readonly events: TrainingEvents,
  ) {}

  start(
    store: ProjectStore,
    run: { id: string; name: string; datasetId: string; graph: ModelGraph; settings: TrainSettings; data: DataSource | PrepareData; initial?: { weights: WeightArtifacts; epoch: number } },
  ): RunSummary {
    const initial: RunSummary = {
      id: run.id,
      name: run.name,
      datasetId: run.datasetId,
      status: 'running',
      settings: run.settings,
      epochsDone: run.initial?.epoch ?? 0,
      startedAt: new Date().toISOString(),
      hasWeights: false,
    };
    store.insertRun({ ...initial, graph: run.graph });
    const csv = typeof run.data === 'function' ? null : run.data;
    let prep: Record<string, unknown> = csv ? { config: csv.config } : {};
    store.saveRunPrep(run.id, prep);

    let settled = false;
    let resolveEnded!: (s: RunSummary) => void;
    const ended = new Promise<RunSummary>((r) => (resolveEnded = r));
    const finish = (status: RunStatus, patch: Parameters<ProjectStore['updateRun']>[1] = {}) => {
      if (settled) return;
      settled = true;
      const a = this.active.get(run.id);
      if (a?.flushTimer) clearInterval(a.flushTimer);
      this.guard(run.id, () => {
        this.flush(store, run.id);
        store.updateRun(run.id, { ...patch, status, endedAt: new Date().toISOString() });
      });
      this.active.delete(run.id);
      this.events.status({ runId: run.id, status, error: patch.error });
      const summary = this.guard(run.id, () => store.listRuns().find((r) => r.id === run.id));
      resolveEnded(summary ?? { ...initial, ...patch, status });
    };

    const onMessage = (m: FromWorker) => {
      // The store can refuse a write (the project was closed under us): end the run, don't crash the core.
      const ok = this.guard(run.id, () => this.record(store, run.id, prep, m, finish));
      if (ok === undefined) {
        this.active.get(run.id)?.session.proc.kill();
        finish('failed', { error: 'The run could not be saved (its project was closed or its dataset removed).' });
      }
    };

    const trainRequest = (data: DataSource | ImageDataSource): ToWorker => ({
      type: 'train',
      runId: run.id,
      data,
      graph: run.graph,
      settings: run.settings,
      ...(run.initial ? { initial: run.initial } : {}),
    });
    const preparing = csv ? null : new AbortController();
    const request = csv
      ? trainRequest(csv)
      : (run.data as PrepareData)(preparing!.signal).then(({ data, prep: p }) => {
          prep = p;
          this.guard(run.id, () => store.saveRunPrep(run.id, prep));
          const a = this.active.get(run.id);
          if (a) a.preparing = null;
          return trainRequest(data);
        });
    const session = startWorker(this.spawn, this.entry, request, onMessage);
    if (request instanceof Promise) {
      request.catch((e: unknown) => {
        // A stop or a closed project aborted it: the exit that follows ends the run with its reason.
        if (preparing!.signal.aborted) return;
        finish(e instanceof AppError && e.code === 'CANCELLED' ? 'stopped' : 'failed', { error: e instanceof Error ? e.message : String(e) });
        session.proc.kill();
      });
    }
    const flushTimer = setInterval(() => this.guard(run.id, () => this.flush(store, run.id)), FLUSH_MS);
    this.active.set(run.id, { datasetId: run.datasetId, session, pending: [], flushTimer, stopReason: null, preparing, ended });
    void session.exited.then(async ({ code, signal }) => {
      const reason = this.active.get(run.id)?.stopReason;
      if (preparing && request instanceof Promise) {
        // The trainer is gone, so nothing will read what is still being decoded: stop decoding and
        // let it remove its half-written file before the run ends (a waiting caller sees no trace).
        preparing.abort();
        await request.catch(() => undefined);
      }
      // Killed after we asked it to end: keep the run as stopped, saying why no weights were kept.
      if (reason) finish('stopped', { error: reason });
      else finish('failed', { error: exitReason(code, signal) });
    });
    this.events.status({ runId: run.id, status: 'running' });
    return initial;
  }

  /** Applies one trainer message to the store and the event stream. Returns true. */
  private record(store: ProjectStore, runId: string, prep: Record<string, unknown>, m: FromWorker, finish: (s: RunStatus, p?: Parameters<ProjectStore['updateRun']>[1]) => void): true {
    const run = { id: runId };
    switch (m.type) {
      case 'backend':
        store.updateRun(run.id, { backend: m.info });
        this.events.status({ runId: run.id, status: 'running', backend: m.info });
        break;
      case 'prepared':
        store.saveRunPrep(run.id, { ...prep, preprocessing: m.preprocessing, counts: m.counts });
        break;
      case 'stopping': {
        const a = this.active.get(run.id);
        if (a) this.armKill(run.id, STOP_SAVE_MS, 'Stopped, but saving the weights took too long; none were kept.');
        break;
      }
      case 'progress': {
        const a = this.active.get(run.id);
        a?.pending.push(m.progress.point);
        if (m.progress.point.kind === 'epoch') {
          this.flush(store, run.id);
          store.updateRun(run.id, { epochsDone: m.progress.point.epoch + 1, finalLogs: m.progress.point.logs, samplesPerSec: m.progress.samplesPerSec });
        }
        this.events.progress(m.progress);
        break;
      }
      case 'paused':
        store.updateRun(run.id, { status: m.paused ? 'paused' : 'running' });
        this.events.status({ runId: run.id, status: m.paused ? 'paused' : 'running' });
        break;
      case 'checkpoint':
        store.saveCheckpoint(run.id, m.kind, m.epoch, m.logs, m.weights);
        break;
      case 'trained':
        store.saveWeights(run.id, m.weights);
        finish(m.stopped ? 'stopped' : 'completed', {
          epochsDone: m.epochsDone,
          finalLogs: m.finalLogs,
          samplesPerSec: m.samplesPerSec,
          ...(m.earlyStopping ? { earlyStopping: m.earlyStopping } : {}),
        });
        break;
      case 'error':
        finish(m.error.code === 'CANCELLED' ? 'stopped' : 'failed', { error: m.error.message });
        break;
    }
    return true;
  }

  private killTimers = new Map<string, NodeJS.Timeout>();

  /** Kills the trainer if the run has not ended after `ms`, recording `reason`. */
  private armKill(runId: string, ms: number, reason: string): void {
    clearTimeout(this.killTimers.get(runId));
    const t = setTimeout(() => {
      this.killTimers.delete(runId);
      const a = this.active.get(runId);
      if (!a) return;
      a.stopReason = reason;
      a.session.proc.kill();
    }, ms);
    t.unref();
    this.killTimers.set(runId, t);
    void this.active.get(runId)?.ended.then(() => clearTimeout(t));
  }

  /** Runs a store write; a failure (closed project, deleted run) is logged and returns undefined. */
  private guard<T>(runId: string, f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      console.error(`[layerbench] run ${runId}: could not save:`, (e as Error).message);
      return undefined;
    }
  }

  stop(runId: string): void {
    const a = this.active.get(runId);
    if (!a) throw new AppError('NOT_FOUND', `Run ${runId} is not training.`);
    if (a.preparing) {
      a.stopReason = 'Stopped while its images were being prepared; nothing was trained.';
      a.preparing.abort();
      a.session.proc.kill();
      return;
    }
    a.session.proc.send({ type: 'stop' });
    this.armKill(runId, STOP_ACK_MS, 'Stopped in the middle of a batch; the weights were not kept.');
  }

  pause(runId: string, paused: boolean): void {
    const a = this.active.get(runId);
    if (!a) throw new AppError('NOT_FOUND', `Run ${runId} is not training.`);
    a.session.proc.send({ type: 'pause', paused });
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  wait(runId: string): Promise<RunSummary> | null {
    return this.active.get(runId)?.ended ?? null;
  }

  /** Runs training on a dataset right now (a dataset in use cannot be removed). */
  activeForDataset(datasetId: string): string[] {
    return [...this.active.entries()].filter(([, a]) => a.datasetId === datasetId).map(([id]) => id);
  }

  /** Ends every run at once (the project is closing); they are kept as stopped, without weights. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const a of runs) {
      a.stopReason = 'Stopped because the project was closed; the weights were not kept.';
      a.preparing?.abort();
      a.session.proc.kill();
    }
    await Promise.all(runs.map((a) => a.ended));
  }

  private flush(store: ProjectStore, runId: string): void {
    const a = this.active.get(runId);
    if (!a || a.pending.length === 0) return;
    const points = a.pending;
    a.pending = [];
    store.appendMetrics(runId, points);
  }
}
