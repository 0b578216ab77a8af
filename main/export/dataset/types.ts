import type { ImportedBox, Split } from '../../../shared/images.js';

export type DatasetExportFormat = 'coco' | 'voc' | 'yolo';

/** What the exporters write: the lead maps store rows onto it (confirmed boxes only). */
export interface ExportableDataset {
  classes: string[];
  images: ExportableImage[];
}

export interface ExportableImage {
  /** The stored file (media/<sha256><ext>); copied as is. */
  mediaFile: string;
  /** The name the user knows it by ("cats/001.jpg"); its base name names the exported file. */
  fileName: string;
  /** As displayed (EXIF orientation applied), the frame boxes are in. */
  width: number;
  height: number;
  split: Split | null;
  classIndex: number | null;
  boxes: ImportedBox[];
}

export interface ExportSummary {
  dir: string;
  images: number;
  boxes: number;
}
