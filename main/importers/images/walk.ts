/**
 * The directory walk every folder format starts with: names and types only (no stat per file, no
 * reads), so planning 10,000 images is one readdir per folder. Hidden files (`.DS_Store`, macOS's
 * `._photo.jpg` resource forks) and `__MACOSX` folders are left out.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { checkCancelled } from './errors.js';
import { IMAGE_EXTENSIONS, isImageName } from '../../../shared/images.js';

export { IMAGE_EXTENSIONS, isImageName };

export function isHidden(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX';
}

export interface WalkOptions {
  signal?: AbortSignal;
  /** Called after each folder with the number of accepted files so far. */
  onProgress?: (found: number) => void;
  /** Which files to keep (default: image names). */
  accept?: (name: string) => boolean;
}

/** Paths of the accepted files under `root`, relative to it with '/' separators, sorted. */
export async function walk(root: string, opts: WalkOptions = {}): Promise<string[]> {
  const accept = opts.accept ?? isImageName;
  const out: string[] = [];
  const pending: string[] = [''];
  while (pending.length > 0) {
    checkCancelled(opts.signal);
    const rel = pending.pop()!;
    const entries = await fsp.readdir(rel ? path.join(root, rel) : root, { withFileTypes: true });
    for (const e of entries) {
      if (isHidden(e.name)) continue;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) pending.push(child);
      else if ((e.isFile() || e.isSymbolicLink()) && accept(e.name)) out.push(child);
    }
    opts.onProgress?.(out.length);
  }
  return out.sort(byPath);
}

/** Code-point order, so the same folder always lists the same way on every machine. */
export function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The immediate entries of a folder (hidden ones left out), sorted. */
export async function listDir(dir: string): Promise<{ name: string; isDir: boolean }[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => !isHidden(e.name))
    .map((e) => ({ name: e.name, isDir: e.isDirectory() }))
    .sort((a, b) => byPath(a.name, b.name));
}

/** The split a path names: a segment such as `train/`, `val/`, `validation/`, `test/`. Last one wins. */
export function splitOfPath(rel: string): 'train' | 'validation' | 'test' | undefined {
  let found: 'train' | 'validation' | 'test' | undefined;
  for (const seg of rel.split('/').slice(0, -1)) {
    const s = splitOfName(seg);
    if (s) found = s;
  }
  return found;
}

/** 'train', 'training', 'train2017' → train; 'val', 'valid', 'validation', 'val2017' → validation; 'test', 'testing', 't10k' → test. */
export function splitOfName(name: string): 'train' | 'validation' | 'test' | undefined {
  const n = name.toLowerCase().replace(/[-_]?\d{2,4}$/, '');
  if (n === 'train' || n === 'training') return 'train';
  if (n === 'val' || n === 'valid' || n === 'validation') return 'validation';
  if (n === 'test' || n === 'testing' || n === 't10k') return 'test';
  return undefined;
}

/** Reads the first `n` bytes of a file (fewer when it is shorter). */
export async function readHead(file: string, n = 65536): Promise<Uint8Array> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
