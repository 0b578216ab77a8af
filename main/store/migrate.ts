/**
 * The migration runner (after Signal Desktop's ts/sql/migrations): checks the list, refuses a
 * file from a newer Layerbench before writing anything, and applies each pending migration in
 * its own transaction together with its `user_version` stamp.
 */
import fs from 'node:fs';
import { openSqlite } from './sqlite.js';
import { AppError } from '../../shared/errors.js';
import { MIGRATIONS, type Db, type Migration } from './migrations/index.js';

/** The schema version this build writes: the newest migration's. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations[migrations.length - 1]?.version ?? 0;
}

/** Throws (a bug, not a user error) unless the versions run 1, 2, 3… with no gap or repeat. */
export function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration list out of order: position ${i + 1} holds version ${m.version} ('${m.name}'); expected version ${i + 1}.`);
    }
  });
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses a schema this build cannot read. */
export function assertReadable(version: number, migrations: readonly Migration[] = MIGRATIONS): void {
  const newest = latestVersion(migrations);
  if (version > newest) {
    throw new AppError(
      'PROJECT_TOO_NEW',
      `This project was saved by a newer Layerbench (schema ${version}); this version reads up to ${newest}. Update Layerbench to open it.`,
      { schemaVersion: version, supported: newest },
    );
  }
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const USER_VERSION_OFFSET = 60;

/**
 * Reads a database file's schema version without writing anything, so a file we must refuse is
 * left exactly as it was (even setting WAL mode rewrites the header, and a read-only SQLite
 * connection to a WAL file leaves -wal and -shm files behind). `user_version` sits at byte 60 of
 * the header; only when a non-empty -wal file may hold a newer header do we ask SQLite.
 */
export function readFileVersion(file: string): number {
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read === 0) return 0; // SQLite treats an empty file as an empty database
  if (read < header.length || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
    throw new AppError('PROJECT_NOT_FOUND', `${file} is not a Layerbench project file: it is not an SQLite database.`, { path: file });
  }
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    const db = openSqlite(file, { readonly: true, fileMustExist: true });
    try {
      return schemaVersion(db);
    } finally {
      db.close();
    }
  }
  return header.readUInt32BE(USER_VERSION_OFFSET);
}

/** Brings `db` up to the newest schema. Returns the versions it applied. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkMigrationList(migrations);
  const current = schemaVersion(db);
  assertReadable(current, migrations);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      m.up(db);
      // user_version lives in the file header, which is written as part of this transaction.
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
