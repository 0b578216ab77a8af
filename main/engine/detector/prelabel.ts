/**
 * The pre-label loop a job runs: image by image, decode, propose, hand back the proposals. The
 * next photo is decoded (by sharp, off the JS thread) while the detector works on this one. A
 * photo that cannot be decoded is reported with its error and the loop goes on: one bad file
 * among 3,000 must not stop the job.
 */
import { serializeError, type SerializedError } from '../../../shared/errors.js';
import { decodeImage } from './decode.js';
import type { Proposal, Proposer, RgbImage } from './types.js';

export interface PrelabelFile {
  id: number;
  path: string;
}

/** What `decode` returns: the pixels, and the full size when they were shrunk for detection. */
export type DecodedForDetection = RgbImage & { displayWidth?: number; displayHeight?: number };

export interface PrelabelProgress {
  done: number;
  total: number;
  /** Proposals so far, over all images. */
  proposals: number;
  failed: number;
  imagesPerSec: number;
}

export interface PrelabelOptions {
  /** Default: decodeImage (sharp, EXIF orientation applied, longer side shrunk to 1024). */
  decode?: (path: string) => Promise<DecodedForDetection>;
  onProgress?: (p: PrelabelProgress) => void;
  /** Checked before each image; true ends the loop after the image in hand. */
  shouldStop?: () => boolean;
  minScore?: number;
  maxBoxes?: number;
}

export interface PrelabelResult {
  id: number;
  /** In pixels of the oriented image at its full size (shared/images.ts). */
  proposals: Proposal[];
  /** Set when the image could not be decoded or detected; proposals is then empty. */
  error?: SerializedError;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

export async function* prelabelImages(proposer: Proposer, files: readonly PrelabelFile[], opts: PrelabelOptions = {}): AsyncGenerator<PrelabelResult> {
  const decode = opts.decode ?? ((p: string) => decodeImage(p));
  const started = performance.now();
  let done = 0;
  let proposals = 0;
  let failed = 0;
  const report = () =>
    opts.onProgress?.({ done, total: files.length, proposals, failed, imagesPerSec: done / Math.max(1e-3, (performance.now() - started) / 1000) });
  let next = files.length > 0 ? settle(decode(files[0]!.path)) : undefined;
  for (let i = 0; i < files.length; i++) {
    if (opts.shouldStop?.()) return;
    const file = files[i]!;
    const decoded = await next!;
    next = i + 1 < files.length ? settle(decode(files[i + 1]!.path)) : undefined;
    let result: PrelabelResult;
    try {
      if (!decoded.ok) throw decoded.error;
      const image = decoded.value;
      const found = await proposer.detect(image, { minScore: opts.minScore, maxBoxes: opts.maxBoxes });
      result = { id: file.id, proposals: toDisplayPixels(found, image) };
    } catch (e) {
      failed++;
      result = { id: file.id, proposals: [], error: serializeError(e) };
    }
    done++;
    proposals += result.proposals.length;
    report();
    yield result;
  }
}

function toDisplayPixels(found: Proposal[], image: DecodedForDetection): Proposal[] {
  const sx = image.displayWidth ? image.displayWidth / image.width : 1;
  const sy = image.displayHeight ? image.displayHeight / image.height : 1;
  if (sx === 1 && sy === 1) return found;
  const r = (v: number) => Math.round(v * 10) / 10;
  return found.map((p) => ({ ...p, x: r(p.x * sx), y: r(p.y * sy), w: r(p.w * sx), h: r(p.h * sy) }));
}
