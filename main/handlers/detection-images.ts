/**
 * `evaluation.detectionImages`: a detector's test images with each box judged at a threshold,
 * from the boxes stored with the evaluation (no model is run). Matching is COCO's at IoU 0.5, as
 * `matchClass` does it, per image and class: detections at or above the threshold, best first,
 * each take the unmatched ground truth they overlap most (a true positive) or are false
 * positives; ground truths left over are misses.
 */
import { AppError } from '../../shared/errors.js';
import type { BoxVerdict, DetectionImagePage, DetectionImageView, DetectionSamples } from '../../shared/detection.js';
import { iou, type BoxGeometry } from '../../shared/images.js';
import type { ProjectStore } from '../store/index.js';

export const MATCH_IOU = 0.5;

export interface DetectionImagesRequest {
  runId: string;
  threshold?: number;
  show: 'all' | 'errors';
  offset: number;
  limit: number;
}

type JudgedBox = DetectionImageView['boxes'][number];

/** One image's boxes judged at `threshold`: detections (tp or fp, best first), then the misses. */
export function judgeImage(image: DetectionSamples['images'][number], threshold: number): { boxes: JudgedBox[]; tp: number; fp: number; misses: number } {
  const kept = image.detections.filter((d) => d.score >= threshold);
  // Stable, as matchClass's sort: equal scores keep their stored order.
  const order = kept.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const taken = new Array<boolean>(image.truths.length).fill(false);
  const boxes: JudgedBox[] = [];
  let tp = 0;
  for (const { d } of order) {
    let best = -1;
    let bestIou = MATCH_IOU;
    image.truths.forEach((t, k) => {
      if (taken[k] || t.classIndex !== d.classIndex) return;
      const o = iou(d, t.box);
      if (o >= bestIou) {
        bestIou = o;
        best = k;
      }
    });
    const verdict: BoxVerdict = best >= 0 ? 'tp' : 'fp';
    if (best >= 0) {
      taken[best] = true;
      tp++;
    }
    boxes.push({ ...geometry(d), classIndex: d.classIndex, verdict, score: d.score });
  }
  image.truths.forEach((t, k) => {
    if (!taken[k]) boxes.push({ ...geometry(t.box), classIndex: t.classIndex, verdict: 'miss' });
  });
  return { boxes, tp, fp: kept.length - tp, misses: image.truths.length - tp };
}

function geometry(b: BoxGeometry): BoxGeometry {
  return { x: b.x, y: b.y, w: b.w, h: b.h };
}

export function detectionImagesPage(store: ProjectStore, req: DetectionImagesRequest): DetectionImagePage {
  const run = store.getRun(req.runId);
  const stored = store.getEvaluation(req.runId);
  if (!stored) throw new AppError('NOT_FOUND', `Run '${run.name}' has not been evaluated yet; evaluate it to see its test images' boxes.`);
  if (stored.task !== 'detection' || !stored.detectionSamples)
    throw new AppError('INVALID_REQUEST', `Run '${run.name}' was evaluated for ${stored.task}; its test images' boxes exist only for a detector.`);
  const threshold = req.threshold ?? stored.threshold;
  const judged = stored.detectionSamples.images.map((im, i) => ({ i, itemId: im.itemId, ...judgeImage(im, threshold) }));
  const totals = { tp: 0, fp: 0, misses: 0, images: judged.length };
  for (const j of judged) {
    totals.tp += j.tp;
    totals.fp += j.fp;
    totals.misses += j.misses;
  }
  const shown = req.show === 'errors' ? judged.filter((j) => j.fp + j.misses > 0).sort((a, b) => b.fp + b.misses - (a.fp + a.misses) || a.i - b.i) : judged;
  const page = shown.slice(req.offset, req.offset + req.limit);
  // An image deleted since the evaluation has no thumbnail left to show; it still counts in the totals.
  const items = new Map(store.images.items(page.map((j) => j.itemId)).map((it) => [it.id, it]));
  return {
    threshold,
    totals,
    total: shown.length,
    offset: req.offset,
    items: page.flatMap((j) => {
      const it = items.get(j.itemId);
      if (!it) return [];
      const name = it.relPath.split('/').pop() ?? it.relPath;
      return [{ image: { id: it.id, sha256: it.sha256, ext: it.ext, name, width: it.width, height: it.height }, boxes: j.boxes, tp: j.tp, fp: j.fp, misses: j.misses }];
    }),
  };
}
