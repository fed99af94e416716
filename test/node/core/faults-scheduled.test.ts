// Faults in the scheduled jobs: the nightly rankings and the sheet flush dying halfway. The next run completes
// the work exactly once: no duplicate or half-written snapshot day, no outbox job lost, no row twice in a tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../../../src/db/index.ts';
import { rankingSnapshots, sheetOutbox, units } from '../../../src/db/schema.ts';
import { computeRanking } from '../../../src/rankings/index.ts';
import { DAILY_AT_0005_SHANGHAI, runScheduled } from '../../../src/core/scheduled.ts';
import { sheetsGatewayFromConfig } from '../../../src/sheets/client.ts';
import { flushSheets, LEASE_MS } from '../../../src/sheets/flush.ts';
import type { SheetsGateway } from '../../../src/sheets/gateway.ts';
import { TAB_TITLES } from '../../../src/sheets/tabs.ts';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/index.ts';
import { makeTestApp, testConfig, type TestContext } from '../../helpers/app.ts';
import { faultyDb } from '../../helpers/faulty-db.ts';

const RANKED_KINDS = ['town', 'subdistrict', 'department'];

async function rankedUnits(db: Db): Promise<number> {
  const rows = await db.select({ kind: units.kind }).from(units);
  return rows.filter((r) => RANKED_KINDS.includes(r.kind)).length;
}

/** Rows per snapshot day, and the newest computed_at of each. */
async function snapshotDays(db: Db) {
  return db.all<{ day: string; n: number; at: number }>(
    sql`select day, count(*) as n, max(computed_at) as at from ranking_snapshots group by day order by day`,
  );
}

async function submitFeedback(t: TestContext, unit: string, satisfaction: string, opinion?: string) {
  const res = await t.app.request(`/api/v1/forms/mass-feedback/submissions?u=${unit}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ satisfaction, aware: 'yes', participated: 'no', ...(opinion ? { opinion } : {}) }),
  });
  expect(res.status).toBe(201);
}

/** Makes SQLite abort the snapshot insert of one unit on one day, mid-batch: a job dying halfway through a write. */
const breakSnapshot = (db: Db, day: string, unit: string) =>
  db.run(sql.raw(`CREATE TRIGGER die_halfway BEFORE INSERT ON ranking_snapshots WHEN NEW.day = '${day}' AND NEW.unit_code = '${unit}'
    BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`));
const mendSnapshot = (db: Db) => db.run(sql`DROP TRIGGER die_halfway`);

describe('the nightly rankings dying halfway', () => {
  it('a recompute that dies mid-write leaves the earlier snapshot of that day whole', async () => {
    const t = await makeTestApp({ now: '2014-11-03T02:00:00Z' });
    const ranked = await rankedUnits(t.db);
    await submitFeedback(t, 'zhongshan-east-c1', 'satisfied');
    t.setNow('2014-11-03T16:05:00Z');
    expect((await runScheduled(t.deps, DAILY_AT_0005_SHANGHAI, t.deps.now())).jobs).toMatchObject([
      { name: 'rankings', ok: true },
      { name: 'form-tokens', ok: true },
      { name: 'retention', ok: true },
    ]);
    const first = await snapshotDays(t.db);
    expect(first.map((d) => d.day)).toEqual(['2014-10-29', '2014-10-30', '2014-10-31', '2014-11-01', '2014-11-02', '2014-11-03']);
    expect(first.every((d) => d.n === ranked)).toBe(true);

    // The last unit in insert order: every other row of the day is deleted and reinserted before it fails.
    const [last] = await t.db.select({ code: units.code }).from(units).where(sql`${units.kind} in ('town','subdistrict','department')`).orderBy(sql`${units.code} desc`).limit(1);
    await breakSnapshot(t.db, '2014-11-03', last!.code);
    t.setNow('2014-11-03T16:20:00Z');
    const died = await runScheduled(t.deps, DAILY_AT_0005_SHANGHAI, t.deps.now());
    expect(died.jobs[0]).toMatchObject({ name: 'rankings', ok: false });
    expect(await snapshotDays(t.db)).toEqual(first);
  });

  it('a backfill that dies on one day is completed by the next run: every day once, with the figures of a clean run', async () => {
    const t = await makeTestApp({ now: '2014-11-01T02:00:00Z' });
    const ranked = await rankedUnits(t.db);
    await submitFeedback(t, 'zhongshan-east-c1', 'satisfied');
    await submitFeedback(t, 'zhongshan-west-c1', 'dissatisfied');
    t.setNow('2014-11-02T16:05:00Z');
    expect((await runScheduled(t.deps, DAILY_AT_0005_SHANGHAI, t.deps.now())).jobs[0]!.ok).toBe(true);

    // Nights missed (the server was off); the catch-up run computes 11-03 and 11-04, then dies on 11-05.
    t.setNow('2014-11-04T03:00:00Z');
    await submitFeedback(t, 'zhongshan-east-c2', 'basically_satisfied');
    const [victim] = await t.db.select({ code: units.code }).from(units).where(sql`${units.kind} = 'department'`).orderBy(asc(units.code)).limit(1);
    await breakSnapshot(t.db, '2014-11-05', victim!.code);
    t.setNow('2014-11-06T16:05:00Z');
    const died = await runScheduled(t.deps, DAILY_AT_0005_SHANGHAI, t.deps.now());
    expect(died.jobs[0]).toMatchObject({ ok: false });
    const partial = await snapshotDays(t.db);
    // 11-04 got done, 11-05 is not there at all (not half), 11-06 was never reached.
    expect(partial.map((d) => d.day)).toContain('2014-11-04');
    expect(partial.map((d) => d.day)).not.toContain('2014-11-05');
    expect(partial.every((d) => d.n === ranked)).toBe(true);

    await mendSnapshot(t.db);
    t.setNow('2014-11-06T16:35:00Z');
    expect((await runScheduled(t.deps, DAILY_AT_0005_SHANGHAI, t.deps.now())).jobs[0]!.ok).toBe(true);
    const days = await snapshotDays(t.db);
    expect(days.map((d) => d.day)).toEqual(['2014-10-29', '2014-10-30', '2014-10-31', '2014-11-01', '2014-11-02', '2014-11-03', '2014-11-04', '2014-11-05', '2014-11-06']);
    expect(days.every((d) => d.n === ranked)).toBe(true);
    // Days finished before the failure were not recomputed (apart from yesterday, which every run refreshes).
    expect(days.find((d) => d.day === '2014-11-04')!.at).toBe(partial.find((d) => d.day === '2014-11-04')!.at);
    // What is stored is what a clean computation of each day gives.
    for (const day of ['2014-11-02', '2014-11-05', '2014-11-06']) {
      const stored = await t.db.select({ unit: rankingSnapshots.unitCode, score: rankingSnapshots.score, rank: rankingSnapshots.rank }).from(rankingSnapshots).where(sql`${rankingSnapshots.day} = ${day}`);
      const clean = (await computeRanking(t.db, day)).map((r) => ({ unit: r.unitCode, score: r.scoreX100, rank: r.rank }));
      const order = (a: { unit: string }, b: { unit: string }) => a.unit.localeCompare(b.unit);
      expect(stored.sort(order), day).toEqual(clean.sort(order));
    }
  });
});

describe('the sheet flush dying halfway', () => {
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await startFakeGoogle();
  });
  afterAll(async () => {
    await google.close();
  });

  it('Google took the write, then the process lost its database: the next run after the lease sends everything once and loses no job', async () => {
    google.reset();
    const { db, faults } = await faultyDb();
    const config = { GOOGLE_SERVICE_ACCOUNT: google.serviceAccountJson, SHEET_ID: google.spreadsheetId, GOOGLE_API_ROOT: google.apiRoot, GOOGLE_TOKEN_URL: google.tokenUrl };
    const real = sheetsGatewayFromConfig(testConfig(config))!;
    // Right after Google confirms the values, every database statement fails: the flush can neither delete its jobs,
    // nor record the failure, nor release its lease — as if the process died there.
    const dying: SheetsGateway = {
      get: () => real.get(),
      batchUpdate: (r) => real.batchUpdate(r),
      valuesBatchClear: (r) => real.valuesBatchClear(r),
      valuesBatchUpdate: async (d) => {
        await real.valuesBatchUpdate(d);
        faults.set({ at: 1, sticky: true });
      },
    };
    const t = await makeTestApp({ seed: false, deps: { db, sheets: dying }, config });
    const sleep = async () => {};
    await submitFeedback(t, 'zhongshan-east-c1', 'satisfied', '第一条：路灯坏了');
    await submitFeedback(t, 'zhongshan-east-c1', 'satisfied', '第二条：巡逻要加强');

    await expect(flushSheets(t.deps, { sleep })).rejects.toThrow();
    faults.clear();
    const claimed = await db.select().from(sheetOutbox);
    expect(claimed.map((j) => j.tab)).toEqual(expect.arrayContaining(['opinions', 'overview']));

    // Back up; a resident submits before the next run.
    await submitFeedback(t, 'zhongshan-east-c1', 'basically_satisfied', '第三条：崩溃之后提交');
    const deps = { ...t.deps, sheets: real };
    t.setNow(new Date(t.deps.now().getTime() + 5 * 60_000));
    // The dead run's lease still holds: the next cron run waits rather than writing alongside it.
    expect(await flushSheets(deps, { sleep })).toMatchObject({ status: 'busy' });
    expect((await db.select().from(sheetOutbox)).length).toBeGreaterThanOrEqual(claimed.length);

    t.setNow(new Date(t.deps.now().getTime() + LEASE_MS));
    expect(await flushSheets(deps, { sleep })).toMatchObject({ status: 'sent' });
    expect(await db.select().from(sheetOutbox)).toEqual([]);
    const cells = google.readTab(TAB_TITLES.opinions).flat().map(String);
    for (const text of ['第一条：路灯坏了', '第二条：巡逻要加强', '第三条：崩溃之后提交']) {
      expect(cells.filter((c) => c.includes(text)), text).toHaveLength(1);
    }
  });
});
