/** What ImageGrid takes. The layout and keyboard rules are in shared/labels/virtual-grid.ts. */
import type { ImageItem, LabelClass } from '../../../../shared/images.js';

export interface IndexRange {
  /** First index, inclusive. */
  start: number;
  /** Last index, exclusive. */
  end: number;
}

export interface SelectModifiers {
  /** Extend the selection from the anchor to this index (Shift+click, Shift+arrows). */
  shift: boolean;
  /** Toggle this one (Ctrl/⌘+click, Space). */
  ctrl: boolean;
}

export interface ImageGridProps {
  count: number;
  /** The item at an index, or undefined while its page has not arrived (a placeholder is drawn). */
  getItem: (index: number) => ImageItem | undefined;
  /** Asked when tiles in view (with overscan) have no item yet. */
  onneed: (range: IndexRange) => void;
  thumbUrl: (item: ImageItem) => string;
  /** Selected item ids. */
  selected: ReadonlySet<number>;
  /** The current index (the one the canvas shows); -1 for none. */
  current: number;
  /** For each tile's class chip. */
  classes?: LabelClass[];
  onselect: (index: number, modifiers: SelectModifiers) => void;
  /** Double-click or Enter. */
  onopen: (index: number) => void;
  /** The smallest tile side in CSS pixels (tiles widen to fill the row). */
  minTile?: number;
}
