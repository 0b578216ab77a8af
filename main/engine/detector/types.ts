/**
 * What the labelling view asks of a detector: boxes it proposes on one photo, which the user then
 * accepts or fixes. A pretrained detector from npm and a user's own trained model both act as a
 * Proposer.
 */

/** An image as 8-bit RGB, row by row, three bytes a pixel (what `sharp().raw()` gives). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** One proposed box in pixels of the image it was found in, (x, y) its top-left corner. */
export interface Proposal {
  className: string;
  /** Confidence in [0, 1]. */
  score: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface DetectOptions {
  /** Proposals below this confidence are dropped; each proposer has its own default. */
  minScore?: number;
  /** At most this many proposals, best first. */
  maxBoxes?: number;
}

export interface Proposer {
  /** Stable id stored with each proposal ('human-models/centernet', or a run id). */
  id: string;
  name: string;
  /** The classes it proposes, by name. */
  classes: string[];
  /** The minScore used when a call gives none. */
  defaultMinScore: number;
  detect(image: RgbImage, opts?: DetectOptions): Promise<Proposal[]>;
  /** Frees the model's weights; the proposer cannot be used afterwards. */
  dispose(): void;
}
