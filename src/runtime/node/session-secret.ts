// The Node server's session secret: SESSION_SECRET, else a key file beside the database (mode 0600), never inside it,
// so a copy of the database (a backup, a stolen file) is not enough to forge a signed cookie.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { meta } from '../../db/schema.ts';
import { randomToken } from '../../lib/crypto.ts';

/** Where the key lives: SESSION_KEY_FILE, else `<database name>.key` beside a file database, else data/pingan.key. */
export function sessionKeyPath(url: string, env: NodeJS.ProcessEnv): string | null {
  if (env.SESSION_KEY_FILE) return env.SESSION_KEY_FILE;
  if (url === ':memory:' || url === 'file::memory:') return null;
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).replace(/\?.*$/, '');
    return join(dirname(path), `${basename(path, extname(path))}.key`);
  }
  return join('data', 'pingan.key');
}

function readKey(path: string): string | null {
  try {
    const value = readFileSync(path, 'utf8').trim();
    return value.length >= 32 ? value : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Creates the key file once (exclusive create: two starting processes agree on one key); returns its content. */
function writeKey(path: string, value: string): string {
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const existing = readKey(path);
    if (!existing) throw new Error(`SESSION_KEY_INVALID: ${path} holds no usable key; remove it or set SESSION_SECRET`);
    return existing;
  }
}

/**
 * SESSION_SECRET when set; else the key file, created on first start. A secret an older version kept in the
 * `meta` table moves to the key file (so running sessions and address keys survive) and leaves the database.
 */
export async function nodeSessionSecret(db: Db, url: string, env: NodeJS.ProcessEnv): Promise<string> {
  const legacy = await db.query.meta.findFirst({ where: eq(meta.key, 'session_secret') });
  const path = sessionKeyPath(url, env);
  let secret: string;
  if (env.SESSION_SECRET) secret = env.SESSION_SECRET;
  else if (!path) secret = legacy?.value ?? randomToken(32);
  else {
    const existing = readKey(path);
    secret = existing ?? writeKey(path, legacy?.value ?? randomToken(32));
    // Only the owner may read it, whoever created it.
    chmodSync(path, 0o600);
  }
  if (legacy) await db.delete(meta).where(eq(meta.key, 'session_secret'));
  return secret;
}
