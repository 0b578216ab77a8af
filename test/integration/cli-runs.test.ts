/** `layerbench runs`: list, rename, hide, compare and delete runs from a script, through the real command. */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, lastJson } from '../helpers/cli.js';
import type { RunSummary } from '../../shared/training.js';
import type { RunComparison } from '../../shared/runs.js';

describe('layerbench runs', () => {
  it('lists, renames, hides, compares and deletes runs', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-cli-runs-'));
    const home = path.join(tmp, 'home');
    const project = path.join(tmp, 'p');
    const csv = path.join(tmp, 'line.csv');
    writeFileSync(csv, 'x,y\n' + Array.from({ length: 120 }, (_, i) => `${i / 10},${(2 * i) / 10 + 1}`).join('\n') + '\n');
    expect((await runCli(['create', project], home)).code).toBe(0);
    expect((await runCli(['import', project, csv], home)).code).toBe(0);
    expect((await runCli(['model', project, '--template', 'mlp'], home)).code).toBe(0);
    for (const epochs of ['1', '2']) {
      const t = await runCli(['train', project, '--epochs', epochs, '--backend', 'wasm'], home);
      expect(t.code, t.stderr).toBe(0);
    }
    const listed = lastJson<RunSummary[]>(await runCli(['runs', project, '--json'], home));
    expect(listed.map((r) => r.name)).toEqual(['Run 2', 'Run 1']);

    const renamed = await runCli(['runs', project, 'rename', '--run', 'Run 1', '--name', 'short'], home);
    expect(renamed.stdout.trim()).toBe("Renamed 'Run 1' to 'short'.");
    expect((await runCli(['runs', project, 'hide', '--run', 'Run 2'], home)).code).toBe(0);
    const visible = await runCli(['runs', project], home);
    expect(visible.stdout).toContain('short');
    expect(visible.stdout).not.toContain('Run 2');
    expect(visible.stdout).toContain('(1 hidden; --all lists them)');
    expect((await runCli(['runs', project, '--all'], home)).stdout).toMatch(/Run 2 .*\(hidden\)/);

    const compared = lastJson<RunComparison>(await runCli(['runs', project, 'compare', '--run', 'short,Run 2', '--json'], home));
    expect(compared.settings.filter((s) => s.differs).map((s) => s.key)).toEqual(['epochs']);
    expect((await runCli(['runs', project, 'compare', '--run', 'short,Run 2'], home)).stdout).toContain('Epochs (planned): 1 | 2');

    const deleted = await runCli(['runs', project, 'delete', '--run', 'short'], home);
    expect(deleted.stdout.trim()).toBe("Deleted 'short' with its weights, checkpoints and evaluation.");
    expect(lastJson<RunSummary[]>(await runCli(['runs', project, '--all', '--json'], home)).map((r) => r.name)).toEqual(['Run 2']);

    const missing = await runCli(['runs', project, 'delete', '--run', 'nope'], home);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("No run 'nope' in this project");
    const unknown = await runCli(['runs', project, 'purge'], home);
    expect(unknown.stderr).toContain("Unknown runs command 'purge'; expected one of list, rename, hide, unhide, delete, compare.");
  }, 120_000);
});
