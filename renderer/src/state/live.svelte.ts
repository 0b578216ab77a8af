/**
 * Training progress as it streams in. Batch points can number in the tens of thousands, so they
 * live in a plain array; a version counter, bumped at most once per animation frame, tells the
 * chart to redraw.
 */
import type { BackendInfo, MetricPoint, Run, RunStatus, TrainingProgress } from '../../../shared/training.js';

export class MetricSeries {
  runId = $state<string | null>(null);
  version = $state(0);
  points: MetricPoint[] = [];
  private scheduled = false;

  reset(runId: string | null, points: MetricPoint[] = []): void {
    this.runId = runId;
    this.points = points.slice().sort((a, b) => a.step - b.step || (a.kind === b.kind ? 0 : a.kind === 'batch' ? -1 : 1));
    this.version++;
  }

  add(point: MetricPoint): void {
    this.points.push(point);
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.version++;
    });
  }
}

export class LiveRun {
  /** The run training now (or the last one that did, until another starts). */
  runId = $state<string | null>(null);
  status = $state<RunStatus | null>(null);
  error = $state<string | null>(null);
  backend = $state<BackendInfo | null>(null);
  progress = $state.raw<TrainingProgress | null>(null);
  readonly series = new MetricSeries();

  begin(runId: string): void {
    if (this.runId === runId) return;
    this.runId = runId;
    this.status = 'running';
    this.error = null;
    this.backend = null;
    this.progress = null;
    this.series.reset(runId);
  }

  onProgress(p: TrainingProgress): void {
    if (p.runId !== this.runId) this.begin(p.runId);
    this.progress = p;
    this.series.add(p.point);
  }

  /** A run is on (paused included): one at a time, and its settings are locked. */
  get running(): boolean {
    return this.status === 'running' || this.status === 'paused' || this.status === 'queued';
  }
}

/** The run whose history is shown in the chart when it is not the live one. */
export function seriesOfRun(run: Run): MetricSeries {
  const s = new MetricSeries();
  s.reset(run.id, run.metrics);
  return s;
}
