/**
 * J1 through the command line, as a script would run it: create → import → model → train →
 * evaluate → export → runs. Needs the built app (`npm run build`; `npm test` builds first).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJ1Csv } from '../../bench/j1-data.js';
import { runCli, lastJson } from '../helpers/cli.js';
import { loadExportedModel } from '../helpers/tfjs-files.js';
import type { ExportReport } from '../../shared/api/export.js';
import { loadBackend } from '../../main/engine/backend.js';
import { prepareTabular, unscaleTarget } from '../../main/importers/csv/prepare.js';
import type { Dataset, TabularDataset } from '../../shared/dataset.js';
import type { BackendInfo, RunSummary } from '../../shared/training.js';
import type { RegressionEvaluation } from '../../shared/evaluation.js';

const HOURS = 24 * 120;
const TRAIN_ROWS = 24 * 90;

describe('CLI journey (J1)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-cli-'));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'j1-project');
  const csv = path.join(tmp, 'pollution.csv');

  beforeAll(async () => {
    await writeJ1Csv(csv, HOURS);
  });

  it('runs the whole pipeline and the export predicts what the app predicted', async () => {
    const created = await runCli(['create', project, '--name', 'J1 CLI', '--json'], home);
    expect(created.code, created.stderr).toBe(0);
    expect(existsSync(path.join(project, 'project.lbproj'))).toBe(true);

    const imported = await runCli(
      // J1 as in the reference experiment: this hour's 8 variables (pollution included, wind
      // direction as an integer code) predict the next hour's pollution.
      ['import', project, csv, '--target', 'pollution', '--ignore', 'date', '--encoding', 'wnd_dir=integer', '--scaling', 'minmax',
        '--lookback', '1', '--horizon', '1', '--target-as-input', '--split', `chronological:${TRAIN_ROWS}`, '--validation', '0', '--json'],
      home,
    );
    expect(imported.code, imported.stderr).toBe(0);
    const { dataset, layout } = lastJson<{ dataset: TabularDataset; layout: { inputShape: number[]; task: string } }>(imported);
    expect(dataset.profile.rowCount).toBe(HOURS);
    expect(layout.inputShape).toEqual([1, 8]);
    expect(layout.task).toBe('regression');

    const model = await runCli(['model', project, '--template', 'j1-lstm'], home);
    expect(model.code, model.stderr).toBe(0);
    expect(model.stdout).toMatch(/lstm.*\(batch, 50\)/);

    const trained = await runCli(['train', project, '--epochs', '2', '--batch-size', '72', '--backend', 'wasm', '--json'], home);
    expect(trained.code, trained.stderr).toBe(0);
    // --json output is exactly one JSON document: nothing the trainer prints leaks into it.
    expect(trained.stdout.trim().split('\n')).toHaveLength(1);
    const run = lastJson<RunSummary>(trained);
    expect(run.status).toBe('completed');
    expect(run.epochsDone).toBe(2);
    expect(run.backend?.name).toBe('wasm');
    expect(run.finalLogs?.loss).toBeGreaterThan(0);

    const evaluated = await runCli(['evaluate', project, '--json'], home);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const ev = lastJson<RegressionEvaluation>(evaluated);
    expect(ev.task).toBe('regression');
    expect(ev.count).toBe(HOURS - TRAIN_ROWS);
    expect(ev.rmse).toBeGreaterThanOrEqual(ev.mae);
    expect(ev.mae).toBeGreaterThan(0);
    // The whole test split, in file order: the rows after the training year.
    expect(ev.rows).toHaveLength(ev.count);
    expect(ev.rows[0]).toBe(TRAIN_ROWS);
    expect(ev.rows.at(-1)).toBe(HOURS - 1);

    const outDir = path.join(tmp, 'export');
    const exported = await runCli(['export', project, '--out', outDir, '--json'], home);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readdirSync(outDir).sort()).toEqual(['EXPORT.md', 'export-report.json', 'layerbench.json', 'model.json', 'weights.bin']);
    // The report says the export, reloaded in TF.js, gave the trained model's outputs exactly, on test rows.
    const tfjsReport = lastJson<{ report: ExportReport }>(exported).report;
    expect(tfjsReport.parity).toEqual([expect.objectContaining({ status: 'passed', maxAbsDiff: 0, tolerance: 0, inputs: 'test split', samples: 16 })]);
    expect(tfjsReport.inputs).toEqual([{ name: 'input', shape: [1, 8] }]);

    // The exported model, loaded with tf.loadLayersModel, gives the predictions the app evaluated.
    const { tf } = await loadBackend('wasm');
    const loaded = await loadExportedModel(tf, outDir);
    const data = await prepareTabular(csv, dataset.profile, dataset.config);
    const n = 50;
    const x = tf.tensor(data.test.xs[0]!.subarray(0, n * 8), [n, 1, 8]);
    const y = (loaded.predict(x) as import('@tensorflow/tfjs').Tensor).dataSync();
    for (let i = 0; i < n; i++) expect(unscaleTarget(data.pre, y[i]!)).toBeCloseTo(ev.predicted[i]!, 3);

    // The same run as ONNX, run in onnxruntime, predicts what the app evaluated; Keras files are written.
    const onnxDir = path.join(tmp, 'export-onnx');
    const onnx = await runCli(['export', project, '--out', onnxDir, '--format', 'onnx', '--json'], home);
    expect(onnx.code, onnx.stderr).toBe(0);
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(lastJson<{ files: string[] }>(onnx).files[0]!);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(data.test.xs[0]!.subarray(0, n * 8)), [n, 1, 8]) };
    const onnxOut = (await session.run(feeds))[session.outputNames[0]!]!.data as Float32Array;
    for (let i = 0; i < n; i++) expect(unscaleTarget(data.pre, onnxOut[i]!)).toBeCloseTo(ev.predicted[i]!, 3);
    const onnxParity = lastJson<{ report: ExportReport }>(onnx).report.parity[0]!;
    expect(onnxParity.status).toBe('passed');
    expect(onnxParity.maxAbsDiff).toBeLessThanOrEqual(1e-4);
    const kerasDir = path.join(tmp, 'export-keras');
    const keras = await runCli(['export', project, '--out', kerasDir, '--format', 'keras'], home);
    expect(keras.code, keras.stderr).toBe(0);
    expect(readdirSync(kerasDir).sort()).toEqual(['EXPORT.md', 'Run-1.h5', 'Run-1.keras', 'export-report.json']);
    expect(keras.stdout).toMatch(/parity passed: every weight read back with h5wasm/);

    // Python code: the torch model, run at export time (python3-torch is installed here), matches the app.
    const pyDir = path.join(tmp, 'export-python');
    const py = await runCli(['export', project, '--out', pyDir, '--format', 'python', '--json'], home);
    expect(py.code, py.stderr).toBe(0);
    expect(readdirSync(pyDir).sort()).toEqual(['EXPORT.md', 'README.txt', 'data', 'export-report.json', 'keras', 'model_keras.py', 'model_torch.py', 'train.py', 'weights.npz']);
    const [torchCheck, kerasCheck] = lastJson<{ report: ExportReport }>(py).report.parity;
    expect(kerasCheck!.status).toBe('passed');
    if (torchCheck!.status === 'not run') expect(torchCheck!.note).toMatch(/no Python that imports torch/);
    else expect(torchCheck).toMatchObject({ status: 'passed', inputs: 'test split' });

    const runs = await runCli(['runs', project, '--json'], home);
    expect(lastJson<RunSummary[]>(runs)).toHaveLength(1);

    // The completed run trains one epoch more as a new run, from its weights.
    const resumed = await runCli(['resume', project, '--run', run.id, '--epochs', '3', '--json'], home);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(lastJson<RunSummary>(resumed)).toMatchObject({ status: 'completed', epochsDone: 3, name: 'Run 2 (from Run 1)' });
    const nothing = await runCli(['resume', project, '--run', run.id], home);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('Run 1 has trained 2 of its 2 epochs, so there is nothing left to resume; ask for more epochs.');
    // Four exports, each measuring its parity in a trainer process (and torch), on 2 shared cores.
  }, 300_000);

  it('fails with a clear message and a non-zero exit on bad input', async () => {
    const r = await runCli(['train', path.join(tmp, 'nowhere')], home);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('nowhere');
    const bad = await runCli(['import', project, csv, '--target', 'no_such_column'], home);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Column 'no_such_column' is not in/);
    // The failed import left nothing behind.
    expect(lastJson<Dataset[]>(await runCli(['datasets', project, '--json'], home))).toHaveLength(1);
  });

  it('lists the backends that load here and why the native ones do not', async () => {
    const r = await runCli(['backends', '--json'], home);
    expect(r.code).toBe(0);
    const info = lastJson<BackendInfo>(r);
    expect(['tensorflow-gpu', 'tensorflow', 'wasm']).toContain(info.name);
    expect(info.attempts.at(-1)).toEqual({ name: info.name, ok: true });
    for (const a of info.attempts.slice(0, -1)) expect(a.reason).toBeTruthy();
    const text = await runCli(['backends'], home);
    expect(text.stdout).toContain(`Training uses ${info.name}`);
  });
});
