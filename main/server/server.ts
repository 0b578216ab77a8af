/**
 * Serve mode: the same UI over HTTP + WebSocket. Binds 127.0.0.1 by default; every request
 * needs the random token printed in the URL (as Jupyter does), after which a cookie carries it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core.js';
import { dispatch } from '../../shared/api/dispatch.js';
import { serializeError } from '../../shared/errors.js';
import type { ClientMessage, ServerMessage } from '../../shared/api/wire.js';
import { CONTENT_TYPES, resolveInside } from './static.js';

export interface ServeOptions {
  core: Core;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const COOKIE = 'layerbench_token';
const CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

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
  const uploadDir = path.join(os.tmpdir(), 'layerbench-uploads');
  await fsp.mkdir(uploadDir, { recursive: true });

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
    if (req.method === 'POST' && url.pathname === '/upload') return upload(req, res, url, headers);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (url.pathname.startsWith('/media/')) {
      const project = await opts.core.handlers.projects.current({});
      const file = project ? resolveInside(project.dir, url.pathname.slice('/media/'.length)) : null;
      return sendFile(res, file, headers);
    }
    const rel = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    return sendFile(res, resolveInside(opts.rendererDir, rel), headers);
  }

  async function sendFile(res: http.ServerResponse, file: string | null, headers: http.OutgoingHttpHeaders): Promise<void> {
    const stat = file ? await fsp.stat(file).catch(() => null) : null;
    if (!file || !stat?.isFile()) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', 'content-length': stat.size });
    await pipeline(createReadStream(file), res);
  }

  /** A browser cannot hand over a file path, so dropped files are uploaded to a temp folder first. */
  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL, headers: http.OutgoingHttpHeaders): Promise<void> {
    const name = path.basename(url.searchParams.get('name') ?? 'upload.csv').replace(/[^\w.\- ]+/g, '_') || 'upload.csv';
    const dir = await fsp.mkdtemp(path.join(uploadDir, 'u-'));
    const file = path.join(dir, name);
    await pipeline(req, createWriteStream(file));
    res.writeHead(200, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ path: file }));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/api' || !authorised(req, url)) {
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      offEvents();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
