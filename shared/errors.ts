/**
 * Errors that cross the api. Three kinds, as in VS Code's errors.ts:
 * - expected: bad input a user can fix (calm message, no stack),
 * - cancelled: the user stopped something (never shown as an error),
 * - bug: anything else (logged with its stack).
 */
export const ERROR_CODES = [
  'INVALID_REQUEST',
  'NO_PROJECT',
  'PROJECT_EXISTS',
  'PROJECT_NOT_FOUND',
  'PROJECT_TOO_NEW',
  'NOT_FOUND',
  'UNSUPPORTED_FILE',
  'CSV_EMPTY',
  'CSV_BINARY',
  'CSV_ENCODING',
  'CSV_RAGGED',
  'CSV_NO_TARGET_VALUES',
  'CSV_BAD_CONFIG',
  'IMAGE_CORRUPT',
  'IMAGE_UNSUPPORTED',
  'IMAGE_UNREADABLE',
  'IDX_INVALID',
  'COCO_INVALID',
  'VOC_INVALID',
  'YOLO_INVALID',
  'VIDEO_INVALID',
  'VIDEO_DECODER_MISSING',
  'LABEL_INVALID',
  'WRONG_DATASET_KIND',
  'DETECTOR_UNAVAILABLE',
  'EXPORT_UNSUPPORTED',
  'GRAPH_INVALID',
  'MODEL_JSON_INVALID',
  'BACKEND_UNAVAILABLE',
  'TRAINING_FAILED',
  'RUN_NOT_FINISHED',
  'BUSY',
  'CANCELLED',
  'FORBIDDEN',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** An error a user can act on: the message says what was expected and what was found. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toJSON(): SerializedError {
    return { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export class CancelledError extends AppError {
  constructor(message = 'Cancelled') {
    super('CANCELLED', message);
    this.name = 'CancelledError';
  }
}

export function isCancelled(e: unknown): boolean {
  return e instanceof CancelledError || (isSerializedError(e) && e.code === 'CANCELLED');
}

export function isSerializedError(e: unknown): e is SerializedError {
  return typeof e === 'object' && e !== null && typeof (e as SerializedError).code === 'string' && typeof (e as SerializedError).message === 'string';
}

/** Turns anything thrown into the shape that crosses the api. Bugs keep only their message. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof AppError) return e.toJSON();
  if (isSerializedError(e) && (ERROR_CODES as readonly string[]).includes(e.code)) return { code: e.code, message: e.message, details: e.details };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message };
}

/** Rebuilds an AppError on the client side so callers can `instanceof` it. */
export function deserializeError(e: SerializedError): AppError {
  return e.code === 'CANCELLED' ? new CancelledError(e.message) : new AppError(e.code, e.message, e.details);
}
