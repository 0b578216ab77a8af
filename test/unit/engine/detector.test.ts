/**
 * The pretrained person detectors on real photographs (test/fixtures/people, from Debian's
 * opencv-doc) on the wasm backend, against boxes drawn by hand: every person found (IoU ≥ 0.5 with
 * a hand box), few false boxes above the default threshold, EXIF orientation honoured, and the
 * pre-label loop keeping tensors flat, going past a broken file and mapping shrunk photos back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, type Tf } from '../../../main/engine/backend.js';
import {
  decodeImage,
  decodeRgb,
  loadPretrainedDetector,
  prelabelImages,
  type PretrainedModel,
  type Proposal,
  type Proposer,
  type PrelabelProgress,
  type PrelabelResult,
} from '../../../main/engine/detector/index.js';
import { iou, type BoxGeometry } from '../../../shared/images.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/people');

interface HandBoxes {
  image: string;
  width: number;
  height: number;
  boxes: (BoxGeometry & { who: string })[];
}
const photo = (name: string): HandBoxes & { file: string } => {
  const f = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.boxes.json`), 'utf8')) as HandBoxes;
  return { ...f, file: path.join(FIXTURES, f.image) };
};
const STREET = photo('vtest-frame200'); // 7 people, 20–40 px wide, in colour
const INDOORS = photo('basketball1'); // 2 people filling the frame, greyscale PNG

/** Each hand box's best IoU among the proposals, and the proposals that match no hand box. */
function match(found: Proposal[], hand: BoxGeometry[]): { best: number[]; unmatched: Proposal[] } {
  const best = hand.map((h) => Math.max(0, ...found.map((p) => iou(p, h))));
  const unmatched = found.filter((p) => !hand.some((h) => iou(p, h) >= 0.5));
  return { best, unmatched };
}

let tf: Tf;
let tmp: string;
beforeAll(async () => {
  tf = (await loadBackend('wasm')).tf;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-detector-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// False boxes allowed above each model's default threshold over both photos (measured: 1 and 0).
const MAX_FALSE: Record<PretrainedModel, number> = { centernet: 1, nanodet: 1 };

describe.each(['centernet', 'nanodet'] as const)('%s', (model) => {
  let detector: Proposer;
  beforeAll(async () => {
    detector = await loadPretrainedDetector(tf, { model });
  });
  afterAll(() => detector?.dispose());

  it('proposes only persons, under its stable id', () => {
    expect(detector.id).toBe(`human-models/${model}`);
    expect(detector.classes).toEqual(['person']);
  });

  it('finds every person in both photographs, with few false boxes', async () => {
    let falseBoxes = 0;
    for (const p of [STREET, INDOORS]) {
      const image = await decodeRgb(p.file);
      expect([image.width, image.height]).toEqual([p.width, p.height]);
      const found = await detector.detect(image);
      const { best, unmatched } = match(found, p.boxes);
      for (const [i, b] of p.boxes.entries()) expect(best[i], `${p.image}: ${b.who}`).toBeGreaterThanOrEqual(0.5);
      for (const f of found) {
        expect(f.className).toBe('person');
        expect(f.score).toBeGreaterThanOrEqual(detector.defaultMinScore);
        expect(f.x).toBeGreaterThanOrEqual(0);
        expect(f.x + f.w).toBeLessThanOrEqual(p.width + 0.1);
        expect(f.y + f.h).toBeLessThanOrEqual(p.height + 0.1);
      }
      falseBoxes += unmatched.length;
    }
    expect(falseBoxes).toBeLessThanOrEqual(MAX_FALSE[model]);
  });

  it('honours minScore and maxBoxes', async () => {
    const image = await decodeRgb(STREET.file);
    const all = await detector.detect(image, { minScore: 0.1 });
    const strict = await detector.detect(image, { minScore: 0.99 });
    const two = await detector.detect(image, { minScore: 0.1, maxBoxes: 2 });
    expect(all.length).toBeGreaterThan(STREET.boxes.length);
    expect(strict).toEqual([]);
    expect(two).toEqual(all.slice(0, 2));
  });
});

describe('decoding photos', () => {
  it('applies EXIF orientation, so boxes land where the user sees the people', async () => {
    // Pixels stored turned 90° clockwise, with the tag that tells viewers to turn them back.
    const turned = path.join(tmp, 'turned.jpg');
    await sharp(STREET.file).rotate(90).withMetadata({ orientation: 8 }).jpeg({ quality: 92 }).toFile(turned);
    const raw = await sharp(turned).metadata();
    expect([raw.width, raw.height, raw.orientation]).toEqual([576, 768, 8]);

    const image = await decodeRgb(turned);
    expect([image.width, image.height]).toEqual([768, 576]);
    const detector = await loadPretrainedDetector(tf);
    try {
      const { best } = match(await detector.detect(image), STREET.boxes);
      expect(Math.min(...best)).toBeGreaterThanOrEqual(0.5);
    } finally {
      detector.dispose();
    }
  });

  it('gives three channels for a greyscale PNG and a PNG with alpha', async () => {
    const grey = await decodeRgb(INDOORS.file);
    expect(grey.data.length).toBe(640 * 480 * 3);
    const rgba = path.join(tmp, 'alpha.png');
    await sharp({ create: { width: 5, height: 4, channels: 4, background: { r: 10, g: 20, b: 30, alpha: 0.5 } } }).png().toFile(rgba);
    const img = await decodeRgb(rgba);
    expect(img.data.length).toBe(5 * 4 * 3);
    expect([...img.data.slice(0, 3)]).toEqual([10, 20, 30]);
  });

  it('shrinks a large photo for detection and keeps its full size', async () => {
    const big = path.join(tmp, 'big.jpg');
    await sharp(STREET.file).resize(3072, 2304).jpeg().toFile(big);
    const img = await decodeImage(big);
    expect([img.width, img.height, img.displayWidth, img.displayHeight]).toEqual([1024, 768, 3072, 2304]);
  });

  it('says which file could not be decoded', async () => {
    const bad = path.join(tmp, 'bad.jpg');
    writeFileSync(bad, 'not a jpeg');
    await expect(decodeRgb(bad)).rejects.toMatchObject({ code: 'IMAGE_UNREADABLE', message: expect.stringContaining('bad.jpg') });
  });
});

describe('prelabelImages', () => {
  let detector: Proposer;
  beforeAll(async () => {
    detector = await loadPretrainedDetector(tf);
  });
  afterAll(() => detector?.dispose());

  it('proposes image by image in full-size pixels, goes past a broken file, and frees every tensor', async () => {
    // 4× the street photo: decoded shrunk to 1024 wide, proposals mapped back to 3072.
    const big = path.join(tmp, 'street-big.jpg');
    await sharp(STREET.file).resize(3072, 2304).jpeg({ quality: 90 }).toFile(big);
    const bad = path.join(tmp, 'broken.jpg');
    writeFileSync(bad, Buffer.from([0xff, 0xd8, 0xff, 0x00, 1, 2, 3]));
    const files = [
      { id: 11, path: STREET.file },
      { id: 12, path: bad },
      { id: 13, path: big },
      { id: 14, path: INDOORS.file },
      { id: 15, path: STREET.file },
    ];
    const progress: PrelabelProgress[] = [];
    const results: PrelabelResult[] = [];
    const tensors: number[] = [];
    for await (const r of prelabelImages(detector, files, { onProgress: (p) => progress.push(p) })) {
      results.push(r);
      tensors.push(tf.memory().numTensors);
    }
    expect(results.map((r) => r.id)).toEqual([11, 12, 13, 14, 15]);
    expect(results[1]).toMatchObject({ proposals: [], error: { code: 'IMAGE_UNREADABLE' } });
    expect(results[1]!.error!.message).toContain('broken.jpg');
    expect(Math.min(...match(results[0]!.proposals, STREET.boxes).best)).toBeGreaterThanOrEqual(0.5);
    const scaled = STREET.boxes.map((b) => ({ x: b.x * 4, y: b.y * 4, w: b.w * 4, h: b.h * 4 }));
    expect(Math.min(...match(results[2]!.proposals, scaled).best)).toBeGreaterThanOrEqual(0.5);
    expect(Math.min(...match(results[3]!.proposals, INDOORS.boxes).best)).toBeGreaterThanOrEqual(0.5);
    expect(results[4]!.proposals).toEqual(results[0]!.proposals);
    // Flat: the weights' tensors only, the same after every image.
    expect(new Set(tensors).size).toBe(1);
    expect(progress.map((p) => [p.done, p.failed])).toEqual([
      [1, 0],
      [2, 1],
      [3, 1],
      [4, 1],
      [5, 1],
    ]);
    expect(progress.at(-1)!.proposals).toBe(results.reduce((n, r) => n + r.proposals.length, 0));
  });

  it('stops between images when asked', async () => {
    const files = [1, 2, 3, 4].map((id) => ({ id, path: INDOORS.file }));
    let seen = 0;
    const ids: number[] = [];
    for await (const r of prelabelImages(detector, files, { shouldStop: () => seen >= 2 })) {
      ids.push(r.id);
      seen++;
    }
    expect(ids).toEqual([1, 2]);
  });
});

describe('loadPretrainedDetector', () => {
  it('keeps the classes asked for', async () => {
    const d = await loadPretrainedDetector(tf, { model: 'centernet', classes: ['car', 'truck'] });
    try {
      const found = await d.detect(await decodeRgb(STREET.file));
      // The white van and the blue car at the top right.
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((p) => p.className === 'car' || p.className === 'truck')).toBe(true);
      expect(found.some((p) => p.x > 600 && p.y < 110)).toBe(true);
    } finally {
      d.dispose();
    }
  });

  it('refuses an unknown class, naming it', async () => {
    await expect(loadPretrainedDetector(tf, { classes: ['persn'] })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining("'persn'"),
    });
  });

  it('says where it looked when the model files are missing', async () => {
    await expect(loadPretrainedDetector(tf, { modelDir: tmp })).rejects.toMatchObject({
      code: 'DETECTOR_UNAVAILABLE',
      message: expect.stringContaining(tmp),
    });
  });

  it('refuses an image whose bytes do not match its size', async () => {
    const d = await loadPretrainedDetector(tf);
    try {
      await expect(d.detect({ data: new Uint8Array(4 * 4 * 4), width: 4, height: 4 })).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
        message: expect.stringContaining('48 bytes'),
      });
    } finally {
      d.dispose();
    }
    await expect(d.detect({ data: new Uint8Array(48), width: 4, height: 4 })).rejects.toMatchObject({ code: 'DETECTOR_UNAVAILABLE' });
  });
});
