// A fresh migrated database, deps and app per test: real libSQL, in memory.
import { parseConfig, type Config } from '../../src/core/config.ts';
import { createApp } from '../../src/app.tsx';
import type { Db } from '../../src/db/index.ts';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import { silentLogger, type Deps } from '../../src/deps.ts';
import { seedOrganisation } from '../../src/core/seed.ts';
import { memoryPhotoStore } from '../../src/submissions/photos.ts';
import { memoryRateLimiter } from '../../src/submissions/abuse/rate-limit.ts';
import { workersClientAddress } from '../../src/runtime/workers/client-address.ts';
import { PLUGINS } from '../../src/plugins.ts';
import organisation from '../../forms/organisation.ts';

export const TEST_BASE_URL = 'https://pingan.example.org';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({
    LIBSQL_URL: ':memory:',
    PUBLIC_BASE_URL: TEST_BASE_URL,
    SESSION_SECRET: 'test-secret-0123456789abcdef',
    ...overrides,
  });
}

export async function freshDb(url = ':memory:'): Promise<Db> {
  const db = await openNodeDb(url);
  await migrateDb(db);
  return db;
}

/**
 * Deps as the tests run them: no Google, photos and limits in memory, every plugin. app.request() has no socket,
 * so the client address is read as on Workers: cf-connecting-ip, else the first X-Forwarded-For entry.
 */
export function testDeps(base: Pick<Deps, 'db' | 'config' | 'now'> & Partial<Deps>): Deps {
  return {
    log: silentLogger,
    sheets: null,
    photos: memoryPhotoStore(),
    rateLimiter: memoryRateLimiter({ limit: base.config.SUBMIT_RATE_LIMIT }),
    clientAddress: workersClientAddress,
    plugins: PLUGINS,
    fetch: (input, init) => fetch(input, init),
    resolveHost: null,
    ...base,
  };
}

export interface TestContext {
  db: Db;
  deps: Deps;
  app: ReturnType<typeof createApp>;
  /** Moves the test clock. */
  setNow(at: Date | string): void;
}

export async function makeTestApp(
  opts: { seed?: boolean; now?: Date | string; config?: Record<string, string>; deps?: Partial<Deps>; /** A file database instead of memory. */ url?: string } = {},
): Promise<TestContext> {
  const db = await freshDb(opts.url);
  if (opts.seed !== false) await seedOrganisation(db, organisation);
  let now = new Date(opts.now ?? '2014-11-04T02:00:00Z');
  const deps = testDeps({ db, config: testConfig(opts.config), now: () => now, ...opts.deps });
  return {
    db,
    deps,
    app: createApp(deps),
    setNow(at) {
      now = new Date(at);
    },
  };
}
