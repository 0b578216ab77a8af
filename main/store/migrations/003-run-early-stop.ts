import type { Migration } from './types.js';

/** What early stopping decided for a run (the epoch it ended at, the best epoch, whether the best weights were put back). */
export const migration003: Migration = {
  version: 3,
  name: 'run-early-stop',
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN early_stop TEXT; -- JSON EarlyStoppingReport, null when early stopping was off`);
  },
};
