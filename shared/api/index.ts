/** The whole api: one spec per feature, plus the events the core sends. */
import type { FeatureApi, FeatureHandlers } from './contract.js';
import { datasetsSpec } from './datasets.js';
import { evaluationSpec } from './evaluation.js';
import { exportSpec } from './export.js';
import { labelsSpec, type PrelabelProgress } from './labels.js';
import { modelsSpec } from './models.js';
import { projectsSpec } from './projects.js';
import { trainingSpec, type TrainingPreparing } from './training.js';
import { runsSpec } from './runs.js';
import { tryitSpec } from './tryit.js';
import type { ImportProgress } from '../dataset.js';
import type { TrainingProgress, TrainingStatusEvent } from '../training.js';

export const apiSpec = {
  projects: projectsSpec,
  datasets: datasetsSpec,
  labels: labelsSpec,
  models: modelsSpec,
  training: trainingSpec,
  runs: runsSpec,
  evaluation: evaluationSpec,
  tryit: tryitSpec,
  export: exportSpec,
};

export type ApiSpec = typeof apiSpec;
export type FeatureName = keyof ApiSpec;

export type Api = { [F in FeatureName]: FeatureApi<ApiSpec[F]> };
export type ApiHandlers = { [F in FeatureName]: FeatureHandlers<ApiSpec[F]> };

export interface ApiEvents {
  'import.progress': ImportProgress;
  'training.progress': TrainingProgress;
  'training.status': TrainingStatusEvent;
  'prelabel.progress': PrelabelProgress;
  'training.preparing': TrainingPreparing;
}
export type EventName = keyof ApiEvents;
export const EVENT_NAMES: EventName[] = ['import.progress', 'training.progress', 'training.status', 'prelabel.progress', 'training.preparing'];

/** "feature.method" for every method, the wire name used by both transports. */
export function methodNames(): string[] {
  return Object.entries(apiSpec).flatMap(([f, spec]) => Object.keys(spec).map((m) => `${f}.${m}`));
}

export type { ProjectInfo, RecentProject } from './projects.js';
export type { ExportResult } from './export.js';
export type { TemplateId } from './models.js';
export { TEMPLATE_IDS } from './models.js';
