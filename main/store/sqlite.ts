/**
 * Opens SQLite through better-sqlite3. Its native addon is built for one ABI: Node's for the
 * CLI, serve mode and tests, Electron's for the desktop app. `npm start` builds an Electron copy
 * of the addon and points LAYERBENCH_SQLITE_BINDING at it (scripts/start.mjs), so one checkout
 * runs both; packaged apps are rebuilt for Electron by electron-builder and leave it unset.
 */
import Database from 'better-sqlite3';

export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  const nativeBinding = process.env.LAYERBENCH_SQLITE_BINDING;
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
