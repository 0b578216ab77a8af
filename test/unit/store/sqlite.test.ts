import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqlite } from '../../../main/store/sqlite.js';

describe('openSqlite', () => {
  afterEach(() => {
    delete process.env.LAYERBENCH_SQLITE_BINDING;
  });

  it('uses the addon LAYERBENCH_SQLITE_BINDING names (the Electron build under npm start)', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'lb-sqlite-')), 'x.db');
    process.env.LAYERBENCH_SQLITE_BINDING = path.resolve('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    const db = openSqlite(file);
    expect(db.prepare('select 1 + 1 as v').get()).toEqual({ v: 2 });
    db.close();
    process.env.LAYERBENCH_SQLITE_BINDING = path.join(os.tmpdir(), 'no-such-addon.node');
    expect(() => openSqlite(file)).toThrow(/no-such-addon/);
  });
});
