/**
 * Keeps charts fast with tens of thousands of batch points: buckets points by x and keeps each
 * bucket's first, min, max and last (M4), so spikes stay visible while the path stays short.
 */
export interface XY {
  x: number;
  y: number;
}

export function downsample(points: readonly XY[], maxBuckets: number): XY[] {
  if (points.length <= maxBuckets * 4 || maxBuckets < 1) return points.slice();
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const span = last.x - first.x || 1;
  const out: XY[] = [];
  let bucket = -1;
  let bFirst: XY | null = null;
  let bMin: XY | null = null;
  let bMax: XY | null = null;
  let bLast: XY | null = null;
  const flush = () => {
    if (!bFirst || !bMin || !bMax || !bLast) return;
    const pts = [bFirst, bMin, bMax, bLast].sort((a, b) => a.x - b.x);
    for (const p of pts) if (out[out.length - 1] !== p) out.push(p);
  };
  for (const p of points) {
    const b = Math.min(maxBuckets - 1, Math.floor(((p.x - first.x) / span) * maxBuckets));
    if (b !== bucket) {
      flush();
      bucket = b;
      bFirst = bMin = bMax = bLast = p;
    } else {
      if (p.y < bMin!.y) bMin = p;
      if (p.y > bMax!.y) bMax = p;
      bLast = p;
    }
  }
  flush();
  return out;
}

/**
 * "Nice" axis ticks between lo and hi, about `count` of them. `integer`: the axis counts something
 * (epochs, batches, rows), so ticks are whole numbers one or more apart, never 1.5.
 */
export function niceTicks(lo: number, hi: number, count = 5, integer = false): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return integer && !Number.isInteger(lo) ? [] : [lo];
  const raw = Math.max((hi - lo) / Math.max(1, count), integer ? 1 : 0);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}
