/**
 * The graph editor through the real UI in Debian's Chromium, over serve mode:
 * J3 (two inputs, two branches, a merge) built from an empty canvas with the keyboard and mouse
 * drags only, its shapes and problems checked on the way, then trained for one epoch on data the
 * test writes; and a Keras JSON file (written by the test) imported, its bad twin refused with
 * the layer named and the graph kept, then trained. Screenshots go to test/artifacts/e2e/.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServe, type ServeProcess } from '../helpers/serve.js';
import { shot } from '../helpers/e2e.js';
import { mulberry32 } from '../../shared/random.js';


/** A small J3: an 8×8×3 image (columns image/p0…) and a 6-word question (question/w0…, ids < 20), 3 answers. */
function writeJ3Csv(file: string, rows: number): void {
  const random = mulberry32(7);
  const header = [...Array.from({ length: 192 }, (_, i) => `image/p${i}`), ...Array.from({ length: 6 }, (_, i) => `question/w${i}`), 'answer'];
  const lines = [header.join(',')];
  const answers = ['red', 'green', 'blue'];
  for (let r = 0; r < rows; r++) {
    const k = r % 3;
    // The answer is the brightest channel, so the image branch has something to learn.
    const px = Array.from({ length: 192 }, (_, i) => ((i % 3 === k ? 0.5 : 0) + random() * 0.5).toFixed(3));
    const words = Array.from({ length: 6 }, () => Math.floor(random() * 20));
    lines.push([...px, ...words, answers[k]].join(','));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

function node(page: Page, name: string) {
  return page.locator(`[data-testid="graph-node"][data-layer-name="${name}"]`);
}

/** Types a layer's name on the canvas (the palette search takes the keys) and adds it with Enter. */
async function typeLayer(page: Page, type: string): Promise<void> {
  await page.locator('.svelte-flow__pane').click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
  await page.keyboard.press('Escape');
  await page.keyboard.type(type);
  await page.keyboard.press('Enter');
}

/** After the selected layer (typed into the search while it is selected). */
async function typeAfter(page: Page, type: string): Promise<void> {
  await page.getByTestId('palette-search').fill('');
  await page.keyboard.type(type);
  await page.keyboard.press('Enter');
}

async function param(page: Page, name: string, value: string): Promise<void> {
  const field = page.getByTestId(`param-${name}`);
  if ((await field.evaluate((e) => e.tagName)) === 'SELECT') await field.selectOption(value);
  else {
    await field.fill(value);
    await field.press('Enter');
  }
}

async function rename(page: Page, name: string): Promise<void> {
  const field = page.getByTestId('inspector-name');
  await field.fill(name);
  await field.press('Enter');
}

async function select(page: Page, name: string): Promise<void> {
  // The whole graph in view first: a layer below the canvas's edge or under its controls cannot be clicked.
  await page.getByTestId('zoom-fit').click();
  await page.waitForTimeout(350);
  await node(page, name).click();
  await expect(page.getByTestId('inspector-name')).toHaveValue(name);
}

/** Drags from one layer's output handle to another's input handle, as a user draws a connection. */
async function drawConnection(page: Page, from: string, to: string, port = 0): Promise<void> {
  const out = node(page, from).locator('.svelte-flow__handle.source');
  const into = node(page, to).locator('.svelte-flow__handle.target').nth(port);
  const a = (await out.boundingBox())!;
  const b = (await into.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

async function newProject(page: Page, server: ServeProcess, dir: string, name: string): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toContainText(/connected/i);
  await page.getByTestId('project-dir').fill(dir);
  await page.getByTestId('project-name').fill(name);
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('status-project')).toContainText(path.basename(dir));
}

async function trainOneEpoch(page: Page, batch: number): Promise<void> {
  await page.getByTestId('nav-train').click();
  await page.getByTestId('backend-select').selectOption('wasm');
  for (const [id, v] of [
    ['epochs', 1],
    ['batch-size', batch],
  ] as const) {
    await page.getByTestId(id).fill(String(v));
    await page.getByTestId(id).press('Enter');
  }
  await expect(page.getByTestId('train-problems')).toHaveCount(0);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 180_000 });
  await expect(page.getByTestId('epoch-counter')).toHaveText('1/1');
}

test('J3 built from an empty canvas by keyboard and drags, then trained for an epoch', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-j3-'));
  const csv = path.join(tmp, 'vqa.csv');
  writeJ3Csv(csv, 300);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await newProject(page, server, path.join(tmp, 'vqa'), 'VQA');
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-file').setInputFiles(csv);
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);
    await page.getByTestId('role-select-answer').selectOption('target');
    await page.getByTestId('role-select-question/w5').selectOption('feature');
    // Word ids go to the Embedding as they are.
    await page.getByTestId('scaling-select').selectOption('none');
    await expect(page.getByTestId('layout-task')).toContainText(/classification/i);

    await page.getByTestId('nav-model').click();
    await expect(page.getByTestId('canvas-empty')).toBeVisible();
    await shot(page, 'graph-01-empty', false);

    // The image branch, by keyboard: each layer typed goes after the selected one.
    await typeLayer(page, 'Input');
    await rename(page, 'image');
    await param(page, 'shape', '8, 8, 3');
    for (const filters of ['8', '16', '32']) {
      await typeAfter(page, 'Conv2D');
      await param(page, 'filters', filters);
      await param(page, 'padding', 'same');
      await param(page, 'activation', 'relu');
      await typeAfter(page, 'MaxPooling2D');
    }
    await typeAfter(page, 'Flatten');
    await expect(page.getByTestId('inspector-shape')).toHaveText('(batch, 32)');
    // Until the question input exists, the model does not fit the two-input dataset: Train would say so.
    await expect(page.getByTestId('model-problems')).toContainText('The model has 1 input but the dataset feeds 2');

    // The question branch starts with an Input dragged from the palette onto the canvas.
    await page.keyboard.press('Escape');
    const canvas = page.getByTestId('graph-canvas');
    const box = (await canvas.boundingBox())!;
    await page.getByTestId('palette-search').fill('Input');
    await page
      .locator('[data-testid="palette-item"][data-layer-type="Input"]')
      .dragTo(canvas, { targetPosition: { x: box.width - 160, y: 60 } });
    await expect(node(page, 'input')).toBeVisible();
    await select(page, 'input');
    await rename(page, 'question');
    await param(page, 'shape', '6');
    await typeAfter(page, 'Embedding');
    await param(page, 'input_dim', '10');
    // Ids reach 19: the Embedding is flagged with the fix.
    await expect(node(page, 'embedding').getByTestId('node-error')).toContainText('Set input_dim to at least 20');
    await param(page, 'input_dim', '20');
    await param(page, 'output_dim', '8');
    await expect(node(page, 'embedding').getByTestId('node-error')).toHaveCount(0);
    await typeAfter(page, 'LSTM');
    await param(page, 'units', '16');

    // The merge: Concatenate after Flatten, and the LSTM joins it by a drawn connection.
    await select(page, 'flatten');
    await typeAfter(page, 'Concatenate');
    await page.keyboard.press('Shift+L');
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(400);
    await drawConnection(page, 'lstm', 'concatenate', 1);
    await expect(page.getByTestId('edge-shape').filter({ hasText: '(batch, 16)' })).toHaveCount(1);
    await select(page, 'concatenate');
    await expect(page.getByTestId('inspector-shape')).toHaveText('(batch, 48)');
    await typeAfter(page, 'Dense');
    await param(page, 'units', '3');
    // A linear output under cross-entropy is flagged until it is a softmax.
    await expect(page.getByTestId('model-problems')).toContainText('Categorical cross-entropy needs class probabilities');
    await param(page, 'activation', 'softmax');
    await expect(page.getByTestId('model-valid')).toContainText('fits');

    // Every edge shows its shape; the summary counts the parameters.
    await page.keyboard.press('Escape');
    await page.getByTestId('tab-summary').click();
    await expect(page.getByTestId('graph-node')).toHaveCount(13);
    await expect(page.getByTestId('edge-shape').filter({ hasText: '(batch, 8, 8, 3)' })).toHaveCount(1);
    await expect(page.getByTestId('edge-shape').filter({ hasText: '(batch, 6, 8)' })).toHaveCount(1);
    // conv 224 + 1,168 + 4,640; embedding 160; LSTM 4·(8+16+1)·16 = 1,600; dense 48·3+3 = 147.
    await expect(page.getByTestId('total-params')).toHaveText('7,939');
    await page.getByTestId('zoom-fit').click();
    await page.waitForTimeout(400);
    await shot(page, 'graph-02-j3-built', false);

    // Undo takes back the last change, redo brings it again.
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('model-problems')).toBeVisible();
    await page.keyboard.press('Control+Shift+z');
    await expect(page.getByTestId('model-valid')).toBeVisible();

    await trainOneEpoch(page, 50);
    await shot(page, 'graph-03-j3-trained', false);
    // The run kept the graph it trained: the Versions tab shows it read-only.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('tab-versions').click();
    await page.getByTestId('version-view').first().click();
    await expect(page.getByTestId('viewing-banner')).toBeVisible();
    await expect(page.getByTestId('graph-node')).toHaveCount(13);
    await page.getByTestId('close-version').click();
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('a Keras JSON file is imported and trained; a broken one is refused naming the layer, and the graph stays', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-keras-'));
  const csv = path.join(tmp, 'rows.csv');
  const random = mulberry32(3);
  const lines = ['a,b,c,d,y'];
  for (let i = 0; i < 200; i++) {
    const v = [random(), random(), random(), random()];
    lines.push([...v.map((x) => x.toFixed(4)), (v[0]! + 2 * v[1]! - v[2]!).toFixed(4)].join(','));
  }
  writeFileSync(csv, lines.join('\n') + '\n');
  const dense = (name: string, units: number, activation: string, extra: object = {}) => ({
    class_name: 'Dense',
    config: { name, units, activation, use_bias: true, ...extra },
  });
  const good = {
    class_name: 'Sequential',
    config: { name: 'regressor', layers: [dense('hidden', 16, 'relu', { batch_input_shape: [null, 4] }), dense('out', 1, 'linear')] },
  };
  const bad = {
    class_name: 'Sequential',
    config: { name: 'odd', layers: [dense('hidden', 16, 'relu', { batch_input_shape: [null, 4] }), { class_name: 'CapsuleLayer', config: { name: 'caps' } }] },
  };
  const goodFile = path.join(tmp, 'regressor.json');
  const badFile = path.join(tmp, 'odd.json');
  writeFileSync(goodFile, JSON.stringify(good));
  writeFileSync(badFile, JSON.stringify(bad));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await newProject(page, server, path.join(tmp, 'rows'), 'Rows');
    await page.getByTestId('nav-data').click();
    await page.getByTestId('import-file').setInputFiles(csv);
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);

    await page.getByTestId('nav-model').click();
    await page.getByTestId('keras-toggle').click();
    await page.getByTestId('keras-file').setInputFiles(goodFile);
    await page.getByTestId('keras-import-button').click();
    await expect(page.getByTestId('graph-node')).toHaveCount(3);
    await expect(node(page, 'hidden')).toBeVisible();
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await expect(page.getByTestId('total-params')).toHaveText('97');

    await page.getByTestId('keras-toggle').click();
    await page.getByTestId('keras-file').setInputFiles(badFile);
    await page.getByTestId('keras-import-button').click();
    await expect(page.getByTestId('error-banner')).toContainText("'caps'");
    await expect(page.getByTestId('error-banner')).toContainText('CapsuleLayer');
    await shot(page, 'graph-04-bad-keras', false);
    // Nothing was lost: the imported graph is still the model.
    await expect(page.getByTestId('graph-node')).toHaveCount(3);
    await expect(node(page, 'out')).toBeVisible();
    await page.getByTestId('keras-import').getByRole('button', { name: 'Cancel' }).click();

    await trainOneEpoch(page, 32);
    await shot(page, 'graph-05-keras-trained', false);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
