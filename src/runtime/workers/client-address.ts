// On Workers there is no socket, and Cloudflare's cf-connecting-ip cannot be forged. Without it (app.request()
// in tests, wrangler dev behind a proxy) the first forwarded address, as a proxy would set it.
import type { ClientAddress } from '../../core/client-address.ts';

export const workersClientAddress: ClientAddress = function workersClientAddress(c) {
  const cf = c.req.header('cf-connecting-ip')?.trim();
  if (cf) return cf;
  return c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'unknown';
};
