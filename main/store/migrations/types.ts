import type BetterSqlite3 from 'better-sqlite3';

export type Db = BetterSqlite3.Database;

/**
 * One schema change. `up` runs inside a transaction that also stamps `user_version = version`,
 * so a crash leaves the file either before or after the whole migration, never half-way.
 * A migration is frozen once released: later changes go in a new file.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
