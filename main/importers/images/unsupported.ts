/** Files that look like images in a format we do not read: listed as problems, not silently left out. */
import path from 'node:path';
import type { ImportProblem } from '../../../shared/images.js';
import { problem } from './errors.js';

const OTHER: Record<string, string> = {
  '.tif': 'TIFF',
  '.tiff': 'TIFF',
  '.heic': 'HEIC',
  '.heif': 'HEIF',
  '.avif': 'AVIF',
  '.svg': 'SVG',
  '.ico': 'ICO',
  '.psd': 'Photoshop',
  '.jp2': 'JPEG 2000',
  '.dng': 'raw camera',
  '.cr2': 'raw camera',
  '.nef': 'raw camera',
  '.arw': 'raw camera',
};

export function isOtherImageName(name: string): boolean {
  return path.extname(name).toLowerCase() in OTHER;
}

export function otherImageProblem(rel: string): ImportProblem {
  const kind = OTHER[path.extname(rel).toLowerCase()] ?? 'this';
  return problem(rel, 'IMAGE_UNSUPPORTED', `${rel} is a ${kind} image; expected JPEG, PNG, WebP, BMP or GIF. Convert it to one of those to import it.`);
}
