/** The keyboard-drawn box: where it starts, how the arrows move and size it. */
import { describe, expect, it } from 'vitest';
import { startDraft, stepDraft } from '../../../shared/labels/draft.js';
import { fitViewport, visibleImageRect } from '../../../shared/labels/viewport.js';
import { resolveKey, type KeyState } from '../../../shared/labels/keys.js';
import type { BoxGeometry } from '../../../shared/images.js';

const image = { width: 1000, height: 800 };

describe('keyboard drawing', () => {
  it('starts as a square in the middle of what is in view', () => {
    expect(startDraft({ x: 0, y: 0, w: 1000, h: 800 }, image)).toEqual({ x: 400, y: 300, w: 200, h: 200 });
    // Zoomed into the top-left: the draft is there, not in the middle of the image.
    expect(startDraft({ x: 100, y: 50, w: 200, h: 150 }, image)).toEqual({ x: 181, y: 106, w: 38, h: 38 });
    // A tiny image: the draft is no larger than the image.
    expect(startDraft({ x: 0, y: 0, w: 3, h: 2 }, { width: 3, height: 2 })).toEqual({ x: 1, y: 0, w: 2, h: 2 });
  });

  it('is placed with the arrows and sized with Alt+arrows, key by key, inside the image', () => {
    const c = { width: 800, height: 600 };
    let draft: BoxGeometry = startDraft(visibleImageRect(fitViewport(image, c), image, c), image);
    const state: KeyState = { selectedId: null, selectedStatus: null, drafting: true, boxCount: 0, classes: [] };
    const keys = [
      { key: 'ArrowLeft', shiftKey: true },
      { key: 'ArrowLeft', shiftKey: true },
      { key: 'ArrowUp' },
      { key: 'ArrowRight', altKey: true, shiftKey: true },
      { key: 'ArrowDown', altKey: true },
    ];
    for (const k of keys) {
      const a = resolveKey(k, state);
      if (a?.type !== 'nudge' || a.target !== 'draft') throw new Error(`expected a draft nudge for ${k.key}`);
      draft = stepDraft(draft, a.dx, a.dy, a.mode, image);
    }
    expect(draft).toEqual({ x: 380, y: 299, w: 210, h: 201 });
    expect(resolveKey({ key: 'Enter' }, state)).toEqual({ type: 'confirmDraft' });
    for (let i = 0; i < 100; i++) draft = stepDraft(draft, 10, 10, 'move', image);
    expect(draft).toEqual({ x: 790, y: 599, w: 210, h: 201 });
  });
});
