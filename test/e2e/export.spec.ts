/**
 * Export in Debian's Chromium over serve mode: train a small J1 run through the UI, export it in
 * every format from the Export view (TF.js, Keras, ONNX, Python code) and read each report's
 * parity on the page; then turn ONNX on as an export target in the Model view and see a layer
 * ONNX cannot write flagged. Screenshots go to test/artifacts/e2e/export-*.png.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJ1Csv } from '../../bench/j1-data.js';
import { startServe, type ServeProcess } from '../helpers/serve.js';
import { createProject, importCsv, setNumber, setUpJ1Columns, shot } from '../helpers/e2e.js';

const HOURS = 24 * 60;
const TRAIN_ROWS = 24 * 45;

test('every export format from the dialog, each with its parity report; ONNX as a target in the graph editor', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-export-'));
  const home = path.join(tmp, 'home');
  const csv = path.join(tmp, 'pollution.csv');
  await writeJ1Csv(csv, HOURS);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server: ServeProcess = await startServe(home);
  try {
    await createProject(page, server.url, path.join(tmp, 'air'));
    await importCsv(page, csv);
    await setUpJ1Columns(page, TRAIN_ROWS);

    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('j1-lstm');
    await expect(page.getByTestId('model-valid')).toBeVisible();

    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'epochs', 1);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });
    await expect(page.getByTestId('status-run')).toHaveCount(0); // the status bar no longer says Training

    // A hidden run is never picked for export: with the only run hidden, the view says so; unhidden, it is picked again.
    await page.getByTestId('run-hide').click();
    await page.getByTestId('nav-export').click();
    await expect(page.getByTestId('no-run')).toHaveText('All runs are hidden — show hidden runs in Train.');
    await expect(page.getByTestId('export-button')).toBeDisabled();
    await shot(page, 'export-all-hidden');
    await page.getByTestId('nav-train').click();
    await page.getByTestId('show-hidden').check();
    await expect(page.getByTestId('run-hide')).toHaveText('Unhide');
    await page.getByTestId('run-hide').click();
    await expect(page.getByTestId('run-hide')).toHaveText('Hide');

    // Each format from the dialog: its files, and the report's parity on the page.
    await page.getByTestId('nav-export').click();
    await expect(page.getByTestId('run-select')).toHaveValue(/.+/);
    const expected: Record<string, { file: string; status: RegExp }> = {
      tfjs: { file: 'model.json', status: /exact match/ },
      keras: { file: 'Run-1.keras', status: /read back with h5wasm/ },
      onnx: { file: 'Run-1.onnx', status: /onnxruntime-node.*max abs difference/ },
      python: { file: 'model_torch.py', status: /PyTorch/ },
    };
    for (const [format, want] of Object.entries(expected)) {
      const dir = path.join(tmp, `export-${format}`);
      await page.getByTestId(`export-format-${format}`).check();
      await page.getByTestId('export-dir').fill(dir);
      await page.getByTestId('export-button').click();
      const report = page.getByTestId('export-report');
      await expect(report).toBeVisible({ timeout: 120_000 });
      await expect(page.getByTestId('export-files')).toContainText(want.file);
      const checks = page.getByTestId('parity-check');
      await expect(checks.first()).toContainText(want.status);
      // A regressor has no threshold; only the Python code writes the dataset (data/), and the report says what it holds.
      await expect(page.getByTestId('export-threshold')).toHaveCount(0);
      if (format === 'python') await expect(page.getByTestId('export-data')).toHaveText(/^Dataset files: \.npy arrays in data\/: the prepared inputs and targets, splits; \d+ train, \d+ validation, \d+ test samples$/);
      else await expect(page.getByTestId('export-data')).toHaveCount(0);
      // python3-torch is installed here, so even the torch code is run at export time.
      for (const c of await checks.all()) await expect(c).toHaveAttribute('data-status', 'passed');
      expect(readdirSync(dir)).toEqual(expect.arrayContaining([want.file, 'export-report.json', 'EXPORT.md']));
      const json = JSON.parse(readFileSync(path.join(dir, 'export-report.json'), 'utf8')) as { format: string; parity: { status: string }[] };
      expect(json.format).toBe(format);
      expect(json.parity.every((p) => p.status === 'passed')).toBe(true);
      await shot(page, `export-${format}`);
    }

    // ONNX as an export target: J1 exports; an LSTM with selu (ONNX's LSTM op has no selu) is flagged.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('target-onnx').check();
    await expect(page.getByTestId('onnx-target-ok')).toBeVisible();
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(350);
    await page.locator('[data-testid="graph-node"][data-layer-name="lstm"]').click();
    await page.getByTestId('param-activation').selectOption('selu');
    const problems = page.getByTestId('onnx-target-problems');
    await expect(problems).toContainText("activation 'selu'");
    await expect(page.locator('[data-testid="graph-node"][data-layer-name="lstm"]')).toContainText(/ONNX export/);
    // Training is not blocked by an export target.
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await shot(page, 'export-onnx-target');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
