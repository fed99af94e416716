// The app on libSQL over HTTP, as on Workers: the project's local server on a temp file, behind a proxy that
// counts each HTTP request (one network round trip to Turso) and may add a delay to each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLibsqlServer } from '../../tools/libsql-server/server.ts';
import { openWebDb } from '../../src/runtime/workers/db.ts';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import { seedOrganisation } from '../../src/core/seed.ts';
import { createApp } from '../../src/app.tsx';
import organisation from '../../forms/organisation.ts';
import type { Db } from '../../src/db/index.ts';
import { testConfig, testDeps, type TestContext } from './app.ts';

import { startCountingProxy } from './counting-proxy.ts';
import { startDatabaseProcess } from './db-process.ts';

export { startCountingProxy, type CountingProxy } from './counting-proxy.ts';

export interface HttpTestContext extends TestContext {
  /** The counting proxy's URL: what the app (or a second client) uses as LIBSQL_URL. */
  url: string;
  /** The requests the last counted call sent, for a failing test's message (in-process database only). */
  readonly tripLog: string[][];
  /** Milliseconds the proxy adds before forwarding each request. */
  setDelay(ms: number): Promise<void>;
  /** Counts the round trips `fn` makes. */
  trips(fn: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

/**
 * A seeded, migrated database on the local libSQL server, the app talking to it through the counting proxy.
 * `separateProcess` runs the server and proxy in a child process, as Turso is a server of its own: a load test
 * then measures the app, not the one Node thread it would share with the database.
 */
export async function makeHttpTestApp(
  opts: { now?: string; config?: Record<string, string>; separateProcess?: boolean } = {},
): Promise<HttpTestContext> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-trips-'));
  const file = join(dir, 'db.sqlite');
  const setup = await openNodeDb(`file:${file}`);
  await migrateDb(setup);
  await seedOrganisation(setup, organisation);
  setup.$client.close();
  const remote = opts.separateProcess ? await startDatabaseProcess(file) : undefined;
  const server = remote ? undefined : await startLibsqlServer({ path: file, port: 0 });
  const proxy = server ? await startCountingProxy(server.url) : undefined;
  const url = remote?.url ?? proxy!.url;
  const db: Db = openWebDb(url);
  let now = new Date(opts.now ?? '2014-11-04T02:00:00Z');
  const deps = testDeps({ db, config: testConfig(opts.config), now: () => now });
  return {
    db,
    deps,
    app: createApp(deps),
    url,
    get tripLog() {
      return proxy?.log ?? [];
    },
    setNow(at) {
      now = new Date(at);
    },
    async setDelay(ms) {
      if (remote) await remote.setDelay(ms);
      else proxy!.delayMs = ms;
    },
    async trips(fn) {
      if (remote) {
        await remote.reset();
        await fn();
        return remote.trips();
      }
      proxy!.reset();
      await fn();
      return proxy!.trips;
    },
    async close() {
      db.$client.close();
      await remote?.close();
      await proxy?.close();
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
