/**
 * A virtualised grid of square tiles: which rows are in view for a scroll position, where each
 * tile goes, and where the arrow, Page and Home/End keys move. Only the tiles in view (plus a few
 * rows of overscan) are drawn, so 50,000 images cost what a screenful does.
 *
 * Tiles fill the width: as many columns of at least `minTile` px as fit, widened to share the rest.
 */

export interface GridInput {
  /** The scrolling container's inner size, in CSS pixels. */
  width: number;
  height: number;
  /** The smallest tile side; tiles grow to fill the row. */
  minTile: number;
  gap: number;
  count: number;
  scrollTop: number;
  /** Rows drawn beyond the visible ones, above and below (default 2). */
  overscan?: number;
  /** Height under each tile for its caption (default 0). */
  caption?: number;
}

export interface GridLayout {
  columns: number;
  rows: number;
  /** A tile's side (its image area), after widening. */
  tile: number;
  /** From one row's top to the next's: tile + caption + gap. */
  rowHeight: number;
  /** From one column's left to the next's. */
  columnWidth: number;
  gap: number;
  totalHeight: number;
  /** Rows fully or partly in view, without overscan. */
  rowsInView: number;
  /** The tiles to draw: indices [start, end). */
  start: number;
  end: number;
}

export function gridLayout(input: GridInput): GridLayout {
  const gap = Math.max(0, input.gap);
  const minTile = Math.max(1, input.minTile);
  const width = Math.max(0, input.width);
  const columns = Math.max(1, Math.floor((width + gap) / (minTile + gap)));
  const tile = Math.max(minTile, Math.floor((width - gap * (columns - 1)) / columns));
  const rowHeight = tile + (input.caption ?? 0) + gap;
  const count = Math.max(0, Math.floor(input.count));
  const rows = Math.ceil(count / columns);
  const totalHeight = rows === 0 ? 0 : rows * rowHeight - gap;
  const overscan = Math.max(0, input.overscan ?? 2);
  const top = Math.max(0, input.scrollTop);
  const firstRow = Math.min(rows, Math.floor(top / rowHeight));
  const lastRow = Math.min(rows, Math.ceil((top + Math.max(0, input.height)) / rowHeight));
  const start = Math.max(0, firstRow - overscan) * columns;
  const end = Math.min(count, (lastRow + overscan) * columns);
  return {
    columns,
    rows,
    tile,
    rowHeight,
    columnWidth: tile + gap,
    gap,
    totalHeight,
    rowsInView: Math.max(1, Math.floor((Math.max(0, input.height) + gap) / rowHeight)),
    start,
    end: Math.max(start, end),
  };
}

/** A tile's top-left corner inside the scrolled content. */
export function tilePosition(index: number, layout: GridLayout): { x: number; y: number } {
  const row = Math.floor(index / layout.columns);
  const col = index % layout.columns;
  return { x: col * layout.columnWidth, y: row * layout.rowHeight };
}

export type GridMove = 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end';

/** KeyboardEvent.key → grid move. */
export const GRID_KEYS: Readonly<Record<string, GridMove>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

/**
 * Where a key moves the current tile. Left/right run along the reading order (wrapping to the
 * next row); up/down keep the column and stop at the first and last row (down from a row above a
 * short last row lands on the last tile); Page keys move by the rows in view.
 */
export function moveIndex(current: number, move: GridMove, layout: GridLayout, count: number): number {
  if (count <= 0) return -1;
  const last = count - 1;
  const at = Math.min(Math.max(0, current), last);
  if (current < 0) return move === 'end' ? last : 0;
  const cols = layout.columns;
  const page = layout.rowsInView * cols;
  switch (move) {
    case 'left':
      return Math.max(0, at - 1);
    case 'right':
      return Math.min(last, at + 1);
    case 'up':
      return at - cols >= 0 ? at - cols : at;
    case 'down':
      return at + cols <= last ? at + cols : Math.floor(at / cols) < Math.floor(last / cols) ? last : at;
    case 'pageUp':
      return at - page >= 0 ? at - page : at % cols;
    case 'pageDown':
      return at + page <= last ? at + page : last;
    case 'home':
      return 0;
    case 'end':
      return last;
  }
}

/** The scrollTop that brings tile `index` fully into view, moving as little as possible. */
export function scrollToReveal(index: number, layout: GridLayout, scrollTop: number, viewHeight: number): number {
  const top = tilePosition(index, layout).y;
  const bottom = top + layout.rowHeight - layout.gap;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewHeight) return Math.max(0, bottom - viewHeight);
  return scrollTop;
}
