/**
 * Each image format's own error, as Netron gives each model format one (`onnx.Error`): the class
 * says which reader failed, the code crosses the api, the message says what was expected and found.
 */
import { AppError, CancelledError, type ErrorCode } from '../../../shared/errors.js';
import type { ImportProblem } from '../../../shared/images.js';

/** An image file that cannot be used: IMAGE_CORRUPT, IMAGE_UNSUPPORTED or IMAGE_UNREADABLE. */
export class ImageFileError extends AppError {
  constructor(code: 'IMAGE_CORRUPT' | 'IMAGE_UNSUPPORTED' | 'IMAGE_UNREADABLE', file: string, message: string) {
    super(code, message, { file });
    this.name = 'ImageFileError';
  }
}

export class IdxError extends AppError {
  constructor(file: string, message: string) {
    super('IDX_INVALID', message, { file });
    this.name = 'IdxError';
  }
}

export class CocoError extends AppError {
  constructor(file: string, message: string) {
    super('COCO_INVALID', message, { file });
    this.name = 'CocoError';
  }
}

export class VocError extends AppError {
  constructor(file: string, message: string) {
    super('VOC_INVALID', message, { file });
    this.name = 'VocError';
  }
}

export class YoloError extends AppError {
  constructor(file: string, message: string) {
    super('YOLO_INVALID', message, { file });
    this.name = 'YoloError';
  }
}

export function problem(file: string, code: ErrorCode, message: string): ImportProblem {
  return { file, code, message };
}

/** An AppError as a problem entry (the file it names, or `file`). */
export function asProblem(file: string, e: AppError): ImportProblem {
  return { file, code: e.code, message: e.message };
}

export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('Import cancelled.');
}

export { ioReason } from '../io-reason.js';
