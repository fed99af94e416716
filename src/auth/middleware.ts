// Who is asking: an access code as a Bearer token (API) or a signed session cookie (pages).
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { accessCodes, type AccessRole } from '../db/schema.ts';
import { AppError, forbidden } from '../lib/errors.ts';
import { randomToken } from '../lib/crypto.ts';
import { touchAccessCode, verifyAccessCode, type Principal } from './codes.ts';
import { clearFailures, recordFailure, throttleState } from './throttle.ts';

export const SESSION_COOKIE = 'pingan_session';
/** A session lasts two weeks; revoking the code ends it at once. */
const SESSION_MAX_AGE_S = 14 * 24 * 60 * 60;

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

/** The principal of the signed session cookie alone (pages that must not become an unthrottled code oracle). */
export async function sessionPrincipal(deps: Deps, c: Context): Promise<Principal | null> {
  const session = await getSignedCookie(c, deps.config.SESSION_SECRET, SESSION_COOKIE);
  if (!session) return null;
  // Max-Age only asks the browser to forget the cookie; a copied cookie must stop working at two weeks too.
  const m = /^(\d{1,12})\.([0-9a-z]{1,12})_[A-Za-z0-9_-]+$/.exec(session);
  const age = m ? deps.now().getTime() - parseInt(m[2]!, 36) : NaN;
  if (!m || !(age >= -60_000 && age <= SESSION_MAX_AGE_S * 1000)) return null;
  const id = Number(m[1]);
  const row = await deps.db.query.accessCodes.findFirst({ where: and(eq(accessCodes.id, id), isNull(accessCodes.revokedAt)) });
  return row ? { codeId: row.id, role: row.role, unitCode: row.unitCode } : null;
}

/** Starts a session for a verified code: `<codeId>.<start, base 36 ms>_<random>`, signed, HttpOnly, SameSite=Lax. */
export async function startSession(deps: Deps, c: Context, principal: Principal): Promise<void> {
  await setSignedCookie(c, SESSION_COOKIE, `${principal.codeId}.${deps.now().getTime().toString(36)}_${randomToken(12)}`, deps.config.SESSION_SECRET, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: deps.config.PUBLIC_BASE_URL.startsWith('https://'),
    maxAge: SESSION_MAX_AGE_S,
  });
}

export function endSession(deps: Deps, c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.config.PUBLIC_BASE_URL.startsWith('https://') });
}

export function tooManyAttempts(retryAfter: number): AppError {
  const wait = retryAfter >= 120 ? `${Math.ceil(retryAfter / 60)} 分钟` : `${retryAfter} 秒`;
  return new AppError(429, 'TOO_MANY_ATTEMPTS', `访问码错误次数过多，请 ${wait}后再试`, { retryAfter });
}

/**
 * A Bearer code, checked against the guessing throttle of its client: a client that is waiting
 * gets 429 whatever it sends, a wrong code counts as a failure.
 */
async function bearerPrincipal(deps: Deps, c: Context, code: string | null): Promise<Principal | null> {
  const client = deps.clientAddress(c);
  const now = deps.now();
  const state = await throttleState(deps.db, client, now);
  if (state.retryAfter > 0) {
    c.header('Retry-After', String(state.retryAfter));
    throw tooManyAttempts(state.retryAfter);
  }
  const principal = code ? await verifyAccessCode(deps.db, code) : null;
  if (!principal) {
    await recordFailure(deps.db, client, now);
    return null;
  }
  if (state.failures > 0) await clearFailures(deps.db, client);
  return principal;
}

/**
 * Requires one of the roles. API paths answer 401/403 JSON; pages redirect to the sign-in page
 * (401) or show a Chinese message (403) through the app's error handler.
 */
export function requireRole(deps: Deps, roles: readonly AccessRole[], signInPath = '/signin'): MiddlewareHandler<AuthEnv> {
  return async function requireRoleMiddleware(c, next) {
    const bearer = bearerOf(c);
    const principal = bearer !== undefined ? await bearerPrincipal(deps, c, bearer) : await getPrincipal(deps, c);
    if (!principal) {
      if (!c.req.path.startsWith('/api/') && c.req.method === 'GET') {
        return c.redirect(`${signInPath}?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
      }
      throw new AppError(401, 'UNAUTHORIZED', '访问码无效或已停用，请重新登录');
    }
    if (!roles.includes(principal.role)) throw forbidden('您的访问码无权进行此操作');
    await touchAccessCode(deps.db, principal.codeId, deps.now());
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
