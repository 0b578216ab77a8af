/** One colour per class for overlaid per-class charts (Tableau 10, then repeated with lighter shades). */
const BASE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function classColor(k: number): string {
  const base = BASE[k % BASE.length]!;
  return k < BASE.length ? base : `color-mix(in srgb, ${base} ${k < 2 * BASE.length ? 60 : 35}%, white)`;
}
