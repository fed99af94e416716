// A fresh start as `npm start` seeds it (a live demo begun three days ago), editing the weights between two
// nightly runs, and starting the next campaign while the earlier one stays readable.
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres, hazards, rankingSnapshots, submissions } from '../../../src/db/schema.ts';
import { seedEmptyDatabase } from '../../../src/core/demo.ts';
import { runDailyRankings } from '../../../src/rankings/backfill.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';
import organisation from '../../../forms/organisation.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

/** 10:00 in Beijing on 2026-12-01: the demo's campaign began on 2026-11-28. */
const NOW = '2026-12-01T02:00:00Z';

async function freshDemo(): Promise<TestContext> {
  const t = await makeTestApp({ seed: false, now: NOW });
  await seedEmptyDatabase(t.deps, 'demo', organisation);
  return t;
}

async function townCadre(t: TestContext) {
  const [c] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang'), eq(cadres.role, 'cadre')));
  return c!;
}

const visitToday = (cadre: { id: number; assignedCode: string | null }) => ({
  cadre: cadre.id, visitDate: '2026-12-01', place: cadre.assignedCode ?? 'chencang-v1', householdHead: '周建军', address: '2组8号',
  almanac: true, aware: true, participated: true, satisfaction: 'satisfied',
});

describe('a fresh demo', () => {
  it('runs a campaign that began three days ago: today is inside it, yesterday is ranked, hazards are in several states', async () => {
    const t = await freshDemo();
    const campaign = await json(await t.app.request('/api/v1/campaign'));
    expect(campaign).toMatchObject({ startDate: '2026-11-28', endDate: '2026-12-30', version: 1 });
    expect(campaign.deadlines.find((d: { id: string }) => d.id === 'hazard-ledger').date).toBe('2026-12-15');

    // A liaison's first visit dated today is accepted.
    const town = await signIn(t, 'chencang');
    const res = await town.api('/api/v1/unit/forms/household-visit/submissions', { body: visitToday(await townCadre(t)) });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);

    // Yesterday's ranking exists, with real scores.
    const leader = await signIn(t, 'office', { leader: true });
    const ranking = await json(await leader.api('/api/v1/rankings?group=towns'));
    expect(ranking.date).toBe('2026-11-30');
    expect(ranking.rows.length).toBeGreaterThan(3);
    expect(ranking.rows[0].score).toBeGreaterThan(0);
    expect(ranking.weights).toEqual(campaign.rankingWeights);

    // The dashboard counts down to the deadlines instead of saying they are over.
    const dash = await (await town.page('/unit')).text();
    expect(dash).toContain('还有 14 天');
    expect(dash).not.toContain('已截止');

    const states = (await t.db.select({ state: hazards.state, overdue: hazards.overdue }).from(hazards)).map((h) => `${h.state}${h.overdue ? '!' : ''}`);
    expect(states.sort()).toEqual(['closed', 'rectifying', 'rectifying!', 'reported']);
  });
});

describe('editing the weights', () => {
  it('changes the next snapshot and leaves a stored one as it was computed', async () => {
    const t = await freshDemo();
    const leader = await signIn(t, 'office', { leader: true });
    const before = await json(await leader.api('/api/v1/rankings?date=2026-11-30&group=towns'));

    const office = await signIn(t, 'office');
    const weights = { V: 0, H: 0, T: 0, S: 100, A: 0, P: 0, G: 0 };
    expect((await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { rankingWeights: weights } })).status).toBe(200);

    // The night job of 2 Dec takes 1 Dec with the new weights; 30 Nov is not recomputed.
    t.setNow('2026-12-01T16:05:00Z');
    expect(await runDailyRankings(t.deps, t.deps.now())).toEqual(['2026-12-01']);
    const stored = await json(await leader.api('/api/v1/rankings?date=2026-11-30&group=towns'));
    expect(stored.rows).toEqual(before.rows);
    expect(stored.weights).toEqual(before.weights);
    const next = await json(await leader.api('/api/v1/rankings?date=2026-12-01&group=towns'));
    expect(next.weights).toEqual(weights);
    // With only S weighted, every score is the unit's satisfaction share.
    for (const r of next.rows) expect(r.score).toBe(r.metrics.S ? Math.round(r.metrics.S.value * 10000) / 100 : 0);
  });
});

describe('the next campaign', () => {
  it('starts with empty rankings and dashboards; the earlier rankings, circular and receipts still read', async () => {
    const t = await freshDemo();
    let leader = await signIn(t, 'office', { leader: true });
    let office = await signIn(t, 'office');
    const [visited] = await t.db.select({ unit: submissions.unitCode }).from(submissions).where(eq(submissions.formId, 'household-visit')).limit(1);
    let town = await signIn(t, visited!.unit!);
    const first = await json(await t.app.request('/api/v1/campaign'));
    const [tip] = await t.db.select({ receipt: submissions.receipt }).from(submissions).where(eq(submissions.formId, 'hazard-tip'));
    expect(await (await town.page('/unit')).text()).toMatch(/合计 [1-9]\d* \//);

    // A month later (sessions last two weeks: everyone signs in again).
    t.setNow('2026-12-31T02:00:00Z');
    [leader, office, town] = [await signIn(t, 'office', { leader: true }), await signIn(t, 'office'), await signIn(t, visited!.unit!)];
    const started = await office.api('/api/v1/admin/campaigns', { body: { name: '2027年平安建设宣传月', startDate: '2026-12-31', endDate: '2027-01-31' } });
    expect(started.status).toBe(201);
    const second = await json(started);

    const none = await leader.api('/api/v1/rankings');
    expect(none.status).toBe(404);
    expect((await json(none)).error).toBe('NO_SNAPSHOT');
    const leaderPage = await (await leader.page('/leader')).text();
    expect(leaderPage).toContain('还没有任何排名');
    const dash = await (await town.page('/unit')).text();
    expect(dash).toMatch(/合计 0 \//);

    const earlier = await leader.api(`/api/v1/rankings?campaign=${first.id}&date=2026-11-30`);
    expect(earlier.status).toBe(200);
    expect((await json(earlier)).campaign).toBe(first.id);
    expect((await leader.page(`/leader?campaign=${first.id}&date=2026-11-30`)).status).toBe(200);
    const circular = await (await leader.page(`/leader/circular?campaign=${first.id}&date=2026-11-30`)).text();
    expect(circular).toContain(first.name);
    expect((await leader.api('/api/v1/rankings?campaign=999')).status).toBe(404);

    const receipt = await t.app.request(`/api/v1/receipts/${tip!.receipt}`);
    expect(receipt.status).toBe(200);

    // The night job ranks the new campaign only, under its own id.
    t.setNow('2026-12-31T16:05:00Z');
    expect(await runDailyRankings(t.deps, t.deps.now())).toEqual(['2026-12-31']);
    const rows = await t.db.select({ c: rankingSnapshots.campaignId }).from(rankingSnapshots).where(eq(rankingSnapshots.day, '2026-12-31'));
    expect(new Set(rows.map((r) => r.c))).toEqual(new Set([second.id]));
  });
});
