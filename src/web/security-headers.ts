// One set of response headers for every route: a CSP with no inline script, no framing, no sniffing, no referrer to other sites, no caching of personal pages.
import type { Context, MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';

/** Turnstile, when the district turns it on, is the one outside script and frame a page may load. */
const TURNSTILE = 'https://challenges.cloudflare.com';

/** Paths whose answers are personal or a staff member's, whoever asks: receipts, the portals, their APIs. */
const PERSONAL_PATH = /^\/(r(\/|$)|unit(\/|$)|admin(\/|$)|leader(\/|$)|hazards(\/|$)|api\/v1\/(unit|admin|leader|receipts|hazards)(\/|$))/;

const RECEIPT_PATH = /^\/(r|api\/v1\/receipts)(\/|$)/;

function isPersonal(c: Context): boolean {
  if (c.req.header('authorization') || /(^|;\s*)pingan_session=/.test(c.req.header('cookie') ?? '')) return true;
  return PERSONAL_PATH.test(c.req.path);
}

export function securityHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      // Pages load one same-origin script (/assets/page.js); styles are inline <style> and a few style attributes.
      scriptSrc: ["'self'", TURNSTILE],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      frameSrc: [TURNSTILE],
      connectSrc: ["'self'"],
      // The unit portal's service worker and manifest (src/web/offline.tsx), same origin only.
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: 'DENY',
    // No address leaves the site. Not no-referrer everywhere: Chromium then sends `Origin: null` on our own
    // form posts, which the CSRF check cannot tell from a sandboxed attacker. Receipt pages set no-referrer themselves.
    referrerPolicy: 'same-origin',
    crossOriginEmbedderPolicy: false,
    // A route's own choice stands.
    overwrite: false,
  });
  return async function securityHeadersMiddleware(c, next) {
    await headers(c, next);
    // Staff and tipster answers must not stay in a shared phone's cache or a proxy.
    if (isPersonal(c)) c.res.headers.set('Cache-Control', 'no-store');
    // A receipt code in the address is the tipster's key, found or mistyped: no Referer carries it, even to us.
    if (RECEIPT_PATH.test(c.req.path)) c.res.headers.set('Referrer-Policy', 'no-referrer');
  };
}
