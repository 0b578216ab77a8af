/**
 * Pre-label jobs in the core: one trainer process per job proposes boxes image by image; each
 * image's proposals are saved as they arrive (replacing that proposer's earlier ones on it), so a
 * cancelled or crashed job keeps what it did.
 */
import type { PrelabelProgress } from '../../shared/api/labels.js';
import type { BackendChoice } from '../../shared/training.js';
import type { PrelabelModel, ProposedBox } from './messages.js';
import type { WorkerSpawner } from './process.js';
import { exitReason, startWorker, type WorkerSession } from './worker-call.js';

export interface PrelabelRequest {
  jobId: string;
  datasetId: string;
  items: { id: number; path: string }[];
  proposer: string;
  minScore: number;
  backend: BackendChoice;
  /** A user's trained detector proposing (its id is `proposer`). */
  model?: PrelabelModel;
  /** Saves one image's proposals; called in arrival order. */
  save(itemId: number, proposals: ProposedBox[]): number;
  progress(p: PrelabelProgress): void;
}

export class PrelabelJobs {
  private readonly running = new Map<string, { session: WorkerSession; cancelled: boolean }>();

  constructor(
    private readonly spawn: () => WorkerSpawner,
    private readonly entry: string,
  ) {}

  get active(): string[] {
    return [...this.running.keys()];
  }

  start(req: PrelabelRequest): void {
    const started = Date.now();
    let done = 0;
    let proposals = 0;
    let finished = false;
    const failed: string[] = [];
    const report = (extra: Partial<PrelabelProgress> = {}) =>
      req.progress({
        jobId: req.jobId,
        datasetId: req.datasetId,
        done,
        total: req.items.length,
        proposals,
        imagesPerSec: done / Math.max(0.001, (Date.now() - started) / 1000),
        finished,
        ...(failed.length ? { failed: failed.length, firstFailure: failed[0] } : {}),
        ...extra,
      });
    const end = (extra: Partial<PrelabelProgress>) => {
      if (finished) return;
      finished = true;
      this.running.delete(req.jobId);
      report(extra);
    };
    const session = startWorker(
      this.spawn(),
      this.entry,
      { type: 'prelabel', items: req.items, proposer: req.proposer, minScore: req.minScore, backend: req.backend, ...(req.model ? { model: req.model } : {}) },
      (m) => {
        if (m.type === 'proposals') {
          // An image the detector could not read keeps what it had; the job goes on.
          if (m.error) failed.push(m.error);
          else proposals += req.save(m.itemId, m.proposals);
          done++;
          report();
        } else if (m.type === 'prelabelled') end({});
        else if (m.type === 'error') end({ error: m.error.message });
      },
    );
    this.running.set(req.jobId, { session, cancelled: false });
    report();
    void session.exited.then(({ code, signal }) => {
      const job = this.running.get(req.jobId);
      if (job?.cancelled) end({ cancelled: true });
      else end({ error: exitReason(code, signal) });
    });
  }

  cancel(jobId: string): void {
    const job = this.running.get(jobId);
    if (!job) return;
    job.cancelled = true;
    job.session.proc.kill();
  }

  cancelAll(): void {
    for (const id of this.active) this.cancel(id);
  }
}
