/**
 * The app's state: the open project, its datasets, model and runs, and the events the core
 * sends. Views read it and call its actions; every api failure lands in `error` for the banner.
 */
import { connectApi, desktopHost } from '../lib/transport.js';
import type { ApiClient } from '../../../shared/api/client.js';
import type { ProjectInfo, RecentProject } from '../../../shared/api/index.js';
import type { Dataset, DatasetConfig, FeatureLayout, ImageDataset, ImportProgress } from '../../../shared/dataset.js';
import type { ModelGraph } from '../../../shared/graph.js';
import { DEFAULT_TRAIN_SETTINGS, type RunSummary, type TrainSettings } from '../../../shared/training.js';
import { isCancelled } from '../../../shared/errors.js';
import { LiveRun } from './live.svelte.js';
import { GraphEditorState } from './graph-editor.svelte.js';
import { LabelState } from './labels.svelte.js';
import type { TemplateId } from '../../../shared/api/models.js';
import { TEMPLATE_INFO } from '../../../shared/templates.js';
import { chooseRun } from '../lib/run-choice.js';

export const VIEWS = [
  { id: 'projects', label: 'Projects', needsProject: false },
  { id: 'data', label: 'Data', needsProject: true },
  { id: 'label', label: 'Label', needsProject: true },
  { id: 'model', label: 'Model', needsProject: true },
  { id: 'train', label: 'Train', needsProject: true },
  { id: 'evaluate', label: 'Evaluate', needsProject: true },
  { id: 'export', label: 'Export', needsProject: true },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

export type LayoutState = { ok: true; layout: FeatureLayout } | { ok: false; message: string };

export class AppState {
  readonly api: ApiClient;
  /** Native dialogs in the desktop app; null in a browser. */
  readonly desktop = typeof window !== 'undefined' ? desktopHost() : null;

  view = $state<ViewId>('projects');
  /** null while the first connection is being made. */
  connected = $state<boolean | null>(null);
  error = $state<string | null>(null);

  project = $state<ProjectInfo | null>(null);
  recent = $state<RecentProject[]>([]);

  datasets = $state<Dataset[]>([]);
  selectedDatasetId = $state<string | null>(null);
  layouts = $state<Record<string, LayoutState>>({});
  importProgress = $state<ImportProgress | null>(null);

  model = $state.raw<ModelGraph | null>(null);

  runs = $state<RunSummary[]>([]);
  trainSettings = $state<TrainSettings>({ ...DEFAULT_TRAIN_SETTINGS, metrics: [...DEFAULT_TRAIN_SETTINGS.metrics] });
  trainDatasetId = $state<string | null>(null);
  /** The run picked in Evaluate and Export. */
  selectedRunId = $state<string | null>(null);
  readonly live = new LiveRun();
  /** The graph editor's state lives as long as the project is open, so undo survives switching views. */
  readonly editor = new GraphEditorState((graph) => void this.setModel(graph));
  /** The Label view's state: like the editor's, its undo lasts as long as the project is open. */
  readonly labels: LabelState;

  constructor() {
    this.api = connectApi((c) => (this.connected = c));
    this.labels = new LabelState(this.api);
    if (this.desktop) this.connected = true;
    this.api.on('import.progress', (p) => (this.importProgress = p.done ? null : p));
    this.api.on('training.progress', (p) => this.live.onProgress(p));
    this.api.on('training.status', (s) => {
      if (s.status === 'running') this.live.begin(s.runId);
      if (s.runId === this.live.runId) {
        this.live.status = s.status;
        if (s.backend) this.live.backend = s.backend;
        if (s.error) this.live.error = s.error;
      }
      const run = this.runs.find((r) => r.id === s.runId);
      if (run) {
        run.status = s.status;
        if (s.backend) run.backend = s.backend;
        if (s.error) run.error = s.error;
      }
      if (s.status !== 'running' && s.status !== 'paused' && s.status !== 'queued') {
        // The run that just finished is the one to evaluate and export next.
        if (s.status !== 'failed' && s.runId === this.live.runId) this.selectedRunId = s.runId;
        void this.refreshRuns();
      }
    });
  }

  get selectedDataset(): Dataset | null {
    return this.datasets.find((d) => d.id === this.selectedDatasetId) ?? null;
  }

  get latestRun(): RunSummary | null {
    return this.runs[0] ?? null;
  }

  /** Runs an api call; failures go to the banner (cancellations are not errors). */
  async attempt<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (!isCancelled(e)) this.error = e instanceof Error ? e.message : String(e);
      return undefined;
    }
  }

  async init(): Promise<void> {
    await this.attempt(async () => {
      const [current, recent] = await Promise.all([this.api.projects.current({}), this.api.projects.recent({})]);
      this.recent = recent;
      if (current) await this.enterProject(current);
    });
  }

  private async enterProject(p: ProjectInfo): Promise<void> {
    this.project = p;
    this.datasets = [];
    this.model = null;
    this.runs = [];
    this.layouts = {};
    this.selectedRunId = null;
    this.labels.reset();
    const [datasets, model, runs] = await Promise.all([
      this.api.datasets.list({}),
      this.api.models.get({}),
      this.api.training.list({}),
    ]);
    this.datasets = datasets;
    this.model = model;
    this.editor.reset(model);
    this.runs = sortRuns(runs);
    this.selectedDatasetId = datasets[0]?.id ?? null;
    this.trainDatasetId = datasets.find((d) => d.kind === 'tabular')?.id ?? null;
    this.selectedRunId = chooseRun(this.runs, null);
    const running = this.runs.find((r) => r.status === 'running' || r.status === 'paused');
    if (running) {
      this.live.begin(running.id);
      this.live.status = running.status; // a run left paused says so, not "running"
      this.live.backend = running.backend ?? null;
    }
    if (this.selectedDataset?.kind === 'tabular') void this.refreshLayout(this.selectedDataset.id);
  }

  createProject(dir: string, name?: string): Promise<boolean> {
    return this.switchTo(() => this.api.projects.create({ dir, name: name?.trim() || undefined }));
  }

  openProject(dir: string): Promise<boolean> {
    return this.switchTo(() => this.api.projects.open({ dir }));
  }

  private async switchTo(call: () => Promise<ProjectInfo>): Promise<boolean> {
    const p = await this.attempt(call);
    if (!p) return false;
    this.error = null; // an earlier failure is no longer news
    await this.attempt(() => this.enterProject(p));
    this.view = 'data';
    void this.refreshRecent();
    return true;
  }

  async closeProject(): Promise<void> {
    await this.attempt(() => this.api.projects.close({}));
    this.project = null;
    this.datasets = [];
    this.model = null;
    this.editor.reset(null);
    this.runs = [];
    this.view = 'projects';
    void this.refreshRecent();
  }

  async refreshRecent(): Promise<void> {
    const r = await this.attempt(() => this.api.projects.recent({}));
    if (r) this.recent = r;
  }

  async importCsv(path: string, name?: string): Promise<void> {
    const importId = crypto.randomUUID();
    // Shown (and cancellable) at once, before the first progress event arrives.
    this.importProgress = { importId, file: name ?? path, bytesRead: 0, bytesTotal: 1, rows: 0, done: false };
    try {
      const d = await this.api.datasets.importCsv({ path, name, importId });
      this.datasets = [...this.datasets.filter((x) => x.id !== d.id), d];
      this.selectedDatasetId = d.id;
      if (!this.trainDatasetId) this.trainDatasetId = d.id;
      void this.refreshLayout(d.id);
    } catch (e) {
      if (!isCancelled(e)) this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.importProgress = null;
    }
  }

  /** Imports images from a folder or file on the host; the dataset it makes is selected. */
  async importImages(path: string, opts: { name?: string; video?: { everySeconds?: number; everyFrames?: number; skipSimilar?: boolean } } = {}): Promise<ImageDataset | undefined> {
    const importId = crypto.randomUUID();
    this.importProgress = { importId, file: opts.name ?? path, bytesRead: 0, bytesTotal: 1, rows: 0, done: false, phase: 'scanning', images: 0, imagesTotal: 0, problems: 0 };
    try {
      const d = await this.api.datasets.importImages({ path, name: opts.name, importId, video: opts.video });
      this.datasets = [...this.datasets.filter((x) => x.id !== d.id), d];
      this.selectedDatasetId = d.id;
      return d;
    } catch (e) {
      if (!isCancelled(e)) this.error = e instanceof Error ? e.message : String(e);
      return undefined;
    } finally {
      this.importProgress = null;
    }
  }

  async cancelImport(): Promise<void> {
    const p = this.importProgress;
    if (p) await this.attempt(() => this.api.datasets.cancelImport({ importId: p.importId }));
  }

  async configureDataset(id: string, config: DatasetConfig): Promise<void> {
    // Refused configs (say, no target left) roll back to what the core has stored.
    const d =
      (await this.attempt(() => this.api.datasets.configure({ id, config: $state.snapshot(config) as DatasetConfig }))) ??
      (await this.api.datasets.get({ id }).catch(() => undefined));
    if (d) this.datasets = this.datasets.map((x) => (x.id === d.id ? d : x));
    await this.refreshLayout(id);
  }

  async removeDataset(id: string): Promise<void> {
    const ok = await this.attempt(async () => (await this.api.datasets.remove({ id }), true));
    if (!ok) return;
    this.datasets = this.datasets.filter((d) => d.id !== id);
    if (this.selectedDatasetId === id) this.selectedDatasetId = this.datasets[0]?.id ?? null;
    if (this.trainDatasetId === id) this.trainDatasetId = this.datasets.find((d) => d.kind === 'tabular')?.id ?? null;
  }

  async refreshLayout(id: string): Promise<LayoutState> {
    let state: LayoutState;
    try {
      state = { ok: true, layout: await this.api.datasets.layout({ id }) };
    } catch (e) {
      state = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    this.layouts = { ...this.layouts, [id]: state };
    return state;
  }

  async setModel(graph: ModelGraph): Promise<void> {
    this.model = graph;
    const saved = await this.attempt(() => this.api.models.set({ graph }));
    if (saved) this.model = saved;
  }

  async modelFromTemplate(template: TemplateId, datasetId?: string): Promise<void> {
    const g = await this.attempt(() => this.api.models.fromTemplate({ template, datasetId }));
    if (g) {
      this.model = g;
      this.editor.replace(g, `apply template ${TEMPLATE_INFO[template].label}`);
    }
  }

  /** Reads a Keras model config or TF.js model.json; on failure the current graph stays as it was. */
  async importKeras(json: string, label = 'import Keras JSON'): Promise<boolean> {
    const g = await this.attempt(() => this.api.models.importKeras({ json }));
    if (g) {
      this.model = g;
      this.editor.replace(g, label);
    }
    return !!g;
  }

  async refreshRuns(): Promise<void> {
    if (!this.project) return;
    const runs = await this.attempt(() => this.api.training.list({}));
    if (runs) this.runs = sortRuns(runs);
    this.keepRunChoice();
  }

  /** Keeps the run picked for Evaluate and Export unless it is gone or hidden; then the newest visible one. */
  keepRunChoice(): void {
    this.selectedRunId = chooseRun(this.runs, this.selectedRunId);
  }

  async startTraining(): Promise<RunSummary | undefined> {
    const datasetId = this.trainDatasetId;
    if (!datasetId) return undefined;
    const settings = $state.snapshot(this.trainSettings) as TrainSettings;
    return this.began(await this.attempt(() => this.api.training.start({ datasetId, settings })));
  }

  /** Trains a stopped or failed run further, as a new run (same graph, data and settings). */
  async resumeRun(runId: string): Promise<RunSummary | undefined> {
    return this.began(await this.attempt(() => this.api.training.resume({ runId })));
  }

  /** A run the core has just started: it is the live one, first in the list. */
  private began(run: RunSummary | undefined): RunSummary | undefined {
    if (run) {
      this.live.begin(run.id);
      if (run.backend) this.live.backend = run.backend;
      this.runs = sortRuns([run, ...this.runs.filter((r) => r.id !== run.id)]);
    }
    return run;
  }

  async pauseTraining(paused: boolean): Promise<void> {
    const id = this.live.runId;
    if (id) await this.attempt(() => this.api.training.pause({ runId: id, paused }));
  }

  async stopTraining(): Promise<void> {
    const id = this.live.runId;
    if (id) await this.attempt(() => this.api.training.stop({ runId: id }));
  }
}

function sortRuns(runs: RunSummary[]): RunSummary[] {
  return runs.slice().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export const app = new AppState();
