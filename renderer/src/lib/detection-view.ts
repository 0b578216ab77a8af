/**
 * The arithmetic behind drawing a detector's boxes: where an image lands when it is fitted into a
 * frame (as CSS `object-fit: contain` places it), where its boxes land with it, how the threshold
 * slider steps, and how the viewer's grid moves under the arrow keys. Pure, so it is unit-tested;
 * the .svelte files only wire it to the DOM.
 */
import type { BoxGeometry } from '../../../shared/images.js';
import { DETECTION_SCORE_FLOOR, type BoxVerdict, type DetectionImageView } from '../../../shared/detection.js';

/** Where an image of naturalWidth × naturalHeight is drawn inside a frame, scaled to fit whole and centred. */
export interface Fit {
  x: number;
  y: number;
  /** Displayed pixels per image pixel. */
  scale: number;
}

/** The placement `object-fit: contain` gives: the whole image, as large as the frame allows, centred. */
export function containFit(naturalWidth: number, naturalHeight: number, frameWidth: number, frameHeight: number): Fit {
  if (!(naturalWidth > 0 && naturalHeight > 0) || !(frameWidth > 0 && frameHeight > 0)) return { x: 0, y: 0, scale: 0 };
  const scale = Math.min(frameWidth / naturalWidth, frameHeight / naturalHeight);
  return { x: (frameWidth - naturalWidth * scale) / 2, y: (frameHeight - naturalHeight * scale) / 2, scale };
}

/** A box in image pixels, in the frame's pixels. */
export function boxOnScreen(box: BoxGeometry, fit: Fit): BoxGeometry {
  return { x: fit.x + box.x * fit.scale, y: fit.y + box.y * fit.scale, w: box.w * fit.scale, h: box.h * fit.scale };
}

/** The slider's range: detections under the floor were never kept, so a lower threshold shows nothing more. */
export const THRESHOLD_MIN = DETECTION_SCORE_FLOOR;
export const THRESHOLD_MAX = 1;
/** What one press of [ or ] moves the threshold by. */
export const THRESHOLD_KEY_STEP = 0.05;

const clampThreshold = (t: number) => Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, t));

/**
 * One key step down (−1) or up (+1), landing on the next multiple of the step, so that from the
 * F1-optimal 0.437 ] gives 0.45 and [ gives 0.4, and pressing on from there keeps round numbers.
 */
export function stepThreshold(t: number, direction: -1 | 1, step = THRESHOLD_KEY_STEP): number {
  // Rounding first keeps 0.30000000000000004 from counting as past 0.3.
  const k = Math.round((t / step) * 1e6) / 1e6;
  const next = direction > 0 ? Math.floor(k) + 1 : Math.ceil(k) - 1;
  return clampThreshold(Math.round(next * step * 1e6) / 1e6);
}

/** A slider position as the user sees it: two decimals, within the range. */
export function sliderThreshold(raw: number): number {
  return clampThreshold(Math.round(raw * 100) / 100);
}

/** The threshold is the evaluation's F1-optimal one (shown as such, with nothing to reset). */
export function atOptimal(t: number, optimal: number): boolean {
  return Math.abs(t - optimal) < 1e-9;
}

/**
 * The arrow keys in a grid of `columns` over `count` items: the index moved to. It may fall
 * outside 0…count−1 (the viewer then turns the page); null for any other key.
 */
export function gridMove(index: number, key: string, columns: number, count: number): number | null {
  const cols = Math.max(1, columns);
  switch (key) {
    case 'ArrowLeft':
      return index - 1;
    case 'ArrowRight':
      return index + 1;
    case 'ArrowUp':
      return index - cols;
    case 'ArrowDown':
      return index + cols;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * Where an index outside a page of `pageSize` lands: the page to turn to (−1 back, +1 on, 0 stay)
 * and the index on it, kept within the pages there are.
 */
export function pageTurn(index: number, count: number, pageSize: number, offset: number, total: number): { turn: -1 | 0 | 1; index: number } {
  if (index < 0 && offset > 0) return { turn: -1, index: Math.max(0, pageSize + index) };
  if (index >= count && offset + count < total) return { turn: 1, index: Math.min(index - count, total - offset - count - 1) };
  return { turn: 0, index: Math.max(0, Math.min(count - 1, index)) };
}

/** Boxes per label, most first (ties by name): the try-it panel's count line. */
export function countByLabel(boxes: readonly { label: string }[]): { label: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const b of boxes) counts.set(b.label, (counts.get(b.label) ?? 0) + 1);
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** A score as a box's tag shows it: two decimals (0.87), as the threshold slider reads. */
export function fmtScore(score: number): string {
  return score.toFixed(2);
}

/** The viewer's colours: true positives green, false positives red, misses orange (dashed). */
export const VERDICT_COLORS = { tp: '#16a34a', fp: '#dc2626', miss: '#ea580c' } as const;
export const VERDICT_NAMES = { tp: 'true positive', fp: 'false positive', miss: 'missed' } as const;

/** A thumbnail tags at most this many false positives (the best-scoring): more would hide the image. */
export const THUMB_TAGS = 3;

/**
 * A judged image's boxes as drawn: thumbnails tag only their best-scoring false positives (with
 * the score, what the threshold is compared with); the large view tags every box with its class.
 */
export function verdictBoxes(
  boxes: DetectionImageView['boxes'],
  classes: readonly string[],
  detail: 'thumb' | 'full',
): { x: number; y: number; w: number; h: number; color: string; dashed: boolean; tag?: string; kind: BoxVerdict; index: number }[] {
  // Misses first, so detections are drawn over the truths they missed.
  const order = boxes.map((b, index) => ({ ...b, index })).sort((a, b) => Number(b.verdict === 'miss') - Number(a.verdict === 'miss'));
  const tagged = new Set(
    order
      .filter((b) => b.verdict === 'fp')
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0))
      .slice(0, THUMB_TAGS),
  );
  return order.map((b) => {
    const name = classes[b.classIndex] ?? `class ${b.classIndex}`;
    const score = b.score === undefined ? '' : fmtScore(b.score);
    let tag: string | undefined;
    if (detail === 'full') tag = b.verdict === 'miss' ? `${name} · missed` : `${name} ${score}`;
    else if (tagged.has(b)) tag = score;
    return { x: b.x, y: b.y, w: b.w, h: b.h, color: VERDICT_COLORS[b.verdict], dashed: b.verdict === 'miss', ...(tag ? { tag } : {}), kind: b.verdict, index: b.index };
  });
}
