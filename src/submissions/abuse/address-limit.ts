// The per-address limiter in front of routes that answer anyone: receipt lookups and tipster feedback.
import type { MiddlewareHandler } from 'hono';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../lib/errors.ts';

export const LOOKUP_LIMITED_MESSAGE = '查询太频繁了，请稍等一分钟再试';

/** Counts each request of a client address in `bucket`; past the limit, 429 with Retry-After (a page or JSON by path). */
export function limitByAddress(deps: Pick<Deps, 'rateLimiter' | 'clientAddress'>, bucket: string): MiddlewareHandler {
  return async function limitByAddressMiddleware(c, next) {
    const { success, retryAfter } = await deps.rateLimiter.limit(`${bucket}:${deps.clientAddress(c)}`);
    if (!success) {
      c.header('Retry-After', String(Math.max(1, retryAfter)));
      throw new AppError(429, 'RATE_LIMITED', LOOKUP_LIMITED_MESSAGE, { retryAfter: Math.max(1, retryAfter) });
    }
    await next();
  };
}
