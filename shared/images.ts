/**
 * Image datasets: what the image importers find and what the user labels. Pure types and small
 * helpers shared by the core (importers, store, exporters) and the renderer (grid, label view).
 *
 * Coordinates: a box is in pixels of the image as displayed, i.e. after its EXIF orientation is
 * applied (browsers and `sharp().rotate()` both do that), with (x, y) its top-left corner.
 */

export type Split = 'train' | 'validation' | 'test';

/** The image files the importers take (and try-it reads from a dropped folder), by extension. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.gif'];

export function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.includes(name.slice(dot).toLowerCase());
}
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

/** The image formats an importer recognises; 'video' is a video file sampled into frames. */
export type ImageSourceFormat = 'class-folders' | 'image-folder' | 'idx' | 'coco' | 'voc' | 'yolo' | 'video';

export interface BoxGeometry {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A box as an importer reads it: class by index into the import's `classes`. */
export interface ImportedBox extends BoxGeometry {
  classIndex: number;
}

/** One image an importer found, before it is copied into the project. */
export interface ImportedImage {
  /** Where the bytes are: a file on disk (`path`) or bytes made by the importer (IDX, video frames). */
  path?: string;
  bytes?: Uint8Array;
  /** The name shown and searched: the path relative to the imported folder ("cats/001.jpg"). */
  relPath: string;
  /** Image-level class (class folders, IDX labels), by index into `classes`. */
  classIndex?: number;
  boxes?: ImportedBox[];
  /** A split given by the source (COCO/YOLO/VOC exports with train/val/test folders or lists). */
  split?: Split;
  /** Video frames: where in the video this frame was taken. */
  frame?: { video: string; index: number; timeSec: number };
}

/** A file the import skipped, and why, in words a user can act on. */
export interface ImportProblem {
  /** Path relative to what was imported. */
  file: string;
  code: string;
  message: string;
}

/** What an image importer reports once it has looked at a folder or file. */
export interface ImageImportPlan {
  format: ImageSourceFormat;
  /** Class names in the order the source defines them (COCO category order, classes.txt, folder names sorted). */
  classes: string[];
  images: ImportedImage[];
  problems: ImportProblem[];
  /** Human-readable notes, e.g. which video decoder was used. */
  notes: string[];
}

export interface LabelClass {
  id: number;
  datasetId: string;
  name: string;
  /** The key that labels with this class (default '1'…'9' for the first nine); null for none. */
  key: string | null;
  color: string;
  position: number;
}

export type BoxStatus = 'confirmed' | 'proposal';

export interface Box extends BoxGeometry {
  id: number;
  itemId: number;
  classId: number;
  status: BoxStatus;
  /** A proposal's confidence in [0, 1]; null for boxes drawn by hand. */
  score: number | null;
  /** Who proposed it: a detector id ('human-models/centernet') or a run id; null when drawn by hand. */
  source: string | null;
}

export interface ImageItem {
  id: number;
  datasetId: string;
  sha256: string;
  /** Lower case with the dot: '.jpg'. The media file is media/<sha256><ext>. */
  ext: string;
  relPath: string;
  width: number;
  height: number;
  split: Split | null;
  classId: number | null;
  frame: { video: string; index: number; timeSec: number } | null;
  confirmedBoxes: number;
  proposals: number;
  /** The lowest proposal score, or null without proposals (the review queue puts these first). */
  minProposalScore: number | null;
  /** True once a person looked at it: a class set, a box confirmed, or "mark reviewed". */
  reviewed: boolean;
}

/** What image datasets keep in `datasets.profile`. */
export interface ImageDatasetProfile {
  format: ImageSourceFormat;
  imageCount: number;
  problems: ImportProblem[];
  notes: string[];
  /** 'classification' when images carry classes, 'detection' when they carry boxes. */
  task: 'classification' | 'detection';
}

/** What image datasets keep in `datasets.config`: how images are fed to a model. */
export interface ImageDatasetConfig {
  /** Images are resized to this (height, width) and channel count for training. */
  height: number;
  width: number;
  channels: 1 | 3;
  task: 'classification' | 'detection';
}

export type ItemSort = 'name' | 'added' | 'review' | 'confidence';

export interface ItemFilter {
  datasetId: string;
  /** 'unlabelled': no class and no confirmed box. */
  status?: 'all' | 'unlabelled' | 'labelled' | 'has-proposals' | 'unreviewed';
  classId?: number;
  split?: Split | 'none';
  /** Proposal confidence range, inclusive; items with at least one proposal inside it. */
  minScore?: number;
  maxScore?: number;
  search?: string;
  sort?: ItemSort;
}

export interface ImageDatasetStats {
  images: number;
  labelled: number;
  unlabelled: number;
  proposals: number;
  bySplit: Record<Split | 'none', number>;
  /** Per class: images with that class, and confirmed boxes of it. */
  classes: { classId: number; name: string; color: string; images: number; boxes: number }[];
  /** Images by number of confirmed boxes: index i counts images with i boxes (the last bucket is "that many or more"). */
  boxesPerImage: number[];
  /** Confirmed boxes by area relative to their image: < 1 %, 1–10 %, 10–30 %, ≥ 30 %. */
  boxSizes: { small: number; medium: number; large: number; huge: number };
}

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#bfef45', '#fabed4', '#469990', '#dcbeff', '#9a6324'];

/** A distinct colour for the n-th class. */
export function classColor(position: number): string {
  return PALETTE[((position % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** The default key for the n-th class (0-based): '1'…'9', then none. */
export function defaultClassKey(position: number): string | null {
  return position < 9 ? String(position + 1) : null;
}

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: BoxGeometry, b: BoxGeometry): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}
