// The client address a rate limit is keyed by: Cloudflare's header, then the first forwarded address, then the socket.
// Headers are trusted as a proxy sets them: on Workers cf-connecting-ip cannot be forged; a Node server exposed
// without a proxy in front should strip x-forwarded-for, or a client can pick its own rate-limit key.
import type { Context } from 'hono';

export function clientAddress(c: Context): string {
  const cf = c.req.header('cf-connecting-ip');
  if (cf) return cf.trim();
  const forwarded = c.req.header('x-forwarded-for');
  if (forwarded) {
    const first = forwarded.split(',')[0]!.trim();
    if (first) return first;
  }
  // @hono/node-server puts the Node request on env.incoming; read it without importing Node code.
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
