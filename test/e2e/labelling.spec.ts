/**
 * Labelling in the real UI (Debian's Chromium over serve mode), keyboard only once the folder is
 * picked: import a folder of 20 photos, add two classes, give each image a box of a class drawn
 * with the keys (N, arrows, Alt+arrows, Enter), copy boxes with R, retag a box (Tab, class key),
 * undo/redo, restart the server, and find every label again. Screenshots in test/artifacts/e2e/.
 */
import { test, expect, type Page } from '@playwright/test';
import { copyFileSync, mkdtempSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { startServe, ROOT, type ServeProcess } from '../helpers/serve.js';
import { shot } from '../helpers/e2e.js';

const IMAGES = 20;

/** 20 distinct 480×320 photos-to-be: a gradient with a bright figure that walks to the right. */
async function writePhotos(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const w = 480;
  const h = 320;
  for (let i = 0; i < IMAGES; i++) {
    const raw = Buffer.alloc(w * h * 3);
    for (let p = 0; p < w * h; p++) {
      raw[p * 3] = (p % w) / 2;
      raw[p * 3 + 1] = 60 + i * 5;
      raw[p * 3 + 2] = Math.floor(p / w) / 2;
    }
    for (let y = 80; y < 300; y++) raw.fill(235, (y * w + 40 + i * 15) * 3, (y * w + 100 + i * 15) * 3);
    await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .jpeg()
      .toFile(path.join(dir, `walk-${String(i).padStart(2, '0')}.jpg`));
  }
}

async function openProject(page: Page, server: ServeProcess, dir: string, create: boolean): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toContainText(/connected/i);
  if (create) {
    await page.getByTestId('project-dir').fill(dir);
    await page.getByTestId('project-name').fill('Walkers');
    await page.getByTestId('create-project').click();
  } else {
    await page.getByTestId('open-dir').fill(dir);
    await page.getByTestId('open-project').click();
  }
  await expect(page.getByTestId('status-project')).toContainText(path.basename(dir));
}

/** The boxes drawn on the canvas now: class label and status. */
async function canvasBoxes(page: Page): Promise<{ label: string; status: string }[]> {
  return page.locator('[data-testid="box-canvas"] [data-testid^="box-"][data-status]').evaluateAll((els) =>
    els.map((e) => ({ label: e.querySelector('text')?.textContent ?? '', status: e.getAttribute('data-status') ?? '' })),
  );
}

async function caption(page: Page): Promise<string> {
  return (await page.getByTestId('label-caption').textContent()) ?? '';
}

test('label 20 images by keyboard, restart the server, every label is still there', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-label-'));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'walkers');
  const photos = path.join(tmp, 'walk');
  await writePhotos(photos);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  /** The last image's two box classes, once one is retagged. */
  let lastImage: string[] = [];
  let server = await startServe(home);
  try {
    await openProject(page, server, project, true);
    await page.getByTestId('nav-data').click();
    await page.getByTestId('image-folder-input').setInputFiles(photos);
    await expect(page.getByTestId('dataset-name')).toHaveText('walk');
    await expect(page.getByTestId('dataset-row')).toContainText(`${IMAGES} images`);
    await shot(page, 'label-01-imported', false);

    await page.getByTestId('open-label').click();
    await expect(page.getByTestId('label-count')).toContainText(`image 1 of ${IMAGES}`);
    // Two classes, typed.
    for (const name of ['person', 'bicycle']) {
      await page.getByTestId('new-class').fill(name);
      await page.getByTestId('new-class').press('Enter');
    }
    await expect(page.getByTestId('class-list')).toContainText('bicycle');
    await page.getByTestId('new-class').blur();

    // Each image: choose the class by its key (1 person, 2 bicycle on every fourth), a new box
    // with N, move it with the arrows, grow it with Alt+arrows, add it with Enter, next with D.
    for (let i = 0; i < IMAGES; i++) {
      await expect(page.getByTestId('label-count')).toContainText(`image ${i + 1} of ${IMAGES}`);
      await page.keyboard.press(i % 4 === 3 ? '2' : '1');
      await page.keyboard.press('n');
      await expect(page.getByTestId('box-draft')).toBeVisible();
      for (let k = 0; k < 1 + (i % 3); k++) await page.keyboard.press('Shift+ArrowRight');
      await page.keyboard.press('Alt+ArrowDown');
      await page.keyboard.press('Enter');
      await expect(page.locator('[data-testid="box-canvas"] [data-status="confirmed"]')).toHaveCount(1);
      if (i === 0) await shot(page, 'label-02-first-box', false);
      if (i < IMAGES - 1) await page.keyboard.press('d');
    }
    await expect.poll(() => caption(page)).toContain('1 box');

    // R on the last image copies the previous image's box (now 2 boxes), Ctrl+Z takes it back,
    // Ctrl+Shift+Z brings it again.
    await page.keyboard.press('r');
    await expect.poll(() => caption(page)).toContain('2 boxes');
    await page.keyboard.press('Control+z');
    await expect.poll(() => caption(page)).toContain('1 box');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => caption(page)).toContain('2 boxes');
    // Tab selects a box; the other class's key retags it.
    await page.keyboard.press('Tab');
    const selected = page.locator('[data-testid="box-canvas"] [data-selected="true"] text');
    const was = (await selected.textContent()) ?? '';
    const other = was === 'person' ? 'bicycle' : 'person';
    await page.keyboard.press(other === 'person' ? '1' : '2');
    await expect(selected).toHaveText(other);
    lastImage = [other, other];
    await expect.poll(async () => (await canvasBoxes(page)).map((b) => b.label)).toEqual(lastImage);
    await page.keyboard.press('Escape');
    await shot(page, 'label-03-last-image', false);
  } finally {
    await server.stop();
  }

  server = await startServe(home);
  try {
    await openProject(page, server, project, false);
    await page.getByTestId('nav-label').click();
    await expect(page.getByTestId('label-count')).toContainText(`image 1 of ${IMAGES}`);
    const seen: string[][] = [];
    for (let i = 0; i < IMAGES; i++) {
      await expect(page.getByTestId('label-count')).toContainText(`image ${i + 1} of ${IMAGES}`);
      await expect(page.locator('[data-testid="box-canvas"] [data-status="confirmed"]')).toHaveCount(i === IMAGES - 1 ? 2 : 1);
      seen.push((await canvasBoxes(page)).map((b) => b.label).sort());
      if (i < IMAGES - 1) await page.keyboard.press('d');
    }
    const expected = Array.from({ length: IMAGES }, (_, i) => (i === IMAGES - 1 ? lastImage : [i % 4 === 3 ? 'bicycle' : 'person']));
    expect(seen).toEqual(expected);
    // Unlabelled filter: nothing left to label.
    await page.getByTestId('label-status-filter').selectOption('unlabelled');
    await expect(page.getByTestId('label-count')).toContainText('no images match');
    await page.getByTestId('label-status-filter').selectOption('all');
    await page.getByTestId('nav-data').click();
    await expect(page.getByTestId('image-stats')).toContainText(`${IMAGES} labelled`);
    await shot(page, 'label-04-after-restart', false);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('pre-label a street photo with the bundled detector, then accept the confident proposals', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-prelabel-'));
  const home = path.join(tmp, 'home');
  const photos = path.join(tmp, 'street');
  mkdirSync(photos);
  copyFileSync(path.join(ROOT, 'test', 'fixtures', 'people', 'vtest-frame200.jpg'), path.join(photos, 'street.jpg'));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const server = await startServe(home);
  try {
    await openProject(page, server, path.join(tmp, 'project'), true);
    await page.getByTestId('nav-data').click();
    await page.getByTestId('image-folder-input').setInputFiles(photos);
    await page.getByTestId('open-label').click();
    await page.getByTestId('prelabel-run').click();
    await expect(page.getByTestId('prelabel-status')).toContainText(/Done: \d+ proposals on 1 image\./, { timeout: 120_000 });
    const proposals = page.locator('[data-testid="box-canvas"] [data-status="proposal"]');
    await expect.poll(() => proposals.count()).toBeGreaterThan(3);
    // The proposer's class was added to the dataset, and its proposals carry its name.
    await expect(page.getByTestId('class-list')).toContainText('person');
    await expect(proposals.first().locator('text')).toContainText(/^person \d+%$/);
    await shot(page, 'label-05-proposals', false);
    const confident = await page.locator('[data-testid="box-canvas"] [data-status="proposal"][data-faint="false"]').count();
    // Shift+Enter accepts every proposal at or above the threshold; the faint ones stay proposals.
    await page.keyboard.press('Shift+Enter');
    await expect(page.locator('[data-testid="box-canvas"] [data-status="confirmed"]')).toHaveCount(confident);
    await expect.poll(() => caption(page)).toContain(`${confident} box`);
    await shot(page, 'label-06-accepted', false);
    expect(errors).toEqual([]);
  } finally {
    await server.stop();
  }
});

test('images dropped on the page are uploaded and imported; a broken one is listed by name', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-drop-'));
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await openProject(page, server, path.join(tmp, 'project'), true);
    await page.getByTestId('nav-data').click();
    const files = await Promise.all(
      [0, 1, 2].map(async (i) => ({
        name: `drop-${i}.png`,
        b64: (await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 80 * i, g: 120, b: 40 } } }).png().toBuffer()).toString('base64'),
      })),
    );
    files.push({ name: 'broken.png', b64: Buffer.from('not a png at all').toString('base64') });
    // A drop as the browser delivers it: a DataTransfer with the files in it.
    // In the page (a string: the tests are type-checked without the DOM library).
    const dt = await page.evaluateHandle(`(() => {
      const t = new DataTransfer();
      for (const f of ${JSON.stringify(files)}) t.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: 'image/png' }));
      return t;
    })()`);
    await page.getByTestId('image-drop-zone').dispatchEvent('drop', { dataTransfer: dt });
    await expect(page.getByTestId('dataset-row')).toContainText('3 images');
    await expect(page.getByTestId('dataset-name')).toHaveText('4 dropped files');
    await expect(page.getByTestId('import-problems')).toContainText('broken.png');
    await shot(page, 'label-07-dropped', false);
  } finally {
    await server.stop();
  }
});

test('class folders: a class key labels the image and moves on; Ctrl+Z takes it back', async ({ page }) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-e2e-classes-'));
  const pets = path.join(tmp, 'pets');
  for (const [cls, shade] of [['cat', 40], ['dog', 160]] as const) {
    mkdirSync(path.join(pets, cls), { recursive: true });
    for (let i = 0; i < 3; i++)
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: shade, g: 30 * i, b: 90 } } }).png().toFile(path.join(pets, cls, `${cls}-${i}.png`));
  }
  const server = await startServe(path.join(tmp, 'home'));
  try {
    await openProject(page, server, path.join(tmp, 'project'), true);
    await page.getByTestId('nav-data').click();
    await page.getByTestId('image-folder-input').setInputFiles(pets);
    await expect(page.getByTestId('dataset-row')).toContainText('6 images · classification');
    await page.getByTestId('open-label').click();
    await expect(page.getByTestId('image-class')).toHaveText('cat');
    // 2 = dog: the three cats become dogs, each press moving to the next image.
    for (let i = 0; i < 3; i++) {
      await expect(page.getByTestId('label-count')).toContainText(`image ${i + 1} of 6`);
      await page.keyboard.press('2');
    }
    await expect(page.getByTestId('label-count')).toContainText('image 4 of 6');
    await page.keyboard.press('Control+z');
    await page.getByTestId('label-status-filter').selectOption('all');
    await page.locator('[data-testid="label-filters"] select[aria-label="Class"]').selectOption({ label: 'dog' });
    await expect(page.getByTestId('label-count')).toContainText('image 1 of 5');
    await shot(page, 'label-08-classes', false);
  } finally {
    await server.stop();
  }
});
