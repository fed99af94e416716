// Deadline day against the day after, at the last and first second of a Beijing day (Asia/Shanghai, UTC+8):
// the reminder, the overdue mark, the on-time flag of a close-out, and the ranking's H and T read from the rollups.
// The deadline day itself is in time (R11); only the day after is late.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardEvents, hazards } from '../../../src/db/schema.ts';
import type { Principal } from '../../../src/auth/codes.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import { transition } from '../../../src/hazards/service.ts';
import { runHazardSupervision } from '../../../src/hazards/overdue.ts';
import { computeRanking } from '../../../src/rankings/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';

const ADMIN: Principal = { codeId: 1, role: 'admin', unitCode: 'office' };
const POLICE: Principal = { codeId: 2, role: 'unit', unitCode: 'police' };

/** The last second of a Beijing day, and the first second of the next, as instants. */
const lastSecond = (day: string) => new Date(`${day}T23:59:59+08:00`);
const firstSecond = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** A hazard reported at `at`, assigned to the police at once with a calendar deadline. */
async function assigned(t: TestContext, deadline: string, at = '2014-11-04T10:00:00+08:00') {
  t.setNow(at);
  const h = await createHazard(t.db, { source: 'tip', category: 'rental-housing', place: '东风路12号', description: '消防通道堵塞', at: Date.parse(at) });
  await transition(t.deps, { hazardId: h.id, actor: ADMIN, action: 'assign', input: { leadUnit: 'police', deadline, deadlineKind: 'calendar' } });
  return h;
}

async function police(t: TestContext, day: string) {
  return (await computeRanking(t.db, day)).find((r) => r.unitCode === 'police')!;
}

const row = async (t: TestContext, id: number) => (await t.db.select().from(hazards).where(eq(hazards.id, id)))[0]!;
const events = async (t: TestContext, id: number, action: string) => (await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id))).filter((e) => e.action === action);

describe('the supervision pass at the deadline', () => {
  it('reminds from the first second of the day before the deadline, not the last second of the day before that', async () => {
    const t = await makeTestApp();
    const h = await assigned(t, '2014-11-10');
    // remindDaysBefore is 1: the reminder day is 11-09.
    expect(await runHazardSupervision(t.deps, lastSecond('2014-11-08'))).toEqual({ reminded: 0, overdue: 0 });
    expect((await row(t, h.id)).remindedAt).toBeNull();
    expect(await runHazardSupervision(t.deps, firstSecond('2014-11-09'))).toEqual({ reminded: 1, overdue: 0 });
    expect((await row(t, h.id)).remindedAt).toBe(firstSecond('2014-11-09').getTime());
    expect(await events(t, h.id, 'remind')).toHaveLength(1);
  });

  it('reminds a hazard whose deadline is today, if it was not reminded yet', async () => {
    const t = await makeTestApp();
    const h = await assigned(t, '2014-11-04');
    expect(await runHazardSupervision(t.deps, lastSecond('2014-11-04'))).toEqual({ reminded: 1, overdue: 0 });
    expect((await row(t, h.id)).overdue).toBe(false);
  });

  it('leaves an open hazard in time all through its deadline day, and marks it overdue at 00:00:00 the day after', async () => {
    const t = await makeTestApp();
    const h = await assigned(t, '2014-11-10');
    await transition(t.deps, { hazardId: h.id, actor: POLICE, action: 'accept' });
    expect((await runHazardSupervision(t.deps, lastSecond('2014-11-10'))).overdue).toBe(0);
    expect((await row(t, h.id)).overdue).toBe(false);
    expect(await events(t, h.id, 'overdue')).toHaveLength(0);
    expect((await runHazardSupervision(t.deps, firstSecond('2014-11-11'))).overdue).toBe(1);
    expect((await row(t, h.id)).overdue).toBe(true);
    const [mark] = await events(t, h.id, 'overdue');
    expect([mark!.at, mark!.note]).toEqual([firstSecond('2014-11-11').getTime(), '已超过整改期限 2014-11-10']);
    // A rerun adds nothing.
    expect(await runHazardSupervision(t.deps, firstSecond('2014-11-12'))).toEqual({ reminded: 0, overdue: 0 });
  });
});

describe('the ranking at the deadline (rollups)', () => {
  it('does not count an open hazard overdue on its deadline day, only from the day after', async () => {
    const t = await makeTestApp();
    await assigned(t, '2014-11-10');
    const onTheDay = await police(t, '2014-11-10');
    expect(onTheDay.metrics.H).toEqual({ num: 0, den: 1, value: 0 });
    // Nothing closed and nothing late: T has no data yet.
    expect(onTheDay.metrics.T).toBeNull();
    const dayAfter = await police(t, '2014-11-11');
    expect(dayAfter.metrics.T).toEqual({ num: 0, den: 1, value: 0, overdue: 1 });
    expect(dayAfter.scoreX100).toBeLessThanOrEqual(onTheDay.scoreX100);
  });

  it('counts a fix reported at 23:59:59 on the deadline day on time, one at 00:00:00 the day after late', async () => {
    const t = await makeTestApp();
    const inTime = await assigned(t, '2014-11-10');
    const late = await assigned(t, '2014-11-10');
    for (const h of [inTime, late]) await transition(t.deps, { hazardId: h.id, actor: POLICE, action: 'accept' });
    t.setNow(lastSecond('2014-11-10'));
    await transition(t.deps, { hazardId: inTime.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    t.setNow(firstSecond('2014-11-11'));
    await transition(t.deps, { hazardId: late.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    // The night of 11-12 both wait on the office: neither counts as overdue, T has no data.
    expect((await police(t, '2014-11-12')).metrics.T).toBeNull();
    // The office verifies both days later: its delay is not the unit's.
    t.setNow('2014-11-13T10:00:00+08:00');
    for (const h of [inTime, late]) await transition(t.deps, { hazardId: h.id, actor: ADMIN, action: 'close', input: { note: '复查合格' } });
    expect([(await row(t, inTime.id)).closedOnTime, (await row(t, late.id)).closedOnTime]).toEqual([true, false]);
    expect([(await row(t, inTime.id)).closedDay, (await row(t, late.id)).closedDay]).toEqual(['2014-11-13', '2014-11-13']);
    // Once closed, T is 1 of 2: the fix reported after the deadline day is late.
    expect((await police(t, '2014-11-13')).metrics.T).toEqual({ num: 1, den: 2, value: 0.5, overdue: 0 });
    expect((await police(t, '2014-11-13')).metrics.H).toEqual({ num: 2, den: 2, value: 1 });
  });

  it('closes out on the deadline day itself on time, and counts the other one overdue from the day after', async () => {
    const t = await makeTestApp();
    const onTheDay = await assigned(t, '2014-11-10');
    const dayAfter = await assigned(t, '2014-11-10');
    t.setNow(lastSecond('2014-11-10'));
    await transition(t.deps, { hazardId: onTheDay.id, actor: POLICE, action: 'accept' });
    await transition(t.deps, { hazardId: onTheDay.id, actor: POLICE, action: 'report_fixed', input: { note: '已清理' } });
    await transition(t.deps, { hazardId: onTheDay.id, actor: ADMIN, action: 'close' });
    expect((await row(t, onTheDay.id)).closedDay).toBe('2014-11-10');
    expect((await row(t, onTheDay.id)).closedOnTime).toBe(true);
    const ranked = await police(t, '2014-11-10');
    expect([ranked.metrics.H, ranked.metrics.T]).toEqual([
      { num: 1, den: 2, value: 0.5 },
      { num: 1, den: 1, value: 1, overdue: 0 },
    ]);
    // The other, still open, is overdue from the next day: T 1 of (1 closed + 1 overdue).
    expect((await police(t, '2014-11-11')).metrics.T).toEqual({ num: 1, den: 2, value: 0.5, overdue: 1 });
  });
});

describe('day-based figures at midnight Beijing time', () => {
  it('counts a hazard reported at 23:59:59 in that day’s ranking, and one at 00:00:00 only from the next', async () => {
    const t = await makeTestApp();
    await assigned(t, '2014-11-20', '2014-11-05T23:59:59+08:00');
    await assigned(t, '2014-11-20', '2014-11-06T00:00:00+08:00');
    expect((await police(t, '2014-11-05')).metrics.H).toEqual({ num: 0, den: 1, value: 0 });
    expect((await police(t, '2014-11-06')).metrics.H).toEqual({ num: 0, den: 2, value: 0 });
    expect((await row(t, 1)).day).toBe('2014-11-05');
  });

  it('counts the campaign’s first day from 00:00:00 and its last day to 23:59:59', async () => {
    const t = await makeTestApp();
    // 2014-10-29 is the first day: a hazard of the evening before is not the campaign's.
    await assigned(t, '2014-12-05', '2014-10-28T23:59:59+08:00');
    await assigned(t, '2014-12-05', '2014-10-29T00:00:00+08:00');
    expect((await police(t, '2014-10-29')).metrics.H).toEqual({ num: 0, den: 1, value: 0 });
    await assigned(t, '2014-12-05', '2014-11-30T23:59:59+08:00');
    await assigned(t, '2014-12-05', '2014-12-01T00:00:00+08:00');
    // The last day's ranking has every hazard of the campaign and none of the day after.
    expect((await police(t, '2014-11-30')).metrics.H).toEqual({ num: 0, den: 2, value: 0 });
  });
});
