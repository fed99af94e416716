// libSQL over HTTP (Turso, sqld, or the project's local server): the Workers path.
import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from '../../db/schema.ts';
import type { Db } from '../../db/index.ts';
import { coalescingClient } from '../../db/coalesce.ts';

export function openWebDb(url: string, authToken?: string): Db {
  const client = createClient({ url, authToken: authToken || undefined, intMode: 'number' });
  return drizzle(coalescingClient(client), { schema });
}
