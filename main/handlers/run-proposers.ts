/**
 * A user's own detectors as proposers: every run of the project that trained a grid detector
 * and kept weights can propose boxes in the Label view ("Propose boxes"), beside the pretrained
 * COCO models. Its proposals carry the run's id as their source. It reads photos as its training
 * read them: stretched to its Input, pixels / 255 (docs/prelabel.md).
 */
import { AppError } from '../../shared/errors.js';
import type { ProposerInfo } from '../../shared/api/labels.js';
import type { PrelabelModel } from '../jobs/messages.js';
import type { ProjectStore } from '../store/index.js';

interface DetectorPrep {
  preprocessing?: { images?: { shape?: [number, number, number]; classes?: string[]; task?: string } };
}

/** The detector runs that can propose, in the runs list's order (newest first); a grey-image detector is listed as unavailable (photos are proposed on in colour). */
export function runProposers(store: ProjectStore): ProposerInfo[] {
  return store
    .listRuns()
    .filter((r) => r.hasWeights && !r.hidden)
    .flatMap((r) => {
      const images = (store.getRunPrep(r.id) as DetectorPrep | null)?.preprocessing?.images;
      if (images?.task !== 'detection' || !images.classes?.length) return [];
      const info: ProposerInfo = { id: r.id, name: `My detector (${r.name})`, classes: images.classes };
      if (images.shape?.[2] !== 3) info.unavailable = `${r.name} reads grey images; proposing works on colour photos, so train it on RGB images (Input channels 3).`;
      return [info];
    });
}

/** What the trainer needs to propose with a run: its weights, name and classes. Throws when the run cannot propose. */
export function runProposerModel(store: ProjectStore, runId: string): PrelabelModel {
  const info = runProposers(store).find((p) => p.id === runId);
  const run = store.listRuns().find((r) => r.id === runId);
  if (!info || !run) throw new AppError('DETECTOR_UNAVAILABLE', `Run ${runId} is not a trained detector of this project, so it cannot propose boxes.`);
  if (info.unavailable) throw new AppError('DETECTOR_UNAVAILABLE', info.unavailable);
  const weights = store.getWeights(runId);
  if (!weights) throw new AppError('RUN_NOT_FINISHED', `${run.name} has no trained weights (status: ${run.status}).`);
  return { weights, name: info.name, classes: info.classes };
}
