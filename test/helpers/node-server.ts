// The real Node server as src/runtime/node/entry.ts builds it (file database in WAL, migrations, demo seed, createApp,
// @hono/node-server) on 127.0.0.1 and a free port, for the load test, the fault tests and the bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp } from '../../src/app.tsx';
import { parseConfig } from '../../src/core/config.ts';
import type { Db } from '../../src/db/index.ts';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import type { Deps } from '../../src/deps.ts';
import { nodeClientAddress } from '../../src/runtime/node/client-address.ts';
import { testDeps } from './app.ts';
import { seedOrganisation } from '../../src/core/seed.ts';
import organisation from '../../forms/organisation.ts';

export interface NodeServer {
  url: string;
  db: Db;
  deps: Deps;
  /** The database file, e.g. for a second connection that checks what was stored. */
  dbPath: string;
  close(): Promise<void>;
}

export interface NodeServerOptions {
  /** Extra configuration (SUBMIT_RATE_LIMIT, GOOGLE_*…). */
  config?: Record<string, string>;
  deps?: Partial<Deps>;
}

export async function startNodeServer(opts: NodeServerOptions = {}): Promise<NodeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-server-'));
  const dbPath = join(dir, 'pingan.db');
  const url = `file:${dbPath}`;
  const db = await openNodeDb(url);
  await migrateDb(db);
  await seedOrganisation(db, organisation);
  const config = parseConfig({
    LIBSQL_URL: url,
    PUBLIC_BASE_URL: 'http://127.0.0.1:8787',
    SESSION_SECRET: 'node-server-secret-0123456789abcdef',
    ...opts.config,
  });
  const deps = testDeps({ db, config, now: () => new Date(), clientAddress: nodeClientAddress({ trustProxy: config.TRUST_PROXY }), ...opts.deps });
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    deps,
    dbPath,
    async close() {
      // Keep-alive sockets from the clients would hold close() open; end them first.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
