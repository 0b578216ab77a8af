/** What BoxCanvas takes and what it hands back. The logic behind it is in shared/labels/. */
import type { Box, BoxGeometry, BoxStatus, LabelClass } from '../../../../shared/images.js';
import type { KeyAction } from '../../../../shared/labels/keys.js';

export interface BoxCanvasProps {
  /** The image's URL (the media protocol, or a serve-mode URL). */
  src: string;
  /** The image's size in pixels, as displayed (after EXIF orientation); boxes use these pixels. */
  width: number;
  height: number;
  boxes: Box[];
  classes: LabelClass[];
  selectedId: number | null;
  /** The class a new box gets (drawn in its colour while being drawn). */
  activeClassId: number | null;
  showBoxes?: boolean;
  /** Proposals scoring below this are drawn faint. */
  threshold?: number;
  /** A box was drawn (mouse or keyboard), in whole image pixels. */
  oncreate: (geom: BoxGeometry) => void;
  /** A box was moved or resized: once when the drag ends, once per nudge. */
  onchange: (id: number, geom: BoxGeometry) => void;
  ondelete: (id: number) => void;
  onselect: (id: number | null) => void;
  /** A proposal was accepted (double-click, or Enter through handleAction). */
  onaccept: (id: number) => void;
}

/**
 * What the canvas knows for resolveKey(); the label view adds the classes:
 * `resolveKey(e, { ...canvas.keyState(), classes })`.
 */
export interface CanvasKeyState {
  selectedId: number | null;
  selectedStatus: BoxStatus | null;
  drafting: boolean;
  boxCount: number;
}

/** The actions BoxCanvas.handleAction() carries out itself; the label view handles the rest. */
export const CANVAS_ACTIONS: ReadonlySet<KeyAction['type']> = new Set([
  'newBox',
  'nudge',
  'confirmDraft',
  'cancelDraft',
  'deselect',
  'cycle',
  'deleteSelected',
  'acceptSelected',
  'zoomIn',
  'zoomOut',
  'fit',
]);
