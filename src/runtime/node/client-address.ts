// On Node the socket address is the truth, unless TRUST_PROXY says a proxy in front sets X-Forwarded-For
// (then the address that proxy appended, the last one: earlier entries are whatever the client sent).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { ClientAddress } from '../../core/client-address.ts';

export function nodeClientAddress(opts: { trustProxy?: boolean } = {}): ClientAddress {
  return function nodeClientAddress(c) {
    if (opts.trustProxy) {
      const last = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
      if (last) return last;
    }
    return getConnInfo(c).remote.address || 'unknown';
  };
}
