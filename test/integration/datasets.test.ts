/** Dataset handling through the core: refusals that lose nothing, and cancelled imports. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import { writeJ1Csv } from '../../bench/j1-data.js';
import { ROOT } from '../helpers/serve.js';

function makeCore(tmp: string) {
  return createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
}

describe('datasets through the core', () => {
  it('refuses a target with no values, and keeps the saved config', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-ds-'));
    const csv = path.join(tmp, 'gaps.csv');
    writeFileSync(csv, 'a,b,y\n1,2,\n3,4,\n5,6,\n');
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      const d = await core.handlers.datasets.importCsv({ path: csv });
      const config = structuredClone(d.config);
      for (const c of config.columns) c.role = c.name === 'y' ? 'target' : 'feature';
      await expect(core.handlers.datasets.configure({ id: d.id, config })).rejects.toMatchObject({
        code: 'CSV_NO_TARGET_VALUES',
        message: "gaps.csv: column 'y' has no values (all 3 rows are empty), so it cannot be the target.",
      });
      expect((await core.handlers.datasets.get({ id: d.id })).config).toEqual(d.config);
      config.columns[0]!.name = 'nope';
      await expect(core.handlers.datasets.configure({ id: d.id, config })).rejects.toThrow("Column 'nope' is not in gaps.csv; it has a, b, y.");
    } finally {
      await core.dispose();
    }
  });

  it('refuses a file of a kind it does not import, naming it and the kinds it does', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-kind-'));
    const xlsx = path.join(tmp, 'sales.xlsx');
    writeFileSync(xlsx, 'PK\u0003\u0004 not really a spreadsheet');
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      await expect(core.handlers.datasets.importCsv({ path: xlsx })).rejects.toMatchObject({
        code: 'UNSUPPORTED_FILE',
        message: "sales.xlsx is not a kind of file Layerbench imports yet: expected .csv, .tsv, .txt; got '.xlsx'.",
      });
      expect(readdirSync(path.join(tmp, 'p', 'media'))).toEqual([]);
    } finally {
      await core.dispose();
    }
  });

  it('a cancelled import is reported as cancelled and leaves nothing behind', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-cancel-'));
    const csv = path.join(tmp, 'big.csv');
    await writeJ1Csv(csv, 300_000);
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      const importing = core.handlers.datasets.importCsv({ path: csv, importId: 'imp-1' });
      await new Promise<void>((resolve) => core.onEvent((e) => e === 'import.progress' && resolve()));
      await core.handlers.datasets.cancelImport({ importId: 'imp-1' });
      await expect(importing).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(await core.handlers.datasets.list({})).toEqual([]);
      expect(readdirSync(path.join(tmp, 'p', 'media'))).toEqual([]);
    } finally {
      await core.dispose();
    }
  });

  it('importing the same file twice stores its bytes once, until the last dataset using them goes', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-dedupe-'));
    const csv = path.join(tmp, 'j1.csv');
    await writeJ1Csv(csv, 500);
    const core = makeCore(tmp);
    try {
      await core.handlers.projects.create({ dir: path.join(tmp, 'p') });
      const a = await core.handlers.datasets.importCsv({ path: csv });
      const b = await core.handlers.datasets.importCsv({ path: csv, name: 'again' });
      expect(a.sha256).toBe(b.sha256);
      expect(await core.handlers.datasets.list({})).toHaveLength(2);
      expect(readdirSync(path.join(tmp, 'p', 'media'))).toEqual([`${a.sha256}.csv`]);
      await core.handlers.datasets.remove({ id: a.id });
      expect(readdirSync(path.join(tmp, 'p', 'media'))).toEqual([`${a.sha256}.csv`]);
      await core.handlers.datasets.remove({ id: b.id });
      expect(readdirSync(path.join(tmp, 'p', 'media'))).toEqual([]);
    } finally {
      await core.dispose();
    }
  });
});
