// Who is asking: an access code as a Bearer token (API) or a signed session cookie (pages).
import type { Context, MiddlewareHandler } from 'hono';
import { getSignedCookie } from 'hono/cookie';
import { and, eq, isNull } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { accessCodes, type AccessRole } from '../db/schema.ts';
import { AppError } from '../lib/errors.ts';
import { verifyAccessCode, type Principal } from './codes.ts';

export const SESSION_COOKIE = 'pingan_session';

export type AuthEnv = { Variables: { principal: Principal } };

/** The principal of a request, or null. A revoked code ends its sessions at once. */
export async function getPrincipal(deps: Deps, c: Context): Promise<Principal | null> {
  const header = c.req.header('authorization');
  if (header) {
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    return m ? verifyAccessCode(deps.db, m[1]!) : null;
  }
  const session = await getSignedCookie(c, deps.config.SESSION_SECRET, SESSION_COOKIE);
  if (!session) return null;
  const id = Number(session.split('.')[0]);
  if (!Number.isInteger(id)) return null;
  const row = await deps.db.query.accessCodes.findFirst({ where: and(eq(accessCodes.id, id), isNull(accessCodes.revokedAt)) });
  return row ? { codeId: row.id, role: row.role, unitCode: row.unitCode } : null;
}

/**
 * Requires one of the roles. API paths answer 401/403 JSON; pages redirect to the sign-in page
 * (401) or show a Chinese message (403) through the app's error handler.
 */
export function requireRole(deps: Deps, roles: readonly AccessRole[], signInPath = '/signin'): MiddlewareHandler<AuthEnv> {
  return async function requireRoleMiddleware(c, next) {
    const principal = await getPrincipal(deps, c);
    if (!principal) {
      if (!c.req.path.startsWith('/api/') && c.req.method === 'GET') {
        return c.redirect(`${signInPath}?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
      }
      throw new AppError(401, 'UNAUTHORIZED', '访问码无效或已停用，请重新登录');
    }
    if (!roles.includes(principal.role)) throw new AppError(403, 'FORBIDDEN', '您的访问码无权进行此操作');
    c.set('principal', principal);
    await next();
  };
}
