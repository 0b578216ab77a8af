/**
 * Writing a labelled image dataset out as COCO, Pascal VOC or YOLO, each in the layout its usual
 * tools (and our own importers) read, with the splits. Image-level classes have no place in these
 * detection formats and are not written; only the boxes given (the caller passes confirmed ones).
 */
import { AppError } from '../../../shared/errors.js';
import { exportCoco } from './coco.js';
import { exportVoc } from './voc.js';
import { exportYolo } from './yolo.js';
import type { DatasetExportFormat, ExportableDataset, ExportSummary } from './types.js';

export type { DatasetExportFormat, ExportableDataset, ExportableImage, ExportSummary } from './types.js';

export async function exportDataset(format: DatasetExportFormat, outDir: string, data: ExportableDataset): Promise<ExportSummary> {
  for (const [k, img] of data.images.entries()) {
    for (const b of img.boxes) {
      if (!Number.isInteger(b.classIndex) || b.classIndex < 0 || b.classIndex >= data.classes.length) {
        throw new AppError('INVALID_REQUEST', `Image ${k} (${img.fileName}) has a box of class ${b.classIndex}; expected 0–${data.classes.length - 1} (${data.classes.length} class${data.classes.length === 1 ? '' : 'es'}).`);
      }
    }
  }
  switch (format) {
    case 'coco':
      return exportCoco(outDir, data);
    case 'voc':
      return exportVoc(outDir, data);
    case 'yolo':
      return exportYolo(outDir, data);
    default:
      throw new AppError('EXPORT_UNSUPPORTED', `Unknown dataset format '${String(format)}'; expected 'coco', 'voc' or 'yolo'.`);
  }
}
