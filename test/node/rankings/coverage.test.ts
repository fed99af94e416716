// Patrol coverage (C) and publicity coverage (U) as ranking metrics: the share of a town's villages and communities
// with a red-armband team (R5) or publicity (R4) registered. Unweighted (the template), every score is as before;
// weighted, a town with more coverage ranks higher.
import { describe, expect, it } from 'vitest';
import { units } from '../../../src/db/schema.ts';
import { computeRanking, computeSnapshot } from '../../../src/rankings/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn, type Json } from '../../helpers/unit-portal.ts';
import { insertActivity, insertOrg, insertSubmission, noon, RULES } from './fixtures.ts';

const byUnit = <T extends { unitCode: string }>(rows: T[]) => Object.fromEntries(rows.map((r) => [r.unitCode, r]));
const DAY = '2014-11-06';

async function fixture(): Promise<TestContext> {
  const t = await makeTestApp({ seed: false, now: '2014-11-07T02:00:00Z' });
  await insertOrg(t.db);
  await t.db.insert(units).values([
    { code: 'v-a2', name: '甲二村', kind: 'village', parentCode: 't-a' },
    { code: 'v-a3', name: '甲三村（已撤并）', kind: 'village', parentCode: 't-a', active: false },
    { code: 'c-b1', name: '乙一社区', kind: 'community', parentCode: 't-b' },
  ]);
  await insertActivity(t.db);
  return t;
}

const entry = (formId: string, unitCode: string, rollupCode: string, place: string, day = '2014-11-03', extra: Record<string, unknown> = {}) => ({
  formId, at: noon(day), unitCode, rollupCode, payload: JSON.stringify({ place }), ...extra,
});

/**
 * t-a: v-a1's own team (entered by the village), v-a2 none, v-a3 inactive (not counted) → C 1/2; publicity at v-a2 → U 1/2.
 * t-b: the sub-district's team for c-b1 → C 1/1, U 0/1. t-c and t-d have no villages: C and U left out.
 * Not counted: a deleted team, one entered after the day, another town's entry naming t-a's village.
 */
async function insertCoverage(t: TestContext) {
  await insertSubmission(t.db, entry('patrol-team', 'v-a1', 't-a', 'v-a1'));
  await insertSubmission(t.db, entry('patrol-team', 'v-a1', 't-a', 'v-a1', '2014-11-04')); // a second team: the village counts once
  await insertSubmission(t.db, entry('publicity', 't-a', 't-a', 'v-a2'));
  await insertSubmission(t.db, entry('patrol-team', 't-b', 't-b', 'c-b1'));
  await insertSubmission(t.db, entry('patrol-team', 't-a', 't-a', 'v-a2', '2014-11-03', { deletedAt: noon('2014-11-04') }));
  await insertSubmission(t.db, entry('patrol-team', 't-a', 't-a', 'v-a2', '2014-11-07'));
  await insertSubmission(t.db, entry('patrol-team', 't-c', 't-c', 'v-a2'));
  await insertSubmission(t.db, entry('patrol-team', 't-a', 't-a', 'v-a3'));
}

describe('patrol and publicity coverage in the ranking', () => {
  it('is figured per town from its active villages, and weighs nothing by default: every score as before', async () => {
    const t = await fixture();
    const before = byUnit(await computeRanking(t.db, DAY, RULES));
    await insertCoverage(t);
    const unweighted = byUnit(await computeRanking(t.db, DAY, RULES));
    const zero = byUnit(await computeRanking(t.db, DAY, { ...RULES, weights: { ...RULES.weights, C: 0, U: 0 } }));

    expect(unweighted['t-a']!.metrics.C).toEqual({ num: 1, den: 2, value: 0.5 });
    expect(unweighted['t-a']!.metrics.U).toEqual({ num: 1, den: 2, value: 0.5 });
    expect(unweighted['t-b']!.metrics.C).toEqual({ num: 1, den: 1, value: 1 });
    expect(unweighted['t-b']!.metrics.U).toEqual({ num: 0, den: 1, value: 0 });
    expect([unweighted['t-c']!.metrics.C, unweighted['t-d']!.metrics.U, unweighted['d-x']!.metrics.C]).toEqual([null, null, null]);

    // The hand-computed scores of rankings.test.ts, unchanged with C and U absent or weighted 0.
    const scores = (rows: typeof before) => ['t-a', 't-b', 't-c', 't-d', 'd-x', 'd-y'].map((u) => [rows[u]!.scoreX100, rows[u]!.rank]);
    expect(scores(before)).toEqual([[6083, 1], [5000, 2], [5000, 2], [0, 4], [4688, 1], [0, 2]]);
    expect(scores(unweighted)).toEqual(scores(before));
    expect(scores(zero)).toEqual(scores(before));
  });

  it('weighted, lifts the town with more coverage, exactly', async () => {
    const t = await fixture();
    await insertCoverage(t);
    const rows = byUnit(await computeRanking(t.db, DAY, { ...RULES, weights: { ...RULES.weights, C: 20, U: 0 } }));
    // t-a: 100 × (25×0.625 + 20×0.5 + 10×0.75 + 5×0.25 + 15×0.75 + 20×0.5) / 95 = 58.5526… → 58.55
    // t-b: 100 × (15×0.5 + 20×1) / 35 = 78.5714… → 78.57; t-c: G alone, 50; departments have no villages: as before.
    expect(['t-b', 't-a', 't-c', 't-d', 'd-x'].map((u) => [u, rows[u]!.scoreX100, rows[u]!.rank])).toEqual([
      ['t-b', 7857, 1],
      ['t-a', 5855, 2],
      ['t-c', 5000, 3],
      ['t-d', 0, 4],
      ['d-x', 4688, 1],
    ]);
    // Publicity weighted too: t-a 100 × (55.625 + 10×0.5) / 105 = 57.7381 → 57.74; t-b 100 × 27.5 / 45 = 61.11.
    const both = byUnit(await computeRanking(t.db, DAY, { ...RULES, weights: { ...RULES.weights, C: 20, U: 10 } }));
    expect([both['t-a']!.scoreX100, both['t-b']!.scoreX100]).toEqual([5774, 6111]);
  });
});

describe('the coverage weights in the campaign settings', () => {
  it('are absent from the template, saved when given, refused out of range, and shown on the leader page only when weighted', async () => {
    const t = await makeTestApp({ now: '2014-11-07T02:00:00Z' });
    const office = await signIn(t, 'office');
    const put = async (body: unknown) => {
      const res = await office.api('/api/v1/admin/campaign', { method: 'PUT', body });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const template = (await (await office.api('/api/v1/campaign')).json()) as Json;
    expect(template.rankingWeights).toEqual({ V: 25, H: 15, T: 10, S: 20, A: 10, P: 5, G: 15 });
    await computeSnapshot(t.deps, DAY);
    const columns = async () => (await (await office.page(`/leader?date=${DAY}&group=towns`)).text()).match(/<th title="权重 \d+">([^<]+)<\/th>/g)!.length;
    expect(await columns()).toBe(7);

    const bad = await put({ rankingWeights: { ...template.rankingWeights, C: -1, U: 'x' } });
    expect([bad.status, bad.body.errors.map((e: Json) => e.field)]).toEqual([422, ['rankingWeights.C', 'rankingWeights.U']]);
    const saved = await put({ rankingWeights: { ...template.rankingWeights, C: 20 } });
    expect([saved.status, saved.body.rankingWeights]).toEqual([200, { V: 25, H: 15, T: 10, S: 20, A: 10, P: 5, G: 15, C: 20 }]);

    await computeSnapshot(t.deps, DAY);
    const page = await (await office.page(`/leader?date=${DAY}&group=towns`)).text();
    expect([await columns(), page.includes('<th title="权重 20">巡逻覆盖</th>'), page.includes('宣传覆盖')]).toEqual([8, true, false]);
  });
});
