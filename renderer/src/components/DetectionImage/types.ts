import type { BoxGeometry } from '../../../../shared/images.js';

/** A box as DetectionImage draws it: in the original image's pixels, with its colour and tag. */
export interface DrawnBox extends BoxGeometry {
  color: string;
  dashed?: boolean;
  /** Drawn above the box (class, score); none: the box alone. */
  tag?: string;
  /** For tests and styling: 'tp', 'fp', 'miss', or a class name. */
  kind?: string;
  /** Which box this is for the caller (its place in the caller's list), for `highlight`. */
  index?: number;
}
