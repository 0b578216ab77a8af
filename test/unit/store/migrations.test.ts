import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { checkMigrationList, latestVersion, migrate, readFileVersion, schemaVersion } from '../../../main/store/migrate.js';
import { MIGRATIONS, type Db, type Migration } from '../../../main/store/migrations/index.js';
import { ProjectStore, PROJECT_FILE } from '../../../main/store/project-store.js';
import { tempDir } from './fixtures.js';

function openFile(): { db: Db; file: string } {
  const file = path.join(tempDir(), 'test.sqlite');
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  return { db, file };
}

function tables(db: Db): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

function columns(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name);
}

describe('migration list', () => {
  it('runs 1, 2, 3… with no gap', () => {
    expect(() => checkMigrationList(MIGRATIONS)).not.toThrow();
    expect(latestVersion()).toBe(MIGRATIONS.length);
  });

  it('rejects a gap or a wrong order', () => {
    const [a, b] = MIGRATIONS as [Migration, Migration];
    expect(() => checkMigrationList([b, a])).toThrow(/out of order/);
    expect(() => checkMigrationList([a, { ...b, version: 3 }])).toThrow(/expected version 2/);
  });
});

describe('001-initial', () => {
  it('creates the tables and stamps user_version 1', () => {
    const { db } = openFile();
    expect(tables(db)).toEqual([]);
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, MIGRATIONS.slice(0, 1))).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['datasets', 'evaluations', 'meta', 'models', 'run_metrics', 'run_weights', 'runs']);
    expect(columns(db, 'runs')).toEqual([
      'id', 'name', 'dataset_id', 'status', 'error', 'settings', 'graph', 'backend', 'epochs_done', 'final_logs', 'samples_per_sec', 'started_at', 'ended_at',
    ]);
    expect(columns(db, 'run_metrics')).toEqual(['id', 'run_id', 'kind', 'epoch', 'batch', 'step', 'logs']);
    expect(columns(db, 'run_weights')).toEqual(['run_id', 'model_topology', 'weight_specs', 'weight_data']);
    db.close();
  });
});

describe('002-run-prep', () => {
  it('adds run_prep to a version-1 file, keeping its data', () => {
    const { db } = openFile();
    migrate(db, MIGRATIONS.slice(0, 1));
    db.prepare(`INSERT INTO meta (key, value) VALUES ('name', 'kept')`).run();
    expect(tables(db)).not.toContain('run_prep');
    expect(migrate(db, MIGRATIONS.slice(0, 2))).toEqual([2]);
    expect(schemaVersion(db)).toBe(2);
    expect(columns(db, 'run_prep')).toEqual(['run_id', 'prep']);
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'name'`).get()).toEqual({ value: 'kept' });
    db.close();
  });
});

describe('003-run-early-stop', () => {
  it('adds runs.early_stop to a version-2 file, keeping its runs', () => {
    const { db } = openFile();
    migrate(db, MIGRATIONS.slice(0, 2));
    db.prepare(`INSERT INTO datasets (id, name, kind, source_name, sha256, bytes, profile, config, created_at) VALUES ('d', 'd', 'tabular', 'a.csv', 'x', 1, '{}', '{}', 't')`).run();
    db.prepare(
      `INSERT INTO runs (id, name, dataset_id, status, settings, graph, epochs_done, started_at) VALUES ('r', 'Run 1', 'd', 'completed', '{}', '{}', 3, 't')`,
    ).run();
    expect(columns(db, 'runs')).not.toContain('early_stop');
    expect(migrate(db, MIGRATIONS.slice(0, 3))).toEqual([3]);
    expect(schemaVersion(db)).toBe(3);
    expect(columns(db, 'runs').at(-1)).toBe('early_stop');
    expect(db.prepare(`SELECT name, epochs_done, early_stop FROM runs`).get()).toEqual({ name: 'Run 1', epochs_done: 3, early_stop: null });
    db.close();
  });
});

describe('004-run-checkpoints', () => {
  it('adds run_checkpoints to a version-3 file', () => {
    const { db } = openFile();
    migrate(db, MIGRATIONS.slice(0, 3));
    db.prepare(`INSERT INTO meta (key, value) VALUES ('name', 'kept')`).run();
    expect(tables(db)).not.toContain('run_checkpoints');
    expect(migrate(db, MIGRATIONS.slice(0, 4))).toEqual([4]);
    expect(schemaVersion(db)).toBe(4);
    expect(columns(db, 'run_checkpoints')).toEqual(['run_id', 'kind', 'epoch', 'logs', 'model_topology', 'weight_specs', 'weight_data', 'saved_at']);
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'name'`).get()).toEqual({ value: 'kept' });
    db.close();
  });
});

describe('005-images', () => {
  it('adds classes, images and boxes to a version-4 file, keeping its datasets', () => {
    const { db } = openFile();
    migrate(db, MIGRATIONS.slice(0, 4));
    db.prepare(
      `INSERT INTO datasets (id, name, kind, source_name, sha256, bytes, profile, config, created_at) VALUES ('d1', 'pm', 'tabular', 'pm.csv', 'ab', 1, '{}', '{}', 'now')`,
    ).run();
    expect(tables(db)).not.toContain('items');
    expect(migrate(db, MIGRATIONS.slice(0, 5))).toEqual([5]);
    expect(schemaVersion(db)).toBe(5);
    expect(tables(db)).toEqual(expect.arrayContaining(['label_classes', 'items', 'boxes']));
    expect(columns(db, 'boxes')).toEqual(['id', 'item_id', 'class_id', 'x', 'y', 'w', 'h', 'status', 'score', 'source']);
    expect(db.prepare('SELECT id, kind FROM datasets').all()).toEqual([{ id: 'd1', kind: 'tabular' }]);
    // A box's status is one of two words; anything else is refused by the file itself.
    db.prepare(`INSERT INTO label_classes (id, dataset_id, name, key, color, position) VALUES (1, 'd1', 'person', '1', '#fff', 0)`).run();
    db.prepare(`INSERT INTO items (id, dataset_id, position, sha256, ext, rel_path, width, height) VALUES (1, 'd1', 0, 'cd', '.jpg', 'a.jpg', 10, 10)`).run();
    expect(() => db.prepare(`INSERT INTO boxes (item_id, class_id, x, y, w, h, status) VALUES (1, 1, 0, 0, 1, 1, 'maybe')`).run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('006-run-hidden', () => {
  it('adds runs.hidden to a version-5 file, every existing run shown', () => {
    const { db } = openFile();
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare(`INSERT INTO datasets (id, name, kind, source_name, sha256, bytes, profile, config, created_at) VALUES ('d', 'd', 'tabular', 'a.csv', 'x', 1, '{}', '{}', 't')`).run();
    db.prepare(
      `INSERT INTO runs (id, name, dataset_id, status, settings, graph, epochs_done, started_at) VALUES ('r', 'Run 1', 'd', 'completed', '{}', '{}', 3, 't')`,
    ).run();
    expect(columns(db, 'runs')).not.toContain('hidden');
    expect(migrate(db)).toEqual([6]);
    expect(schemaVersion(db)).toBe(6);
    expect(columns(db, 'runs').at(-1)).toBe('hidden');
    expect(db.prepare(`SELECT name, epochs_done, hidden FROM runs`).get()).toEqual({ name: 'Run 1', epochs_done: 3, hidden: 0 });
    // Hidden is a yes or no; the file itself refuses anything else.
    expect(() => db.prepare(`UPDATE runs SET hidden = 2`).run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('runner', () => {
  it('does nothing on an up-to-date file', () => {
    const { db } = openFile();
    migrate(db);
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('rolls back a failing migration with its stamp', () => {
    const { db } = openFile();
    const broken: Migration = { version: 1, name: 'broken', up: (d) => { d.exec('CREATE TABLE half (x)'); throw new Error('boom'); } };
    expect(() => migrate(db, [broken])).toThrow('boom');
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('refuses a database from a newer version', () => {
    const { db } = openFile();
    db.pragma('user_version = 999');
    const err = (() => { try { migrate(db); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('PROJECT_TOO_NEW');
    expect(schemaVersion(db)).toBe(999);
    db.close();
  });

  for (const mode of ['wal', 'delete'] as const) {
    it(`refuses to open a newer project (journal ${mode}) and leaves its bytes unchanged`, () => {
      const dir = tempDir();
      ProjectStore.create(dir, 'future').close();
      const file = path.join(dir, PROJECT_FILE);
      const raw = new Database(file);
      raw.pragma('user_version = 999');
      raw.pragma(`journal_mode = ${mode}`);
      raw.close();
      const before = fs.readFileSync(file);
      const listing = fs.readdirSync(dir).sort();

      let err: unknown;
      try { ProjectStore.open(dir); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('PROJECT_TOO_NEW');
      expect((err as AppError).message).toBe(
        `This project was saved by a newer Layerbench (schema 999); this version reads up to ${latestVersion()}. Update Layerbench to open it.`,
      );
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(listing); // no -wal or -shm left behind either
    });
  }

  it('reads the version of a file with unflushed WAL content', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.sqlite');
    const writer = new Database(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.exec('CREATE TABLE t (x)');
    writer.pragma('user_version = 7');
    expect(readFileVersion(file)).toBe(7); // still only in the -wal file
    writer.close();
    expect(readFileVersion(file)).toBe(7);
  });

  it('says a file that is not SQLite is not a project', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, PROJECT_FILE), 'hello, this is not a database at all'.repeat(5));
    expect(() => ProjectStore.open(dir)).toThrow(expect.objectContaining({ code: 'PROJECT_NOT_FOUND', message: expect.stringContaining('not an SQLite database') }));
  });
});
