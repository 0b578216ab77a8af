/**
 * The checks that keep the window a sandbox: who may call the api, where the window may go,
 * what the page may load. Pure functions, so they are unit-tested without an Electron binary.
 */
import { z } from 'zod';
import { APP_ORIGIN, MEDIA_ORIGIN } from './channels.js';

/**
 * The policy for the app's own pages. Scripts only from the app itself (no eval, no inline);
 * media only from the app and the open project; no network, frames, plugins or forms.
 * Inline styles stay allowed because Svelte writes `style=` attributes for dynamic layout.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  `img-src 'self' ${MEDIA_ORIGIN} blob: data:`,
  `media-src 'self' ${MEDIA_ORIGIN} blob:`,
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** A page of the app itself (`layerbench://app/…`), compared by parsed origin, not by prefix alone. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === 'layerbench:' && u.host === 'app' && url.startsWith(`${APP_ORIGIN}/`) && !u.username && !u.password;
}

/** Only the app's own top-level page may call the api. */
export function isTrustedSender(frame: { url: string; isMainFrame: boolean } | null | undefined): boolean {
  return !!frame && frame.isMainFrame && isAppUrl(frame.url);
}

/** Navigation stays inside the app; everything else is refused. */
export function isSameAppOrigin(url: string): boolean {
  return isAppUrl(url);
}

/** Links the system browser may open: plain http(s) only (no file:, javascript:, custom schemes). */
export function isExternalHttpUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
}

const filterSchema = z
  .array(
    z.object({
      name: z.string().trim().min(1).max(100),
      extensions: z
        .array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,16}(\.[A-Za-z0-9_-]{1,16})?)$/, 'an extension without its dot, such as "csv", or "*"'))
        .min(1)
        .max(50),
    }),
  )
  .max(20)
  .optional();

export type PickFilters = z.output<typeof filterSchema>;

/** Validates the renderer's file-dialog filters; throws an Error saying what was wrong. */
export function parsePickFilters(input: unknown): PickFilters {
  const r = filterSchema.safeParse(input ?? undefined);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${['filters', ...i.path].join('.')}: ${i.message}`);
  throw new Error(`Invalid file-dialog filters: ${issues.join('; ')}`);
}
