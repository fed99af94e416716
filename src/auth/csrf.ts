// Cross-site request forgery: a state-changing request that a browser could send with our cookie must come from our own pages.
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { AppError } from '../lib/errors.ts';
import { SESSION_COOKIE } from './middleware.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_SITE_FETCH = new Set(['same-origin', 'none']);

/**
 * Refuses a POST/PUT/PATCH/DELETE whose Origin is another site, whose Sec-Fetch-Site says cross-site, or that
 * carries the session cookie with neither header (every browser sends Origin on a POST; only a forged or very
 * old client does not). Sign-in is checked even without a cookie (login CSRF). A Bearer call cannot be forged
 * by a page, and the public forms carry no cookie: both pass. The allowed origins are PUBLIC_BASE_URL's and the
 * request's own (a page of another site cannot choose our Host header).
 */
export function sameOriginWrites(publicBaseUrl: string): MiddlewareHandler {
  const publicOrigin = new URL(publicBaseUrl).origin;
  return async function sameOriginWritesMiddleware(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const hasCookie = getCookie(c, SESSION_COOKIE) !== undefined;
    const isSignIn = c.req.path === '/signin';
    if (!hasCookie && !isSignIn) return next();
    if (/^Bearer\s/i.test(c.req.header('authorization') ?? '')) return next();
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    let ok: boolean;
    // `Origin: null` comes from a page with no-referrer or a sandbox: let Sec-Fetch-Site decide, else treat it as missing.
    if (origin !== undefined && origin !== 'null') ok = origin === publicOrigin || origin === new URL(c.req.url).origin;
    else if (fetchSite !== undefined) ok = SAME_SITE_FETCH.has(fetchSite);
    else ok = !hasCookie;
    if (ok && fetchSite !== undefined && !SAME_SITE_FETCH.has(fetchSite)) ok = false;
    if (!ok) throw new AppError(403, 'CROSS_SITE', '该请求来自其他网站，已拒绝。请在本系统的页面上重新操作');
    return next();
  };
}
