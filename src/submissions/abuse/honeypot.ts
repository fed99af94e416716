// The honeypot: a field people never see (off-screen, aria-hidden, not tabbable) that form-filling bots fill in.
// A filled honeypot gets a thank-you page that looks like success but stores nothing, so bots learn nothing.
import { HONEYPOT_FIELD } from '../../web/form-page.tsx';

export function honeypotFilled(body: Record<string, unknown>): boolean {
  const value = body[HONEYPOT_FIELD];
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => typeof v === 'string' && v.trim() !== '');
}
