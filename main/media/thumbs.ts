/**
 * Thumbnails of a project's images: `cache/thumbs/<sha256>.webp`, made in the background after an
 * import and on demand when the grid asks for one that is not there yet (the cache is safe to
 * delete). Both doors serve them at `media/thumbs/<sha256>.webp`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { makeThumbnail } from '../importers/images/ingest.js';

export const THUMB_SIZE = 256;
const THUMB_NAME = /^([0-9a-f]{64})\.webp$/;
const MEDIA_EXTS = ['.jpg', '.jpeg', '.png', '.webp', '.gif'];

export function thumbsDir(projectDir: string): string {
  return path.join(projectDir, 'cache', 'thumbs');
}

/** One thumbnail at a time per file, however many requests ask for it. */
const making = new Map<string, Promise<void>>();

/**
 * Makes sure `cache/thumbs/<name>` exists for a media file of the project; returns its path, or
 * null when the name is not a thumbnail name or no media file has that hash.
 */
export async function ensureThumbnail(projectDir: string, name: string, ext?: string): Promise<string | null> {
  const m = THUMB_NAME.exec(name);
  if (!m) return null;
  const out = path.join(thumbsDir(projectDir), name);
  if (existsSync(out)) return out;
  const exts = ext ? [ext] : MEDIA_EXTS;
  const media = exts.map((e) => path.join(projectDir, 'media', `${m[1]}${e}`)).find((f) => existsSync(f));
  if (!media) return null;
  let job = making.get(out);
  if (!job) {
    job = makeThumbnail(media, out, THUMB_SIZE).finally(() => making.delete(out));
    making.set(out, job);
  }
  await job;
  return out;
}

/** Makes thumbnails for freshly imported images, a couple at a time, without holding up the import. */
export class ThumbnailQueue {
  private queue: { dir: string; sha256: string; ext: string }[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly concurrency = 2) {}

  enqueue(projectDir: string, files: { sha256: string; ext: string }[]): void {
    for (const f of files) this.queue.push({ dir: projectDir, ...f });
    this.pump();
  }

  /** Drops what is queued for a project (it was closed). */
  forget(projectDir: string): void {
    this.queue = this.queue.filter((q) => q.dir !== projectDir);
  }

  /** Resolves once nothing is queued or being made. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.length > 0) {
      const next = this.queue.shift()!;
      this.running++;
      // A thumbnail that cannot be made is made again (and fails visibly) when the grid asks for it.
      void ensureThumbnail(next.dir, `${next.sha256}.webp`, next.ext)
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
    if (this.running === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }
}
