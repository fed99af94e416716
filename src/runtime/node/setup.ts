// Node-only start-up shared by the server and the CLI: defaults for the embedded database, migrations, seed,
// and the Node implementation of every port on Deps.
import { parseConfig, type Config } from '../../core/config.ts';
import type { Db } from '../../db/index.ts';
import { migrateDb, openNodeDb } from './db.ts';
import { nodeSessionSecret } from './session-secret.ts';
import { consoleLogger, type Deps } from '../../deps.ts';
import { memoryRateLimiter } from '../../submissions/abuse/rate-limit.ts';
import { sheetsGatewayFromConfig } from '../../sheets/client.ts';
import { PLUGINS } from '../../plugins.ts';
import { nodeClientAddress } from './client-address.ts';
import { diskPhotoStore } from './photos.ts';
import { lookup } from 'node:dns/promises';

export const DEFAULT_DB_URL = 'file:data/pingan.db';

/** The embedded database needs no configuration; the session secret is SESSION_SECRET or a key file beside the database. */
export async function openNodeRuntime(env: NodeJS.ProcessEnv = process.env): Promise<{ db: Db; config: Config }> {
  const port = env.PORT ?? '8787';
  const url = env.LIBSQL_URL?.trim() || DEFAULT_DB_URL;
  // Parse once without the secret so a bad variable is named before the database is touched.
  const probe = { PUBLIC_BASE_URL: `http://localhost:${port}`, SESSION_SECRET: 'x'.repeat(32), ...env, LIBSQL_URL: url };
  parseConfig(probe);
  const db = await openNodeDb(url, env.LIBSQL_AUTH_TOKEN);
  await migrateDb(db);
  const secret = await nodeSessionSecret(db, url, env);
  const config = parseConfig({ ...probe, SESSION_SECRET: secret });
  return { db, config };
}

/** Deps as the Node server and the CLI run them: photos on disk, an in-process rate limiter, the socket's address. */
export function nodeDeps(db: Db, config: Config, env: NodeJS.ProcessEnv = process.env): Deps {
  return {
    db,
    config,
    now: () => new Date(),
    log: consoleLogger,
    sheets: sheetsGatewayFromConfig(config),
    photos: diskPhotoStore(env.PHOTOS_DIR || 'data/photos'),
    rateLimiter: memoryRateLimiter({ limit: config.SUBMIT_RATE_LIMIT }),
    clientAddress: nodeClientAddress({ trustProxy: config.TRUST_PROXY }),
    plugins: PLUGINS,
    fetch: (input, init) => fetch(input, init),
    resolveHost: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  };
}
