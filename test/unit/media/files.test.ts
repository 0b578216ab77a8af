import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, parseRange, resolveInside, serveFile } from '../../../main/media/files.js';

describe('resolveInside', () => {
  const root = path.resolve('/srv/app');

  it('maps a URL path onto a file under the root', () => {
    expect(resolveInside(root, '/index.html')).toEqual({ ok: true, path: path.join(root, 'index.html') });
    expect(resolveInside(root, '/assets/index-abc.js')).toEqual({ ok: true, path: path.join(root, 'assets', 'index-abc.js') });
    expect(resolveInside(root, '/media/my%20photo.jpg')).toEqual({ ok: true, path: path.join(root, 'media', 'my photo.jpg') });
  });

  it.each([
    ['a literal parent segment', '/../secret.txt'],
    ['a nested parent segment', '/assets/../../etc/passwd'],
    ['an encoded parent segment', '/%2e%2e/secret.txt'],
    ['an encoded slash', '/..%2fsecret.txt'],
    ['an encoded backslash', '/..%5csecret.txt'],
    ['backslash separators', '/a%5c..%5c..%5cx'],
    ['a current-dir segment', '/./index.html'],
    ['a NUL byte', '/index.html%00.png'],
    ['a drive letter', '/C:/Windows/win.ini'],
    ['malformed percent-encoding', '/%E0%A4%A'],
  ])('refuses %s with 403', (_what, pathname) => {
    expect(resolveInside(root, pathname)).toEqual({ ok: false, status: 403 });
  });

  it('answers 404 for the bare root (the caller maps / to index.html)', () => {
    expect(resolveInside(root, '/')).toEqual({ ok: false, status: 404 });
  });
});

describe('parseRange', () => {
  it('reads the single-range forms browsers send for video', () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
  });

  it('refuses ranges it cannot satisfy', () => {
    for (const h of ['bytes=100-', 'bytes=9-1', 'bytes=0-1,5-6', 'items=0-1', 'bytes=-0', 'bytes=-']) expect(parseRange(h, 100), h).toBe('invalid');
  });
});

describe('serveFile', () => {
  let base: string;
  let root: string;
  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'layerbench-files-'));
    root = path.join(base, 'project');
    mkdirSync(path.join(root, 'media'), { recursive: true });
    writeFileSync(path.join(root, 'media', 'a.png'), Buffer.from('0123456789'));
    writeFileSync(path.join(root, 'project.lbproj'), 'SQLite format 3');
    writeFileSync(path.join(base, 'outside.txt'), 'secret');
    symlinkSync(path.join(base, 'outside.txt'), path.join(root, 'media', 'link.txt'));
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const get = (pathname: string, headers: Record<string, string> = {}, method = 'GET') =>
    serveFile(root, pathname, new Request(`layerbench://media${pathname}`, { method, headers }), {
      refuse: (f) => f.endsWith('.lbproj'),
      headers: { 'X-Test': '1' },
    });

  it('serves a file with its type, its length and the extra headers', async () => {
    const r = await get('/media/a.png');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(r.headers.get('content-length')).toBe('10');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-test')).toBe('1');
    expect(await r.text()).toBe('0123456789');
  });

  it('serves a byte range with 206, so videos can seek', async () => {
    const r = await get('/media/a.png', { Range: 'bytes=2-4' });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 2-4/10');
    expect(await r.text()).toBe('234');
    expect((await get('/media/a.png', { Range: 'bytes=20-' })).status).toBe(416);
  });

  it('answers HEAD without a body', async () => {
    const r = await get('/media/a.png', {}, 'HEAD');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe('');
  });

  it('refuses traversal, links out of the root and refused names; 404 for what is not there', async () => {
    expect((await get('/media/..%2f..%2foutside.txt')).status).toBe(403);
    expect((await get('/media/link.txt')).status).toBe(403);
    expect((await get('/project.lbproj')).status).toBe(403);
    expect((await get('/media/missing.png')).status).toBe(404);
    expect((await get('/media')).status).toBe(404);
    expect((await get('/media/a.png', {}, 'POST')).status).toBe(405);
  });

  it('knows the types the renderer and the media need', () => {
    expect(contentType('index.html')).toBe('text/html; charset=utf-8');
    expect(contentType('x.JS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('clip.mp4')).toBe('video/mp4');
    expect(contentType('model.bin')).toBe('application/octet-stream');
  });
});
