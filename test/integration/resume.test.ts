/**
 * Checkpoints and resuming: a trainer killed mid-run leaves its latest and best epochs in the
 * project, and the run can be trained further from them; a stopped run resumes from the weights it
 * stopped with; a paused run holds between batches, its clock stopped, and goes on or stops.
 * Real trainer processes, real SQLite, J1 on wasm.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import { forkWorker, type WorkerProcess } from '../../main/jobs/process.js';
import { LAST_CHECKPOINT_MS } from '../../main/jobs/worker-jobs.js';
import { writeJ1Csv } from '../../bench/j1-data.js';
import { ROOT } from '../helpers/serve.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainingProgress } from '../../shared/training.js';

const WORKER = path.join(ROOT, 'dist', 'main', 'worker.js');

async function project(prefix: string) {
  const tmp = mkdtempSync(path.join(os.tmpdir(), prefix));
  const csv = path.join(tmp, 'j1.csv');
  await writeJ1Csv(csv, 24 * 30);
  const spawned: WorkerProcess[] = [];
  const core = createCore({
    appDataDir: path.join(tmp, 'home'),
    workerEntry: WORKER,
    spawnWorker: (entry) => {
      const w = forkWorker(entry);
      spawned.push(w);
      return w;
    },
  });
  const h = core.handlers;
  await h.projects.create({ dir: path.join(tmp, 'p') });
  const dataset = await h.datasets.importCsv({ path: csv });
  await h.models.fromTemplate({ template: 'j1-lstm', datasetId: dataset.id });
  const epochs: TrainingProgress[] = [];
  core.onEvent((e, payload) => {
    if (e === 'training.progress' && (payload as TrainingProgress).point.kind === 'epoch') epochs.push(payload as TrainingProgress);
  });
  return { core, h, dataset, spawned, epochs };
}

const settings = { ...DEFAULT_TRAIN_SETTINGS, epochs: 1000, backend: 'wasm' as const, batchReportEvery: 1000 };

describe('checkpoints, resume and pause', () => {
  it('a killed run keeps its latest and best epochs and trains on from the latest', async () => {
    const { core, h, dataset, spawned, epochs } = await project('lb-resume-kill-');
    try {
      const run = await h.training.start({ datasetId: dataset.id, settings });
      // Past the first latest-checkpoint interval, with a few epochs done.
      const t0 = Date.now();
      while (Date.now() - t0 < LAST_CHECKPOINT_MS + 1500 || epochs.length < 4) await new Promise((r) => setTimeout(r, 100));
      process.kill(spawned[0]!.pid!, 'SIGKILL');
      const failed = await h.training.wait({ runId: run.id });
      expect(failed.status).toBe('failed');
      expect(failed.hasWeights).toBe(false);
      const { last, best } = failed.checkpoints ?? {};
      expect(last).toBeGreaterThanOrEqual(0);
      expect(best).toBeGreaterThanOrEqual(0);
      expect(last!).toBeLessThan(failed.epochsDone);

      const from = Math.max(last!, best!) + 1;
      const resumed = await h.training.resume({ runId: run.id, epochs: from + 2 });
      expect(resumed.name).toBe('Run 2 (from Run 1)');
      expect(resumed.epochsDone).toBe(from);
      const done = await h.training.wait({ runId: resumed.id });
      expect(done.status, done.error).toBe('completed');
      expect(done.epochsDone).toBe(from + 2);
      // Its epochs continue the killed run's numbering, and it trained on the same graph.
      const full = await h.training.get({ runId: resumed.id });
      expect(full.metrics.filter((m) => m.kind === 'epoch').map((m) => m.epoch)).toEqual([from, from + 1]);
      expect(full.graph).toEqual((await h.training.get({ runId: run.id })).graph);
      // It starts where the first run was, not from fresh weights: its first loss is near the killed run's last.
      const before = epochs.filter((p) => p.runId === run.id).find((p) => p.point.epoch === from - 1)!.point.logs['loss']!;
      const firstAfter = full.metrics.find((m) => m.kind === 'epoch')!.logs['loss']!;
      const fresh = epochs.filter((p) => p.runId === run.id)[0]!.point.logs['loss']!;
      expect(Math.abs(firstAfter - before)).toBeLessThan(Math.abs(fresh - before));
    } finally {
      await core.dispose();
    }
  });

  it('a stopped run resumes from the weights it stopped with; one with nothing left to train says so', async () => {
    const { core, h, dataset, epochs } = await project('lb-resume-stop-');
    try {
      const run = await h.training.start({ datasetId: dataset.id, settings });
      while (epochs.length < 2) await new Promise((r) => setTimeout(r, 50));
      await h.training.stop({ runId: run.id });
      const stopped = await h.training.wait({ runId: run.id });
      expect(stopped.status).toBe('stopped');
      const resumed = await h.training.resume({ runId: run.id, from: 'latest', epochs: stopped.epochsDone + 1 });
      const done = await h.training.wait({ runId: resumed.id });
      expect(done).toMatchObject({ status: 'completed', epochsDone: stopped.epochsDone + 1 });
      await expect(h.training.resume({ runId: resumed.id })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        message: `${done.name} has trained ${done.epochsDone} of its ${done.epochsDone} epochs, so there is nothing left to resume; ask for more epochs.`,
      });
      // From the best checkpoint instead, with more epochs.
      const again = await h.training.resume({ runId: run.id, from: 'best', epochs: stopped.epochsDone + 1 });
      expect((await h.training.wait({ runId: again.id })).status).toBe('completed');
    } finally {
      await core.dispose();
    }
  });

  it('pause holds the run between batches with its clock stopped; it goes on, and a stop ends it', async () => {
    const { core, h, dataset, epochs } = await project('lb-pause-');
    const statuses: string[] = [];
    core.onEvent((e, payload) => e === 'training.status' && statuses.push((payload as { status: string }).status));
    try {
      const run = await h.training.start({ datasetId: dataset.id, settings });
      while (epochs.length < 1) await new Promise((r) => setTimeout(r, 50));
      await h.training.pause({ runId: run.id, paused: true });
      while (!statuses.includes('paused')) await new Promise((r) => setTimeout(r, 20));
      expect((await h.training.list({}))[0]!.status).toBe('paused');
      // At most the batch in flight finishes; then nothing moves.
      await new Promise((r) => setTimeout(r, 300));
      const held = epochs.length;
      const heldAt = epochs.at(-1)!.elapsedMs;
      await new Promise((r) => setTimeout(r, 1500));
      expect(epochs.length).toBe(held);

      await h.training.pause({ runId: run.id, paused: false });
      while (epochs.length < held + 2) await new Promise((r) => setTimeout(r, 50));
      expect((await h.training.list({}))[0]!.status).toBe('running');
      // The 1.5 s paused are not in the run's elapsed time (two J1 epochs here take well under that).
      expect(epochs.at(-1)!.elapsedMs - heldAt).toBeLessThan(1500);

      await h.training.pause({ runId: run.id, paused: true });
      while (statuses.filter((s) => s === 'paused').length < 2) await new Promise((r) => setTimeout(r, 20));
      const t0 = Date.now();
      await h.training.stop({ runId: run.id });
      const ended = await h.training.wait({ runId: run.id });
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(ended).toMatchObject({ status: 'stopped', hasWeights: true });
    } finally {
      await core.dispose();
    }
  });
});
