import type { Migration } from './types.js';

/**
 * Runs a user has hidden from the run lists (kept, with their weights, and shown again on request),
 * so a project with many trial runs stays readable without deleting anything.
 */
export const migration006: Migration = {
  version: 6,
  name: 'run-hidden',
  up(db) {
    db.exec(`ALTER TABLE runs ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1));`);
  },
};
