// Random codes on Web Crypto; hashes and MACs with node:crypto, which workerd provides under nodejs_compat (see
// wrangler.toml). Both runtimes compute a hash at once: Node runs Web Crypto's digest and sign as queued jobs that
// cost more than the hash itself (a public submission's two MACs were a quarter of its CPU).
import { createHash, createHmac } from 'node:crypto';
/** Letters and digits without 0/O, 1/I/L, 2/Z, 5/S, 8/B: easy to read aloud and type on a phone. */
export const UNAMBIGUOUS = 'ACDEFGHJKMNPQRTUVWXY34679';

export function randomCode(length: number, alphabet = UNAMBIGUOUS): string {
  // Rejection sampling keeps every character equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < limit && out.length < length) out += alphabet[b % alphabet.length];
    }
  }
  return out;
}

export const toHex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function sha256Hex(text: string): Promise<string> {
  return createHash('sha256').update(text).digest('hex');
}

/** HMAC-SHA-256 of text under a secret. */
export async function hmacSha256(secret: string, text: string): Promise<Uint8Array> {
  return new Uint8Array(createHmac('sha256', secret).update(text).digest());
}

export function randomToken(bytes = 18): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}
