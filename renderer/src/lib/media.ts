/**
 * URLs of the open project's media: `layerbench://media/…` in the desktop app, `media/…` from the
 * serve-mode host (same origin, the token travels in its cookie). Thumbnails are made on demand.
 */
import type { ImageItem } from '../../../shared/images.js';

const base = (): string => (typeof window !== 'undefined' && window.layerbench ? 'layerbench://media/' : 'media/');

export function imageUrl(item: Pick<ImageItem, 'sha256' | 'ext'>): string {
  return `${base()}${item.sha256}${item.ext}`;
}

export function thumbUrl(item: Pick<ImageItem, 'sha256'>): string {
  return `${base()}thumbs/${item.sha256}.webp`;
}
