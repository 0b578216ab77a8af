import type { Migration } from './types.js';

/** What the trainer worked out while preparing a run's data (scaling, category lists), kept for evaluation and export. */
export const migration002: Migration = {
  version: 2,
  name: 'run-prep',
  up(db) {
    db.exec(`
      CREATE TABLE run_prep (
        run_id TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        prep   TEXT NOT NULL -- JSON, shape owned by the trainer
      ) STRICT;
    `);
  },
};
