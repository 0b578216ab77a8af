/** What the status bar says about the live run. Pure, so the wording per status is tested. */
import type { RunStatus } from '../../../../shared/training.js';

/** "Training", "Paused" or "Starting" while a run is on; null once it has ended (or none has begun). */
export function liveRunLabel(status: RunStatus | null): string | null {
  if (status === 'running') return 'Training';
  if (status === 'paused') return 'Paused';
  if (status === 'queued') return 'Starting';
  return null;
}
