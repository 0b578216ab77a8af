/**
 * Groups training metric points into one chart per metric: the per-batch trace, the per-epoch
 * trace and the validation trace (val_<metric>) of each. Pure.
 */
import type { MetricPoint } from '../../../shared/training.js';
import type { XY } from './downsample.js';

export interface MetricTraces {
  base: string;
  batch: XY[];
  epoch: XY[];
  validation: XY[];
}

export function metricTraces(points: readonly MetricPoint[]): MetricTraces[] {
  const batch = new Map<string, XY[]>();
  const epoch = new Map<string, XY[]>();
  for (const p of points) {
    const target = p.kind === 'batch' ? batch : epoch;
    for (const [k, v] of Object.entries(p.logs)) {
      if (typeof v !== 'number') continue;
      let arr = target.get(k);
      if (!arr) target.set(k, (arr = []));
      arr.push({ x: p.step, y: v });
    }
  }
  const bases = new Set<string>();
  for (const k of [...batch.keys(), ...epoch.keys()]) {
    const base = k.startsWith('val_') ? k.slice(4) : k;
    // TF.js batch logs carry bookkeeping keys; they are not metrics.
    if (base !== 'batch' && base !== 'size') bases.add(base);
  }
  return [...bases]
    .sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)))
    .map((base) => ({ base, batch: batch.get(base) ?? [], epoch: epoch.get(base) ?? [], validation: epoch.get(`val_${base}`) ?? [] }));
}
