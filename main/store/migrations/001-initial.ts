import type { Migration } from './types.js';

/** Project metadata, datasets, the current model, runs with their metrics, weights and evaluations. */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE datasets (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        kind        TEXT NOT NULL,
        source_name TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        bytes       INTEGER NOT NULL,
        profile     TEXT NOT NULL, -- JSON CsvProfile
        config      TEXT NOT NULL, -- JSON DatasetConfig
        created_at  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE models (
        id         TEXT PRIMARY KEY, -- 'current' for now
        graph      TEXT NOT NULL,    -- JSON ModelGraph
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE runs (
        id              TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        dataset_id      TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        status          TEXT NOT NULL,
        error           TEXT,
        settings        TEXT NOT NULL, -- JSON TrainSettings
        graph           TEXT NOT NULL, -- JSON ModelGraph, exactly as trained
        backend         TEXT,          -- JSON BackendInfo
        epochs_done     INTEGER NOT NULL DEFAULT 0,
        final_logs      TEXT,          -- JSON Record<string, number>
        samples_per_sec REAL,
        started_at      TEXT NOT NULL,
        ended_at        TEXT
      ) STRICT;
      CREATE INDEX runs_dataset ON runs(dataset_id);
      CREATE INDEX runs_status ON runs(status);

      -- Ordered by id (insertion order), which is the order the trainer reported them.
      CREATE TABLE run_metrics (
        id     INTEGER PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        kind   TEXT NOT NULL,
        epoch  INTEGER NOT NULL,
        batch  INTEGER NOT NULL,
        step   INTEGER NOT NULL,
        logs   TEXT NOT NULL -- JSON Record<string, number>
      ) STRICT;
      CREATE INDEX run_metrics_run ON run_metrics(run_id, id);

      CREATE TABLE run_weights (
        run_id         TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        model_topology TEXT NOT NULL, -- JSON
        weight_specs   TEXT NOT NULL, -- JSON
        weight_data    BLOB NOT NULL
      ) STRICT;

      CREATE TABLE evaluations (
        run_id     TEXT PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
        evaluation TEXT NOT NULL, -- JSON Evaluation
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
