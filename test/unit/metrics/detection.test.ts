/**
 * COCO-style detection metrics against cases worked out by hand. The arithmetic is written out
 * next to each expectation: 101 recall levels 0, 0.01, …, 1; levels 0–0.33 are 34 of them,
 * 0.34–0.66 are 33, 0.67–1 are 34.
 */
import { describe, expect, it } from 'vitest';
import { averagePrecision101, bestF1, detectionMetrics, iou, IOU_THRESHOLDS, matchClass, type DetectedBox, type GroundTruthBox } from '../../../shared/metrics/detection.js';

const box = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

// Class 0: three ground-truth boxes on two images; four detections.
//   d1 A 0.9 on g1 exactly                              IoU 1
//   d2 A 0.8 shifted 1 px off g1 (already taken)        IoU 90/110 = 0.818 with g1 → false positive
//   d3 B 0.7 g3 stretched to 15 px high                 IoU 100/150 = 0.667 → true positive up to t = 0.65
//   d4 A 0.6 g2 shifted 1 px                            IoU 90/110 = 0.818 → true positive up to t = 0.8
const gts: GroundTruthBox[] = [
  { image: 'A', classId: 0, box: box(0, 0, 10, 10) },
  { image: 'A', classId: 0, box: box(20, 0, 10, 10) },
  { image: 'B', classId: 0, box: box(0, 0, 10, 10) },
];
const dets: DetectedBox[] = [
  { image: 'A', classId: 0, box: box(0, 0, 10, 10), score: 0.9 },
  { image: 'A', classId: 0, box: box(1, 0, 10, 10), score: 0.8 },
  { image: 'B', classId: 0, box: box(0, 0, 10, 15), score: 0.7 },
  { image: 'A', classId: 0, box: box(21, 0, 10, 10), score: 0.6 },
];

// t ≤ 0.65: TP FP TP TP. recall 1/3 1/3 2/3 1, precision 1 1/2 2/3 3/4 → monotone 1 3/4 3/4 3/4.
//   34 levels read 1, 33 read 3/4 (first point with recall ≥ r is the third), 34 read 3/4.
const AP_LOW = (34 * 1 + 33 * 0.75 + 34 * 0.75) / 101; // = 84.25 / 101
// 0.7 ≤ t ≤ 0.8: TP FP FP TP. recall 1/3 1/3 1/3 2/3, precision 1 1/2 1/3 1/2 → monotone 1 1/2 1/2 1/2.
//   34 levels read 1, 33 read 1/2, 34 (recall above 2/3) read 0.
const AP_MID = (34 * 1 + 33 * 0.5) / 101; // = 50.5 / 101
// t ≥ 0.85: TP FP FP FP: only the 34 levels up to recall 1/3 read precision 1.
const AP_HIGH = 34 / 101;

describe('detection metrics', () => {
  it('IoU of two boxes: intersection over union', () => {
    expect(iou(box(0, 0, 10, 10), box(5, 5, 10, 10))).toBeCloseTo(25 / 175, 12);
    expect(iou(box(0, 0, 10, 10), box(10, 0, 10, 10))).toBe(0);
    expect(iou(box(0, 0, 10, 10), box(0, 0, 10, 15))).toBeCloseTo(2 / 3, 12);
  });

  it('matches greedily by score: a higher score takes the box even when a later detection overlaps it more', () => {
    const g = [{ image: 1, classId: 0, box: box(0, 0, 10, 10) }];
    const d = [
      { image: 1, classId: 0, box: box(0, 0, 10, 10), score: 0.5 }, // IoU 1, but second in score order
      { image: 1, classId: 0, box: box(2, 0, 10, 10), score: 0.9 }, // IoU 80/120 = 2/3
    ];
    expect(matchClass(g, d, 0.5)).toEqual([
      { score: 0.9, tp: true },
      { score: 0.5, tp: false },
    ]);
    // At t = 0.7 the 2/3 overlap is not enough, so the exact box gets it.
    expect(matchClass(g, d, 0.7).map((m) => m.tp)).toEqual([false, true]);
    // Boxes on another image never match.
    expect(matchClass(g, [{ ...d[0]!, image: 2 }], 0.5)).toEqual([{ score: 0.5, tp: false }]);
  });

  it('101-point AP of the hand case at each IoU threshold', () => {
    expect(IOU_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    const byT = IOU_THRESHOLDS.map((t) => averagePrecision101(matchClass(gts, dets, t), 3));
    const expected = [AP_LOW, AP_LOW, AP_LOW, AP_LOW, AP_MID, AP_MID, AP_MID, AP_HIGH, AP_HIGH, AP_HIGH];
    byT.forEach((ap, k) => expect(ap).toBeCloseTo(expected[k]!, 12));
  });

  it('AP is 1 for perfect detections, 0 for none, null without ground truth', () => {
    const perfect = gts.map((g, i) => ({ ...g, score: 1 - i / 10 }));
    expect(averagePrecision101(matchClass(gts, perfect, 0.95), 3)).toBe(1);
    expect(averagePrecision101([], 3)).toBe(0);
    expect(averagePrecision101([{ tp: false }], 0)).toBeNull();
  });

  it('mAP@0.5 and mAP@0.5:0.95 average over classes with ground truth; the F1-optimal threshold', () => {
    const m = detectionMetrics(
      [...gts, { image: 'B', classId: 1, box: box(0, 0, 5, 5) }], // class 1: one box, never detected → AP 0
      [...dets, { image: 'B', classId: 2, box: box(50, 50, 5, 5), score: 0.95 }], // class 2: no ground truth → no AP
    );
    expect(m.perClass.map((c) => [c.classId, c.groundTruths, c.detections])).toEqual([[0, 3, 4], [1, 1, 0], [2, 0, 1]]);
    const c0 = m.perClass[0]!;
    expect(c0.ap50).toBeCloseTo(84.25 / 101, 12);
    // (4·AP_LOW + 3·AP_MID + 3·AP_HIGH) / 10 = (337 + 151.5 + 102) / 1010 = 590.5 / 1010
    expect(c0.ap).toBeCloseTo(590.5 / 1010, 12);
    expect(m.perClass[1]!.ap50).toBe(0);
    expect(m.perClass[2]!.ap50).toBeNull();
    expect(m.map50).toBeCloseTo(84.25 / 101 / 2, 12);
    expect(m.map).toBeCloseTo(590.5 / 1010 / 2, 12);
    // Class 0's PR points at IoU 0.5, one per detection.
    expect(c0.pr).toEqual({ recall: [1 / 3, 1 / 3, 2 / 3, 1], precision: [1, 1 / 2, 2 / 3, 3 / 4], score: [0.9, 0.8, 0.7, 0.6] });
    // Class 0's F1 at each cut: 0.9 → 2·1·(1/3)/(4/3) = 1/2; 0.8 → 2/5; 0.7 → 2/3; 0.6 → 2·(3/4)·1/(7/4) = 6/7.
    expect(c0.bestF1!.threshold).toBe(0.6);
    expect(c0.bestF1!.f1).toBeCloseTo(6 / 7, 12);
    // Pooled over classes (4 boxes; class 2's 0.95 is a false positive): 0.95 → F1 0; 0.9 → P 1/2 R 1/4 → 1/3;
    // 0.8 → P 1/3 R 1/4; 0.7 → P 1/2 R 1/2 → 1/2; 0.6 → P 3/5 R 3/4 → 2·(9/20)/(27/20) = 2/3.
    expect(m.bestF1!.threshold).toBe(0.6);
    expect(m.bestF1!.f1).toBeCloseTo(2 / 3, 12);
    expect(m.bestF1!.precision).toBeCloseTo(3 / 5, 12);
    expect(m.bestF1!.recall).toBeCloseTo(3 / 4, 12);
  });

  it('no detections: AP 0, no threshold; no ground truth at all: no mAP', () => {
    expect(bestF1([], 3)).toBeNull();
    const none = detectionMetrics(gts, []);
    expect(none.map50).toBe(0);
    expect(none.bestF1).toBeNull();
    expect(detectionMetrics([], dets).map50).toBeNull();
  });
});
