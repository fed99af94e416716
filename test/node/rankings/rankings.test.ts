// Scores and ranks against hand-computed fixtures, Beijing-time day boundaries, reruns and the nightly backfill.
import { describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { makeTestApp } from '../../helpers/app.ts';
import { hazards, rankingSnapshots, units } from '../../../src/db/schema.ts';
import { computeRanking, computeSnapshot, competitionRanks, runDailyRankings, scoreX100 } from '../../../src/rankings/index.ts';
import { EXCLUDED_HAZARD_STATES } from '../../../src/rankings/metrics.ts';
import { runScheduled } from '../../../src/core/scheduled.ts';
import { insertActivity, insertOrg, insertSubmission, noon, RULES } from './fixtures.ts';

async function fixture() {
  const t = await makeTestApp({ seed: false, now: '2014-11-07T02:00:00Z' });
  await insertOrg(t.db);
  return t;
}

const byUnit = <T extends { unitCode: string }>(rows: T[]) => Object.fromEntries(rows.map((r) => [r.unitCode, r]));

describe('competitionRanks', () => {
  const cases = [
    { name: 'ties share a rank and the next skips', scores: [90, 80, 80, 70], ranks: [1, 2, 2, 4] },
    { name: 'all equal', scores: [5, 5, 5], ranks: [1, 1, 1] },
    { name: 'unsorted input', scores: [10, 30, 20, 30], ranks: [4, 1, 3, 1] },
    { name: 'tie at the bottom', scores: [3, 1, 1], ranks: [1, 2, 2] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const items = c.scores.map((s, i) => ({ i, s }));
      const ranks = competitionRanks(items, (x) => x.s);
      expect(items.map((x) => ranks.get(x))).toEqual(c.ranks);
    });
  }
});

describe('scoreX100', () => {
  const w = RULES.weights;
  const f = (num: number, den: number) => ({ num, den, value: num / den });
  it('renormalises over the metrics with data', () => {
    // Only S (w 20) at 1/2 and G (w 15) at 1: 100 × (10 + 15) / 35 = 71.428… → 71.43
    expect(scoreX100({ V: null, H: null, T: null, S: f(1, 2), A: null, P: null, G: f(1, 1) }, w)).toBe(7143);
  });
  it('rounds an exact half up (46.875 → 46.88) despite float noise', () => {
    expect(scoreX100({ V: null, H: f(2, 3), T: f(1, 2), S: null, A: null, P: null, G: f(1, 4) }, w)).toBe(4688);
  });
  it('is 0 when no metric has data', () => {
    expect(scoreX100({ V: null, H: null, T: null, S: null, A: null, P: null, G: null }, w)).toBe(0);
  });
});

describe('a deactivated unit', () => {
  it('is ranked no more, and the others keep their scores', async () => {
    const t = await fixture();
    await insertActivity(t.db);
    const before = byUnit(await computeRanking(t.db, '2014-11-06', RULES));
    await t.db.update(units).set({ active: false }).where(eq(units.code, 't-c'));
    const after = byUnit(await computeRanking(t.db, '2014-11-06', RULES));
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).filter((c) => c !== 't-c').sort());
    expect(after['t-a']!.scoreX100).toBe(before['t-a']!.scoreX100);
  });
});

describe('computeRanking on a hand-computed district', () => {
  it('scores every metric exactly, leaves out metrics without data and ranks ties 1, 2, 2, 4', async () => {
    const t = await fixture();
    await insertActivity(t.db);
    const rows = byUnit(await computeRanking(t.db, '2014-11-06', RULES));

    const a = rows['t-a']!;
    expect(a.metrics.V).toEqual({ num: 1.25, den: 2, value: 0.625, visits: 50, quota: 110 });
    expect(a.metrics.S).toEqual({ num: 2, den: 4, value: 0.5 });
    expect(a.metrics.A).toEqual({ num: 3, den: 4, value: 0.75 });
    expect(a.metrics.P).toEqual({ num: 1, den: 4, value: 0.25 });
    expect(a.metrics.G).toEqual({ num: 1.5, den: 2, value: 0.75 });
    // No hazards: H and T are left out and the weights renormalised over V S A P G (75):
    // 100 × (25×0.625 + 20×0.5 + 10×0.75 + 5×0.25 + 15×0.75) / 75 = 60.8333… → 60.83
    expect(a.metrics.H).toBeNull();
    expect(a.metrics.T).toBeNull();
    expect(a.scoreX100).toBe(6083);

    expect([rows['t-b']!.scoreX100, rows['t-c']!.scoreX100, rows['t-d']!.scoreX100]).toEqual([5000, 5000, 0]);
    expect(['t-a', 't-b', 't-c', 't-d'].map((u) => rows[u]!.rank)).toEqual([1, 2, 2, 4]);
    expect(['t-a', 't-b', 't-c', 't-d'].map((u) => rows[u]!.grp)).toEqual(['towns', 'towns', 'towns', 'towns']);

    // Departments are ranked among themselves.
    const x = rows['d-x']!;
    expect(x.grp).toBe('departments');
    expect(x.metrics.H).toEqual({ num: 2, den: 3, value: 0.6667 });
    expect(x.metrics.T).toEqual({ num: 1, den: 2, value: 0.5, overdue: 0 });
    expect(x.metrics.G).toEqual({ num: 0.25, den: 1, value: 0.25 });
    expect(x.metrics.V).toBeNull();
    // 100 × (15×2/3 + 10×0.5 + 15×0.25) / 40 = 46.875 → 46.88
    expect(x.scoreX100).toBe(4688);
    expect(x.rank).toBe(1);
    expect(rows['d-y']).toMatchObject({ rank: 2, scoreX100: 0 });
    expect(Object.values(rows['d-y']!.metrics).every((m) => m === null)).toBe(true);
    expect(rows['office']).toBeUndefined();
    expect(rows['v-a1']).toBeUndefined();
  });

  it('counts hazards as at the end of the day: an open one past its deadline counts against T', async () => {
    const t = await fixture();
    await insertActivity(t.db);
    const x = byUnit(await computeRanking(t.db, '2014-11-04', RULES))['d-x']!;
    expect(x.metrics.H).toEqual({ num: 1, den: 3, value: 0.3333 });
    expect(x.metrics.T).toEqual({ num: 1, den: 2, value: 0.5, overdue: 1 });
    // 100 × (15/3 + 5 + 3.75) / 40 = 34.375 → 34.38
    expect(x.scoreX100).toBe(3438);
  });

  it('does not count against T a fix reported and waiting for the office to check it', async () => {
    const t = await fixture();
    await insertActivity(t.db);
    // On 11-12: h1 closed on time, h2 closed late, the 11-07 one (deadline 11-08) still with the unit and overdue.
    // h3 (deadline 11-10) reported fixed and not yet checked: past its deadline, but the delay is the office's.
    await t.db.update(hazards).set({ state: 'fixed_reported' }).where(eq(hazards.deadline, '2014-11-10'));
    const waiting = byUnit(await computeRanking(t.db, '2014-11-12', RULES))['d-x']!;
    expect(waiting.metrics.T).toMatchObject({ num: 1, den: 3, overdue: 1 });
    // Still with the unit, it counts.
    await t.db.update(hazards).set({ state: 'rectifying' }).where(eq(hazards.deadline, '2014-11-10'));
    const held = byUnit(await computeRanking(t.db, '2014-11-12', RULES))['d-x']!;
    expect(held.metrics.T).toMatchObject({ num: 1, den: 4, overdue: 2 });
  });

  it('puts an answer at 23:59:59 Beijing time on that day and one at 00:00:00 on the next', async () => {
    const t = await fixture();
    await insertSubmission(t.db, {
      formId: 'mass-feedback', source: 'public', at: '2014-11-04T23:59:59+08:00', unitCode: 'v-a1', rollupCode: 't-a',
      satisfaction: 'satisfied', aware: true, participated: true,
    });
    await insertSubmission(t.db, {
      formId: 'mass-feedback', source: 'public', at: '2014-11-05T00:00:00+08:00', unitCode: 'v-a1', rollupCode: 't-a',
      satisfaction: 'dissatisfied', aware: false, participated: false,
    });
    const d4 = byUnit(await computeRanking(t.db, '2014-11-04', RULES))['t-a']!;
    expect(d4.metrics.S).toEqual({ num: 1, den: 1, value: 1 });
    const d3 = byUnit(await computeRanking(t.db, '2014-11-03', RULES))['t-a']!;
    expect(d3.metrics.S).toBeNull();
    const d5 = byUnit(await computeRanking(t.db, '2014-11-05', RULES))['t-a']!;
    expect(d5.metrics.S).toEqual({ num: 1, den: 2, value: 0.5 });
    expect(d5.metrics.A).toEqual({ num: 1, den: 2, value: 0.5 });
  });

  it('counts a department answer by its own unit code when no rollup is stored', async () => {
    const t = await fixture();
    await insertSubmission(t.db, { formId: 'mass-feedback', source: 'public', at: noon('2014-11-02'), unitCode: 'd-y', satisfaction: 'basically_satisfied', aware: true, participated: false });
    const y = byUnit(await computeRanking(t.db, '2014-11-02', RULES))['d-y']!;
    expect(y.metrics.S).toEqual({ num: 1, den: 1, value: 1 });
    expect(y.metrics.P).toEqual({ num: 0, den: 1, value: 0 });
  });

  it('leaves out hazards closed without a fix, by the hazard state table', () => {
    expect([...EXCLUDED_HAZARD_STATES].sort()).toEqual(['duplicate', 'not_a_hazard']);
  });
});

describe('computeSnapshot', () => {
  it('replaces a rerun day: no duplicates, new values, new computed_at', async () => {
    const t = await fixture();
    await insertActivity(t.db);
    await computeSnapshot(t.deps, '2014-11-06', RULES);
    await computeSnapshot(t.deps, '2014-11-05', RULES);
    const first = await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-06'));
    expect(first).toHaveLength(6);
    expect(first.find((r) => r.unitCode === 't-a')).toMatchObject({ score: 6083, rank: 1, grp: 'towns', computedAt: Date.parse('2014-11-07T02:00:00Z') });
    expect(JSON.parse(first.find((r) => r.unitCode === 't-a')!.metrics).V).toEqual({ num: 1.25, den: 2, value: 0.625, visits: 50, quota: 110 });

    // t-d reports both tasks in full on the 6th: G 1 → 100, first place; t-a drops to 2.
    for (const [taskId, quantity] of [['towns-x', 10], ['towns-y', 4]] as const) {
      await insertSubmission(t.db, { formId: 'task-report', at: noon('2014-11-06'), unitCode: 't-d', rollupCode: 't-d', taskId, quantity });
    }
    t.setNow('2014-11-07T03:00:00Z');
    await computeSnapshot(t.deps, '2014-11-06', RULES);
    const again = await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-06'));
    expect(again).toHaveLength(6);
    expect(byUnit(again)['t-d']).toMatchObject({ score: 10000, rank: 1, computedAt: Date.parse('2014-11-07T03:00:00Z') });
    expect(byUnit(again)['t-a']).toMatchObject({ score: 6083, rank: 2 });
    // Other days are untouched.
    const [{ n }] = (await t.db.select({ n: count() }).from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-05'))) as [{ n: number }];
    expect(n).toBe(6);
  });
});

describe('the nightly job', () => {
  const snapshotDays = async (t: Awaited<ReturnType<typeof fixture>>) =>
    (await t.db.all<{ day: string; n: number }>(sql`SELECT day, count(*) AS n FROM ranking_snapshots GROUP BY day ORDER BY day`)).map((r) => `${r.day}:${r.n}`);

  it("runs under '5 16 * * *' and snapshots the Beijing day that just ended", async () => {
    const t = await fixture();
    await computeSnapshot(t.deps, '2014-10-29');
    await computeSnapshot(t.deps, '2014-10-30');
    await computeSnapshot(t.deps, '2014-10-31');
    // 2014-11-01 16:05 UTC is 00:05 on 2 November in Beijing: 1 November just ended.
    const result = await runScheduled(t.deps, '5 16 * * *', new Date('2014-11-01T16:05:00Z'));
    expect(result.jobs).toMatchObject([
      { name: 'rankings', ok: true },
      { name: 'form-tokens', ok: true },
      { name: 'retention', ok: true },
    ]);
    expect(await snapshotDays(t)).toEqual(['2014-10-29:6', '2014-10-30:6', '2014-10-31:6', '2014-11-01:6']);
  });

  it('fills the days missed while nothing ran, and only those plus yesterday', async () => {
    const t = await fixture();
    await insertActivity(t.db);
    for (const d of ['2014-10-29', '2014-10-30', '2014-10-31', '2014-11-01', '2014-11-03']) await computeSnapshot(t.deps, d, RULES);
    const before = await t.db.select({ day: rankingSnapshots.day, at: rankingSnapshots.computedAt }).from(rankingSnapshots);
    t.setNow('2014-11-05T16:05:30Z');
    const days = await runDailyRankings(t.deps, new Date('2014-11-05T16:05:00Z'), RULES);
    expect(days).toEqual(['2014-11-02', '2014-11-04', '2014-11-05']);
    expect(await snapshotDays(t)).toEqual(['2014-10-29', '2014-10-30', '2014-10-31', '2014-11-01', '2014-11-02', '2014-11-03', '2014-11-04', '2014-11-05'].map((d) => `${d}:6`));
    // Days that were there are kept as computed.
    const kept = await t.db.select({ day: rankingSnapshots.day, at: rankingSnapshots.computedAt }).from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-03'));
    expect(kept[0]!.at).toBe(before.find((r) => r.day === '2014-11-03')!.at);
    // The filled day has the figures of its own day: d-x at the end of 11-04 (see the fixture).
    const x = (await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-04'))).find((r) => r.unitCode === 'd-x')!;
    expect(x.score).toBe(3438);

    // A second run the same night recomputes only yesterday.
    expect(await runDailyRankings(t.deps, new Date('2014-11-05T16:20:00Z'), RULES)).toEqual(['2014-11-05']);
  });

  it('does nothing before the campaign and stops at its last day', async () => {
    const t = await fixture();
    expect(await runDailyRankings(t.deps, new Date('2014-10-28T16:05:00Z'), RULES)).toEqual([]);
    const window = { startDate: '2014-11-28', endDate: '2014-11-30' };
    expect(await runDailyRankings(t.deps, new Date('2014-12-03T16:05:00Z'), RULES, window)).toEqual(['2014-11-28', '2014-11-29', '2014-11-30']);
    expect(await runDailyRankings(t.deps, new Date('2014-12-04T16:05:00Z'), RULES, window)).toEqual([]);
  });
});

describe('answers stored by the forms engine', () => {
  it('are counted by the ranking: satisfaction values, village → town rollup, cadre visits and task reports', async () => {
    const { storeSubmission } = await import('../../../src/submissions/store.ts');
    const forms = (await import('../../../forms/index.ts')).default;
    const form = (id: string) => forms.find((f) => f.id === id)!;
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const cadre = await t.db.query.cadres.findFirst({ where: (c, { eq: is, and }) => and(is(c.unitCode, 'chencang'), is(c.role, 'cadre')) });
    const store = (id: string, answers: Record<string, unknown>, unitCode: string, personal: Record<string, unknown> = {}) =>
      storeSubmission(t.deps, { form: form(id), answers: answers as never, personal: personal as never, unitCode, source: id === 'mass-feedback' ? 'public' : 'unit' });

    await store('mass-feedback', { satisfaction: 'basically_satisfied', aware: true, participated: false }, 'chencang-v1');
    await store('mass-feedback', { satisfaction: 'dissatisfied', aware: false, participated: true }, 'chencang-v2');
    await store(
      'household-visit',
      { cadre: cadre!.id, visitDate: '2014-11-04', place: 'chencang-v1', almanac: true, aware: true, participated: false, satisfaction: 'satisfied' },
      'chencang',
      { householdHead: '某某', address: '3组15号' },
    );
    await store('task-report', { task: 'towns-law-lectures', quantity: 2, date: '2014-11-04' }, 'chencang');

    const c = byUnit(await computeRanking(t.db, '2014-11-04'))['chencang']!;
    expect(c.metrics.S).toEqual({ num: 2, den: 3, value: 0.6667 });
    expect(c.metrics.A).toEqual({ num: 2, den: 3, value: 0.6667 });
    expect(c.metrics.P).toEqual({ num: 1, den: 3, value: 0.3333 });
    expect(c.metrics.V).toMatchObject({ visits: 1 });
    // towns-law-lectures 2 of 3, the visit's almanac 1 of 300, the five other towns tasks 0: (2/3 + 1/300) / 7
    expect(c.metrics.G).toEqual({ num: 0.67, den: 7, value: 0.0957 });
    // Nothing of it is counted the day before.
    const before = byUnit(await computeRanking(t.db, '2014-11-03'))['chencang']!;
    expect([before.metrics.S, before.metrics.V?.visits, before.metrics.G?.num]).toEqual([null, 0, 0]);
  });
});
