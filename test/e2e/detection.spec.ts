/**
 * A detector in the real UI (Debian's Chromium over serve mode), on a synthetic COCO set of
 * squares and discs: import the folder, pick the Grid detector template, train a few epochs on
 * wasm with the grid loss, try it before it is evaluated (the default threshold, said so),
 * evaluate, and check the report against the api: the shown mAP, the
 * viewer's TP / FP / miss totals at two thresholds (all stored detections at the lowest one; at
 * the F1-optimal one, the evaluation's own best-F1 precision and recall), an image opened large
 * and moved through by keyboard, then try-it on a dropped image, its boxes drawn and filtered as
 * the core filters them; exported before evaluation (the default threshold, said so) and after it as
 * Python code (the evaluation's threshold, the COCO data/ described). Screenshots in test/artifacts/e2e/detection-*.png.
 */
import { test, expect, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServe } from '../helpers/serve.js';
import { createProject, setNumber, shot } from '../helpers/e2e.js';
import { writeShapesCoco } from '../helpers/detection-data.js';
import type { DetectionEvaluation, DetectionImagePage } from '../../shared/detection.js';
import type { TryImageResult } from '../../shared/tryit.js';
import type { RunSummary } from '../../shared/training.js';
import type { ExportReport } from '../../shared/api/export.js';

const IMAGES = 96;
/** Small batches: the grid head needs steps more than epochs (about 10 a second on wasm here). */
const EPOCHS = 15;
const BATCH = 8;

/**
 * Calls the api as the page does, over a WebSocket of its own to the serve-mode host (with the
 * page's token), so the test compares what is shown with what the core answers.
 */
async function api<T>(page: Page, method: string, input: unknown): Promise<T> {
  const script = `new Promise((resolve, reject) => {
    const url = new URL('api', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '?token=' + encodeURIComponent(sessionStorage.getItem('layerbench-token') || '');
    const ws = new WebSocket(url);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'call', id: 1, method: ${JSON.stringify(method)}, input: ${JSON.stringify(input)} }));
    ws.onmessage = (m) => {
      const msg = JSON.parse(String(m.data));
      if (msg.id !== 1) return;
      ws.close();
      if (msg.type === 'result') resolve(msg.result); else reject(new Error(msg.error.message));
    };
    ws.onerror = () => reject(new Error('the api socket failed'));
  })`;
  return (await page.evaluate(script)) as T;
}

/** The viewer's totals as shown: TP, FP and misses. */
async function shownTotals(page: Page): Promise<{ tp: number; fp: number; misses: number }> {
  const read = async (k: string) => Number((await page.getByTestId(`detection-${k}`).innerText()).replace(/[^\d]/g, ''));
  return { tp: await read('tp'), fp: await read('fp'), misses: await read('misses') };
}

/** Waits until the viewer has answered for the threshold shown beside its slider. */
async function viewerSettled(page: Page, threshold: string): Promise<void> {
  await expect(page.getByTestId('detection-threshold-value')).toHaveText(`≥ ${threshold}`);
  await expect(page.getByTestId('detection-totals')).toContainText(`score ≥ ${threshold}:`);
  await expect(page.getByTestId('detection-totals')).not.toContainText('updating');
}

test('detector: import COCO, Grid detector template, train, evaluate, viewer at two thresholds, large image, try it', async ({ page }) => {
  test.setTimeout(240_000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-detect-'));
  const data = await writeShapesCoco(path.join(tmp, 'shapes'), { images: IMAGES, size: 64, seed: 11, emptyEvery: 9 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await createProject(page, server.url, path.join(tmp, 'shapes-project'));

    // 1. The COCO folder (annotations.json beside images/), chosen in the Data view.
    await page.getByTestId('nav-data').click();
    await page.getByTestId('image-folder-input').setInputFiles(data.dir);
    await expect(page.getByTestId('dataset-row')).toContainText(`${IMAGES} images`);

    // 2. The Grid detector, sized to 64×64 images and 2 classes.
    await page.getByTestId('nav-model').click();
    await page.getByTestId('template-select').selectOption('detector-grid');
    await expect(page.getByTestId('model-valid')).toBeVisible();
    await shot(page, 'detection-00-model');

    // 3. Train: the grid loss is the only one offered for a detection dataset.
    await page.getByTestId('nav-train').click();
    await expect(page.getByTestId('train-inputs')).toContainText('detection');
    await expect(page.getByTestId('loss-select').locator('option')).toHaveText(['Grid detection (YOLO-style)']);
    await page.getByTestId('backend-select').selectOption('wasm');
    await setNumber(page, 'epochs', EPOCHS);
    await setNumber(page, 'batch-size', BATCH);
    // Augmentation for a detector: flip (its boxes are flipped too), no shift.
    await page.locator('[data-testid="advanced-settings"] > summary').click();
    await page.getByTestId('augmentation').check();
    await expect(page.getByTestId('augment-flip')).toBeChecked();
    await expect(page.getByTestId('augment-shift')).toBeDisabled();
    await expect(page.getByTestId('augment-shift')).toHaveValue('0');
    await expect(page.getByTestId('augment-detector-note')).toContainText('flipped with their images');
    await page.getByTestId('augmentation').scrollIntoViewIfNeeded();
    await shot(page, 'detection-00-augmentation');
    await page.getByTestId('train-button').click();
    // Every 9th image has no box and is not marked reviewed: the Train view says they are left out.
    await expect(page.getByTestId('preparing-note')).toContainText('no confirmed box and are not marked reviewed: left out', { timeout: 60_000 });
    await expect(page.getByTestId('run-status')).toContainText(/completed/i, { timeout: 100_000 });
    await shot(page, 'detection-01-trained');

    // 4. Tried before it is evaluated, a detector starts at the default threshold and says why.
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-tab-try').click();
    await page.getByTestId('try-image-input').setInputFiles(path.join(data.imagesDir, data.images[1]!.fileName));
    await expect(page.getByTestId('try-image-result')).toHaveCount(1);
    await expect(page.getByTestId('try-threshold-value')).toHaveText('≥ 0.30');
    await expect(page.getByTestId('try-threshold-optimal')).toHaveText('default');
    await expect(page.getByTestId('try-unevaluated')).toContainText('Evaluate the run');

    // Exported before it is evaluated, the report says the threshold is the default and how to set it.
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-format-tfjs').check();
    await page.getByTestId('export-dir').fill(path.join(tmp, 'export-unevaluated'));
    await page.getByTestId('export-button').click();
    await expect(page.getByTestId('export-threshold')).toHaveText('Score threshold 0.30 (the default: not evaluated yet — evaluate the run to set it)', { timeout: 60_000 });
    await expect(page.getByTestId('export-data')).toHaveCount(0);

    // 5. Evaluate: the headline mAP is the api's.
    await page.getByTestId('nav-evaluate').click();
    await page.getByTestId('evaluate-tab-metrics').click();
    await page.getByTestId('evaluate-button').click();
    await expect(page.getByTestId('metric-map50')).toHaveText(/\d/, { timeout: 60_000 });
    const runs = await api<RunSummary[]>(page, 'training.list', {});
    const e = (await api<DetectionEvaluation | null>(page, 'evaluation.get', { runId: runs[0]!.id }))!;
    expect(e.task).toBe('detection');
    expect(e.map50).not.toBeNull();
    expect(Number(await page.getByTestId('metric-map50').innerText())).toBeCloseTo(e.map50!, 2);
    expect(Number(await page.getByTestId('metric-map').innerText())).toBeCloseTo(e.map!, 2);
    await expect(page.getByTestId('detection-class-row')).toHaveCount(2);
    await expect(page.getByTestId('detection-class-row').first()).toContainText(data.classes[0]!);
    await expect(page.getByTestId('detection-image')).toHaveCount(12);
    expect(e.detections).toBeGreaterThan(0);
    expect(e.bestF1).not.toBeNull();
    await shot(page, 'detection-02-report');

    // 6. The viewer opens at the F1-optimal threshold: its totals are the best F1's precision and recall.
    const optimal = e.threshold.toFixed(2);
    await expect(page.getByTestId('detection-threshold-optimal')).toBeVisible();
    await viewerSettled(page, optimal);
    const atOptimal = await shownTotals(page);
    expect(atOptimal.tp + atOptimal.misses).toBe(e.groundTruths);
    expect(atOptimal.tp).toBe(Math.round(e.bestF1!.recall * e.groundTruths));
    expect(atOptimal.tp / (atOptimal.tp + atOptimal.fp)).toBeCloseTo(e.bestF1!.precision, 6);
    await page.getByTestId('detection-viewer').scrollIntoViewIfNeeded();
    await shot(page, 'detection-03-viewer');

    // Down to the lowest threshold: every stored detection is a TP or an FP, as the api says.
    await page.getByTestId('detection-threshold').fill('0.05');
    await viewerSettled(page, '0.05');
    const atFloor = await shownTotals(page);
    expect(atFloor.tp + atFloor.fp).toBe(e.detections);
    expect(atFloor.tp).toBeGreaterThanOrEqual(atOptimal.tp);
    const page005 = await api<DetectionImagePage>(page, 'evaluation.detectionImages', { runId: e.runId, threshold: 0.05 });
    expect(atFloor).toEqual({ tp: page005.totals.tp, fp: page005.totals.fp, misses: page005.totals.misses });
    await expect(page.getByTestId('detection-threshold-reset')).toBeVisible();

    // ] twice from 0.05 is 0.15; Reset goes back to the F1-optimal threshold and its totals.
    await page.getByTestId('detection-image').first().focus();
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await viewerSettled(page, '0.15');
    await page.getByTestId('detection-threshold-reset').click();
    await viewerSettled(page, optimal);
    expect(await shownTotals(page)).toEqual(atOptimal);

    // The arrow keys turn the page: → on the first page's last image focuses the second page's first.
    expect(e.count).toBeGreaterThan(12);
    await page.getByTestId('detection-image').nth(11).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('detection-page')).toHaveText(`13–${Math.min(24, e.count)} of ${e.count} images`);
    await expect(page.getByTestId('detection-image').first()).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('detection-page')).toHaveText(`1–12 of ${e.count} images`);
    await expect(page.getByTestId('detection-image').nth(11)).toBeFocused();

    // Errors only: every image listed has a false positive or a miss.
    await page.getByTestId('detection-errors-only').check();
    await expect(page.getByTestId('detection-page')).toContainText('with errors');
    await expect(page.getByTestId('detection-totals')).not.toContainText('updating');
    for (const counts of await page.getByTestId('detection-image').getByTestId('detection-image-counts').allInnerTexts()) {
      const [, fp, miss] = counts.match(/\d+/g)!.map(Number);
      expect(fp! + miss!).toBeGreaterThan(0);
    }
    await shot(page, 'detection-04-errors');

    // 7. Open the first image with Enter: its box list is what its card counted; → moves on, Esc closes.
    const first = page.getByTestId('detection-image').first();
    const [tp, fp, miss] = (await first.getByTestId('detection-image-counts').innerText()).match(/\d+/g)!.map(Number);
    await first.focus();
    await page.keyboard.press('Enter');
    const large = page.getByTestId('detection-large');
    await expect(large).toBeVisible();
    await expect(large.locator('[data-testid="detection-large-boxes"] li')).toHaveCount(tp! + fp! + miss!);
    await expect(large.locator('[data-testid="detection-large-image"] rect.box')).toHaveCount(tp! + fp! + miss!);
    await expect(large).toContainText('1 of');
    // Pointing at a row of the list brings its box out on the image.
    await large.getByTestId('detection-large-boxes').locator('li').first().hover();
    await expect(large.locator('[data-testid="detection-large-image"] g.lit')).toHaveCount(1);
    await shot(page, 'detection-05-large', false);
    await page.keyboard.press('ArrowRight');
    await expect(large).toContainText('2 of');
    await page.keyboard.press('Escape');
    await expect(large).toHaveCount(0);
    // Focus is back on the grid (on the image that was open), so the keys go on working.
    await expect(page.getByTestId('detection-image').nth(1)).toBeFocused();

    // 8. Try it, evaluated: a dropped image gets its boxes drawn; the slider filters exactly as the core does.
    await page.getByTestId('evaluate-tab-try').click();
    const file = path.join(data.imagesDir, data.images[0]!.fileName);
    await page.getByTestId('try-image-input').setInputFiles(file);
    await expect(page.getByTestId('try-image-result')).toHaveCount(1);
    await expect(page.getByTestId('try-threshold-value')).toHaveText(`≥ ${optimal}`);
    await expect(page.getByTestId('try-threshold-optimal')).toHaveText('F1-optimal');
    await expect(page.getByTestId('try-unevaluated')).toHaveCount(0);
    const ask = (threshold: number) =>
      api<TryImageResult[]>(page, 'tryit.predictImages', {
        runId: e.runId,
        threshold,
        images: [{ name: path.basename(file), data: readFileSync(file).toString('base64') }],
      });
    const drawn = page.getByTestId('try-detection-image').locator('rect.box');
    const atF1 = (await ask(e.threshold))[0]!.detection!.boxes.length;
    await expect(drawn).toHaveCount(atF1);
    if (atF1 === 0) await expect(page.getByTestId('try-no-boxes')).toContainText('No boxes at this threshold');
    else await expect(page.getByTestId('try-box-counts')).toContainText('×');
    await page.getByTestId('try-threshold').fill('0.05');
    const atLow = (await ask(0.05))[0]!.detection!.boxes.length;
    expect(atLow).toBeGreaterThan(0);
    await expect(drawn).toHaveCount(atLow);
    await shot(page, 'detection-06-try');

    // 9. The Python export from the dialog: the evaluation's threshold, and the COCO data/ its report describes.
    await page.getByTestId('nav-export').click();
    await page.getByTestId('export-format-python').check();
    const pyDir = path.join(tmp, 'export-python');
    await page.getByTestId('export-dir').fill(pyDir);
    await page.getByTestId('export-button').click();
    await expect(page.getByTestId('export-threshold')).toHaveText(`Score threshold ${optimal} (the run's evaluation: best F1 at IoU 0.5)`, { timeout: 90_000 });
    const written = JSON.parse(readFileSync(path.join(pyDir, 'export-report.json'), 'utf8')) as ExportReport;
    expect(written.threshold).toEqual({ value: e.threshold, source: 'evaluation' });
    expect(written.data?.format).toBe('coco');
    await expect(page.getByTestId('export-data')).toHaveText(`Dataset files: ${written.data?.format === 'coco' ? written.data.summary : ''}`);
    await expect(page.getByTestId('export-data')).toContainText(`COCO in data/`);
    await page.getByTestId('export-threshold').scrollIntoViewIfNeeded();
    await shot(page, 'detection-07-export');
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});
