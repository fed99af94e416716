// A photo already received when a form comes back with errors is kept: it goes into the photo store at once and the
// re-rendered form names it in a hidden field by a short-lived signed reference, so the resend attaches it without
// uploading it again (and without a browser having to refill a file input, which it cannot). No table: the key,
// an expiry and an HMAC under the session secret; a client can neither choose a key nor reuse a reference elsewhere.
import { base64url, hmacSha256 } from '../lib/crypto.ts';
import { PHOTO_KEY } from '../forms/schema.ts';

/** Long enough to correct a form on a slow phone; short enough that a copied page is soon worthless. */
export const PHOTO_REF_TTL_MS = 2 * 60 * 60 * 1000;

/** The hidden field for a photo field's reference; its leading underscore keeps it out of the answers. */
export const photoRefField = (field: string) => `_photo_${field}`;

const macOf = async (secret: string, formId: string, field: string, key: string, expires: number) =>
  base64url(await hmacSha256(secret, `photo-ref\u0000${formId}\u0000${field}\u0000${key}\u0000${expires}`));

export async function signPhotoRef(secret: string, formId: string, field: string, key: string, now: number): Promise<string> {
  const expires = now + PHOTO_REF_TTL_MS;
  return `${key}|${expires}|${await macOf(secret, formId, field, key, expires)}`;
}

/** The photo key a reference names, or null when it is malformed, for another form or field, forged or expired. */
export async function readPhotoRef(secret: string, formId: string, field: string, value: unknown, now: number): Promise<string | null> {
  if (typeof value !== 'string' || value.length > 300) return null;
  const [key, exp, mac, ...rest] = value.split('|');
  if (rest.length || !key || !exp || !mac || !/^\d{1,15}$/.test(exp)) return null;
  if (!PHOTO_KEY.test(key) || !key.startsWith(`${formId}/`)) return null;
  const expires = Number(exp);
  if (expires <= now || expires > now + PHOTO_REF_TTL_MS) return null;
  const expected = await macOf(secret, formId, field, key, expires);
  // Compared in full whatever the first difference: no timing hint about the right MAC.
  let diff = expected.length ^ mac.length;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ (mac.charCodeAt(i) || 0);
  return diff === 0 ? key : null;
}
