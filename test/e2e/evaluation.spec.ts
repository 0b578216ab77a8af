/**
 * Evaluation that explains the errors, through the real UI in Debian's Chromium over serve mode:
 * create a project → import a generated 3-class CSV (4 numeric columns, overlapping classes) →
 * MLP template → train on wasm → evaluate → per-class table, PR and ROC curves → click a
 * confusion-matrix cell (and reach one by keyboard) → the gallery shows those CSV rows with their
 * probabilities; after a reload the stored evaluation opens the gallery again.
 * Screenshots go to test/artifacts/e2e/.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../shared/random.js';
import { startServe } from '../helpers/serve.js';
import { createProject, importCsv, setNumber, SHOTS } from '../helpers/e2e.js';

const CLASSES = ['alder', 'birch', 'cedar'];

/** The app scrolls inside its own pane, so a tall window shows the whole report in one picture. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1400, height: 2200 });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (size) await page.setViewportSize(size);
}

/**
 * Three classes around centres 1.6 apart in 4 dimensions, with unit noise: a model separates
 * them well but not perfectly, so the confusion matrix has mistakes to look at.
 */
function writeTrees(file: string, n: number): string[][] {
  const rnd = mulberry32(11);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const centres = [
    [0, 0, 0, 0],
    [1.6, 0.4, 0, 0.8],
    [0.4, 1.6, 0.8, 0],
  ];
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    rows.push([...centres[k]!.map((c) => (c + gauss()).toFixed(3)), CLASSES[k]!]);
  }
  writeFileSync(file, 'girth,height,bark,leaf,species\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
  return rows;
}

test('a classification run explains its errors: per-class metrics, curves, and the gallery behind a confusion cell', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-eval-'));
  const csv = path.join(tmp, 'trees.csv');
  const rows = writeTrees(csv, 900);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await createProject(page, server.url, path.join(tmp, 'trees'));
    await expect(page.getByTestId('status-connection')).toContainText(/connected/i);
    await importCsv(page, csv);
    await page.getByTestId('role-select-species').selectOption('target');
    await page.getByTestId('role-select-leaf').selectOption('feature');
    await expect(page.getByTestId('layout-task')).toContainText(/classification/i);

    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('mlp');
    await expect(page.getByTestId('model-valid')).toBeVisible();

    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await expect(page.getByTestId('loss-select')).toHaveValue('categoricalCrossentropy');
    await setNumber(page, 'learning-rate', 0.01);
    await setNumber(page, 'batch-size', 32);
    await setNumber(page, 'epochs', 12);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });

    // Before evaluating: the empty state says what evaluating shows.
    await page.getByTestId('nav-evaluate').click();
    await expect(page.getByTestId('evaluate-empty')).toContainText('Evaluate');
    await shot(page, 'eval-01-empty');
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-accuracy')).toContainText('%', { timeout: 60_000 });
    const accuracy = Number((await page.getByTestId('metric-accuracy').innerText()).replace('%', '')) / 100;
    // Separable but not perfectly: a trained model is far above chance (1/3) and below perfect.
    expect(accuracy).toBeGreaterThan(0.6);
    expect(accuracy).toBeLessThan(1);

    // Per-class table: one row per class, with AP and AUC from the probabilities.
    await expect(page.getByTestId('per-class-row')).toHaveCount(3);
    for (let k = 0; k < 3; k++) {
      const cells = page.getByTestId('per-class-row').nth(k).locator('td');
      await expect(cells.nth(0)).toHaveText(CLASSES[k]!);
      // AP and ROC AUC: numbers in (0, 1]; a trained model ranks better than chance.
      expect(Number(await cells.nth(6).innerText())).toBeGreaterThan(0.6);
      expect(Number(await cells.nth(5).innerText())).toBeGreaterThan(0.34);
    }
    await expect(page.getByTestId('per-class-table')).toContainText('macro average');
    for (const kind of ['pr', 'roc']) {
      for (let k = 0; k < 3; k++) await expect(page.getByTestId(`curve-${kind}-${k}`)).toHaveAttribute('d', /^M[\d.]+,[\d.]+[VHL]/);
    }
    await expect(page.getByTestId('confused-pairs').locator('li').first()).toContainText('taken for');
    await shot(page, 'eval-02-classification');

    // The counts on the matrix add up to the test split (20% of 900).
    const counts: number[][] = [];
    for (let i = 0; i < 3; i++) {
      counts.push([]);
      for (let j = 0; j < 3; j++) counts[i]!.push(Number(await page.getByTestId(`cm-cell-${i}-${j}`).innerText()));
    }
    expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(180);

    // Click the largest mistake: the gallery lists those rows, read back from the CSV.
    let worst = { i: 0, j: 1, n: -1 };
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j && counts[i]![j]! > worst.n) worst = { i, j, n: counts[i]![j]! };
    expect(worst.n).toBeGreaterThan(0);
    await page.getByTestId(`cm-cell-${worst.i}-${worst.j}`).click();
    const gallery = page.getByTestId('gallery');
    await expect(gallery).toContainText(`Actual ${CLASSES[worst.i]}, predicted ${CLASSES[worst.j]}`);
    await expect(page.getByTestId('gallery-count')).toContainText(`${worst.n} test item`);
    await expect(page.getByTestId('gallery-item')).toHaveCount(Math.min(worst.n, 24));
    const first = page.getByTestId('gallery-item').first();
    const rowNo = Number((await first.locator('.rowno').innerText()).replace(/[^\d]/g, ''));
    const fileRow = rows[rowNo - 1]!;
    // It is that row of the file: its class is the cell's actual class and its values are shown.
    expect(fileRow[4]).toBe(CLASSES[worst.i]);
    await expect(first.locator('table.values td')).toHaveText(fileRow.slice(0, 4));
    // Its top class is the predicted one, with the largest bar; the top three sum to at most 100%.
    const bars = first.getByTestId('gallery-probabilities').locator('li');
    await expect(bars).toHaveCount(3);
    await expect(bars.first().locator('.cls')).toHaveText(CLASSES[worst.j]!);
    const ps = (await bars.locator('.p').allInnerTexts()).map((t) => Number(t.replace('%', '')));
    expect(ps[0]).toBeGreaterThanOrEqual(ps[1]!);
    expect(ps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100.5);
    await shot(page, 'eval-03-gallery');

    // The keyboard reaches cells too: from the focused cell, arrows move and Enter opens.
    await page.getByTestId('gallery-close').click();
    await expect(gallery).toHaveCount(0);
    await page.getByTestId('cm-cell-0-0').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('cm-cell-1-0')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect(gallery).toContainText(`Correct: ${CLASSES[1]}`);
    await expect(page.getByTestId('gallery-count')).toContainText(`${counts[1]![1]} test item`);
    await expect(page.getByTestId('gallery-item')).toHaveCount(Math.min(counts[1]![1]!, 24));
    if (counts[1]![1]! > 24) {
      await page.getByTestId('gallery-more').click();
      await expect(page.getByTestId('gallery-item')).toHaveCount(Math.min(counts[1]![1]!, 48));
    }
    // A legend item focuses its class's curves.
    await page.getByTestId('pr-curves').getByRole('button', { name: CLASSES[2] }).click();
    await expect(page.getByTestId('curve-pr-0')).toHaveAttribute('stroke-opacity', '0.15');
    await shot(page, 'eval-04-correct-cell-and-curves');

    // Reloaded, the stored evaluation (with its kept items) opens the gallery again.
    await page.reload();
    await page.getByTestId('nav-evaluate').click();
    await expect(page.getByTestId('metric-accuracy')).toHaveText(`${(accuracy * 100).toFixed(1)}%`);
    await page.getByTestId(`cm-cell-${worst.i}-${worst.j}`).click();
    await expect(page.getByTestId('gallery-item')).toHaveCount(Math.min(worst.n, 24));
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a time-series regression shows R², the residuals over time and their histogram', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-eval-reg-'));
  const csv = path.join(tmp, 'load.csv');
  // Hourly load: a daily cycle driven by temperature, plus noise; predicted from temperature and hour.
  const rnd = mulberry32(5);
  const lines = ['hour,temp,load'];
  for (let t = 0; t < 24 * 40; t++) {
    const hour = t % 24;
    const temp = 10 + 8 * Math.sin((2 * Math.PI * (hour - 9)) / 24) + 2 * rnd();
    lines.push(`${hour},${temp.toFixed(2)},${(50 + 3 * temp + 5 * rnd()).toFixed(2)}`);
  }
  writeFileSync(csv, lines.join('\n') + '\n');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await createProject(page, server.url, path.join(tmp, 'load'));
    await importCsv(page, csv);
    await page.getByTestId('split-kind').selectOption('chronological');
    await setNumber(page, 'train-rows', 24 * 30);
    await expect(page.getByTestId('layout-task')).toContainText(/regression/i);
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('mlp');
    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'learning-rate', 0.01);
    await setNumber(page, 'epochs', 15);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-rmse')).toContainText(/\d/, { timeout: 60_000 });
    // Load follows temperature closely: a trained model explains most of its variance.
    expect(Number(await page.getByTestId('metric-r2').innerText())).toBeGreaterThan(0.5);
    await expect(page.getByTestId('residual-chart').locator('path').first()).toBeVisible();
    await expect(page.getByTestId('residual-histogram').locator('rect')).toHaveCount(40);
    await shot(page, 'eval-05-regression');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('with many classes the matrix shows the 40 with the most test items, and its cells still open their items', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-eval-many-'));
  const csv = path.join(tmp, 'codes.csv');
  // 45 classes on a line, class k around x = k; more rows for low k so the 40 most frequent are known.
  const rnd = mulberry32(3);
  const lines = ['x,y,code'];
  for (let k = 0; k < 45; k++) for (let r = 0; r < 60 - k; r++) lines.push(`${(k + rnd() - 0.5).toFixed(3)},${rnd().toFixed(3)},c${String(k).padStart(2, '0')}`);
  writeFileSync(csv, lines.join('\n') + '\n');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await createProject(page, server.url, path.join(tmp, 'codes'));
    await importCsv(page, csv);
    await page.getByTestId('role-select-code').selectOption('target');
    await page.getByTestId('role-select-y').selectOption('feature');
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('mlp');
    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'epochs', 3);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-accuracy')).toContainText('%', { timeout: 60_000 });
    await expect(page.getByTestId('confusion-matrix')).toBeVisible();
    await expect(page.getByText('classes with the most test items, of 45')).toBeVisible();
    await expect(page.getByTestId('confusion-matrix').locator('button')).toHaveCount(40 * 40);
    await expect(page.getByTestId('per-class-row')).toHaveCount(45);
    await expect(page.getByTestId('curve-roc-0')).toHaveAttribute('d', /^M/);
    // A cell of the shown classes opens its items.
    const label = await page.getByTestId('cm-cell-0-0').getAttribute('aria-label');
    expect(label).toMatch(/^actual c00, predicted c00: \d+/);
    await page.getByTestId('cm-cell-0-0').click();
    await expect(page.getByTestId('gallery')).toContainText('c00');
    await shot(page, 'eval-06-many-classes');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

/** dots/{few,many}/: 24×24 PNGs with 2 or 9 bright dots at random places. */
async function writeDots(root: string, perClass: number): Promise<void> {
  const rnd = mulberry32(9);
  for (const [kind, dots] of [['few', 2], ['many', 9]] as const) {
    mkdirSync(path.join(root, kind), { recursive: true });
    for (let n = 0; n < perClass; n++) {
      const px = Buffer.alloc(24 * 24 * 3, 20);
      for (let d = 0; d < dots; d++) {
        const x = Math.floor(rnd() * 21);
        const y = Math.floor(rnd() * 21);
        for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) px.fill(230, ((y + dy) * 24 + x + dx) * 3, ((y + dy) * 24 + x + dx + 1) * 3);
      }
      await sharp(px, { raw: { width: 24, height: 24, channels: 3 } }).png().toFile(path.join(root, kind, `${kind}-${n}.png`));
    }
  }
}

test('an image run\'s confusion cell opens a gallery of its test images with their probabilities', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-eval-img-'));
  const dots = path.join(tmp, 'dots');
  await writeDots(dots, 30);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await createProject(page, server.url, path.join(tmp, 'dots-project'));
    await page.getByTestId('nav-data').click();
    await page.getByTestId('image-folder-input').setInputFiles(dots);
    await expect(page.getByTestId('dataset-row')).toContainText('60 images');
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('image-small');
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'epochs', 2);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-accuracy')).toContainText('%', { timeout: 60_000 });
    // The first non-empty cell, row by row.
    let opened: { i: number; j: number; n: number } | null = null;
    for (let i = 0; i < 2 && !opened; i++)
      for (let j = 0; j < 2 && !opened; j++) {
        const n = Number(await page.getByTestId(`cm-cell-${i}-${j}`).innerText());
        if (n > 0) opened = { i, j, n };
      }
    expect(opened).not.toBeNull();
    await page.getByTestId(`cm-cell-${opened!.i}-${opened!.j}`).click();
    await expect(page.getByTestId('gallery-item')).toHaveCount(Math.min(opened!.n, 24));
    const first = page.getByTestId('gallery-item').first();
    const img = first.locator('img');
    await expect(img).toHaveAttribute('alt', new RegExp(`^${['few', 'many'][opened!.i]}/`));
    // The thumbnail really loads (the media route serves it).
    // (An expression string: the e2e tests are type-checked without DOM types.)
    await expect.poll(() => page.evaluate(`document.querySelector('[data-testid="gallery-item"] img')?.naturalWidth ?? 0`)).toBeGreaterThan(0);
    await expect(first.getByTestId('gallery-probabilities').locator('li')).toHaveCount(2);
    await shot(page, 'eval-07-image-gallery');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
