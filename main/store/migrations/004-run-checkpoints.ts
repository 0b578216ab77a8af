import type { Migration } from './types.js';

/**
 * Checkpoints a run writes while it trains: its best epoch so far and its latest, so a run that
 * crashed or was stopped can be resumed, and the best epoch's weights are kept whatever came after.
 */
export const migration004: Migration = {
  version: 4,
  name: 'run-checkpoints',
  up(db) {
    db.exec(`
      CREATE TABLE run_checkpoints (
        run_id         TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind           TEXT NOT NULL CHECK (kind IN ('best', 'last')),
        epoch          INTEGER NOT NULL, -- 0-based, the epoch at whose end the weights were taken
        logs           TEXT NOT NULL,    -- JSON, that epoch's logs
        model_topology TEXT NOT NULL,
        weight_specs   TEXT NOT NULL,
        weight_data    BLOB NOT NULL,
        saved_at       TEXT NOT NULL,
        PRIMARY KEY (run_id, kind)
      ) STRICT;
    `);
  },
};
