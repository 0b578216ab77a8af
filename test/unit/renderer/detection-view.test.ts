/** Drawing a detector's boxes: fitting images and boxes into a frame, the threshold slider's steps, the viewer's keys. */
import { describe, it, expect } from 'vitest';
import {
  atOptimal,
  boxOnScreen,
  containFit,
  countByLabel,
  gridMove,
  pageTurn,
  sliderThreshold,
  stepThreshold,
  THRESHOLD_MIN,
  VERDICT_COLORS,
  verdictBoxes,
} from '../../../renderer/src/lib/detection-view.js';
import { effectiveLoss, lossesFor } from '../../../renderer/src/lib/model-problems.js';

describe('containFit and boxOnScreen', () => {
  it('fits a wide image to the frame width and centres it vertically', () => {
    const fit = containFit(400, 200, 200, 200);
    expect(fit).toEqual({ x: 0, y: 50, scale: 0.5 });
    // A box over the image's right half lands on the frame's right half, inside the letterbox.
    expect(boxOnScreen({ x: 200, y: 0, w: 200, h: 200 }, fit)).toEqual({ x: 100, y: 50, w: 100, h: 100 });
  });

  it('fits a tall image to the frame height and centres it horizontally, scaling up small images', () => {
    const fit = containFit(10, 20, 300, 100);
    expect(fit.scale).toBe(5);
    expect(fit.x).toBe(125);
    expect(fit.y).toBe(0);
    expect(boxOnScreen({ x: 2, y: 4, w: 6, h: 8 }, fit)).toEqual({ x: 135, y: 20, w: 30, h: 40 });
  });

  it('draws nothing before the frame or the image has a size', () => {
    expect(containFit(100, 100, 0, 0).scale).toBe(0);
    expect(containFit(0, 0, 100, 100).scale).toBe(0);
  });
});

describe('threshold steps', () => {
  it('[ and ] land on the next multiple of 0.05 from an F1-optimal threshold between them', () => {
    expect(stepThreshold(0.437, 1)).toBe(0.45);
    expect(stepThreshold(0.437, -1)).toBe(0.4);
    expect(stepThreshold(0.45, 1)).toBe(0.5);
    expect(stepThreshold(0.45, -1)).toBe(0.4);
  });

  it('is not fooled by floating-point sums (0.1 + 0.2)', () => {
    expect(stepThreshold(0.1 + 0.2, 1)).toBe(0.35);
    expect(stepThreshold(0.1 + 0.2, -1)).toBe(0.25);
  });

  it('stays between the stored score floor and 1', () => {
    expect(stepThreshold(THRESHOLD_MIN, -1)).toBe(THRESHOLD_MIN);
    expect(stepThreshold(0.98, 1)).toBe(1);
    expect(stepThreshold(1, 1)).toBe(1);
    expect(sliderThreshold(0.0123)).toBe(THRESHOLD_MIN);
    expect(sliderThreshold(0.4567)).toBe(0.46);
  });

  it('knows when it is back at the F1-optimal threshold', () => {
    expect(atOptimal(0.437, 0.437)).toBe(true);
    expect(atOptimal(0.44, 0.437)).toBe(false);
  });
});

describe('viewer keys', () => {
  it('moves by one sideways and by a row up and down', () => {
    expect(gridMove(5, 'ArrowRight', 4, 12)).toBe(6);
    expect(gridMove(5, 'ArrowLeft', 4, 12)).toBe(4);
    expect(gridMove(5, 'ArrowDown', 4, 12)).toBe(9);
    expect(gridMove(5, 'ArrowUp', 4, 12)).toBe(1);
    expect(gridMove(5, 'End', 4, 12)).toBe(11);
    expect(gridMove(5, 'x', 4, 12)).toBeNull();
  });

  it('turns the page past either end of a page, when there is one', () => {
    // Page of 12 at offset 12 of 30 images.
    expect(pageTurn(12, 12, 12, 12, 30)).toEqual({ turn: 1, index: 0 });
    expect(pageTurn(-1, 12, 12, 12, 30)).toEqual({ turn: -1, index: 11 });
    // The last page holds 6 images: moving down a row of 4 from index 11 lands on its last one at most.
    expect(pageTurn(15, 12, 12, 12, 30)).toEqual({ turn: 1, index: 3 });
    expect(pageTurn(21, 6, 12, 24, 30)).toEqual({ turn: 0, index: 5 });
    expect(pageTurn(-1, 12, 12, 0, 30)).toEqual({ turn: 0, index: 0 });
  });
});

describe('countByLabel', () => {
  it('counts boxes per class, most first', () => {
    const boxes = ['cat', 'dog', 'dog', 'bird', 'cat', 'dog'].map((label) => ({ label }));
    expect(countByLabel(boxes)).toEqual([
      { label: 'dog', count: 3 },
      { label: 'cat', count: 2 },
      { label: 'bird', count: 1 },
    ]);
    expect(countByLabel([])).toEqual([]);
  });
});

describe('verdictBoxes', () => {
  const boxes = [
    { x: 1, y: 1, w: 5, h: 5, classIndex: 0, verdict: 'tp' as const, score: 0.912 },
    { x: 2, y: 2, w: 5, h: 5, classIndex: 1, verdict: 'miss' as const },
    { x: 3, y: 3, w: 5, h: 5, classIndex: 1, verdict: 'fp' as const, score: 0.4 },
  ];

  it('draws misses dashed orange under the detections, false positives red with their score', () => {
    const drawn = verdictBoxes(boxes, ['cat', 'dog'], 'thumb');
    expect(drawn.map((b) => b.kind)).toEqual(['miss', 'tp', 'fp']);
    expect(drawn[0]).toMatchObject({ color: VERDICT_COLORS.miss, dashed: true });
    expect(drawn[1]).toMatchObject({ color: VERDICT_COLORS.tp, dashed: false });
    expect(drawn[1]!.tag).toBeUndefined();
    expect(drawn[2]).toMatchObject({ color: VERDICT_COLORS.fp, tag: '0.40' });
  });

  it('tags only the best-scoring false positives on a thumbnail, so a noisy detector does not hide the image', () => {
    const many = Array.from({ length: 8 }, (_, k) => ({ x: k, y: 0, w: 4, h: 4, classIndex: 0, verdict: 'fp' as const, score: (k + 1) / 10 }));
    const tags = verdictBoxes(many, ['cat'], 'thumb').map((b) => b.tag).filter(Boolean);
    expect(tags).toEqual(['0.60', '0.70', '0.80']);
    expect(verdictBoxes(many, ['cat'], 'full').every((b) => b.tag)).toBe(true);
  });

  it('tags every box with its class in the large view', () => {
    expect(verdictBoxes(boxes, ['cat', 'dog'], 'full').map((b) => b.tag)).toEqual(['dog · missed', 'cat 0.91', 'dog 0.40']);
  });
});

describe('losses for a detection dataset', () => {
  it('offers the grid loss for detection alone, and only there', () => {
    expect(lossesFor('detection')).toEqual(['gridDetection']);
    expect(lossesFor('classification')).not.toContain('gridDetection');
    expect(lossesFor('regression')).toContain('meanAbsoluteError');
  });

  it('switches to and away from the grid loss with the dataset', () => {
    expect(effectiveLoss('detection', 'categoricalCrossentropy')).toBe('gridDetection');
    expect(effectiveLoss('classification', 'gridDetection')).toBe('categoricalCrossentropy');
    expect(effectiveLoss('regression', 'gridDetection')).toBe('meanAbsoluteError');
    expect(effectiveLoss('regression', 'meanSquaredError')).toBe('meanSquaredError');
  });
});
