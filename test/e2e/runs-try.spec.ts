/**
 * Runs and try-it through the real UI in Debian's Chromium, over serve mode: train two short runs
 * on a small generated CSV, rename one, compare both (curves overlaid), hide one and show it again,
 * delete one after a confirm, then try the other on a typed row and a pasted one.
 * Screenshots go to test/artifacts/e2e/runs-*.png.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { runCli } from '../helpers/cli.js';
import os from 'node:os';
import path from 'node:path';
import { startServe, type ServeProcess } from '../helpers/serve.js';
import { shot, setNumber } from '../helpers/e2e.js';


/** price = 3·size + 20 for "new", + 5 for "old", plus noise: a table with a number target and a category. */
function houseCsv(file: string): void {
  const lines = ['size,rooms,state,price'];
  let seed = 5;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 400; i++) {
    const size = 30 + Math.round(rnd() * 120);
    const rooms = 1 + Math.floor(size / 35);
    const state = rnd() < 0.5 ? 'new' : 'old';
    lines.push(`${size},${rooms},${state},${(3 * size + (state === 'new' ? 20 : 5) + rnd() * 4).toFixed(2)}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

async function train(page: Page, epochs: number, rows: number): Promise<void> {
  await setNumber(page, 'epochs', epochs);
  await page.getByTestId('train-button').click();
  // The newest run is first; the status line may still show the previous run's end for a moment.
  await expect(page.getByTestId('run-row')).toHaveCount(rows);
  await expect(page.getByTestId('run-row').first().locator('.badge')).toHaveText('completed', { timeout: 120_000 });
}

test('runs: rename, compare, hide, delete; try a row', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-runs-'));
  const csv = path.join(tmp, 'houses.csv');
  houseCsv(csv);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server: ServeProcess = await startServe(path.join(tmp, 'home'));
  try {
    await page.goto(server.url);
    await page.getByTestId('project-dir').fill(path.join(tmp, 'houses'));
    await page.getByTestId('create-project').click();
    await expect(page.getByTestId('status-project')).toContainText('houses');

    // Import: the last number column (price) is the target by default; state is a category.
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-file').setInputFiles(csv);
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('mlp');
    await expect(page.getByTestId('model-valid')).toBeVisible();

    // Two short runs that differ in epochs and learning rate.
    await page.getByTestId('nav-train').click();
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'learning-rate', 0.01);
    await train(page, 4, 1);
    await setNumber(page, 'learning-rate', 0.003);
    await train(page, 6, 2);
    // SGD offers its momentum (Keras SGD(momentum)); the other optimizers do not.
    await expect(page.getByTestId('momentum')).toHaveCount(0);
    await page.getByTestId('optimizer-select').selectOption('sgd');
    await setNumber(page, 'momentum', 0.9);
    await expect(page.getByTestId('momentum')).toHaveValue('0.9');
    await shot(page, 'runs-00-sgd-momentum', false);
    await page.getByTestId('optimizer-select').selectOption('adam');
    await expect(page.getByTestId('momentum')).toHaveCount(0);
    const rows = page.getByTestId('run-row');
    await expect(rows.nth(0).getByTestId('run-name')).toHaveText('Run 2');
    await expect(rows.nth(1).getByTestId('run-name')).toHaveText('Run 1');

    // Rename Run 1 inline: Escape cancels, Enter saves.
    await rows.nth(1).getByTestId('run-rename').click();
    await page.getByTestId('run-rename-input').fill('ignored');
    await page.getByTestId('run-rename-input').press('Escape');
    await expect(rows.nth(1).getByTestId('run-name')).toHaveText('Run 1');
    await rows.nth(1).getByTestId('run-rename').click();
    await page.getByTestId('run-rename-input').fill('fast start');
    await page.getByTestId('run-rename-input').press('Enter');
    await expect(rows.nth(1).getByTestId('run-name')).toHaveText('fast start');

    // Compare both: results, overlaid curves with a legend, the differing settings highlighted.
    await expect(page.getByTestId('compare-button')).toBeDisabled();
    await rows.nth(0).getByTestId('run-compare-pick').check();
    await rows.nth(1).getByTestId('run-compare-pick').check();
    await page.getByTestId('compare-button').click();
    const compare = page.getByTestId('run-compare');
    await expect(compare).toContainText('Comparing 2 runs');
    await expect(compare).toContainText('fast start');
    const chart = page.getByTestId('compare-chart');
    // Two runs × (loss, val loss): four curves, each named in the legend.
    await expect(chart.locator('path')).toHaveCount(4);
    await expect(chart).toContainText('fast start loss');
    await expect(chart).toContainText('Run 2 val loss');
    await expect(compare.locator('[data-testid="compare-setting"][data-differs="true"]')).toHaveCount(2);
    await expect(compare.locator('[data-key="epochs"]')).toHaveAttribute('data-differs', 'true');
    await expect(compare.locator('[data-key="learningRate"]')).toContainText('0.003');
    await expect(page.getByTestId('compare-differences')).toHaveText('2 settings differ (highlighted).');
    await compare.scrollIntoViewIfNeeded();
    await shot(page, 'runs-01-compare');

    // Hide Run 2: it leaves the list; "Show hidden" brings it back, marked.
    await rows.nth(0).getByTestId('run-hide').click();
    await expect(rows).toHaveCount(1);
    await expect(rows.nth(0).getByTestId('run-name')).toHaveText('fast start');
    await page.getByTestId('show-hidden').check();
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('hidden');
    await page.getByTestId('run-list').scrollIntoViewIfNeeded();
    await shot(page, 'runs-02-hidden-shown');

    // Delete the hidden run: a confirm first; Cancel keeps it, Delete removes it.
    await rows.nth(0).getByTestId('run-delete').click();
    await expect(page.getByTestId('run-delete-confirm')).toContainText('Delete Run 2 with its weights and evaluation?');
    await shot(page, 'runs-03-delete-confirm');
    await page.getByTestId('run-delete-no').click();
    await expect(rows).toHaveCount(2);
    await rows.nth(0).getByTestId('run-delete').click();
    await page.getByTestId('run-delete-yes').click();
    await expect(rows).toHaveCount(1);
    // The comparison held the deleted run, so it closed.
    await expect(page.getByTestId('run-compare')).toHaveCount(0);

    // Try it: the form has the run's columns; a typed row predicts a price in its own units.
    await page.getByTestId('nav-evaluate').click();
    await expect(page.getByTestId('run-select')).toContainText('fast start');
    await page.getByTestId('evaluate-tab-try').click();
    await expect(page.getByTestId('try-field-size')).toBeVisible();
    await expect(page.getByTestId('try-field-state').locator('option')).toHaveText(['(empty)', 'new', 'old']);
    await page.getByTestId('try-field-size').fill('100');
    await page.getByTestId('try-field-rooms').fill('3');
    await page.getByTestId('try-field-state').selectOption('new');
    await page.getByTestId('try-predict').click();
    await expect(page.getByTestId('try-value')).toHaveText(/^\d+(\.\d+)?$/);
    const typed = Number(await page.getByTestId('try-value').innerText());
    // 3·100 + 20 = 320; a 4-epoch MLP is rough, but in the range of the prices it saw (100–480).
    expect(typed).toBeGreaterThan(100);
    expect(typed).toBeLessThan(480);
    await shot(page, 'runs-04-try-form');

    // A whole row pasted from the file (header-less): the form follows it, the same price comes out.
    await page.getByTestId('try-paste').fill('100,3,new,999');
    await page.getByTestId('try-predict-paste').click();
    await expect(page.getByTestId('try-value')).toHaveText(String(typed));
    await expect(page.getByTestId('try-field-size')).toHaveValue('100');
    // A value the run never saw is named exactly.
    await page.getByTestId('try-paste').fill('size,rooms,state\n100,3,refurbished');
    await page.getByTestId('try-predict-paste').click();
    await expect(page.getByTestId('try-error')).toHaveText("Column 'state': 'refurbished' is not a value the run trained on; expected one of new, old.");
    // The form keeps the last row that predicted.
    await expect(page.getByTestId('try-field-state')).toHaveValue('new');
    await shot(page, 'runs-05-try-error');

    // A classification run: state from size, rooms and price. Probabilities as bars, most likely first.
    await page.getByTestId('nav-data').click();
    await page.getByTestId('role-select-state').selectOption('target');
    await expect(page.getByTestId('layout-task')).toContainText(/classification/i);
    // The template again, now sized to two classes with a softmax output.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('mlp');
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('loss-select')).toHaveValue('categoricalCrossentropy');
    await train(page, 8, 2);
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-tab-try').click();
    await expect(page.getByTestId('try-field-price')).toBeVisible();
    await page.getByTestId('try-paste').fill('size,rooms,state,price\n100,3,?,320');
    await page.getByTestId('try-predict-paste').click();
    const probs = page.getByTestId('try-prob');
    await expect(probs).toHaveCount(2);
    const shares = (await probs.locator('.p').allInnerTexts()).map((t) => Number(t.replace('%', '')));
    expect(shares[0]!).toBeGreaterThanOrEqual(shares[1]!);
    expect(shares[0]! + shares[1]!).toBeCloseTo(100, 0);
    await expect(page.getByTestId('try-top-class')).toHaveText(await probs.first().locator('.label').innerText());
    await shot(page, 'runs-06-try-classes');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

/** 16×16 RGB PNGs: a bright half on the left or on the right, with noise. */
async function sideImage(side: 'left' | 'right', seed: number): Promise<Buffer> {
  const px = Buffer.alloc(16 * 16 * 3);
  for (let i = 0; i < px.length; i++) {
    const x = Math.floor(i / 3) % 16;
    seed = (seed * 16807) % 2147483647;
    px[i] = ((side === 'left' ? x < 8 : x >= 8) ? 220 : 30) + (seed % 30);
  }
  return sharp(px, { raw: { width: 16, height: 16, channels: 3 } }).png().toBuffer();
}

test('try an image run: picked images get their class and probabilities, a broken file is named', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-try-img-'));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'sides');
  for (const side of ['left', 'right'] as const) {
    mkdirSync(path.join(tmp, 'images', side), { recursive: true });
    for (let n = 0; n < 30; n++) writeFileSync(path.join(tmp, 'images', side, `${n}.png`), await sideImage(side, 7 + n * 13 + (side === 'left' ? 0 : 1000)));
  }
  // The run is trained from the command line (as a script would); the browser only tries it.
  for (const args of [['create', project], ['import', project, path.join(tmp, 'images')], ['model', project, '--template', 'image-small'], ['train', project, '--epochs', '8', '--batch-size', '8', '--lr', '0.01', '--backend', 'wasm']]) {
    const r = await runCli(args, home);
    expect(r.code, r.stderr).toBe(0);
  }
  const drops = path.join(tmp, 'drops');
  mkdirSync(drops);
  writeFileSync(path.join(drops, 'new-left.png'), await sideImage('left', 99));
  writeFileSync(path.join(drops, 'new-right.png'), await sideImage('right', 5));
  writeFileSync(path.join(drops, 'readme.png'), 'this is text, not a picture');
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(home, ['--project', project]);
  try {
    await page.goto(server.url);
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-tab-try').click();
    await expect(page.getByTestId('try-drop')).toContainText('Drop images or a folder here');
    await expect(page.getByText('sorts images into 2 classes (left, right)')).toBeVisible();
    await page.getByTestId('try-image-input').setInputFiles(['new-left.png', 'new-right.png', 'readme.png'].map((f) => path.join(drops, f)));
    const cards = page.getByTestId('try-image-result');
    await expect(cards).toHaveCount(3);
    await expect(cards.nth(0).getByTestId('try-image-class')).toHaveText('left');
    await expect(cards.nth(1).getByTestId('try-image-class')).toHaveText('right');
    await expect(cards.nth(2).getByTestId('try-image-error')).toContainText('readme.png could not be read as an image');
    await shot(page, 'runs-07-try-images');
    // A folder: its images at any depth, in path order, at most 32 of them; other files skipped.
    writeFileSync(path.join(tmp, 'images', 'left', 'notes.txt'), 'not an image');
    await page.getByTestId('try-folder-input').setInputFiles(path.join(tmp, 'images'));
    await expect(page.getByText('Classified the first 32 of 60 images.')).toBeVisible();
    await expect(cards).toHaveCount(32);
    // Path order, numbers as numbers: left/0.png, left/1.png, left/2.png, …, left/29.png, right/0.png, right/1.png.
    await expect(cards.nth(0)).toContainText('0.png');
    await expect(cards.nth(2)).toContainText('2.png');
    await expect(cards.nth(0).getByTestId('try-image-class')).toHaveText('left');
    await expect(cards.nth(31).getByTestId('try-image-class')).toHaveText('right');
    await shot(page, 'runs-08-try-folder');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

