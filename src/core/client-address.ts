// The client address that rate limits and the sign-in throttle are keyed by.
// On Node the socket address is the truth, unless TRUST_PROXY says a proxy in front sets X-Forwarded-For
// (then the address that proxy appended, the last one: earlier entries are whatever the client sent).
// On Workers there is no socket and Cloudflare's cf-connecting-ip cannot be forged.
import type { Context } from 'hono';

export function clientAddress(c: Context, opts: { trustProxy?: boolean } = {}): string {
  // @hono/node-server puts the Node request on env.incoming; read it without importing Node code.
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket;
  if (socket?.remoteAddress) {
    if (opts.trustProxy) {
      const last = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
      if (last) return last;
    }
    return socket.remoteAddress;
  }
  const cf = c.req.header('cf-connecting-ip')?.trim();
  if (cf) return cf;
  // app.request() in tests, or a runtime without either: the first forwarded address, as a proxy would set it.
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  return forwarded || 'unknown';
}
