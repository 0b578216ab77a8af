/** What every image format module gives the registry (index.ts): a cheap `match` and a full `open`. */
import type { ImageImportPlan, ImageSourceFormat } from '../../../shared/images.js';

/** What `match` may look at: the path, its folder listing, and for a file its first bytes. */
export interface SourceEntry {
  /** Absolute path of what the user picked. */
  path: string;
  isDir: boolean;
  /** The folder relative paths are measured from: the path itself, or a file's folder. */
  root: string;
  /** The folder's entries (for a file: its siblings), hidden ones left out, sorted. */
  entries: { name: string; isDir: boolean }[];
  /** A file's first 64 KB; empty for a folder. */
  head: Uint8Array;
}

export interface PlanOptions {
  signal?: AbortSignal;
  /** Images found so far, while the folder is walked. */
  onProgress?: (found: number) => void;
}

export interface ImageFormatModule {
  id: Exclude<ImageSourceFormat, 'video'>;
  /** Cheap: the listing, a few small reads at most; never decodes an image or walks the tree. */
  match(entry: SourceEntry): boolean | Promise<boolean>;
  open(entry: SourceEntry, opts: PlanOptions): Promise<ImageImportPlan>;
}
