// Random codes and hashes on Web Crypto, the same in workerd and Node.
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

const encoder = new TextEncoder();

export const toHex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');

export const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/** Importing a key costs more than the MAC itself, and a process has one secret: keep each imported once. */
const HMAC_KEYS = new Map<string, Promise<CryptoKey>>();

/** HMAC-SHA-256 of text under a secret. */
export async function hmacSha256(secret: string, text: string): Promise<Uint8Array> {
  let key = HMAC_KEYS.get(secret);
  if (!key) HMAC_KEYS.set(secret, (key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])));
  return new Uint8Array(await crypto.subtle.sign('HMAC', await key, encoder.encode(text)));
}

export function randomToken(bytes = 18): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}
