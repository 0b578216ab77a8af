/**
 * Runs training jobs: one trainer process per run. The core process is the only writer to the
 * project store; the trainer streams progress and weights back and never touches SQLite.
 */
import type { ProjectStore } from '../store/index.js';
import type { WorkerSpawner } from './process.js';
import type { DataSource, FromWorker } from './messages.js';
import { exitReason, startWorker, type WorkerSession } from './worker-call.js';
import type { ModelGraph } from '../../shared/graph.js';
import type { MetricPoint, RunStatus, RunSummary, TrainSettings, TrainingProgress, TrainingStatusEvent } from '../../shared/training.js';
import { AppError } from '../../shared/errors.js';

export interface TrainingEvents {
  progress(p: TrainingProgress): void;
  status(s: TrainingStatusEvent): void;
}

interface ActiveRun {
  session: WorkerSession;
  pending: MetricPoint[];
  flushTimer: NodeJS.Timeout | null;
  stopping: boolean;
  ended: Promise<RunSummary>;
}

/** How long a stop may take before the trainer is killed outright. */
const STOP_GRACE_MS = 800;
const FLUSH_MS = 250;

export class TrainingJobs {
  private active = new Map<string, ActiveRun>();

  constructor(
    private readonly spawn: WorkerSpawner,
    private readonly entry: string,
    private readonly events: TrainingEvents,
  ) {}

  start(store: ProjectStore, run: { id: string; name: string; datasetId: string; graph: ModelGraph; settings: TrainSettings; data: DataSource }): RunSummary {
    const startedAt = new Date().toISOString();
    store.insertRun({
      id: run.id,
      name: run.name,
      datasetId: run.datasetId,
      status: 'running',
      settings: run.settings,
      graph: run.graph,
      epochsDone: 0,
      startedAt,
      hasWeights: false,
    });
    store.saveRunPrep(run.id, { config: run.data.config });

    let settled = false;
    let resolveEnded!: (s: RunSummary) => void;
    const ended = new Promise<RunSummary>((r) => (resolveEnded = r));
    const finish = (status: RunStatus, patch: Parameters<ProjectStore['updateRun']>[1] = {}) => {
      if (settled) return;
      settled = true;
      this.flush(store, run.id);
      const a = this.active.get(run.id);
      if (a?.flushTimer) clearInterval(a.flushTimer);
      this.active.delete(run.id);
      store.updateRun(run.id, { ...patch, status, endedAt: new Date().toISOString() });
      this.events.status({ runId: run.id, status, error: patch.error });
      resolveEnded(store.listRuns().find((r) => r.id === run.id)!);
    };

    const onMessage = (m: FromWorker) => {
      switch (m.type) {
        case 'backend':
          store.updateRun(run.id, { backend: m.info });
          this.events.status({ runId: run.id, status: 'running', backend: m.info });
          break;
        case 'prepared':
          store.saveRunPrep(run.id, { config: run.data.config, preprocessing: m.preprocessing, counts: m.counts });
          break;
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
        case 'trained':
          store.saveWeights(run.id, m.weights);
          finish(m.stopped ? 'stopped' : 'completed', {
            epochsDone: m.epochsDone,
            finalLogs: m.finalLogs,
            samplesPerSec: m.samplesPerSec,
          });
          break;
        case 'error':
          finish(m.error.code === 'CANCELLED' ? 'stopped' : 'failed', { error: m.error.message });
          break;
      }
    };

    const session = startWorker(this.spawn, this.entry, { type: 'train', runId: run.id, data: run.data, graph: run.graph, settings: run.settings }, onMessage);
    const flushTimer = setInterval(() => this.flush(store, run.id), FLUSH_MS);
    this.active.set(run.id, { session, pending: [], flushTimer, stopping: false, ended });
    void session.exited.then(({ code, signal }) => {
      const a = this.active.get(run.id);
      // A kill we asked for after a stop keeps what was trained so far as a stopped run.
      if (a?.stopping) finish('stopped', { error: 'Stopped before the weights were saved.' });
      else finish('failed', { error: exitReason(code, signal) });
    });
    this.events.status({ runId: run.id, status: 'running' });
    return store.listRuns().find((r) => r.id === run.id)!;
  }

  stop(runId: string): void {
    const a = this.active.get(runId);
    if (!a) throw new AppError('NOT_FOUND', `Run ${runId} is not training.`);
    a.stopping = true;
    a.session.proc.send({ type: 'stop' });
    setTimeout(() => this.active.has(runId) && a.session.proc.kill(), STOP_GRACE_MS).unref();
  }

  isActive(runId: string): boolean {
    return this.active.has(runId);
  }

  wait(runId: string): Promise<RunSummary> | null {
    return this.active.get(runId)?.ended ?? null;
  }

  /** Kills every trainer; their runs are marked failed. */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const a of runs) a.session.proc.kill();
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
