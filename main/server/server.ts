/**
 * Serve mode: the same UI over HTTP + WebSocket. Binds 127.0.0.1 by default; every request
 * needs the random token printed in the URL (as Jupyter does), after which a cookie carries it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core.js';
import { isProjectDatabase, serveFile } from '../media/files.js';
import { ensureThumbnail } from '../media/thumbs.js';
import { dispatch } from '../../shared/api/dispatch.js';
import { serializeError } from '../../shared/errors.js';
import type { ClientMessage, ServerMessage } from '../../shared/api/wire.js';

export interface ServeOptions {
  core: Core;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  /** The largest file `POST /upload` accepts, in bytes (default 8 GiB); bigger ones get 413. */
  maxUploadBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** This server's private upload folder (mode 0700); removed by close(). */
  uploadDir: string;
  close(): Promise<void>;
}

const COOKIE = 'layerbench_token';
/** `connect-src 'self'` covers the same-origin WebSocket (CSP3); the renderer runs no WebAssembly. */
const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const DEFAULT_MAX_UPLOAD = 8 * 1024 ** 3;

class UploadTooLarge extends Error {}

function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) if (n >= size) return `${+(n / size).toFixed(1)} ${unit}`;
  return `${n} bytes`;
}

/**
 * The request path exactly as sent (still percent-encoded, dot segments kept): WHATWG URL parsing
 * would quietly fold `/media/%2e%2e/x` into `/x`; the file resolver refuses such paths instead.
 */
function rawPathname(req: http.IncomingMessage): string {
  const target = (req.url ?? '/').split('?', 1)[0] ?? '/';
  return target.startsWith('/') ? target : new URL(target, 'http://localhost').pathname;
}

/**
 * A browser always sends `Origin` on a WebSocket handshake; a page of another site opening our
 * socket (cross-site WebSocket hijacking) has an Origin whose host differs from the Host it
 * connects to. Non-browser clients send no Origin and are judged by the token alone.
 */
function originAllowed(req: http.IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const o = new URL(origin);
    if ((o.protocol !== 'http:' && o.protocol !== 'https:') || !req.headers.host) return false;
    return o.host === new URL(`${o.protocol}//${req.headers.host}`).host;
  } catch {
    return false;
  }
}

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: http.IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, v] = part.trim().split('=');
    if (k === COOKIE && v) return decodeURIComponent(v);
  }
  return null;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('hex');
  const host = opts.host ?? '127.0.0.1';
  const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  // Private to this server (mkdtemp creates it 0700) and removed by close().
  const uploadDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'layerbench-uploads-'));

  const authorised = (req: http.IncomingMessage, url: URL) => tokenMatches(url.searchParams.get('token'), token) || tokenMatches(cookieToken(req), token);

  const server = http.createServer((req, res) => {
    void handleHttp(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(serializeError(e).message);
    });
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!authorised(req, url)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Layerbench: this page needs the token printed by `layerbench serve`. Open the full URL it printed.');
      return;
    }
    const headers: http.OutgoingHttpHeaders = {
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
    };
    const pathname = rawPathname(req);
    if (req.method === 'POST' && pathname === '/upload') return upload(req, res, url, headers);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    // `/media/<path>`: files of the open project's media/ folder, and nothing else of it.
    if (pathname.startsWith('/media/thumbs/')) {
      const project = await opts.core.handlers.projects.current({});
      const made = project ? await ensureThumbnail(project.dir, pathname.slice('/media/thumbs/'.length)).catch(() => null) : null;
      return sendFile(req, res, made ? path.dirname(made) : null, made ? `/${path.basename(made)}` : '/missing', headers);
    }
    if (pathname.startsWith('/media/')) {
      const project = await opts.core.handlers.projects.current({});
      const mediaDir = project ? path.join(project.dir, 'media') : null;
      return sendFile(req, res, mediaDir, pathname.slice('/media'.length), headers, isProjectDatabase);
    }
    return sendFile(req, res, opts.rendererDir, pathname === '/' ? '/index.html' : pathname, headers);
  }

  /** Serves `pathname` under `root` with the resolver the Electron protocol uses (ranges included). */
  async function sendFile(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    root: string | null,
    pathname: string,
    headers: http.OutgoingHttpHeaders,
    refuse?: (file: string) => boolean,
  ): Promise<void> {
    const request = new Request('http://localhost/', { method: req.method, headers: req.headers.range ? { range: req.headers.range } : {} });
    const response = root
      ? await serveFile(root, pathname, request, { refuse })
      : new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    const out: http.OutgoingHttpHeaders = { ...headers };
    response.headers.forEach((value, key) => (out[key] = value));
    res.writeHead(response.status, out);
    if (!response.body) {
      res.end();
      return;
    }
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
  }

  /**
   * A browser cannot hand over a file path, so dropped files are uploaded to this server's temp
   * folder first. Anything over `maxUploadBytes` is answered 413 and its partial file deleted.
   */
  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, headers: http.OutgoingHttpHeaders): Promise<void> {
    const tooLarge = () => {
      res.writeHead(413, { ...headers, 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`Layerbench: this file is larger than this server accepts (${formatBytes(maxUploadBytes)}).`);
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxUploadBytes) return tooLarge();

    // A dropped folder arrives file by file with the same `batch` and each file's path inside the folder.
    const batch = url.searchParams.get('batch');
    if (batch !== null && !/^[A-Za-z0-9-]{1,64}$/.test(batch)) {
      res.writeHead(400, { ...headers, 'content-type': 'text/plain; charset=utf-8' }).end('Layerbench: a batch id is letters, digits and dashes.');
      return;
    }
    const segments = (url.searchParams.get('name') ?? 'upload.csv')
      .split(/[\\/]+/)
      .map((seg) => seg.replace(/[^\w.\- ]+/g, '_'))
      .filter((seg) => seg !== '' && seg !== '.' && seg !== '..');
    const name = batch === null ? (segments.at(-1) ?? 'upload.csv') : segments.join('/') || 'upload';
    const dir = batch === null ? await fsp.mkdtemp(path.join(uploadDir, 'u-')) : path.join(uploadDir, `b-${batch}`);
    const file = path.join(dir, name);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    let received = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        done(received > maxUploadBytes ? new UploadTooLarge() : null, chunk);
      },
    });
    // Through a PassThrough so a failed pipeline does not destroy `req` (and its socket) before
    // the 413 is written; a client that goes away still ends the pipeline.
    const body = new PassThrough();
    req.on('close', () => !req.complete && body.destroy(new Error('The upload was interrupted.')));
    req.pipe(body);
    try {
      await pipeline(body, cap, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    } catch (e) {
      req.unpipe(body);
      await fsp.rm(batch === null ? dir : file, { recursive: true, force: true });
      if (e instanceof UploadTooLarge) return tooLarge();
      throw e;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ path: file, dir }));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api' || !authorised(req, url) || !originAllowed(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  const clients = new Set<WebSocket>();
  const send = (ws: WebSocket, m: ServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(m));
  const offEvents = opts.core.onEvent((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });
  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data) => {
      let msg: ClientMessage;
      try {
        msg = JSON.parse(String(data)) as ClientMessage;
      } catch {
        return;
      }
      if (msg?.type !== 'call' || typeof msg.id !== 'number' || typeof msg.method !== 'string') return;
      dispatch(opts.core.handlers, msg.method, msg.input).then(
        (result) => send(ws, { type: 'result', id: msg.id, result: result ?? null }),
        (e) => {
          const error = serializeError(e);
          if (error.code === 'INTERNAL') console.error(`[layerbench] ${msg.method} failed:`, e);
          send(ws, { type: 'error', id: msg.id, error });
        },
      );
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    offEvents();
    await fsp.rm(uploadDir, { recursive: true, force: true });
    throw e;
  }
  const port = (server.address() as { port: number }).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    uploadDir,
    async close() {
      offEvents();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
      await fsp.rm(uploadDir, { recursive: true, force: true });
    },
  };
}
