/**
 * A detector's data and results on a real project store, without a model: which images train
 * (confirmed boxes only; unreviewed images without boxes left out), the grid plumbing from boxes
 * to targets and back to boxes, the stored evaluation made from given detections, and
 * `evaluation.detectionImages` judging, filtering and paging its test images.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../../main/store/project-store.js';
import type { NewItem } from '../../../main/store/image-store.js';
import { detectionImagesForTraining, detectionPrepNote } from '../../../main/handlers/detection-data.js';
import { toDetectionEvaluation } from '../../../main/handlers/detection-evaluation.js';
import { detectionImagesPage, judgeImage } from '../../../main/handlers/detection-images.js';
import { publicEvaluation } from '../../../main/handlers/evaluation-results.js';
import { gridShapeOf, gridTargets } from '../../../main/jobs/detection-job.js';
import { gridDetections } from '../../../main/engine/detector/grid-detections.js';
import type { DetectionTruths, EvaluationOutput } from '../../../main/jobs/messages.js';
import type { DetectionEvaluation, DetectionSamples } from '../../../shared/detection.js';
import { matchClass } from '../../../shared/metrics/detection.js';
import type { ImageDataset } from '../../../shared/dataset.js';
import { run, tempDir } from '../store/fixtures.js';

function imageDataset(): ImageDataset {
  return {
    id: 'img', name: 'shapes', kind: 'images', sourceName: 'shapes', sha256: '', bytes: 0,
    profile: { format: 'coco', imageCount: 6, problems: [], notes: [], task: 'detection' },
    config: { height: 200, width: 100, channels: 3, task: 'detection' }, createdAt: '2026-01-01T00:00:00.000Z',
  };
}

function item(n: number, boxes: NewItem['boxes'], split: NewItem['split'] = 'test'): NewItem {
  return { sha256: n.toString(16).padStart(64, '0'), ext: '.png', relPath: `shapes/img-${n}.png`, width: 100, height: 200, split, classIndex: null, frame: null, boxes };
}

/** Six images: 1–3 test images with boxes, 4 with a box in train, 5 and 6 without any box (5 gets marked reviewed). */
function storeWithImages(): { store: ProjectStore; ids: number[] } {
  const store = ProjectStore.create(path.join(tempDir(), 'p'));
  store.insertImageDataset(imageDataset(), ['square', 'disc'], [
    item(1, [{ classIndex: 0, x: 10, y: 20, w: 30, h: 40 }, { classIndex: 1, x: 50, y: 100, w: 40, h: 60 }]),
    item(2, [{ classIndex: 0, x: 0, y: 0, w: 50, h: 50 }]),
    item(3, [{ classIndex: 1, x: 20, y: 20, w: 20, h: 20 }]),
    item(4, [{ classIndex: 0, x: 0, y: 0, w: 10, h: 10 }], 'train'),
    item(5, [], 'train'),
    item(6, [], 'train'),
  ]);
  const ids = store.images.ids({ datasetId: 'img', sort: 'added' });
  store.images.apply('img', { kind: 'setReviewed', items: [{ itemId: ids[4]!, reviewed: true }] });
  store.insertRun({ ...run('r1', 'img'), status: 'completed' });
  return { store, ids };
}

describe('detector data', () => {
  it('trains on confirmed boxes, keeps a reviewed image without boxes as a negative, and leaves out (and counts) an unreviewed one', () => {
    const { store, ids } = storeWithImages();
    const chosen = detectionImagesForTraining(store, store.getDataset('img') as ImageDataset);
    expect(chosen.images.map((i) => i.id)).toEqual(ids.slice(0, 5));
    expect(chosen.classes).toEqual(['square', 'disc']);
    expect(chosen.unlabelled).toBe(1);
    expect(chosen.negatives).toBe(1);
    expect(chosen.truths[ids[0]!]).toEqual({ width: 100, height: 200, boxes: [{ classIndex: 0, box: { x: 10, y: 20, w: 30, h: 40 } }, { classIndex: 1, box: { x: 50, y: 100, w: 40, h: 60 } }] });
    expect(chosen.truths[ids[4]!]!.boxes).toEqual([]);
    expect(detectionPrepNote(chosen)).toBe(
      '1 image has no confirmed box and is not marked reviewed: left out (mark an image reviewed in the Label view to train it as one with nothing to find); 1 reviewed image without boxes train as negatives.',
    );
    // A proposal is not ground truth.
    store.images.replaceProposals(ids[5]!, 'detector', [{ classId: store.images.classes('img')[0]!.id, x: 1, y: 1, w: 5, h: 5, score: 0.9 }]);
    expect(detectionImagesForTraining(store, store.getDataset('img') as ImageDataset).unlabelled).toBe(1);
  });

  it('encodes boxes as grid targets for the model’s rows × cols, and decoding a target as an output gives the boxes back in the image’s pixels', () => {
    const { store } = storeWithImages();
    const chosen = detectionImagesForTraining(store, store.getDataset('img') as ImageDataset);
    const grid = gridShapeOf([null, 4, 2, 7], 2);
    const test = chosen.images.filter((i) => i.split === 'test');
    const split = { count: test.length, itemIds: test.map((i) => i.id) };
    const y = gridTargets(split, chosen.truths, grid);
    expect(y.length).toBe(3 * 4 * 2 * 7);
    const found = gridDetections({ values: y, rows: 4, cols: 2, depth: 7, inputWidth: 32, inputHeight: 64 }, test.map((i) => chosen.truths[i.id]!), 0.5);
    expect(found.map((f) => f.map((b) => [b.classIndex, Math.round(b.x), Math.round(b.y), Math.round(b.w), Math.round(b.h), b.score]))).toEqual([
      [
        [0, 10, 20, 30, 40, 1],
        [1, 50, 100, 40, 60, 1],
      ],
      [[0, 0, 0, 50, 50, 1]],
      [[1, 20, 20, 20, 20, 1]],
    ]);
    expect(() => gridShapeOf([null, 4, 2, 6], 2)).toThrow("A detector's last layer must output (rows, cols, 5 + 2 classes); this one outputs (4, 2, 6).");
  });
});

describe('detector evaluation', () => {
  /** Image 1: both boxes found, one extra square; image 2: its square missed; image 3: found only below 0.5. */
  function evaluated() {
    const { store, ids } = storeWithImages();
    const truths: DetectionTruths = detectionImagesForTraining(store, store.getDataset('img') as ImageDataset).truths;
    const output: EvaluationOutput = {
      task: 'detection', actual: [], predicted: [], rows: [], classes: ['square', 'disc'], target: 'boxes', itemIds: ids.slice(0, 3),
      detections: [
        [
          { classIndex: 0, x: 11, y: 21, w: 30, h: 40, score: 0.9 },
          { classIndex: 1, x: 50, y: 100, w: 40, h: 60, score: 0.8 },
          { classIndex: 0, x: 60, y: 0, w: 20, h: 20, score: 0.7 },
        ],
        [{ classIndex: 1, x: 0, y: 0, w: 50, h: 50, score: 0.6 }],
        [{ classIndex: 1, x: 21, y: 20, w: 20, h: 20, score: 0.3 }],
      ],
    };
    const stored = toDetectionEvaluation('r1', output, truths);
    store.saveEvaluation('r1', stored);
    return { store, stored: stored as DetectionEvaluation & { detectionSamples: DetectionSamples } };
  }

  it('stores COCO metrics, the best-F1 threshold and every test image’s boxes, and sends none of the boxes', () => {
    const { stored } = evaluated();
    expect(stored).toMatchObject({ task: 'detection', count: 3, classes: ['square', 'disc'], groundTruths: 4, detections: 5 });
    // Squares: 2 truths, detections 0.9 (tp) and 0.7 (fp): precision 1 up to recall 0.5. Discs: 2 truths, 0.8 tp, 0.6 fp, 0.3 tp: precision 1 to recall 0.5, then 2/3.
    expect(stored.perClass[0]!.ap50).toBeCloseTo(51 / 101, 10);
    expect(stored.perClass[1]!.ap50).toBeCloseTo((51 + (50 * 2) / 3) / 101, 10);
    expect(stored.map50).toBeCloseTo((stored.perClass[0]!.ap50! + stored.perClass[1]!.ap50!) / 2, 10);
    expect(stored.threshold).toBe(stored.bestF1!.threshold);
    expect(stored.detectionSamples.images).toHaveLength(3);
    expect(Object.keys(publicEvaluation(stored))).not.toContain('detectionSamples');
  });

  it('judges boxes at a threshold as tp, fp and miss, as matchClass matches them', () => {
    const { stored } = evaluated();
    const [first, second, third] = stored.detectionSamples.images;
    expect(judgeImage(first!, 0.5)).toMatchObject({ tp: 2, fp: 1, misses: 0 });
    expect(judgeImage(first!, 0.5).boxes.map((b) => b.verdict)).toEqual(['tp', 'tp', 'fp']);
    // The disc detection lies on the square: a false positive, and the square a miss.
    expect(judgeImage(second!, 0.5).boxes.map((b) => [b.verdict, b.classIndex])).toEqual([['fp', 1], ['miss', 0]]);
    expect(judgeImage(third!, 0.5)).toMatchObject({ tp: 0, fp: 0, misses: 1 });
    expect(judgeImage(third!, 0.2)).toMatchObject({ tp: 1, fp: 0, misses: 0 });
    // The same counts as matchClass over every image and class.
    for (const t of [0.2, 0.5, 0.75]) {
      const all = stored.detectionSamples.images;
      const tp = [0, 1].reduce((n, c) => {
        const gts = all.flatMap((im) => im.truths.filter((x) => x.classIndex === c).map((x) => ({ image: im.itemId, classId: c, box: x.box })));
        const dets = all.flatMap((im) => im.detections.filter((d) => d.classIndex === c && d.score >= t).map((d) => ({ image: im.itemId, classId: c, box: d, score: d.score })));
        return n + matchClass(gts, dets, 0.5).filter((m) => m.tp).length;
      }, 0);
      expect(all.reduce((n, im) => n + judgeImage(im, t).tp, 0)).toBe(tp);
    }
  });

  it('pages the test images with totals over all of them, errors worst first, at the stored or the asked threshold', () => {
    const { store, stored } = evaluated();
    const all = detectionImagesPage(store, { runId: 'r1', show: 'all', offset: 0, limit: 2 });
    expect(all.threshold).toBe(stored.threshold);
    expect(all.total).toBe(3);
    expect(all.items.map((i) => i.image.name)).toEqual(['img-1.png', 'img-2.png']);
    expect(all.items[0]!.image).toMatchObject({ width: 100, height: 200, ext: '.png' });
    const at = (threshold: number, show: 'all' | 'errors', offset = 0, limit = 12) => detectionImagesPage(store, { runId: 'r1', threshold, show, offset, limit });
    expect(at(0.5, 'all').totals).toEqual({ tp: 2, fp: 2, misses: 2, images: 3 });
    const errors = at(0.5, 'errors');
    // img-2: 1 fp + 1 miss; img-1: 1 fp; img-3: 1 miss (ties keep test order).
    expect(errors.items.map((i) => [i.image.name, i.fp + i.misses])).toEqual([['img-2.png', 2], ['img-1.png', 1], ['img-3.png', 1]]);
    expect(at(0.5, 'errors', 1, 1).items.map((i) => i.image.name)).toEqual(['img-1.png']);
    expect(at(0.5, 'errors', 1, 1).total).toBe(3);
    expect(at(0.95, 'all').totals).toEqual({ tp: 0, fp: 0, misses: 4, images: 3 });
  });

  it('refuses a run that was not evaluated, or not as a detector, saying so', () => {
    const { store } = storeWithImages();
    expect(() => detectionImagesPage(store, { runId: 'r1', show: 'all', offset: 0, limit: 1 })).toThrow("Run 'Run r1' has not been evaluated yet; evaluate it to see its test images' boxes.");
    store.saveEvaluation('r1', { task: 'regression', runId: 'r1', target: 'y', count: 0, mae: 0, rmse: 0, r2: 0, actual: [], predicted: [], rows: [], residualHistogram: { min: 0, max: 0, counts: [] }, timeSeries: false });
    expect(() => detectionImagesPage(store, { runId: 'r1', show: 'all', offset: 0, limit: 1 })).toThrow("Run 'Run r1' was evaluated for regression; its test images' boxes exist only for a detector.");
  });
});
