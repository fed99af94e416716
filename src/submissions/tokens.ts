// One-time form tokens: a signed random value in the page's hidden field. Nothing is written when the
// page is shown; the first submission carrying a token records it in form_tokens, so a double tap
// (or a resent POST) finds the first submission instead of storing a second one.
import { lt } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { formTokens } from '../db/schema.ts';
import { base64url, hmacSha256 } from '../lib/crypto.ts';

const TOKEN_TTL_MS = 2 * 24 * 60 * 60 * 1000;
async function sign(secret: string, text: string): Promise<string> {
  return base64url((await hmacSha256(secret, `form-token:${text}`)).slice(0, 16));
}

/** A fresh token for a rendered form: issuedAt.random.signature. */
export async function issueFormToken(deps: Pick<Deps, 'config' | 'now'>): Promise<string> {
  const body = `${deps.now().getTime().toString(36)}.${base64url(crypto.getRandomValues(new Uint8Array(12)))}`;
  return `${body}.${await sign(deps.config.SESSION_SECRET, body)}`;
}

/**
 * The token when it is ours and not stale; undefined otherwise. A bad or old token is not an error:
 * the submission is still accepted, only without double-tap protection.
 */
export async function checkFormToken(deps: Pick<Deps, 'config' | 'now'>, token: unknown): Promise<string | undefined> {
  if (typeof token !== 'string' || token.length > 120) return undefined;
  const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return undefined;
  const issuedAt = parseInt(m[1]!, 36);
  const age = deps.now().getTime() - issuedAt;
  if (!(age >= -60_000 && age <= TOKEN_TTL_MS)) return undefined;
  const expected = await sign(deps.config.SESSION_SECRET, `${m[1]}.${m[2]}`);
  return expected === m[3] ? token : undefined;
}

/**
 * Forgets recorded tokens no page can still carry: a token older than its TTL is refused before it is
 * looked up, so its row guards nothing. A day of slack covers a clock that moved.
 */
export async function purgeStaleFormTokens(deps: Pick<Deps, 'db'>, at: Date): Promise<number> {
  const cutoff = at.getTime() - TOKEN_TTL_MS - 24 * 60 * 60 * 1000;
  const gone = await deps.db.delete(formTokens).where(lt(formTokens.createdAt, cutoff)).returning({ token: formTokens.token });
  return gone.length;
}
