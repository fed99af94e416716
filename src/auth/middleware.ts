// Who is asking: an access code as a Bearer token (API) or a signed session cookie (pages).
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { Deps } from '../deps.ts';
import type { AccessRole } from '../db/schema.ts';
import { AppError, forbidden } from '../lib/errors.ts';
import { accessCodeHash, touchAccessCode, verifyAccessCode, verifyAccessCodeHash, type Principal } from './codes.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { createSession, deleteSession, sessionOwnerByHash, SESSION_MAX_AGE_MS } from './sessions.ts';
import { recordFailure, throttleState } from './throttle.ts';
import { perRequest, startReadsAlongsideAuth } from '../core/request-memo.ts';

export const SESSION_COOKIE = 'pingan_session';

export type AuthEnv = { Variables: { principal: Principal } };

function bearerOf(c: Context): string | null | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(header.trim());
  return m ? m[1]! : null;
}

/** The principal of a request, or null. A revoked code ends its sessions at once. */
export async function getPrincipal(deps: Deps, c: Context): Promise<Principal | null> {
  const bearer = bearerOf(c);
  if (bearer !== undefined) return bearer ? verifyAccessCode(deps.db, bearer) : null;
  return sessionPrincipal(deps, c);
}

/** The principal of the session cookie alone (pages that must not become an unthrottled code oracle). */
export function sessionPrincipal(deps: Deps, c: Context): Promise<Principal | null> {
  // Read once per page request, and started early (prefetchSession) so it travels with the page's first reads;
  // a write's own reads (readAlongsideAuth) start with it.
  return perRequest('session', async () => {
    const hash = await sessionHash(deps, c);
    startReadsAlongsideAuth(c);
    return lookUpSession(deps, hash);
  });
}

/** The hash of a well-formed, correctly signed session cookie; null without one. */
async function sessionHash(deps: Deps, c: Context): Promise<string | null> {
  const id = await getSignedCookie(c, deps.config.SESSION_SECRET, SESSION_COOKIE);
  // Max-Age only asks the browser to forget the cookie: the table decides whether the session still lives.
  if (!id || !/^[A-Za-z0-9_-]{20,64}$/.test(id)) return null;
  return sha256Hex(id);
}

const lookUpSession = (deps: Deps, hash: string | null) => (hash ? sessionOwnerByHash(deps.db, hash, deps.now()) : Promise.resolve(null));

/**
 * Starts a page's session lookup without waiting for it: the campaign and form checks that follow are issued
 * in the same moment, and the three reads go to the database as one batch (src/db/coalesce.ts).
 */
export function prefetchSession(deps: Deps): MiddlewareHandler {
  return async function prefetchSessionMiddleware(c, next) {
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && bearerOf(c) === undefined && c.req.header('cookie')?.includes(SESSION_COOKIE)) {
      // The cookie is checked and hashed first (no database), so the lookup is issued with the reads that follow.
      const hash = await sessionHash(deps, c);
      void perRequest('session', () => lookUpSession(deps, hash));
    }
    await next();
  };
}

/** Starts a session for a verified code: a random id, signed, HttpOnly, SameSite=Lax; the table keeps its hash. */
export async function startSession(deps: Deps, c: Context, principal: Principal): Promise<void> {
  const id = await createSession(deps.db, principal.codeId, deps.now());
  await setSignedCookie(c, SESSION_COOKIE, id, deps.config.SESSION_SECRET, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.config.PUBLIC_BASE_URL.startsWith('https://'),
    maxAge: SESSION_MAX_AGE_MS / 1000,
  });
}

/** Signs out: the session row goes, so a copy of the cookie stops working too. */
export async function endSession(deps: Deps, c: Context): Promise<void> {
  const id = await getSignedCookie(c, deps.config.SESSION_SECRET, SESSION_COOKIE);
  if (id) await deleteSession(deps.db, id, deps.now());
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.config.PUBLIC_BASE_URL.startsWith('https://') });
}

export function tooManyAttempts(retryAfter: number): AppError {
  const wait = retryAfter >= 120 ? `${Math.ceil(retryAfter / 60)} 分钟` : `${retryAfter} 秒`;
  return new AppError(429, 'TOO_MANY_ATTEMPTS', `访问码错误次数过多，请 ${wait}后再试`, { retryAfter });
}

/**
 * A Bearer code, checked against the guessing throttle of its client: a right code always passes,
 * a wrong one counts as a failure and, once the client has failed too often, is answered 429.
 */
async function bearerPrincipal(deps: Deps, c: Context, code: string | null): Promise<Principal | null> {
  const client = deps.clientAddress(c);
  const now = deps.now();
  // Both reads start together and travel as one round trip (the code is hashed before either is issued).
  const hash = code ? await accessCodeHash(code) : null;
  startReadsAlongsideAuth(c);
  const [state, principal] = await Promise.all([throttleState(deps.db, client, now), verifyAccessCodeHash(deps.db, hash)]);
  if (!principal) {
    const wait = await recordFailure(deps.db, client, now);
    if (state.retryAfter > 0) {
      const retryAfter = Math.max(wait, state.retryAfter);
      c.header('Retry-After', String(retryAfter));
      throw tooManyAttempts(retryAfter);
    }
    return null;
  }
  return principal;
}

/**
 * Requires one of the roles. API paths answer 401/403 JSON; pages redirect to the sign-in page
 * (401) or show a Chinese message (403) through the app's error handler.
 */
export function requireRole(deps: Deps, roles: readonly AccessRole[], signInPath = '/signin'): MiddlewareHandler<AuthEnv> {
  return async function requireRoleMiddleware(c, next) {
    const bearer = bearerOf(c);
    // Paths guarded twice (a prefix and the route) check the code once per request.
    const checked = (c.var as { principal?: Principal }).principal;
    const principal = checked ?? (bearer !== undefined ? await bearerPrincipal(deps, c, bearer) : await getPrincipal(deps, c));
    if (!principal) {
      if (!c.req.path.startsWith('/api/') && c.req.method === 'GET') {
        return c.redirect(`${signInPath}?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
      }
      throw new AppError(401, 'UNAUTHORIZED', '访问码无效或已停用，请重新登录');
    }
    if (!roles.includes(principal.role)) throw forbidden('您的访问码无权进行此操作');
    if (!checked) await touchAccessCode(deps.db, principal, deps.now());
    c.set('principal', principal);
    await next();
  };
}

/**
 * The unit a request acts for. A unit always acts for itself (asking for another is refused);
 * the office and leaders may name any unit with ?unit=, and default to their own.
 */
export function scopeUnit(principal: Principal, requested: string | undefined | null): string {
  if (!requested || requested === principal.unitCode) return principal.unitCode;
  if (principal.role === 'unit') throw forbidden('只能查看和填报本单位的记录');
  return requested;
}

/** Leaders read everything and change nothing. */
export function assertCanWrite(principal: Principal): void {
  if (principal.role === 'leader') throw new AppError(403, 'READ_ONLY', '领导访问码只能查看，不能修改');
}
