import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import type { Evaluation } from '../../../shared/evaluation.js';
import { INTERRUPTED_MESSAGE, PROJECT_FILE, ProjectStore } from '../../../main/store/project-store.js';
import { latestVersion } from '../../../main/store/migrate.js';
import { OWNER_FILE } from '../../../main/store/owner.js';
import { dataset, evaluation, graph, metricPoints, run, tempDir } from './fixtures.js';

function caught(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('ProjectStore.create / open', () => {
  it('creates the folder, the database and media/ and cache/', () => {
    const dir = path.join(tempDir(), 'nested', 'My Project');
    const store = ProjectStore.create(dir, 'Beijing PM2.5');
    expect(fs.existsSync(path.join(dir, PROJECT_FILE))).toBe(true);
    expect(fs.statSync(store.mediaDir).isDirectory()).toBe(true);
    expect(fs.statSync(store.cacheDir).isDirectory()).toBe(true);
    const info = store.info();
    expect(info).toMatchObject({ dir, name: 'Beijing PM2.5', schemaVersion: latestVersion() });
    expect(Date.parse(info.createdAt)).not.toBeNaN();
    store.close();
  });

  it('names a project after its folder when no name is given', () => {
    const dir = path.join(tempDir(), 'weather');
    const store = ProjectStore.create(dir);
    expect(store.info().name).toBe('weather');
    store.close();
  });

  it('refuses to create over an existing project', () => {
    const dir = tempDir();
    ProjectStore.create(dir).close();
    const err = caught(() => ProjectStore.create(dir));
    expect(err.code).toBe('PROJECT_EXISTS');
    expect(err.message).toContain(path.join(dir, PROJECT_FILE));
  });

  it('gives PROJECT_NOT_FOUND with the path for a missing folder', () => {
    const dir = path.join(tempDir(), 'nope');
    const err = caught(() => ProjectStore.open(dir));
    expect(err.code).toBe('PROJECT_NOT_FOUND');
    expect(err.message).toContain(dir);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('round-trips everything through close and open, in WAL mode', () => {
    const dir = tempDir();
    const weights = { modelTopology: { class_name: 'Sequential' }, weightSpecs: [{ name: 'w', shape: [3, 8], dtype: 'float32' }], weightData: new Uint8Array(4096).map((_, i) => i % 251) };
    const points = metricPoints(1000);
    const before = ProjectStore.create(dir, 'round trip');
    const info = before.info();
    before.insertDataset(dataset());
    before.setModel(graph);
    before.insertRun(run());
    before.appendMetrics('run1', points.slice(0, 400));
    before.appendMetrics('run1', points.slice(400));
    before.updateRun('run1', {
      status: 'completed', epochsDone: 100, finalLogs: { loss: 0.1, val_loss: NaN }, samplesPerSec: 1234.5, endedAt: '2024-01-02T01:00:00.000Z',
      backend: { name: 'cpu', device: 'CPU', attempts: [{ name: 'tensorflow', ok: false, reason: 'not installed' }, { name: 'cpu', ok: true }] },
    });
    before.saveWeights('run1', weights);
    before.saveEvaluation('run1', evaluation);
    before.saveRunPrep('run1', { scaling: { min: [1], max: [3] }, classes: ['NE', 'SW'] });
    before.close();

    const store = ProjectStore.open(dir);
    const db = new Database(path.join(dir, PROJECT_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(store.info()).toEqual(info);
    expect(store.listDatasets()).toEqual([dataset()]);
    expect(store.getModel()).toEqual(graph);
    const got = store.getRun('run1');
    expect(got).toMatchObject({ ...run(), status: 'completed', epochsDone: 100, samplesPerSec: 1234.5, hasWeights: true });
    expect(got.finalLogs).toEqual({ loss: 0.1, val_loss: NaN });
    expect(got.backend?.attempts).toHaveLength(2);
    expect(got.graph).toEqual(graph);
    expect(got.metrics).toEqual(points);
    expect(store.getWeights('run1')).toEqual(weights);
    expect(store.getEvaluation('run1')).toEqual(evaluation);
    expect(store.getRunPrep('run1')).toEqual({ scaling: { min: [1], max: [3] }, classes: ['NE', 'SW'] });
    store.close();
  });

  it('marks runs cut off by a restart as failed and removes partial media', () => {
    const dir = tempDir();
    const before = ProjectStore.create(dir);
    before.insertDataset(dataset());
    before.insertRun(run('running'));
    before.insertRun({ ...run('queued'), status: 'queued' });
    before.insertRun({ ...run('done'), status: 'completed' });
    fs.writeFileSync(path.join(before.mediaDir, 'abc.csv.partial'), 'half a file');
    fs.writeFileSync(path.join(before.mediaDir, 'abc.csv'), 'a whole file');
    before.close();

    const store = ProjectStore.open(dir);
    const byId = new Map(store.listRuns().map((r) => [r.id, r]));
    expect(byId.get('running')).toMatchObject({ status: 'failed', error: INTERRUPTED_MESSAGE });
    expect(byId.get('queued')).toMatchObject({ status: 'failed', error: INTERRUPTED_MESSAGE });
    expect(byId.get('done')).toMatchObject({ status: 'completed' });
    expect(byId.get('done')?.error).toBeUndefined();
    expect(fs.readdirSync(store.mediaDir)).toEqual(['abc.csv']);
    store.close();
  });

  it('leaves runs and partial media alone while another live Layerbench process has the project open', () => {
    const dir = tempDir();
    const before = ProjectStore.create(dir);
    before.insertDataset(dataset());
    before.insertRun(run('running'));
    fs.writeFileSync(path.join(before.mediaDir, 'import.partial'), 'being written');
    before.close();
    // Our parent (the test runner) stands in for a live serve-mode process that owns the project.
    fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify({ pid: process.ppid, host: os.hostname() }));
    const second = ProjectStore.open(dir);
    expect(second.listRuns()[0]).toMatchObject({ status: 'running' });
    expect(fs.readdirSync(second.mediaDir)).toEqual(['import.partial']);
    second.close();
    // Its owner file is not ours to remove.
    expect(fs.existsSync(path.join(dir, OWNER_FILE))).toBe(true);
    // Once that owner is gone (a pid that does not exist), the next open tidies up.
    fs.writeFileSync(path.join(dir, OWNER_FILE), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname() }));
    const third = ProjectStore.open(dir);
    expect(third.listRuns()[0]).toMatchObject({ status: 'failed', error: INTERRUPTED_MESSAGE });
    expect(fs.readdirSync(third.mediaDir)).toEqual([]);
    third.close();
    expect(fs.existsSync(path.join(dir, OWNER_FILE))).toBe(false);
  });

  it('recreates a deleted cache folder on open', () => {
    const dir = tempDir();
    const s = ProjectStore.create(dir);
    s.close();
    fs.rmSync(s.cacheDir, { recursive: true });
    ProjectStore.open(dir).close();
    expect(fs.existsSync(s.cacheDir)).toBe(true);
  });
});

describe('ProjectStore data', () => {
  function fresh(): ProjectStore {
    const store = ProjectStore.create(tempDir());
    store.insertDataset(dataset());
    return store;
  }

  it('updates, renames and deletes datasets (with their runs)', () => {
    const store = fresh();
    store.insertDataset(dataset('ds2', '2024-02-01T00:00:00.000Z'));
    const config = { ...dataset().config, lookback: 24, scaling: 'standard' as const };
    store.updateDatasetConfig('ds1', config);
    store.renameDataset('ds1', 'Renamed');
    expect(store.getDataset('ds1')).toMatchObject({ name: 'Renamed', config });
    expect(store.listDatasets().map((d) => d.id)).toEqual(['ds1', 'ds2']);

    store.insertRun(run('r1'));
    store.appendMetrics('r1', metricPoints(5));
    store.saveWeights('r1', { modelTopology: {}, weightSpecs: [], weightData: new Uint8Array([1]) });
    store.insertRun(run('r2', 'ds2'));
    store.deleteDataset('ds1');
    expect(store.listDatasets().map((d) => d.id)).toEqual(['ds2']);
    expect(store.listRuns().map((r) => r.id)).toEqual(['r2']);
    expect(store.getWeights('r1')).toBeNull();
    store.close();
  });

  it('says NOT_FOUND with the id for missing datasets and runs', () => {
    const store = fresh();
    expect(caught(() => store.getDataset('x')).message).toBe('No dataset with id x');
    for (const f of [() => store.renameDataset('x', 'n'), () => store.deleteDataset('x'), () => store.updateDatasetConfig('x', dataset().config)]) {
      expect(caught(f).code).toBe('NOT_FOUND');
    }
    expect(caught(() => store.getRun('r')).message).toBe('No run with id r');
    for (const f of [
      () => store.updateRun('r', { status: 'failed' }),
      () => store.appendMetrics('r', metricPoints(1)),
      () => store.saveWeights('r', { modelTopology: {}, weightSpecs: [], weightData: new Uint8Array() }),
      () => store.saveEvaluation('r', evaluation),
      () => store.saveRunPrep('r', {}),
      () => store.deleteRun('r'),
    ]) {
      expect(caught(f).code).toBe('NOT_FOUND');
    }
    expect(store.getWeights('r')).toBeNull();
    expect(store.getEvaluation('r')).toBeNull();
    expect(store.getRunPrep('r')).toBeNull();
    store.close();
  });

  it('keeps one current model, replaced on set', () => {
    const store = fresh();
    expect(store.getModel()).toBeNull();
    store.setModel(graph);
    const bigger = { ...graph, nodes: [...graph.nodes, { id: 'n9', type: 'Dropout', name: 'dropout', config: { rate: 0.2 } }] };
    store.setModel(bigger);
    expect(store.getModel()).toEqual(bigger);
    store.close();
  });

  it('lists runs newest first with hasWeights, and updates only the fields given', () => {
    const store = fresh();
    store.insertRun(run('old', 'ds1', '2024-01-01T00:00:00.000Z'));
    store.insertRun(run('new', 'ds1', '2024-03-01T00:00:00.000Z'));
    store.saveWeights('old', { modelTopology: {}, weightSpecs: [], weightData: new Uint8Array([1, 2]) });
    store.updateRun('old', { status: 'failed', error: 'out of memory' });
    store.updateRun('old', { epochsDone: 3, error: undefined });
    expect(store.listRuns().map((r) => [r.id, r.hasWeights])).toEqual([['new', false], ['old', true]]);
    expect(store.getRun('old')).toMatchObject({ status: 'failed', error: 'out of memory', epochsDone: 3 });
    expect(store.getRun('new').metrics).toEqual([]);
    store.close();
  });

  it('replaces weights, evaluations and prep on a second save; deleteRun removes them', () => {
    const store = fresh();
    store.insertRun(run());
    store.saveWeights('run1', { modelTopology: { a: 1 }, weightSpecs: [], weightData: new Uint8Array([1]) });
    const view = new Uint8Array(new Uint8Array([9, 9, 7, 8, 9]).buffer, 2, 2); // a view, not a whole buffer
    store.saveWeights('run1', { modelTopology: { a: 2 }, weightSpecs: [], weightData: view });
    expect(store.getWeights('run1')).toEqual({ modelTopology: { a: 2 }, weightSpecs: [], weightData: new Uint8Array([7, 8]) });
    const classification: Evaluation = { task: 'classification', runId: 'run1', target: 'wnd_dir', count: 4, accuracy: 0.75, classes: ['NE', 'SW'], confusion: [[2, 1], [0, 1]] };
    store.saveEvaluation('run1', evaluation);
    store.saveEvaluation('run1', classification);
    expect(store.getEvaluation('run1')).toEqual(classification);
    store.saveRunPrep('run1', { v: 1 });
    store.saveRunPrep('run1', { v: 2 });
    expect(store.getRunPrep('run1')).toEqual({ v: 2 });

    store.appendMetrics('run1', metricPoints(3));
    store.deleteRun('run1');
    expect(store.listRuns()).toEqual([]);
    expect(store.getWeights('run1')).toBeNull();
    expect(store.getEvaluation('run1')).toBeNull();
    expect(store.getRunPrep('run1')).toBeNull();
    store.close();
  });

  it('appends 10,000 metric points quickly', () => {
    const store = fresh();
    store.insertRun(run());
    const t0 = performance.now();
    store.appendMetrics('run1', metricPoints(10_000));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(store.getRun('run1').metrics).toHaveLength(10_000);
    store.close();
  });
});
