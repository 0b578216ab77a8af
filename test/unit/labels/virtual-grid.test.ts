/** The virtualised grid with 50,000 images: only a screenful of tiles, positions, keyboard moves. */
import { describe, expect, it } from 'vitest';
import { gridLayout, moveIndex, scrollToReveal, tilePosition, type GridInput } from '../../../shared/labels/virtual-grid.js';

const N = 50_000;
const base: GridInput = { width: 1000, height: 600, minTile: 150, gap: 10, count: N, scrollTop: 0, overscan: 2, caption: 20 };

describe('gridLayout', () => {
  it('fits as many columns as it can and widens the tiles to fill the row', () => {
    const l = gridLayout(base);
    expect(l.columns).toBe(6); // 6 × 150 + 5 × 10 = 950 ≤ 1000; 7 would need 1110
    expect(l.tile).toBe(158); // (1000 - 50) / 6
    expect(l.rowHeight).toBe(188);
    expect(l.rows).toBe(Math.ceil(N / 6));
    expect(l.totalHeight).toBe(l.rows * 188 - 10);
  });

  it('draws only the rows in view plus the overscan, wherever the scroll is', () => {
    const top = gridLayout(base);
    expect(top.start).toBe(0);
    expect(top.end).toBe((Math.ceil(600 / 188) + 2) * 6); // 4 rows in view + 2 overscan
    const l0 = gridLayout(base);
    const mid = gridLayout({ ...base, scrollTop: 188 * 4000 + 50 });
    expect(mid.start).toBe((4000 - 2) * 6);
    expect(mid.end - mid.start).toBeLessThanOrEqual(9 * 6);
    const bottom = gridLayout({ ...base, scrollTop: l0.totalHeight - 600 });
    expect(bottom.end).toBe(N);
    expect(bottom.end - bottom.start).toBeLessThan(60);
    // Scrolled past the end (the list shrank under a filter): nothing breaks, the tail is drawn.
    const past = gridLayout({ ...base, count: 10, scrollTop: 1e6 });
    expect(past.end).toBe(10);
    expect(past.start).toBeLessThanOrEqual(past.end);
  });

  it('copes with a narrow container and an empty list', () => {
    const narrow = gridLayout({ ...base, width: 90 });
    expect(narrow.columns).toBe(1);
    expect(narrow.tile).toBe(150);
    const empty = gridLayout({ ...base, count: 0 });
    expect(empty).toMatchObject({ rows: 0, totalHeight: 0, start: 0, end: 0 });
  });

  it('puts each tile at its row and column', () => {
    const l = gridLayout(base);
    expect(tilePosition(0, l)).toEqual({ x: 0, y: 0 });
    expect(tilePosition(7, l)).toEqual({ x: 168, y: 188 });
    expect(tilePosition(N - 1, l)).toEqual({ x: ((N - 1) % 6) * 168, y: Math.floor((N - 1) / 6) * 188 });
  });
});

describe('keyboard moves', () => {
  const l = gridLayout(base); // 6 columns, 3 full rows in view
  it('left and right follow reading order and stop at the ends', () => {
    expect(moveIndex(5, 'right', l, N)).toBe(6);
    expect(moveIndex(6, 'left', l, N)).toBe(5);
    expect(moveIndex(0, 'left', l, N)).toBe(0);
    expect(moveIndex(N - 1, 'right', l, N)).toBe(N - 1);
  });

  it('up and down keep the column; down onto a short last row lands on its last tile', () => {
    expect(moveIndex(8, 'up', l, N)).toBe(2);
    expect(moveIndex(2, 'up', l, N)).toBe(2);
    expect(moveIndex(2, 'down', l, N)).toBe(8);
    // 50,000 = 8333 × 6 + 2: the last row holds indices 49998 and 49999.
    expect(moveIndex(49_995, 'down', l, N)).toBe(N - 1);
    expect(moveIndex(49_998, 'down', l, N)).toBe(49_998);
  });

  it('page keys move by the rows in view; Home and End go to the ends', () => {
    expect(l.rowsInView).toBe(3);
    expect(moveIndex(100, 'pageDown', l, N)).toBe(118);
    expect(moveIndex(118, 'pageUp', l, N)).toBe(100);
    expect(moveIndex(4, 'pageUp', l, N)).toBe(4);
    expect(moveIndex(N - 5, 'pageDown', l, N)).toBe(N - 1);
    expect(moveIndex(12_345, 'home', l, N)).toBe(0);
    expect(moveIndex(12, 'end', l, N)).toBe(N - 1);
    expect(moveIndex(-1, 'down', l, N)).toBe(0);
    expect(moveIndex(3, 'down', l, 0)).toBe(-1);
  });

  it('scrolls only as far as needed to show the current tile', () => {
    expect(scrollToReveal(0, l, 500, 600)).toBe(0);
    expect(scrollToReveal(7, l, 0, 600)).toBe(0); // already in view
    const row = 30; // index 180
    expect(scrollToReveal(180, l, 0, 600)).toBe(row * 188 + 178 - 600);
    expect(scrollToReveal(N - 1, l, 0, 600)).toBe(l.totalHeight - 600);
  });
});
