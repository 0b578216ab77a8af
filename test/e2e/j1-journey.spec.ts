/**
 * J1 through the real UI in Debian's Chromium, over serve mode, as a user would do it:
 * create a project → import a J1-like CSV → set roles and the split → J1 template → train 2
 * epochs and watch the chart → evaluate → export → restart the server → all still there.
 * Screenshots of each step go to test/artifacts/e2e/.
 */
import { test, expect } from '@playwright/test';
import { mkdtempSync, existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeJ1Csv } from '../../bench/j1-data.js';
import { startServe, type ServeProcess } from '../helpers/serve.js';
import { setNumber, setUpJ1Columns, shot } from '../helpers/e2e.js';

const HOURS = 24 * 120;
const TRAIN_ROWS = 24 * 90;

test('J1 end to end in the browser, surviving a server restart', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-'));
  const home = path.join(tmp, 'home');
  const projectDir = path.join(tmp, 'air-quality');
  const csv = path.join(tmp, 'pollution.csv');
  await writeJ1Csv(csv, HOURS);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  let server: ServeProcess = await startServe(home);
  try {
    // 1. Create a project.
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toContainText(/connected/i);
    await shot(page, '01-projects');
    await page.getByTestId('project-dir').fill(projectDir);
    await page.getByTestId('project-name').fill('Air quality');
    await page.getByTestId('create-project').click();
    await expect(page.getByTestId('status-project')).toContainText('air-quality');
    expect(existsSync(path.join(projectDir, 'project.lbproj'))).toBe(true);

    // 2. Import the CSV and set how its columns are used.
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-file').setInputFiles(csv);
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);
    await expect(page.getByTestId('preview-table')).toContainText('wnd_dir');
    await setUpJ1Columns(page, TRAIN_ROWS);
    await page.getByTestId('role-select-rain').selectOption('feature');
    await setNumber(page, 'validation-fraction', 0);
    await expect(page.getByTestId('layout-input-shape')).toContainText('1, 8');
    await expect(page.getByTestId('layout-task')).toContainText(/regression/i);
    await shot(page, '02-data');

    // 3. The J1 template: LSTM(50) → Dense(1), with shapes and parameter counts.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('j1-lstm');
    await expect(page.getByTestId('graph-node')).toHaveCount(3);
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await expect(page.getByTestId('total-params')).toContainText('11,851');
    await shot(page, '03-model');

    // 4. A long run: the chart and counters move while it trains, and Stop ends it.
    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'epochs', 500);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/running/i);
    await expect(page.getByTestId('epoch-counter')).toHaveText(/^([3-9]|\d\d+)\/500$/, { timeout: 60_000 });
    await expect(page.getByTestId('chart').locator('path').first()).toBeVisible();
    await expect(page.getByTestId('eta')).toBeVisible();
    await shot(page, '04-training');
    // Pause holds it (the counter stays put), Continue lets it go on.
    await page.getByTestId('pause-button').click();
    await expect(page.getByTestId('run-status')).toHaveText('paused');
    const heldAt = await page.getByTestId('epoch-counter').innerText();
    await page.waitForTimeout(1000);
    await expect(page.getByTestId('epoch-counter')).toHaveText(heldAt);
    await shot(page, '04a-paused');
    await page.getByTestId('continue-button').click();
    await expect(page.getByTestId('run-status')).toHaveText('running');
    await expect(page.getByTestId('epoch-counter')).not.toHaveText(heldAt, { timeout: 30_000 });
    await page.getByTestId('stop-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/stopped/i, { timeout: 5_000 });
    // The stopped run can be trained further: Resume starts a new run at the epoch it stopped at.
    const epochsCell = page.getByTestId('run-row').first().locator('td').nth(3);
    // The list refreshes once the stop is saved: then it shows the epochs the run finished.
    await expect(epochsCell).toHaveText(/^[1-9]\d*\/500/);
    const stoppedAt = Number((await epochsCell.innerText()).split('/')[0]);
    await page.getByTestId('run-resume').click();
    await expect(page.getByTestId('run-status')).toContainText(/running/i);
    await expect(page.getByTestId('run-row').first()).toContainText('(from Run 1)');
    await expect(page.getByTestId('epoch-counter')).toHaveText(new RegExp(`^(${stoppedAt + 1}|${stoppedAt + 2}|${stoppedAt + 3})/500$`), { timeout: 30_000 });
    await shot(page, '04b-resumed');
    await page.getByTestId('stop-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/stopped/i, { timeout: 5_000 });

    // Then J1 for 2 epochs, to the end.
    await setNumber(page, 'epochs', 2);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });
    await expect(page.getByTestId('epoch-counter')).toHaveText('2/2');
    await expect(page.getByTestId('training-backend')).toContainText(/wasm/i);
    await expect(page.getByTestId('run-row')).toHaveCount(3);
    await shot(page, '05-trained');

    // 5. Evaluate on the test split.
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-rmse')).toContainText(/\d/, { timeout: 60_000 });
    await expect(page.getByTestId('prediction-chart')).toBeVisible();
    await shot(page, '06-evaluate');

    // 6. Export as a TF.js model.
    const exportDir = path.join(tmp, 'exported');
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-dir').fill(exportDir);
    await page.getByTestId('export-button').click();
    await expect(page.getByTestId('export-files')).toContainText('model.json');
    expect(readdirSync(exportDir).sort()).toEqual(['EXPORT.md', 'export-report.json', 'layerbench.json', 'model.json', 'weights.bin']);
    await shot(page, '07-export');

    // 7. Restart the server: the project, the run and its metrics are still there.
    const rmse = (await page.getByTestId('metric-rmse').count()) ? await page.getByTestId('metric-rmse').innerText() : null;
    await server.stop();
    server = await startServe(home);
    await page.goto(server.url);
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('recent-project').filter({ hasText: 'Air quality' }).click();
    await expect(page.getByTestId('status-project')).toContainText('air-quality');
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('run-row')).toHaveCount(3);
    await expect(page.getByTestId('run-row').filter({ hasText: /completed/i })).toHaveCount(1);
    await expect(page.getByTestId('run-row').filter({ hasText: /stopped/i })).toHaveCount(2);
    await page.getByTestId('run-row').filter({ hasText: /completed/i }).click();
    await expect(page.getByTestId('chart').locator('path').first()).toBeVisible();
    await shot(page, '08-after-restart');
    await page.getByTestId('nav-evaluate').click();
    await expect(page.getByTestId('metric-rmse')).toContainText(/\d/);
    if (rmse) await expect(page.getByTestId('metric-rmse')).toHaveText(rmse);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a broken CSV dropped on the page gets a clear error naming the file and row, and nothing is imported', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-bad-'));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await page.goto(server.url);
    await page.getByTestId('project-dir').fill(path.join(tmp, 'p'));
    await page.getByTestId('create-project').click();
    await page.getByTestId('nav-data').click();
    // Dropped onto the drop zone, as from a file manager.
    // (Runs in the page; written as a string because the tests are type-checked without DOM types.)
    const drop = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['a,b,c\\n1,2,3\\n4,5\\n'], 'ragged.csv', { type: 'text/csv' }));
      return dt;
    })()`);
    await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer: drop });
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: drop });
    await expect(page.getByTestId('error-message')).toHaveText('ragged.csv, row 3: expected 3 fields (as in the header) but found 2.');
    await expect(page.getByTestId('dataset-row')).toHaveCount(0);
    await shot(page, '09-bad-csv');
  } finally {
    await server.stop();
  }
});
