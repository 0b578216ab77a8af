/**
 * `npm run bench -- label [--images N] [--steps N] [--prelabel N] [--json]`
 *
 * The labelling loop, measured the way a user feels it, on a generated project of N images
 * (default 10,000), each with two confirmed boxes:
 * - import throughput: images per second through the core's import (plan, decode check, hash,
 *   copy into media/, measure), thumbnails excluded (they are made in the background);
 * - "next image": in Debian's Chromium over serve mode, the time from pressing D to the next
 *   image decoded and its boxes drawn, for `--steps` presses (default 300): median and p95
 *   (goal: p95 under 50 ms);
 * - pre-label throughput on the wasm backend (bench/prelabel.ts), on `--prelabel` images.
 *
 * Diagnostics: LAYERBENCH_PHASES=1 prints, per press, when the canvas switched image and when the
 * image was decoded; LAYERBENCH_PROFILE=1 prints the page's CPU profile (self time, top 25).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createCore } from '../main/core.js';
import { ensureThumbnail } from '../main/media/thumbs.js';
import { startServe } from '../test/helpers/serve.js';
import { runPrelabelBench } from './prelabel.js';

export interface LabelBenchOptions {
  images: number;
  steps: number;
  prelabel: number;
  json: boolean;
}

export interface LabelBenchResult {
  images: number;
  importImagesPerSec: number;
  importSeconds: number;
  next: { steps: number; medianMs: number; p95Ms: number; maxMs: number };
  prelabel: Awaited<ReturnType<typeof runPrelabelBench>> | null;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Distinct 640×480 JPEGs: a colour field with a few bright rectangles, different per image. */
async function writeImages(dir: string, n: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const w = 640;
  const h = 480;
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < n; i++) {
    const r = (i * 37) & 255;
    const g = (i * 91) & 255;
    const b = (i * 13) & 255;
    for (let p = 0; p < raw.length; p += 3) {
      raw[p] = r;
      raw[p + 1] = g;
      raw[p + 2] = b;
    }
    for (let k = 0; k < 3; k++) {
      const x0 = (i * 53 + k * 170) % (w - 80);
      const y0 = (i * 29 + k * 110) % (h - 120);
      for (let y = y0; y < y0 + 120; y++) raw.fill(230 - k * 40, (y * w + x0) * 3, (y * w + x0 + 80) * 3);
    }
    await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 80 })
      .toFile(path.join(dir, `frame-${String(i).padStart(5, '0')}.jpg`));
  }
}

/**
 * Runs in the page (a string: this file is type-checked without the DOM library). Presses D n
 * times; each time waits, frame by frame, until the canvas shows another image, decoded, with
 * its boxes drawn, and records the milliseconds since the key event.
 */
const IN_PAGE = `async (n) => {
  const out = [];
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));
  const phases = { item: [], image: [] };
  for (let i = 0; i < n; i++) {
    const before = document.querySelector('[data-testid="label-canvas"]').dataset.itemId;
    const t0 = performance.now();
    let tItem = 0, tImage = 0;
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'd', bubbles: true }));
    for (;;) {
      await frame();
      const r = document.querySelector('[data-testid="label-canvas"]');
      const img = r && r.querySelector('img');
      const boxes = r ? r.querySelectorAll('[data-testid^="box-"][data-status]').length : 0;
      if (!tItem && r && r.dataset.itemId !== before) tItem = performance.now() - t0;
      if (!tImage && tItem && img && img.complete && img.naturalWidth > 0 && img.src.includes(r.dataset.sha)) tImage = performance.now() - t0;
      if (r && r.dataset.itemId !== before && img && img.complete && img.naturalWidth > 0 && img.src.includes(r.dataset.sha) && boxes >= 2) break;
    }
    out.push(performance.now() - t0);
    phases.item.push(tItem);
    phases.image.push(tImage);
  }
  window.__phases = phases;
  return out;
}`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function runLabelBench(opts: LabelBenchOptions): Promise<LabelBenchResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-label-bench-'));
  const home = path.join(tmp, 'home');
  const project = path.join(tmp, 'project');
  try {
    const log = (s: string) => !opts.json && console.log(s);
    log(`Generating ${opts.images} images…`);
    await writeImages(path.join(tmp, 'photos'), opts.images);

    const core = createCore({ appDataDir: home, workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
    let importSeconds: number;
    try {
      await core.handlers.projects.create({ dir: project });
      const started = performance.now();
      const d = await core.handlers.datasets.importImages({ path: path.join(tmp, 'photos') });
      importSeconds = (performance.now() - started) / 1000;
      log(`Imported ${d.profile.imageCount} images in ${importSeconds.toFixed(1)} s`);
      const person = await core.handlers.labels.addClass({ datasetId: d.id, name: 'person' });
      const ids = await core.handlers.labels.itemIds({ filter: { datasetId: d.id } });
      for (let k = 0; k < ids.length; k += 1000) {
        const boxes = ids.slice(k, k + 1000).flatMap((itemId, j) => [
          { itemId, classId: person.id, x: 10 + (j % 50), y: 20, w: 80, h: 120, status: 'confirmed' as const, score: null, source: null },
          { itemId, classId: person.id, x: 300, y: 200, w: 90, h: 150, status: 'proposal' as const, score: 0.3 + (j % 7) / 10, source: 'bench' },
        ]);
        await core.handlers.labels.apply({ datasetId: d.id, op: { kind: 'addBoxes', boxes } });
      }
      // What the background queue does after an import, done here before the timing starts so the
      // measured presses do not compete with thumbnails being made (a user's first minutes would).
      const t = performance.now();
      const page = await core.handlers.labels.items({ filter: { datasetId: d.id }, offset: 0, limit: 1000 });
      const all = [...page.items];
      for (let off = 1000; off < page.total; off += 1000) all.push(...(await core.handlers.labels.items({ filter: { datasetId: d.id }, offset: off, limit: 1000 })).items);
      for (let k = 0; k < all.length; k += 4) await Promise.all(all.slice(k, k + 4).map((it) => ensureThumbnail(project, `${it.sha256}.webp`, it.ext)));
      log(`Thumbnails made in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    } finally {
      await core.dispose();
    }

    const next = await measureNext(home, project, opts.steps, log);
    const prelabel = opts.prelabel > 0 ? await runPrelabelBench({ images: opts.prelabel }) : null;
    return { images: opts.images, importImagesPerSec: opts.images / importSeconds, importSeconds, next, prelabel };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function measureNext(home: string, project: string, steps: number, log: (s: string) => void): Promise<LabelBenchResult['next']> {
  const { chromium } = await import('@playwright/test');
  const server = await startServe(home);
  const browser = await chromium.launch({ executablePath: process.env.LAYERBENCH_CHROMIUM ?? '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    await page.getByTestId('open-dir').fill(project);
    await page.getByTestId('open-project').click();
    await page.getByTestId('status-project').waitFor();
    await page.getByTestId('nav-label').click();
    await page.locator('[data-testid="box-canvas"] img').waitFor();
    // Warm up: the first images load code paths and fill the caches a user's first seconds would.
    for (let i = 0; i < 5; i++) await page.keyboard.press('d');
    await page.waitForTimeout(300);
    log(`Pressing D ${steps} times…`);
    // Timed inside the page: from the key event to the frame after the new image is decoded
    // and its boxes are in the DOM, so the test driver's own latency is not counted.
    const cdp = process.env.LAYERBENCH_PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const times = (await page.evaluate(`(${IN_PAGE})(${steps})`)) as number[];
    if (cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
      const self = new Map<string, number>();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, k) => {
        const f = byId.get(id)!.callFrame;
        const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
      });
      console.error([...self].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n'));
    }
    if (process.env.LAYERBENCH_PHASES) console.error(JSON.stringify(await page.evaluate('window.__phases')));
    const sorted = [...times].sort((a, b) => a - b);
    return { steps, medianMs: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95), maxMs: sorted.at(-1)! };
  } finally {
    await browser.close();
    await server.stop();
  }
}

export async function runLabelBenchCli(opts: LabelBenchOptions): Promise<void> {
  const r = await runLabelBench(opts);
  if (opts.json) return void console.log(JSON.stringify({ bench: 'label', ...r }));
  console.log(`\nlabel bench, ${r.images} images`);
  console.log(`  import:      ${r.importImagesPerSec.toFixed(0)} images/s (${r.importSeconds.toFixed(1)} s)`);
  console.log(`  next image:  median ${r.next.medianMs.toFixed(1)} ms, p95 ${r.next.p95Ms.toFixed(1)} ms, max ${r.next.maxMs.toFixed(1)} ms over ${r.next.steps} presses (goal: p95 < 50 ms)`);
  if (r.prelabel) console.log(`  pre-label:   ${r.prelabel.imagesPerSec.toFixed(2)} images/s on ${r.prelabel.backend} (${r.prelabel.model}; median ${r.prelabel.msPerImage.median.toFixed(0)} ms/image)`);
}
