/**
 * The core: implements the api on plain Node, with no electron import, so the same core serves
 * the desktop app, `layerbench serve` and the command line. It wires the store, the importers,
 * the engine (through trainer processes) and the exporters, which do not know each other.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { ApiEvents, ApiHandlers, EventName } from '../shared/api/index.js';
import { AppError } from '../shared/errors.js';
import { ProjectStore, RecentProjects } from './store/index.js';
import { forkWorker, type WorkerSpawner } from './jobs/process.js';
import { TrainingJobs } from './jobs/training.js';
import { datasetHandlers } from './handlers/datasets.js';
import { modelHandlers } from './handlers/models.js';
import { trainingHandlers } from './handlers/training.js';
import { evaluationHandlers } from './handlers/evaluation.js';
import { runHandlers } from './handlers/runs.js';
import { tryitHandlers } from './handlers/tryit.js';
import { exportHandlers } from './handlers/export.js';
import { projectHandlers } from './handlers/projects.js';
import { labelHandlers } from './handlers/labels.js';
import { PrelabelJobs } from './jobs/prelabel.js';
import { ThumbnailQueue } from './media/thumbs.js';

export interface CoreOptions {
  /** Where the recent-projects list lives (Electron's userData; ~/.config/layerbench elsewhere). */
  appDataDir: string;
  /** The built trainer script (dist/main/worker.js) or its TypeScript source in tests. */
  workerEntry: string;
  spawnWorker?: WorkerSpawner;
}

export interface Core {
  handlers: ApiHandlers;
  onEvent(listener: <E extends EventName>(event: E, payload: ApiEvents[E]) => void): () => void;
  dispose(): Promise<void>;
}

/** State shared by the handler groups: the open project and the event bus. */
export class CoreContext {
  store: ProjectStore | null = null;
  readonly recent: RecentProjects;
  readonly bus = new EventEmitter();
  readonly training: TrainingJobs;
  /** Imports in progress, by id, so they can be cancelled (by the user, or by closing the project). */
  readonly imports = new Map<string, AbortController>();
  /** Thumbnails of freshly imported images, made in the background. */
  readonly thumbnails = new ThumbnailQueue();
  readonly prelabel: PrelabelJobs;

  constructor(readonly opts: CoreOptions) {
    this.recent = new RecentProjects(opts.appDataDir);
    this.training = new TrainingJobs(opts.spawnWorker ?? forkWorker, opts.workerEntry, {
      progress: (p) => this.emit('training.progress', p),
      status: (s) => this.emit('training.status', s),
    });
    this.prelabel = new PrelabelJobs(() => this.spawn, opts.workerEntry);
  }

  get spawn(): WorkerSpawner {
    return this.opts.spawnWorker ?? forkWorker;
  }

  requireStore(): ProjectStore {
    if (!this.store) throw new AppError('NO_PROJECT', 'No project is open: create or open a project first.');
    return this.store;
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.bus.emit('event', event, payload);
  }

  newId(): string {
    return randomUUID();
  }

  async closeProject(): Promise<void> {
    for (const a of this.imports.values()) a.abort();
    this.prelabel.cancelAll();
    if (this.store) this.thumbnails.forget(this.store.dir);
    await this.training.stopAll();
    this.store?.close();
    this.store = null;
  }
}

export function createCore(opts: CoreOptions): Core {
  const ctx = new CoreContext({ ...opts, appDataDir: path.resolve(opts.appDataDir) });
  const handlers: ApiHandlers = {
    projects: projectHandlers(ctx),
    datasets: datasetHandlers(ctx),
    labels: labelHandlers(ctx),
    models: modelHandlers(ctx),
    training: trainingHandlers(ctx),
    runs: runHandlers(ctx),
    evaluation: evaluationHandlers(ctx),
    tryit: tryitHandlers(ctx),
    export: exportHandlers(ctx),
  };
  return {
    handlers,
    onEvent(listener) {
      const l = (event: EventName, payload: ApiEvents[EventName]) => listener(event, payload);
      ctx.bus.on('event', l);
      return () => void ctx.bus.off('event', l);
    },
    dispose: () => ctx.closeProject(),
  };
}
