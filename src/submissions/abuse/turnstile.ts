// Cloudflare Turnstile: checked only when TURNSTILE_SECRET is set; the verify URL is configurable for tests and relays.
import type { Deps } from '../../deps.ts';

export const TURNSTILE_VERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';

export const turnstileEnabled = (deps: Deps) => Boolean(deps.config.TURNSTILE_SECRET);

/** True when the token passes (or Turnstile is off); false when it is missing, wrong, or siteverify cannot be reached. */
export async function verifyTurnstile(deps: Deps, token: unknown, remoteIp: string): Promise<boolean> {
  if (!turnstileEnabled(deps)) return true;
  if (typeof token !== 'string' || token.length === 0 || token.length > 2048) return false;
  const body = new FormData();
  body.set('secret', deps.config.TURNSTILE_SECRET);
  body.set('response', token);
  if (remoteIp !== 'unknown') body.set('remoteip', remoteIp);
  try {
    const res = await fetch(deps.config.TURNSTILE_VERIFY_URL || TURNSTILE_VERIFY_URL, { method: 'POST', body });
    if (!res.ok) {
      deps.log.warn('turnstile: siteverify failed', { status: res.status });
      return false;
    }
    const data = (await res.json()) as { success?: unknown; 'error-codes'?: unknown };
    if (data.success !== true) deps.log.info('turnstile: rejected', { codes: data['error-codes'] });
    return data.success === true;
  } catch (err) {
    deps.log.warn('turnstile: siteverify unreachable', { error: (err as Error).message });
    return false;
  }
}
