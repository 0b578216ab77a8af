/**
 * The `layerbench:` scheme. `layerbench://app/…` serves the built renderer (and nothing else);
 * `layerbench://media/…` serves files of the open project's media/ folder (and nothing else),
 * addressed as serve mode's `/media/…` is. Loading the
 * app from a privileged standard scheme rather than file:// gives it a real origin, so the CSP,
 * the sender check and same-origin navigation all have something precise to compare with.
 */
import { protocol } from 'electron';
import path from 'node:path';
import { APP_ORIGIN, SCHEME } from './channels.js';
import { isProjectDatabase, serveFile } from '../media/files.js';
import { ensureThumbnail } from '../media/thumbs.js';
import { CONTENT_SECURITY_POLICY } from './security.js';

/** Must run before the app's `ready` event. */
export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true, codeCache: true } },
  ]);
}

export interface ProtocolOptions {
  /** dist/renderer */
  rendererDir: string;
  /** The folder of the open project, or null when none is open. */
  projectDir: () => Promise<string | null>;
}

/** Call after `ready`, on the session the window uses (the default one). */
export function handleScheme(opts: ProtocolOptions): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host === 'app') {
      const pathname = url.pathname === '/' || url.pathname === '' ? '/index.html' : url.pathname;
      return serveFile(opts.rendererDir, pathname, request, {
        headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Cross-Origin-Opener-Policy': 'same-origin' },
      });
    }
    if (url.host === 'media') {
      const dir = await opts.projectDir();
      if (!dir) return new Response('No project is open', { status: 404 });
      if (url.pathname.startsWith('/thumbs/')) {
        const made = await ensureThumbnail(dir, url.pathname.slice('/thumbs/'.length)).catch(() => null);
        if (!made) return new Response('Not found', { status: 404 });
        return serveFile(path.dirname(made), `/${path.basename(made)}`, request, { headers: { 'Access-Control-Allow-Origin': APP_ORIGIN } });
      }
      return serveFile(path.join(dir, 'media'), url.pathname, request, { refuse: isProjectDatabase, headers: { 'Access-Control-Allow-Origin': APP_ORIGIN } });
    }
    return new Response('Not found', { status: 404 });
  });
}
