/**
 * J2 in the real UI (Debian's Chromium over serve mode), on a generated class-folder dataset:
 * choose the folder, pick the small image CNN template (sized to the images and classes), train
 * 2 epochs on wasm (one image, damaged on disk after the import, is skipped and named), evaluate,
 * and see the accuracy and the confusion matrix. Screenshots in test/artifacts/e2e/.
 */
import { test, expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startServe } from '../helpers/serve.js';
import { shot, setNumber } from '../helpers/e2e.js';

const PER_CLASS = 20;

/** shapes/{horizontal,vertical,square}/: 32×32 PNGs of stripes one way or the other, or a bright square. */
async function writeShapes(root: string): Promise<void> {
  let seed = 5;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (const kind of ['horizontal', 'vertical', 'square']) {
    mkdirSync(path.join(root, kind), { recursive: true });
    for (let n = 0; n < PER_CLASS; n++) {
      const px = Buffer.alloc(32 * 32 * 3, 30);
      const phase = Math.floor(rnd() * 8);
      const sx = Math.floor(rnd() * 20);
      const sy = Math.floor(rnd() * 20);
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const on = kind === 'horizontal' ? (y + phase) % 8 < 4 : kind === 'vertical' ? (x + phase) % 8 < 4 : x >= sx && x < sx + 12 && y >= sy && y < sy + 12;
          if (on) px.fill(200 + Math.floor(rnd() * 55), (y * 32 + x) * 3, (y * 32 + x + 1) * 3);
        }
      await sharp(px, { raw: { width: 32, height: 32, channels: 3 } }).png().toFile(path.join(root, kind, `${kind}-${n}.png`));
    }
  }
}

test('J2 on class folders: import, image CNN template, train 2 epochs, evaluate with a confusion matrix', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-imgtrain-'));
  const shapes = path.join(tmp, 'shapes');
  const project = path.join(tmp, 'shapes-project');
  await writeShapes(shapes);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await page.goto(server.url);
    await expect(page.getByTestId('status-connection')).toContainText(/connected/i);
    await page.getByTestId('project-dir').fill(project);
    await page.getByTestId('project-name').fill('Shapes');
    await page.getByTestId('create-project').click();
    await expect(page.getByTestId('status-project')).toContainText('shapes-project');

    // 1. The class folders, chosen in the Data view.
    await page.getByTestId('nav-data').click();
    await page.getByTestId('image-folder-input').setInputFiles(shapes);
    await expect(page.getByTestId('dataset-name')).toHaveText('shapes');
    await expect(page.getByTestId('dataset-row')).toContainText(`${3 * PER_CLASS} images`);
    // An image damaged on disk after the import: training must name it and go on without it.
    const media = readdirSync(path.join(project, 'media')).filter((f) => f.endsWith('.png')).sort();
    writeFileSync(path.join(project, 'media', media[0]!), 'no longer a PNG');

    // 2. The small image CNN, sized to 32×32×3 images and 3 classes.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('image-small');
    await expect(page.getByTestId('graph-node')).toHaveCount(8);
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await shot(page, 'imgtrain-01-model');

    // 3. Train 2 epochs on wasm.
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('train-inputs')).toContainText('input (batch, 32, 32, 3), images resized to it · classification, 3 classes');
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'epochs', 2);
    await page.getByTestId('train-button').click();
    await expect(page.getByTestId('training-preparing')).toContainText('1 skipped', { timeout: 60_000 });
    await expect(page.getByTestId('training-preparing')).toContainText('could not be decoded');
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 120_000 });
    await expect(page.getByTestId('epoch-counter')).toHaveText('2/2');
    await expect(page.getByTestId('training-backend')).toContainText(/wasm/i);
    await shot(page, 'imgtrain-02-trained');

    // 4. Evaluate: accuracy and a 3×3 confusion matrix over the test images.
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-accuracy')).toContainText(/\d+(\.\d+)?\s*%/, { timeout: 60_000 });
    await expect(page.getByTestId('confusion-matrix')).toBeVisible();
    await expect(page.getByTestId('confusion-matrix')).toContainText('horizontal');
    await expect(page.getByTestId('cm-cell-2-2')).toBeVisible();
    await expect(page.getByTestId('cm-cell-3-3')).toHaveCount(0);
    await shot(page, 'imgtrain-03-evaluate');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
