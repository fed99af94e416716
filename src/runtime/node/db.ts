// The embedded database on Node: a libSQL file in WAL mode with a busy timeout, migrations from drizzle/.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from '../../db/schema.ts';
import type { Db } from '../../db/index.ts';
import { coalescingClient } from '../../db/coalesce.ts';
import { cachePreparedStatements } from './statement-cache.ts';
import { groupCommits } from './group-commit.ts';

/** How long a statement waits for another connection's write lock before it fails with SQLITE_BUSY. */
const TIMEOUT_MS = 5000;

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

export class DatabaseOpenError extends Error {
  override name = 'DatabaseOpenError';
}

export async function openNodeDb(url: string, authToken?: string): Promise<Db> {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0]!;
    if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  }
  cachePreparedStatements();
  let client: Client;
  try {
    client = createClient({ url, authToken: authToken || undefined, intMode: 'number', timeout: TIMEOUT_MS });
  } catch (e) {
    throw new DatabaseOpenError(`Cannot open the database at ${url}: ${(e as Error).message}`);
  }
  if (url.startsWith('file:') && !url.includes(':memory:')) {
    try {
      // WAL and NORMAL per connection: the transactions' connection, then the one batches share commits on.
      await client.execute('PRAGMA journal_mode = WAL');
      await client.execute('PRAGMA synchronous = NORMAL');
      const path = plainFilePath(url);
      if (path) {
        client = groupCommits(client, path, { timeout: TIMEOUT_MS, pragmas: ['PRAGMA synchronous = NORMAL'] });
      }
    } catch (e) {
      client.close();
      throw new DatabaseOpenError(`Cannot open the database at ${url}: ${(e as Error).message}`);
    }
  }
  // Over the network each statement is a round trip: reads issued together go as one batch (src/db/coalesce.ts).
  return drizzle(/^(https?|libsql|wss?):/.test(url) ? coalescingClient(client) : client, { schema });
}

/**
 * The file a `file:` URL names, for the connection batches share commits on — or null when the URL is more than a
 * plain path (options, percent-escapes, a host), which is then left to @libsql/client alone.
 */
function plainFilePath(url: string): string | null {
  const rest = url.slice('file:'.length);
  if (/[?#%]/.test(rest)) return null;
  if (!rest.startsWith('//')) return rest;
  return /^\/\/(?:localhost)?(\/[^/].*)$/.exec(rest)?.[1] ?? null;
}

export async function migrateDb(db: Db): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}
