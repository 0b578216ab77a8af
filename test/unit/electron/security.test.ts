import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  isAppUrl,
  isExternalHttpUrl,
  isSameAppOrigin,
  isTrustedSender,
  parsePickFilters,
} from '../../../main/electron/security.js';

describe('isTrustedSender', () => {
  it('accepts the top frame of the app', () => {
    expect(isTrustedSender({ url: 'layerbench://app/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'layerbench://app/index.html#/train?run=3', isMainFrame: true })).toBe(true);
  });

  it.each([
    ['an http page', 'http://localhost:5173/'],
    ['a file: page', 'file:///work/main/dist/renderer/index.html'],
    ['the media route', 'layerbench://media/photo.jpg'],
    ['a look-alike host', 'layerbench://application/index.html'],
    ['a host with credentials', 'layerbench://app@evil/index.html'],
    ['a prefix without its slash', 'layerbench://app'],
    ['about:blank', 'about:blank'],
    ['an empty url', ''],
  ])('refuses %s', (_what, url) => {
    expect(isTrustedSender({ url, isMainFrame: true })).toBe(false);
  });

  it('refuses sub-frames, even of the app, and a missing frame', () => {
    expect(isTrustedSender({ url: 'layerbench://app/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });
});

describe('navigation and external links', () => {
  it('keeps navigation inside the app origin', () => {
    expect(isSameAppOrigin('layerbench://app/index.html#/data')).toBe(true);
    expect(isSameAppOrigin('https://example.com/')).toBe(false);
    expect(isSameAppOrigin('layerbench://media/x.png')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('opens only http(s) links in the system browser', () => {
    expect(isExternalHttpUrl('https://keras.io/guides/')).toBe(true);
    expect(isExternalHttpUrl('http://localhost:8080/')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'layerbench://app/', 'https://user:pw@example.com/'])
      expect(isExternalHttpUrl(url), url).toBe(false);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => { const [k, ...v] = d.trim().split(/\s+/); return [k, v]; }));

  it('allows scripts only from the app, without eval or inline code', () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
  });

  it('lets images and video come from the open project, and nothing from the network', () => {
    expect(directives.get('img-src')).toContain('layerbench://media');
    expect(directives.get('media-src')).toContain('layerbench://media');
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:/);
  });
});

describe('parsePickFilters', () => {
  it('accepts the filters a file dialog takes, and none at all', () => {
    const filters = [{ name: 'CSV files', extensions: ['csv', 'tsv'] }, { name: 'All files', extensions: ['*'] }];
    expect(parsePickFilters(filters)).toEqual(filters);
    expect(parsePickFilters(undefined)).toBeUndefined();
    expect(parsePickFilters(null)).toBeUndefined();
    expect(parsePickFilters([{ name: 'Archives', extensions: ['tar.gz'] }])).toEqual([{ name: 'Archives', extensions: ['tar.gz'] }]);
  });

  it.each([
    ['not an array', { name: 'x', extensions: ['csv'] }, /filters: /],
    ['an extension with its dot', [{ name: 'CSV', extensions: ['.csv'] }], /filters\.0\.extensions\.0: an extension without its dot/],
    ['a path in an extension', [{ name: 'x', extensions: ['../x'] }], /filters\.0\.extensions\.0/],
    ['no extensions', [{ name: 'x', extensions: [] }], /filters\.0\.extensions/],
    ['a missing name', [{ extensions: ['csv'] }], /filters\.0\.name/],
    ['too many filters', Array.from({ length: 21 }, () => ({ name: 'x', extensions: ['csv'] })), /filters: /],
  ])('refuses %s, saying where', (_what, input, message) => {
    expect(() => parsePickFilters(input)).toThrow(message);
  });
});
