/** Serve mode's doors: the token, the loopback default, and no file outside the renderer or the project. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
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
    server = await startServer({ core, rendererDir: renderer });
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
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt'])
      expect((await get(server.port, `${p}${p.includes('?') ? '&' : '?'}token=${server.token}`)).status, p).toBe(404);
  });

  it('serves media only from inside the open project', async () => {
    const t = `token=${server.token}`;
    expect((await get(server.port, `/media/project.lbproj?${t}`)).status).toBe(404); // no project open
    await core.handlers.projects.create({ dir: path.join(tmp, 'proj') });
    writeFileSync(path.join(tmp, 'proj', 'media', 'a.txt'), 'inside');
    expect((await get(server.port, `/media/media/a.txt?${t}`)).body).toBe('inside');
    expect((await get(server.port, `/media/../secret.txt?${t}`)).status).toBe(404);
    expect((await get(server.port, `/media/%2e%2e/secret.txt?${t}`)).status).toBe(404);
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
