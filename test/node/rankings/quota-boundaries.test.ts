// A quota or a target exactly met is full marks, one short is not, one over is capped (R1, R20); a visit or a
// report at 23:59:59 Beijing time counts that day, at 00:00:00 the next (rollups keyed by Asia/Shanghai day).
import { describe, expect, it } from 'vitest';
import { makeTestApp } from '../../helpers/app.ts';
import { computeRanking } from '../../../src/rankings/index.ts';
import { insertOrg, insertSubmission, insertVisits, RULES } from './fixtures.ts';

async function district() {
  const t = await makeTestApp({ seed: false });
  await insertOrg(t.db);
  return t;
}
const unit = async (t: Awaited<ReturnType<typeof district>>, code: string, day = '2014-11-06') => (await computeRanking(t.db, day, RULES)).find((r) => r.unitCode === code)!;

describe('visit quotas at the edge (R1: a cadre 80, a district leader 30)', () => {
  for (const [cadre, leader, progress] of [
    [79, 29, 79 / 80 + 29 / 30],
    [80, 30, 2],
    [81, 31, 2],
  ] as const) {
    it(`${cadre} and ${leader} visits give progress ${progress.toFixed(4)} of 2`, async () => {
      const t = await district();
      await insertVisits(t.db, 1, 't-a', cadre);
      await insertVisits(t.db, 2, 't-a', leader);
      const v = (await unit(t, 't-a')).metrics.V!;
      expect([v.den, v.visits, v.quota]).toEqual([2, cadre + leader, 110]);
      expect(v.num).toBeCloseTo(progress, 4);
      expect(v.value).toBeCloseTo(progress / 2, 4);
    });
  }
});

describe('task targets at the edge (G)', () => {
  it('is full marks at exactly the target, short by one below it and no more above it', async () => {
    const t = await district();
    // towns-x target 10, towns-y target 4.
    await insertSubmission(t.db, { formId: 'task-report', at: '2014-11-01T12:00:00+08:00', unitCode: 't-a', rollupCode: 't-a', taskId: 'towns-x', quantity: 10 });
    await insertSubmission(t.db, { formId: 'task-report', at: '2014-11-01T12:00:00+08:00', unitCode: 't-a', rollupCode: 't-a', taskId: 'towns-y', quantity: 3 });
    await insertSubmission(t.db, { formId: 'task-report', at: '2014-11-01T12:00:00+08:00', unitCode: 't-b', rollupCode: 't-b', taskId: 'towns-x', quantity: 11 });
    await insertSubmission(t.db, { formId: 'task-report', at: '2014-11-01T12:00:00+08:00', unitCode: 't-b', rollupCode: 't-b', taskId: 'towns-y', quantity: 4 });
    expect((await unit(t, 't-a')).metrics.G).toEqual({ num: 1.75, den: 2, value: 0.875 });
    expect((await unit(t, 't-b')).metrics.G).toEqual({ num: 2, den: 2, value: 1 });
  });
});

describe('day-based figures at midnight Beijing time', () => {
  it('counts a report at 23:59:59 in that day and one at 00:00:00 from the next day only', async () => {
    const t = await district();
    await insertSubmission(t.db, { formId: 'task-report', at: '2014-11-05T23:59:59+08:00', unitCode: 't-a', rollupCode: 't-a', taskId: 'towns-x', quantity: 5 });
    await insertSubmission(t.db, { formId: 'task-report', at: '2014-11-06T00:00:00+08:00', unitCode: 't-a', rollupCode: 't-a', taskId: 'towns-x', quantity: 5 });
    expect((await unit(t, 't-a', '2014-11-05')).metrics.G).toEqual({ num: 0.5, den: 2, value: 0.25 });
    expect((await unit(t, 't-a', '2014-11-06')).metrics.G).toEqual({ num: 1, den: 2, value: 0.5 });
  });

  it('counts visits of the campaign’s first day and not the day before', async () => {
    const t = await district();
    await insertVisits(t.db, 1, 't-a', 40, '2014-10-28');
    await insertVisits(t.db, 1, 't-a', 40, '2014-10-29');
    expect((await unit(t, 't-a', '2014-10-29')).metrics.V).toMatchObject({ visits: 40, num: 0.5 });
  });
});
