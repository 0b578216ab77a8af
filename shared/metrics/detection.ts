/**
 * Object-detection metrics with COCO's definitions (pycocotools' COCOeval, bbox):
 *
 * - Matching, per image and class, at an IoU threshold t: detections in descending score order
 *   each take the not-yet-matched ground-truth box they overlap most, if that IoU ≥ t (a true
 *   positive); otherwise they are false positives. Ground-truth boxes left over are misses.
 * - AP: precision made monotone (each point takes the best precision at any higher recall),
 *   read at the 101 recall levels 0, 0.01, …, 1 (the first point reaching that recall, 0 where
 *   none does) and averaged.
 * - mAP@0.5: mean over classes of AP at t = 0.5; mAP@0.5:0.95: mean over classes and the ten
 *   thresholds 0.5, 0.55, …, 0.95. A class with no ground truth has no AP and is left out.
 *
 * Not modelled (our datasets carry none of it): crowd regions (every box counts), COCO's area
 * ranges and its cap of 100 detections per image. Boxes are {x, y, w, h} in pixels.
 */
import type { BoxGeometry } from '../images.js';

export interface GroundTruthBox {
  image: string | number;
  classId: number;
  box: BoxGeometry;
}

export interface DetectedBox extends GroundTruthBox {
  score: number;
}

export const IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, k) => (50 + 5 * k) / 100);
const RECALL_LEVELS: readonly number[] = Array.from({ length: 101 }, (_, k) => k / 100);

export function iou(a: BoxGeometry, b: BoxGeometry): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/** One class's detections in descending score order, each marked true or false positive at `threshold`. */
export function matchClass(gts: GroundTruthBox[], dets: DetectedBox[], threshold: number): { score: number; tp: boolean }[] {
  // A stable sort: equal scores keep their input order, as COCO's mergesort does.
  const order = dets.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i);
  const byImage = new Map<string | number, { box: BoxGeometry; taken: boolean }[]>();
  for (const g of gts) {
    let list = byImage.get(g.image);
    if (!list) byImage.set(g.image, (list = []));
    list.push({ box: g.box, taken: false });
  }
  return order.map(({ d }) => {
    let best = -1;
    let bestIou = threshold;
    (byImage.get(d.image) ?? []).forEach((g, k) => {
      if (g.taken) return;
      const o = iou(d.box, g.box);
      if (o >= bestIou) {
        bestIou = o;
        best = k;
      }
    });
    if (best >= 0) byImage.get(d.image)![best]!.taken = true;
    return { score: d.score, tp: best >= 0 };
  });
}

/** COCO's 101-point interpolated AP of matched detections (descending score) against `positives` boxes. */
export function averagePrecision101(matched: { tp: boolean }[], positives: number): number | null {
  if (positives === 0) return null;
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  matched.forEach((m, i) => {
    if (m.tp) tp++;
    recall.push(tp / positives);
    precision.push(tp / (i + 1));
  });
  for (let i = precision.length - 1; i > 0; i--) if (precision[i]! > precision[i - 1]!) precision[i - 1] = precision[i]!;
  let sum = 0;
  let i = 0;
  for (const r of RECALL_LEVELS) {
    while (i < recall.length && recall[i]! < r) i++;
    sum += i < recall.length ? precision[i]! : 0;
  }
  return sum / RECALL_LEVELS.length;
}

export interface F1Point {
  /** Keep detections scoring at least this. */
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
}

/** The score threshold with the best F1 (at ties, the higher threshold); null without detections or ground truth. */
export function bestF1(matched: { score: number; tp: boolean }[], positives: number): F1Point | null {
  const sorted = [...matched].sort((a, b) => b.score - a.score);
  let best: F1Point | null = null;
  let tp = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.tp) tp++;
    if (i + 1 < sorted.length && sorted[i + 1]!.score === sorted[i]!.score) continue;
    if (!positives) continue;
    const precision = tp / (i + 1);
    const recall = tp / positives;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    if (!best || f1 > best.f1) best = { threshold: sorted[i]!.score, f1, precision, recall };
  }
  return best;
}

export interface ClassDetectionMetrics {
  classId: number;
  groundTruths: number;
  detections: number;
  /** AP at IoU 0.5; null when the class has no ground truth. */
  ap50: number | null;
  /** AP averaged over IoU 0.5:0.05:0.95. */
  ap: number | null;
  /** AP at each of IOU_THRESHOLDS. */
  apByIou: (number | null)[];
  /** At IoU 0.5, one point per detection in descending score order (not interpolated). */
  pr: { recall: number[]; precision: number[]; score: number[] };
  bestF1: F1Point | null;
}

export interface DetectionMetrics {
  perClass: ClassDetectionMetrics[];
  map50: number | null;
  map: number | null;
  /** The confidence threshold with the best F1 over all classes pooled, at IoU 0.5. */
  bestF1: F1Point | null;
}

const mean = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

export function detectionMetrics(gts: GroundTruthBox[], dets: DetectedBox[]): DetectionMetrics {
  const classIds = [...new Set([...gts.map((g) => g.classId), ...dets.map((d) => d.classId)])].sort((a, b) => a - b);
  const pooled: { score: number; tp: boolean }[] = [];
  const perClass = classIds.map((classId): ClassDetectionMetrics => {
    const g = gts.filter((x) => x.classId === classId);
    const d = dets.filter((x) => x.classId === classId);
    const apByIou = IOU_THRESHOLDS.map((t) => averagePrecision101(matchClass(g, d, t), g.length));
    const at50 = matchClass(g, d, 0.5);
    pooled.push(...at50);
    let tp = 0;
    const pr = { recall: [] as number[], precision: [] as number[], score: [] as number[] };
    at50.forEach((m, i) => {
      if (m.tp) tp++;
      pr.recall.push(g.length ? tp / g.length : 0);
      pr.precision.push(tp / (i + 1));
      pr.score.push(m.score);
    });
    return { classId, groundTruths: g.length, detections: d.length, ap50: apByIou[0]!, ap: mean(apByIou), apByIou, pr, bestF1: bestF1(at50, g.length) };
  });
  return {
    perClass,
    map50: mean(perClass.map((c) => c.ap50)),
    map: mean(perClass.map((c) => c.ap)),
    bestF1: bestF1(pooled, gts.length),
  };
}
