/**
 * A detector's evaluation: COCO metrics (shared/metrics/detection.ts) of the test images'
 * detections against their confirmed boxes, stored with every test image's boxes
 * (DetectionSamples) so the viewer can judge them at any threshold without running the model.
 */
import { DEFAULT_DETECTION_THRESHOLD, type DetectionClassResult, type DetectionEvaluation, type DetectionSamples } from '../../shared/detection.js';
import { detectionMetrics, type DetectedBox, type GroundTruthBox } from '../../shared/metrics/detection.js';
import type { StoredEvaluation } from '../../shared/evaluation.js';
import { AppError } from '../../shared/errors.js';
import type { DetectionTruths, EvaluationOutput } from '../jobs/messages.js';

/** PR curves keep at most this many points per class (the first and last always). */
export const MAX_PR_POINTS = 200;

export function toDetectionEvaluation(runId: string, o: EvaluationOutput, truths: DetectionTruths): StoredEvaluation {
  const classes = o.classes ?? [];
  const itemIds = o.itemIds ?? [];
  const found = o.detections ?? [];
  if (found.length !== itemIds.length) throw new AppError('INTERNAL', `The trainer sent detections for ${found.length} of ${itemIds.length} test images.`);
  const samples: DetectionSamples = {
    images: itemIds.map((itemId, i) => ({ itemId, truths: truths[itemId]?.boxes ?? [], detections: found[i]! })),
  };
  const gts: GroundTruthBox[] = samples.images.flatMap((im) => im.truths.map((t) => ({ image: im.itemId, classId: t.classIndex, box: t.box })));
  const dets: DetectedBox[] = samples.images.flatMap((im) =>
    im.detections.map((d) => ({ image: im.itemId, classId: d.classIndex, score: d.score, box: { x: d.x, y: d.y, w: d.w, h: d.h } })),
  );
  const m = detectionMetrics(gts, dets);
  const byClass = new Map(m.perClass.map((c) => [c.classId, c]));
  const perClass: DetectionClassResult[] = classes.map((className, k) => {
    const c = byClass.get(k);
    if (!c) return { className, groundTruths: 0, detections: 0, ap50: null, ap: null, pr: { recall: [], precision: [], score: [] }, bestF1: null };
    return { className, groundTruths: c.groundTruths, detections: c.detections, ap50: c.ap50, ap: c.ap, pr: thinPr(c.pr), bestF1: c.bestF1 };
  });
  const evaluation: DetectionEvaluation = {
    task: 'detection',
    runId,
    count: itemIds.length,
    classes,
    map50: m.map50,
    map: m.map,
    perClass,
    bestF1: m.bestF1,
    threshold: m.bestF1?.threshold ?? DEFAULT_DETECTION_THRESHOLD,
    groundTruths: gts.length,
    detections: dets.length,
  };
  return { ...evaluation, detectionSamples: samples };
}

/** Every k-th point of a PR curve, keeping its last (full recall reached) point. */
function thinPr(pr: { recall: number[]; precision: number[]; score: number[] }): DetectionClassResult['pr'] {
  const n = pr.recall.length;
  if (n <= MAX_PR_POINTS) return pr;
  const keep = Array.from({ length: MAX_PR_POINTS }, (_, i) => Math.round((i * (n - 1)) / (MAX_PR_POINTS - 1)));
  return { recall: keep.map((i) => pr.recall[i]!), precision: keep.map((i) => pr.precision[i]!), score: keep.map((i) => pr.score[i]!) };
}
