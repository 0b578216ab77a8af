/** Boxes and classes for the labelling tests. */
import type { Box, LabelClass } from '../../../shared/images.js';

export function box(id: number, x: number, y: number, w: number, h: number, status: Box['status'] = 'confirmed', score: number | null = null): Box {
  return { id, itemId: 1, classId: 1, x, y, w, h, status, score, source: status === 'proposal' ? 'human-models/centernet' : null };
}

export function classes(n: number): LabelClass[] {
  return Array.from({ length: n }, (_, i) => ({ id: 10 + i, datasetId: 'd', name: `class${i}`, key: i < 9 ? String(i + 1) : null, color: '#fff', position: i }));
}
