/**
 * Which run Evaluate and Export start with. A hidden run was put out of the way on purpose, so it
 * is never picked for the user; when every trained run is hidden the views say so rather than
 * "train a model first". Pure: runs are newest first, as the app keeps them.
 */
import type { RunSummary } from '../../../shared/training.js';

type Choosable = Pick<RunSummary, 'id' | 'hasWeights' | 'hidden'>;

const usable = (r: Choosable) => r.hasWeights && !r.hidden;

/** The current choice while it is still a visible run with weights; else the newest such run, or null. */
export function chooseRun(runs: readonly Choosable[], current: string | null): string | null {
  if (current && runs.some((r) => r.id === current && usable(r))) return current;
  return runs.find(usable)?.id ?? null;
}

/** What Evaluate and Export say when no run is chosen. */
export function noRunMessage(runs: readonly Choosable[], fallback: string): string {
  return runs.some((r) => r.hasWeights) && !runs.some(usable) ? 'All runs are hidden — show hidden runs in Train.' : fallback;
}
