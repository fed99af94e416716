// Issue 16, finding 14: the office's dates are bound by the campaign (2014-10-29 to 2014-11-30 in forms/):
// a hazard deadline at most a year after the campaign ends, a ranking recomputed only for the campaign's past days.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazards, rankingSnapshots } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';

describe('dates the office sets', () => {
  it('a hazard deadline after 2015-11-30 (a year past the campaign) is a 422 on its field', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const { code } = await issueAccessCode(t.db, { unitCode: 'office' });
    const auth = { authorization: `Bearer ${code}` };
    const tip = (await (await postJson(t, '/api/v1/forms/hazard-tip/submissions', VALID['hazard-tip'])).json()) as { id: number };
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tip.id) }))!;
    const assign = (deadline: string) => postJson(t, `/api/v1/admin/hazards/${h.id}/transitions`, { action: 'assign', leadUnit: 'police', deadline }, auth);
    for (const deadline of ['9999-12-31', '2015-12-01']) {
      const res = await assign(deadline);
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: string; errors: { field: string; message: string }[] };
      expect(body.error).toBe('VALIDATION_FAILED');
      expect(body.errors).toEqual([{ field: 'deadline', message: '整改期限不能晚于 2015-11-30（本期活动结束后一年）' }]);
    }
    expect((await assign('2015-11-30')).status).toBe(200);
  });

  it('a ranking is recomputed only for a day of the campaign that is over', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const { code } = await issueAccessCode(t.db, { unitCode: 'office' });
    const recompute = (date: string) =>
      t.app.request('/admin/rankings/recompute', {
        method: 'POST',
        headers: { authorization: `Bearer ${code}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ date }).toString(),
      });
    for (const date of ['0001-01-01', '2014-10-28']) {
      const res = await recompute(date);
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('只能重新计算本期活动 2014-10-29 至 2014-11-03 之间的排名');
      expect(await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, date))).toHaveLength(0);
    }
    expect((await recompute('2014-10-29')).status).toBe(303);
  });
});
