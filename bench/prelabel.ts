/**
 * Pre-label throughput on the wasm backend: the pretrained detector proposing persons on photos
 * the way a pre-label job does (prelabelImages: decode with sharp, the next photo decoded while
 * this one is detected, detect, map back). The photos are the test photographs
 * (test/fixtures/people/) enlarged to a phone camera's 4032×3024 JPEG, so decoding costs what it
 * costs on a user's photos. The first image (graph warm-up) is not counted.
 *
 * Run alone: `npx tsx bench/prelabel.ts [centernet|nanodet|all] [images]`, which also prints each
 * model's quality on the test photographs (runPrelabelQuality); in the suite the throughput is part
 * of `npm run bench -- label`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadBackend } from '../main/engine/backend.js';
import { DEFAULT_PRETRAINED, PRETRAINED_MODELS, decodeImage, loadPretrainedDetector, prelabelImages, type Fit, type PretrainedModel } from '../main/engine/detector/index.js';
import { iou, type BoxGeometry } from '../shared/images.js';

export interface PrelabelBenchOptions {
  /** Images timed (after one warm-up); default 20. */
  images?: number;
  /** 'centernet' or 'nanodet'; default the app's default detector. */
  model?: string;
  /** Side of the generated photos' longer edge; default 4032 (a 12 MP phone photo). */
  photoSide?: number;
}

export interface PrelabelBenchResult {
  model: string;
  backend: string;
  device: string;
  images: number;
  imagesPerSec: number;
  /** Per image, decode (overlapped) + detect + map back, as the job loop sees it. */
  msPerImage: { median: number; p95: number };
  /** Detection alone on the decoded photo (preprocess, model, decode of outputs, NMS). */
  detectMs: { median: number; p95: number };
  proposalsPerImage: number;
  /** tf.memory().numTensors before and after the timed images: equal when nothing leaks. */
  tensors: { before: number; after: number };
}

const PHOTOS = ['vtest-frame200.jpg', 'basketball1.png'];

export async function runPrelabelBench(opts: PrelabelBenchOptions = {}): Promise<PrelabelBenchResult> {
  const images = opts.images ?? 20;
  const model = (opts.model ?? DEFAULT_PRETRAINED) as PretrainedModel;
  if (!PRETRAINED_MODELS.includes(model)) throw new Error(`Unknown model '${opts.model}'; expected one of ${PRETRAINED_MODELS.join(', ')}`);
  const { tf, info } = await loadBackend('wasm');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lb-prelabel-'));
  const detector = await loadPretrainedDetector(tf, { model });
  try {
    const side = opts.photoSide ?? 4032;
    const sources: string[] = [];
    for (const [i, name] of PHOTOS.entries()) {
      const out = path.join(dir, `photo-${i}.jpg`);
      await sharp(path.join(fixtureDir(), name)).resize({ width: side, height: side, fit: 'inside' }).jpeg({ quality: 90 }).toFile(out);
      sources.push(out);
    }
    const files = Array.from({ length: images + 1 }, (_, i) => ({ id: i, path: sources[i % sources.length]! }));

    // Detection alone, on decoded photos kept in memory.
    const decoded = await Promise.all(sources.map((s) => decodeImage(s)));
    await detector.detect(decoded[0]!);
    const detectTimes: number[] = [];
    for (let i = 0; i < images; i++) {
      const t0 = performance.now();
      await detector.detect(decoded[i % decoded.length]!);
      detectTimes.push(performance.now() - t0);
    }

    // The job loop, end to end.
    const before = tf.memory().numTensors;
    const times: number[] = [];
    let proposals = 0;
    let last = performance.now();
    let startTimed = 0;
    for await (const r of prelabelImages(detector, files)) {
      const now = performance.now();
      if (r.error) throw new Error(`image ${r.id}: ${r.error.message}`);
      if (r.id === 0) startTimed = now;
      else {
        times.push(now - last);
        proposals += r.proposals.length;
      }
      last = now;
    }
    const total = (last - startTimed) / 1000;
    return {
      model,
      backend: info.name,
      device: info.device,
      images,
      imagesPerSec: images / total,
      msPerImage: { median: quantile(times, 0.5), p95: quantile(times, 0.95) },
      detectMs: { median: quantile(detectTimes, 0.5), p95: quantile(detectTimes, 0.95) },
      proposalsPerImage: proposals / images,
      tensors: { before, after: tf.memory().numTensors },
    };
  } finally {
    detector.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PrelabelQuality {
  model: string;
  fit: Fit;
  /** Hand-drawn persons over the test photographs, and how many a proposal matches at IoU ≥ 0.5. */
  persons: number;
  found: number;
  /** Mean of each person's best IoU. */
  meanIoU: number;
  /** The lowest score of a matched person, and the highest of a proposal matching nobody. */
  lowestPersonScore: number;
  highestFalseScore: number;
  /** Proposals matching no person, at the model's default threshold. */
  falseBoxes: number;
}

/** Quality on the test photographs against their hand-drawn boxes (test/fixtures/people). */
export async function runPrelabelQuality(model: PretrainedModel, fit?: Fit): Promise<PrelabelQuality> {
  const { tf } = await loadBackend('wasm');
  const detector = await loadPretrainedDetector(tf, { model, fit });
  try {
    let persons = 0;
    let found = 0;
    let iouSum = 0;
    let lowest = 1;
    let highestFalse = 0;
    let falseBoxes = 0;
    for (const name of PHOTOS) {
      const hand = (JSON.parse(readFileSync(path.join(fixtureDir(), name.replace(/\.\w+$/, '.boxes.json')), 'utf8')) as { boxes: BoxGeometry[] }).boxes;
      const all = await detector.detect(await decodeImage(path.join(fixtureDir(), name), { maxSide: 0 }), { minScore: 0.05 });
      for (const h of hand) {
        persons++;
        let best = 0;
        let score = 0;
        for (const p of all)
          if (iou(p, h) > best) {
            best = iou(p, h);
            score = p.score;
          }
        iouSum += best;
        if (best >= 0.5) {
          found++;
          lowest = Math.min(lowest, score);
        }
      }
      for (const p of all)
        if (!hand.some((h) => iou(p, h) >= 0.5)) {
          highestFalse = Math.max(highestFalse, p.score);
          if (p.score >= detector.defaultMinScore) falseBoxes++;
        }
    }
    return { model, fit: fit ?? 'letterbox', persons, found, meanIoU: iouSum / persons, lowestPersonScore: lowest, highestFalseScore: highestFalse, falseBoxes };
  } finally {
    detector.dispose();
  }
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** test/fixtures/people of this checkout, from bench/ (tsx) or dist/bench/ (the built bench). */
function fixtureDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'layerbench') return path.join(dir, 'test', 'fixtures', 'people');
    dir = path.dirname(dir);
  }
  throw new Error('test/fixtures/people not found above bench/');
}

// Only when run as `tsx bench/prelabel.ts`: in the built bench this module is bundled into bench.js.
if ((process.argv[1] ?? '').endsWith(path.join('bench', 'prelabel.ts'))) {
  const which = process.argv[2] ?? DEFAULT_PRETRAINED;
  const images = Number(process.argv[3] ?? 20);
  for (const model of which === 'all' ? PRETRAINED_MODELS : [which]) {
    for (const fit of ['letterbox', 'stretch'] as const) {
      const q = await runPrelabelQuality(model as PretrainedModel, fit);
      console.log(
        `${q.model} (${q.fit}): ${q.found}/${q.persons} persons found, mean IoU ${q.meanIoU.toFixed(2)}, lowest person score ${q.lowestPersonScore.toFixed(2)}, highest false score ${q.highestFalseScore.toFixed(2)}, ${q.falseBoxes} false boxes at the default threshold`,
      );
    }
    const r = await runPrelabelBench({ model, images });
    console.log(
      `${r.model} on ${r.backend} (${r.device}): ${r.imagesPerSec.toFixed(2)} images/s; per image median ${r.msPerImage.median.toFixed(0)} ms, p95 ${r.msPerImage.p95.toFixed(0)} ms; detect alone median ${r.detectMs.median.toFixed(0)} ms, p95 ${r.detectMs.p95.toFixed(0)} ms; ${r.proposalsPerImage.toFixed(1)} proposals/image; tensors ${r.tensors.before} → ${r.tensors.after}`,
    );
  }
}
