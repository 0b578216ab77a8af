import type { Migration } from './types.js';

/**
 * Image datasets: their classes, their images (media files by SHA-256) and the boxes on them.
 * Per-image counters (confirmed boxes, proposals, lowest proposal score) are kept on the image
 * row by the store in the same transaction as every box change, so the grid's filters and the
 * review queue's order stay cheap on 50,000 images.
 */
export const migration005: Migration = {
  version: 5,
  name: 'images',
  up(db) {
    db.exec(`
      CREATE TABLE label_classes (
        id         INTEGER PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        key        TEXT,
        color      TEXT NOT NULL,
        position   INTEGER NOT NULL,
        UNIQUE (dataset_id, name)
      ) STRICT;

      CREATE TABLE items (
        id         INTEGER PRIMARY KEY,
        dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        position   INTEGER NOT NULL, -- import order
        sha256     TEXT NOT NULL,
        ext        TEXT NOT NULL,
        rel_path   TEXT NOT NULL,
        width      INTEGER NOT NULL,
        height     INTEGER NOT NULL,
        split      TEXT CHECK (split IN ('train', 'validation', 'test')),
        class_id   INTEGER REFERENCES label_classes(id) ON DELETE SET NULL,
        frame      TEXT, -- JSON {video, index, timeSec} for video frames
        reviewed   INTEGER NOT NULL DEFAULT 0,
        confirmed_boxes INTEGER NOT NULL DEFAULT 0,
        proposals  INTEGER NOT NULL DEFAULT 0,
        min_score  REAL
      ) STRICT;
      CREATE INDEX items_dataset ON items(dataset_id, position);
      CREATE INDEX items_sha ON items(sha256);

      CREATE TABLE boxes (
        id       INTEGER PRIMARY KEY,
        item_id  INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        class_id INTEGER NOT NULL REFERENCES label_classes(id) ON DELETE CASCADE,
        x        REAL NOT NULL,
        y        REAL NOT NULL,
        w        REAL NOT NULL,
        h        REAL NOT NULL,
        status   TEXT NOT NULL CHECK (status IN ('confirmed', 'proposal')),
        score    REAL,
        source   TEXT
      ) STRICT;
      CREATE INDEX boxes_item ON boxes(item_id);
      CREATE INDEX boxes_class ON boxes(class_id);
    `);
  },
};
