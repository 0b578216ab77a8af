/** Serve mode's doors: the token, the loopback default, and no file outside the renderer or the project's media. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { WebSocket } from 'ws';
import { createCore, type Core } from '../../main/core.js';
import { startServer, type RunningServer } from '../../main/server/server.js';
import { ROOT } from '../helpers/serve.js';

/** Raw GET, so paths like /../ are sent as written (fetch would normalise them). */
function get(port: number, p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw POST /upload: the body in chunks, with or without a declared content-length. */
function upload(port: number, token: string, body: Buffer, opts: { declare?: number } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = opts.declare === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': opts.declare };
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/upload?token=${token}&name=big.csv`, headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += String(d)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    // The server may close the connection once it has answered 413; the answer is what counts.
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    if (opts.declare !== undefined && opts.declare > body.length) req.write(body);
    else req.end(body);
  });
}

function openSocket(port: number, token: string, headers: Record<string, string> = {}): Promise<'open' | 'refused'> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`, { headers });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('error', () => resolve('refused'));
  });
}

describe('serve mode', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lb-serve-'));
  const renderer = path.join(tmp, 'renderer');
  let core: Core;
  let server: RunningServer;

  beforeAll(async () => {
    mkdirSync(renderer);
    writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Layerbench</title>');
    writeFileSync(path.join(tmp, 'secret.txt'), 'not for you');
    core = createCore({ appDataDir: path.join(tmp, 'home'), workerEntry: path.join(ROOT, 'dist', 'main', 'worker.js') });
    server = await startServer({ core, rendererDir: renderer, maxUploadBytes: 1024 });
  });
  afterAll(async () => {
    await server.close();
    await core.dispose();
  });

  it('binds to loopback and prints a URL with its token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/);
  });

  it('refuses requests without the token, and serves the app with it (then by cookie)', async () => {
    expect((await get(server.port, '/')).status).toBe(403);
    expect((await get(server.port, '/?token=wrong')).status).toBe(403);
    const ok = await get(server.port, `/?token=${server.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Layerbench</title>');
    expect(ok.headers['content-security-policy']).toContain("default-src 'self'");
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect((await get(server.port, '/index.html', { cookie })).status).toBe(200);
  });

  it('serves nothing outside the renderer folder', async () => {
    symlinkSync(path.join(tmp, 'secret.txt'), path.join(renderer, 'link.txt'));
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/link.txt'])
      expect([403, 404], p).toContain((await get(server.port, `${p}?token=${server.token}`)).status);
  });

  it('serves media only from the open project\'s media folder: never its database, never outside', async () => {
    const t = `token=${server.token}`;
    expect((await get(server.port, `/media/a.txt?${t}`)).status).toBe(404); // no project open
    const proj = path.join(tmp, 'proj');
    await core.handlers.projects.create({ dir: proj });
    const media = path.join(proj, 'media');
    writeFileSync(path.join(media, 'a.txt'), 'inside');
    symlinkSync(path.join(proj, 'project.lbproj'), path.join(media, 'db-link'));
    symlinkSync(path.join(tmp, 'secret.txt'), path.join(media, 'secret-link.txt'));
    symlinkSync(tmp, path.join(media, 'outside'));

    const ok = await get(server.port, `/media/a.txt?${t}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('inside');
    expect(ok.headers['content-security-policy']).toContain("default-src 'self'");
    const part = await get(server.port, `/media/a.txt?${t}`, { range: 'bytes=2-' });
    expect([part.status, part.body]).toEqual([206, 'side']);

    for (const p of [
      '/media/project.lbproj',
      '/media/..%2fproject.lbproj',
      '/media/%2e%2e/project.lbproj',
      '/media/../project.lbproj',
      '/media/..%5cproject.lbproj',
      '/media/media/a.txt',
      '/media/db-link',
      '/media/secret-link.txt',
      '/media/outside/secret.txt',
      '/media/outside/proj/project.lbproj',
      '/media/a.txt%00.png',
    ]) {
      const r = await get(server.port, `${p}?${t}`);
      expect([403, 404], p).toContain(r.status);
      expect(r.body, p).not.toContain('SQLite');
      expect(r.body, p).not.toContain('not for you');
    }
  });

  it('keeps uploads in a private folder, and refuses one over the cap without leaving it behind', async () => {
    expect(statSync(server.uploadDir).mode & 0o777).toBe(0o700);
    const small = await upload(server.port, server.token, Buffer.from('a,b\n1,2\n'), { declare: 8 });
    expect(small.status).toBe(200);
    const saved = (JSON.parse(small.body) as { path: string }).path;
    expect(saved.startsWith(server.uploadDir + path.sep)).toBe(true);

    const before = readdirSync(server.uploadDir).sort();
    const declared = await upload(server.port, server.token, Buffer.alloc(512, 'x'), { declare: 4096 });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/larger than this server accepts \(1 KiB\)/);
    const streamed = await upload(server.port, server.token, Buffer.alloc(4096, 'x'));
    expect(streamed.status).toBe(413);
    expect(readdirSync(server.uploadDir).sort()).toEqual(before);
  });

  it('removes its upload folder on close', async () => {
    const other = await startServer({ core, rendererDir: renderer });
    expect(existsSync(other.uploadDir)).toBe(true);
    expect(other.uploadDir).not.toBe(server.uploadDir);
    await other.close();
    expect(existsSync(other.uploadDir)).toBe(false);
  });

  it('refuses a WebSocket opened from another site, and accepts one from its own page', async () => {
    const own = `http://127.0.0.1:${server.port}`;
    expect(await openSocket(server.port, server.token, { origin: 'https://evil.example' })).toBe('refused');
    expect(await openSocket(server.port, server.token, { origin: `http://127.0.0.1:${server.port + 1}` })).toBe('refused');
    expect(await openSocket(server.port, server.token, { origin: `http://localhost:${server.port}` })).toBe('refused');
    expect(await openSocket(server.port, server.token, { origin: 'null' })).toBe('refused');
    expect(await openSocket(server.port, server.token, { origin: own })).toBe('open');
    expect(await openSocket(server.port, server.token)).toBe('open');
  });

  it('the WebSocket api needs the token and answers calls with data or a coded error', async () => {
    const refused = new WebSocket(`ws://127.0.0.1:${server.port}/api`);
    await new Promise((r) => refused.once('error', r));
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    await new Promise((r) => ws.once('open', r));
    const call = (id: number, method: string, input: unknown) =>
      new Promise<Record<string, unknown>>((resolve) => {
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as Record<string, unknown>;
          if (m.id === id) resolve(m);
        });
        ws.send(JSON.stringify({ type: 'call', id, method, input }));
      });
    expect(await call(1, 'projects.current', {})).toMatchObject({ type: 'result', result: { name: 'proj' } });
    expect(await call(2, 'datasets.get', { id: 'nope' })).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } });
    expect(await call(3, 'training.start', { datasetId: 1 })).toMatchObject({ type: 'error', error: { code: 'INVALID_REQUEST' } });
    ws.close();
  });
});
