/**
 * What happens when things die: a killed trainer marks its run failed and the app goes on;
 * a server killed mid-import leaves a project that opens and holds no half-import.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import { forkWorker, type WorkerProcess } from '../../main/jobs/process.js';
import { writeJ1Csv } from '../../bench/j1-data.js';
import { CLI, ROOT } from '../helpers/serve.js';
import { DEFAULT_TRAIN_SETTINGS } from '../../shared/training.js';

const WORKER = path.join(ROOT, 'dist', 'main', 'worker.js');

/** A J1 project training a long run on wasm, past its first `batches` progress reports. */
async function longRun(prefix: string, batches: number, spawnWorker?: Parameters<typeof createCore>[0]['spawnWorker']) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  const csv = path.join(tmp, 'j1.csv');
  await writeJ1Csv(csv, 24 * 60);
  const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: WORKER, spawnWorker });
  const h = core.handlers;
  const project = path.join(tmp, 'p');
  await h.projects.create({ dir: project });
  const dataset = await h.datasets.importCsv({ path: csv });
  await h.models.fromTemplate({ template: 'j1-lstm', datasetId: dataset.id });
  let seen = 0;
  const going = new Promise<void>((resolve) => core.onEvent((e) => e === 'training.progress' && ++seen === batches && resolve()));
  const run = await h.training.start({ datasetId: dataset.id, settings: { ...DEFAULT_TRAIN_SETTINGS, epochs: 1000, backend: 'wasm', batchReportEvery: 1 } });
  await going;
  return { tmp, core, h, project, dataset, run };
}

describe('reliability', () => {
  it('a killed trainer marks the run failed with the reason; the app keeps working and the project opens', async () => {
    const spawned: WorkerProcess[] = [];
    const { tmp, core, h, run } = await longRun('lb-kill-', 3, (entry) => {
      const w = forkWorker(entry);
      spawned.push(w);
      return w;
    });
    process.kill(spawned[0]!.pid!, 'SIGKILL');
    const ended = await h.training.wait({ runId: run.id });
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatch(/killed \(SIGKILL\)/);
    // The app still answers, and the run's metrics so far were kept.
    expect((await h.datasets.list({})).length).toBe(1);
    expect((await h.training.get({ runId: run.id })).metrics.length).toBeGreaterThan(0);
    await core.dispose();
    const again = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: WORKER });
    await again.handlers.projects.open({ dir: path.join(tmp, 'p') });
    expect((await again.handlers.training.list({}))[0]!.status).toBe('failed');
    await again.dispose();
  });

  it('stop ends a run within a second and keeps it as stopped with weights', async () => {
    const { core, h, run } = await longRun('lb-stop-', 2);
    const t0 = Date.now();
    await h.training.stop({ runId: run.id });
    const ended = await h.training.wait({ runId: run.id });
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(ended.status).toBe('stopped');
    expect(ended.hasWeights).toBe(true);
    await core.dispose();
  });

  it('a dataset in training cannot be removed; closing the project stops its run and the app goes on', async () => {
    const { core, h, run, project, dataset: d } = await longRun('lb-close-', 1);
    await expect(h.datasets.remove({ id: d.id })).rejects.toMatchObject({ code: 'BUSY' });
    const ended = h.training.wait({ runId: run.id });
    await h.projects.close({});
    expect(await ended).toMatchObject({ status: 'stopped', error: 'Stopped because the project was closed; the weights were not kept.' });
    await h.projects.open({ dir: project });
    expect((await h.training.list({}))[0]).toMatchObject({ status: 'stopped' });
    expect(await h.datasets.list({})).toHaveLength(1);
    await core.dispose();
  });

  it('a server killed mid-import leaves a project that opens with no half-import', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-killimport-'));
    const csv = path.join(tmp, 'big.csv');
    await writeJ1Csv(csv, 400_000); // ~25 MB: long enough to be killed in the middle
    const project = path.join(tmp, 'p');
    const home = path.join(tmp, 'home');
    const env = { ...process.env, LAYERBENCH_HOME: home };
    await new Promise<void>((resolve, reject) => {
      const c = spawn(process.execPath, [CLI, 'create', project], { env });
      c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`create exited ${code}`))));
    });
    const child = spawn(process.execPath, [CLI, 'import', project, csv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => String(d).includes('importing') && resolve()));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const core = createCore({ appDataDir: home, workerEntry: WORKER });
    await core.handlers.projects.open({ dir: project });
    expect(await core.handlers.datasets.list({})).toEqual([]);
    expect(readdirSync(path.join(project, 'media'))).toEqual([]);
    await core.dispose();
  });
});
