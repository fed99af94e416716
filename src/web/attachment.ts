// A download's name: RFC 6266, an ASCII fallback and the Chinese name for browsers that read filename*.
// (Downloads live under /unit, /admin and /leader, whose answers the security headers already mark no-store.)
import type { Context } from 'hono';

export function attachment(c: Context, name: string, ascii = name) {
  c.header('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}
