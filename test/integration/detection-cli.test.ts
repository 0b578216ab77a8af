/**
 * A detector by the other doors: stopped and resumed through the core (its checkpoints and
 * epoch numbering as for any run), and trained and evaluated with the real `layerbench` command
 * on a synthetic COCO dataset (test/helpers/detection-data.ts), which prints mAP.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../main/core.js';
import { openSqlite } from '../../main/store/sqlite.js';
import { ROOT } from '../helpers/serve.js';
import { runCli, lastJson } from '../helpers/cli.js';
import { writeShapesCoco } from '../helpers/detection-data.js';
import { DEFAULT_TRAIN_SETTINGS, type TrainingProgress } from '../../shared/training.js';
import type { TrainingPreparing } from '../../shared/api/training.js';
import type { DetectionEvaluation } from '../../shared/detection.js';

describe('detector runs', () => {
  it('stops a detector mid-run, keeps its weights and resumes it to the end; the prep summary counts the images left out', { timeout: 120_000 }, async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-det-resume-'));
    // Every 6th image has no shapes and no box: not reviewed, so left out of training.
    const shapes = await writeShapesCoco(path.join(tmp, 'shapes'), { images: 48, size: 32, seed: 9, emptyEvery: 6 });
    const core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
    const h = core.handlers;
    const epochs: TrainingProgress[] = [];
    const preparing: TrainingPreparing[] = [];
    core.onEvent((e, p) => {
      if (e === 'training.progress' && (p as TrainingProgress).point.kind === 'epoch') epochs.push(p as TrainingProgress);
      if (e === 'training.preparing') preparing.push(p as TrainingPreparing);
    });
    try {
      await h.projects.create({ dir: path.join(tmp, 'p') });
      const d = await h.datasets.importImages({ path: shapes.dir });
      await h.models.fromTemplate({ template: 'detector-grid', datasetId: d.id });
      const settings = { ...DEFAULT_TRAIN_SETTINGS, loss: 'gridDetection' as const, metrics: [], batchSize: 8, epochs: 500, backend: 'wasm' as const, batchReportEvery: 100 };
      const run = await h.training.start({ datasetId: d.id, settings });
      while (epochs.length < 2) await new Promise((r) => setTimeout(r, 50));
      await h.training.stop({ runId: run.id });
      const stopped = await h.training.wait({ runId: run.id });
      expect(stopped.status).toBe('stopped');
      expect(stopped.hasWeights).toBe(true);
      // What the run keeps about its images, read from the project file as it stands.
      const db = openSqlite(path.join(tmp, 'p', 'project.lbproj'), { readonly: true });
      const row = db.prepare('SELECT prep FROM run_prep WHERE run_id = ?').get(run.id) as { prep: string };
      db.close();
      const prep = JSON.parse(row.prep) as { images: { counts: Record<string, number>; unlabelled: number; note: string; task: string } };
      expect(prep.images.task).toBe('detection');
      expect(prep.images.unlabelled).toBe(8);
      expect(prep.images.counts['train']! + prep.images.counts['validation']! + prep.images.counts['test']!).toBe(40);
      expect(prep.images.note).toContain('8 images have no confirmed box and are not marked reviewed: left out');
      expect(preparing.at(-1)?.done).toBe(true);
      // The Train view shows the same sentence once the images are prepared.
      expect(preparing.at(-1)?.note).toBe(prep.images.note);

      const resumed = await h.training.resume({ runId: run.id, epochs: stopped.epochsDone + 2 });
      const done = await h.training.wait({ runId: resumed.id });
      expect(done).toMatchObject({ status: 'completed', epochsDone: stopped.epochsDone + 2 });
      expect(Number.isFinite(done.finalLogs?.['loss'])).toBe(true);
    } finally {
      await core.dispose();
    }
  });

  it('trains and evaluates a detector with the layerbench command: the loss by default, mAP printed', { timeout: 180_000 }, async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-det-cli-'));
    const home = path.join(tmp, 'home');
    const project = path.join(tmp, 'p');
    const shapes = await writeShapesCoco(path.join(tmp, 'shapes'), { images: 40, size: 32, seed: 2 });
    expect((await runCli(['create', project], home)).code).toBe(0);
    const imported = await runCli(['import', project, shapes.dir], home);
    expect(imported.stdout).toContain('40 images (coco, for detection;');
    const model = await runCli(['model', project, '--template', 'detector-grid'], home);
    expect(model.code, model.stderr).toBe(0);
    expect(model.stdout).toMatch(/\(batch, 2, 2, 7\)/);
    const trained = await runCli(['train', project, '--epochs', '3', '--batch-size', '8', '--backend', 'wasm', '--json'], home);
    expect(trained.code, trained.stderr).toBe(0);
    const run = lastJson<{ id: string; status: string; settings: { loss: string; metrics: string[] }; finalLogs: Record<string, number> }>(trained);
    expect(run).toMatchObject({ status: 'completed', settings: { loss: 'gridDetection', metrics: [] } });
    expect(Object.keys(run.finalLogs)).toEqual(['loss', 'val_loss']);
    const evaluated = await runCli(['evaluate', project, '--run', run.id], home);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toMatch(/on 8 test images \(\d+ boxes\): mAP@0\.5 [\d.]+%, mAP@0\.5:0\.95 [\d.]+%, (best F1 [\d.]+ at threshold [\d.]+|no detections)\n {2}square +AP@0\.5 /);
    const json = lastJson<DetectionEvaluation>(await runCli(['evaluate', project, '--run', run.id, '--json'], home));
    expect(json).toMatchObject({ task: 'detection', count: 8, classes: ['square', 'disc'] });
    expect(json).not.toHaveProperty('detectionSamples');
  });
});
