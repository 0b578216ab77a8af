/**
 * Serving files to the renderer, for both doors (the Electron `layerbench:` protocol and serve
 * mode's HTTP server): maps a URL path onto a folder without ever leaving it, and answers with a
 * web `Response` (byte ranges included, so videos can seek). Plain Node, so both doors share it
 * and the traversal rules are unit-tested without Electron.
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';

export type Resolved = { ok: true; path: string } | { ok: false; status: 403 | 404 };

/**
 * Resolves a URL pathname (still percent-encoded) inside `root`. Refuses (403) any `..` or `.`
 * segment, encoded slashes or backslashes, NUL bytes and drive letters: URL parsing already
 * removes literal `../`, so whatever still carries one was crafted. Does not touch the disk.
 */
export function resolveInside(root: string, pathname: string): Resolved {
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let seg: string;
    try {
      seg = decodeURIComponent(raw);
    } catch {
      return { ok: false, status: 403 };
    }
    if (seg === '.' || seg === '..' || /[/\\\0]/.test(seg) || /^[A-Za-z]:/.test(seg)) return { ok: false, status: 403 };
    segments.push(seg);
  }
  if (segments.length === 0) return { ok: false, status: 404 };
  const base = path.resolve(root);
  const full = path.resolve(base, ...segments);
  if (!isInside(base, full)) return { ok: false, status: 403 };
  return { ok: true, path: full };
}

export function isInside(base: string, candidate: string): boolean {
  const rel = path.relative(base, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.ico': 'image/x-icon',
  '.avif': 'image/avif',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.mp4': 'video/mp4',
  '.m4v': 'video/mp4',
  '.webm': 'video/webm',
  '.ogv': 'video/ogg',
  '.mov': 'video/quicktime',
};

/** The project database and its journal: never served, even when they sit under a served root. */
export const isProjectDatabase = (file: string): boolean => /\.lbproj(-wal|-shm|-journal)?$/i.test(path.basename(file));

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface ServeOptions {
  /** Extra response headers (the CSP for app pages, CORS for media). */
  headers?: Record<string, string>;
  /** Refuse these file names even inside the root (the project database). */
  refuse?: (file: string) => boolean;
}

function status(code: 403 | 404 | 405 | 416, headers: Record<string, string> = {}): Response {
  const text = { 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed', 416: 'Range not satisfiable' }[code];
  return new Response(text, { status: code, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` (one range only); null when absent, 'invalid' when unusable. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | 'invalid' {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'invalid';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) return 'invalid';
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return 'invalid';
  return { start, end };
}

/**
 * Answers a GET/HEAD for `pathname` under `root`. Symbolic links are followed only when their
 * target is still inside the root.
 */
export async function serveFile(root: string, pathname: string, request: Request, opts: ServeOptions = {}): Promise<Response> {
  const extra = opts.headers ?? {};
  if (request.method !== 'GET' && request.method !== 'HEAD') return status(405, extra);
  const resolved = resolveInside(root, pathname);
  if (!resolved.ok) return status(resolved.status, extra);
  let real: string;
  let size: number;
  try {
    const realRoot = await realpath(root);
    real = await realpath(resolved.path);
    if (!isInside(realRoot, real)) return status(403, extra);
    const s = await stat(real);
    if (!s.isFile()) return status(404, extra);
    size = s.size;
  } catch {
    return status(404, extra);
  }
  if (opts.refuse?.(real)) return status(403, extra);

  const headers: Record<string, string> = {
    'Content-Type': contentType(real),
    'X-Content-Type-Options': 'nosniff',
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'no-cache',
    ...extra,
  };
  const range = parseRange(request.headers.get('range'), size);
  if (range === 'invalid') return status(416, { ...extra, 'Content-Range': `bytes */${size}` });
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  headers['Content-Length'] = String(size === 0 ? 0 : end - start + 1);
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const body =
    request.method === 'HEAD' || size === 0
      ? null
      : (Readable.toWeb(createReadStream(real, { start, end })) as unknown as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}
