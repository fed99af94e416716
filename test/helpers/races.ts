// Two clients of one database, for races: on libSQL over HTTP (the local server), each with its own client and
// so its own streams; on the embedded database in memory (one connection, interleaved awaits); or on an embedded
// file, where simultaneous batches share a commit (src/runtime/node/group-commit.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.tsx';
import { openWebDb } from '../../src/runtime/workers/db.ts';
import { issueAccessCode } from '../../src/auth/codes.ts';
import type { Db } from '../../src/db/index.ts';
import { makeTestApp, testDeps, type TestContext } from './app.ts';
import { makeHttpTestApp } from './round-trips.ts';

export interface RaceContext {
  /** The first client's context (its db is also where the test reads and sets up). */
  t: TestContext;
  /** Two apps, one per client: the same app on the embedded database. */
  clients: [ReturnType<typeof createApp>, ReturnType<typeof createApp>];
  close(): Promise<void>;
}

export type Backend = 'libSQL over HTTP' | 'embedded' | 'embedded file';
export const BACKENDS: readonly Backend[] = ['libSQL over HTTP', 'embedded', 'embedded file'];

const CONFIG = { SUBMIT_RATE_LIMIT: '10000' };

export async function raceContext(backend: Backend): Promise<RaceContext> {
  if (backend === 'embedded') {
    const t = await makeTestApp({ config: CONFIG });
    return { t, clients: [t.app, t.app], close: async () => t.db.$client.close() };
  }
  if (backend === 'embedded file') {
    const dir = mkdtempSync(join(tmpdir(), 'pingan-race-'));
    const t = await makeTestApp({ config: CONFIG, url: `file:${join(dir, 'race.db')}` });
    return {
      t,
      clients: [t.app, t.app],
      async close() {
        t.db.$client.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const t = await makeHttpTestApp({ config: CONFIG });
  const second: Db = openWebDb(t.url);
  const other = createApp(testDeps({ db: second, config: t.deps.config, now: t.deps.now }));
  return {
    t,
    clients: [t.app, other],
    async close() {
      second.$client.close();
      await t.close();
    },
  };
}

export async function bearer(t: TestContext, unitCode: string): Promise<Record<string, string>> {
  const { code } = await issueAccessCode(t.db, { unitCode });
  return { authorization: `Bearer ${code}`, 'content-type': 'application/json' };
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Posts JSON from one client. */
export async function post(app: ReturnType<typeof createApp>, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
