// The app on libSQL over HTTP, as on Workers: the project's local server on a temp file, behind a proxy that
// counts each HTTP request (one network round trip to Turso) and may add a delay to each.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLibsqlServer, type LibsqlServer } from '../../tools/libsql-server/server.ts';
import { openWebDb } from '../../src/runtime/workers/db.ts';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import { seedOrganisation } from '../../src/core/seed.ts';
import { createApp } from '../../src/app.tsx';
import organisation from '../../forms/organisation.ts';
import type { Db } from '../../src/db/index.ts';
import { testConfig, testDeps, type TestContext } from './app.ts';

export interface CountingProxy {
  url: string;
  /** Requests forwarded since the last reset. */
  readonly trips: number;
  /** The Hrana request types of each forwarded pipeline, for a failing test's message. */
  readonly log: string[][];
  reset(): void;
  /** Milliseconds added before each request is forwarded. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const to = new URL(target);
  let trips = 0;
  let log: string[][] = [];
  const proxy: CountingProxy = {
    url: '',
    get trips() {
      return trips;
    },
    get log() {
      return log;
    },
    reset() {
      trips = 0;
      log = [];
    },
    delayMs: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      trips++;
      try {
        const parsed = JSON.parse(body.toString('utf8') || '{}') as { requests?: { type: string; stmt?: { sql?: string }; batch?: { steps: unknown[] } }[] };
        log.push((parsed.requests ?? []).map((r) => (r.type === 'execute' ? `execute ${String(r.stmt?.sql ?? '').slice(0, 60)}` : r.type === 'batch' ? `batch(${r.batch?.steps.length})` : r.type)));
      } catch {
        log.push([`${req.method} ${req.url}`]);
      }
      const forward = () => {
        const out = httpRequest(
          { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: { ...req.headers, host: to.host } },
          (upstream) => {
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            upstream.pipe(res);
          },
        );
        out.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        out.end(body);
      };
      if (proxy.delayMs > 0) setTimeout(forward, proxy.delayMs);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

export interface HttpTestContext extends TestContext {
  proxy: CountingProxy;
  server: LibsqlServer;
  /** Counts the round trips `fn` makes. */
  trips(fn: () => Promise<unknown>): Promise<number>;
  close(): Promise<void>;
}

/** A seeded, migrated database on the local libSQL server, the app talking to it through the counting proxy. */
export async function makeHttpTestApp(opts: { now?: string; config?: Record<string, string> } = {}): Promise<HttpTestContext> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-trips-'));
  const file = join(dir, 'db.sqlite');
  const setup = await openNodeDb(`file:${file}`);
  await migrateDb(setup);
  await seedOrganisation(setup, organisation);
  setup.$client.close();
  const server = await startLibsqlServer({ path: file, port: 0 });
  const proxy = await startCountingProxy(server.url);
  const db: Db = openWebDb(proxy.url);
  let now = new Date(opts.now ?? '2014-11-04T02:00:00Z');
  const deps = testDeps({ db, config: testConfig(opts.config), now: () => now });
  return {
    db,
    deps,
    app: createApp(deps),
    proxy,
    server,
    setNow(at) {
      now = new Date(at);
    },
    async trips(fn) {
      proxy.reset();
      await fn();
      return proxy.trips;
    },
    async close() {
      db.$client.close();
      await proxy.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
