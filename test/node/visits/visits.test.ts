// Trustworthy visits (issue 15 item 6): a household visited again in the campaign is flagged and counted once in
// the ranking and the dashboard; a visit outside the cadre's 包抓 village is flagged; the office clears flags.
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres, submissions } from '../../../src/db/schema.ts';
import { visitAggregates } from '../../../src/rankings/metrics.ts';
import { templateSettings } from '../../../src/campaign/settings.ts';
import { normaliseHousehold } from '../../../src/visits/checks.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const visit = (cadre: number, extra: Record<string, unknown> = {}) => ({
  cadre,
  visitDate: '2014-11-04',
  place: 'chencang-v1',
  householdHead: '张三丰',
  address: '陈仓示范村一3组15号',
  almanac: true,
  aware: true,
  participated: false,
  satisfaction: 'satisfied',
  ...extra,
});

const RANGE = { from: '2014-10-29', to: '2014-11-30' };

describe('trustworthy visits', () => {
  it('normalises a household however it is typed', () => {
    expect(normaliseHousehold(' 张 三丰 ')).toBe(normaliseHousehold('张三丰'));
    expect(normaliseHousehold('３组15号，')).toBe(normaliseHousehold('3组 15号'));
  });

  it('counts a repeated household once, flags it and a visit outside the assigned village, and the office clears flags', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang'), eq(cadres.assignedCode, 'chencang-v1')));
    const town = await signIn(t, 'chencang');
    const post = async (extra: Record<string, unknown> = {}) => {
      const res = await town.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre!.id, extra) });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: number }).id;
    };
    const first = await post();
    const again = await post({ householdHead: '张 三丰', address: '陈仓示范村一３组15号' });
    const other = await post({ place: 'chencang-v2', householdHead: '李四' });
    const flags = async (id: number) => {
      const [row] = await t.db.select({ r: submissions.repeatVisit, o: submissions.outsideAssignment }).from(submissions).where(eq(submissions.id, id));
      return [row!.r, row!.o];
    };
    expect(await flags(first)).toEqual([false, false]);
    expect(await flags(again)).toEqual([true, false]);
    expect(await flags(other)).toEqual([false, true]);

    const visits = async () => (await visitAggregates(t.db, RANGE, templateSettings().visitQuotas)).find((r) => r.unit === 'chencang')!.visits;
    expect(await visits()).toBe(2);
    const dashboard = await (await town.page('/unit')).text();
    expect(new RegExp(`<tr data-cadre="${cadre!.id}">.*?</tr>`).exec(dashboard)?.[0]).toContain('2 / ');

    const office = await signIn(t, 'office');
    const listed = (await (await office.api('/api/v1/admin/visit-flags')).json()) as { id: number; repeat: boolean; outside: boolean }[];
    expect(listed.map((f) => [f.id, f.repeat, f.outside])).toEqual([
      [other, false, true],
      [again, true, false],
    ]);
    expect(JSON.stringify(listed)).not.toContain('张三丰');
    expect(await (await office.page('/admin/visit-flags')).text()).toContain('重复走访同一户');
    expect((await town.api(`/api/v1/admin/visit-flags/${again}/clear`, { method: 'POST' })).status).toBe(403);
    expect((await office.api(`/api/v1/admin/visit-flags/${again}/clear`, { method: 'POST' })).status).toBe(200);
    expect((await office.api(`/api/v1/admin/visit-flags/${again}/clear`, { method: 'POST' })).status).toBe(404);
    expect(await visits()).toBe(3);
    expect(((await (await office.api('/api/v1/admin/visit-flags')).json()) as unknown[]).length).toBe(1);
  });

  it('lets the next visit count when the first of a household is deleted', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const [cadre] = await t.db.select().from(cadres).where(eq(cadres.unitCode, 'chencang'));
    const s = await signIn(t, 'chencang');
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) ids.push(((await (await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre!.id) })).json()) as { id: number }).id);
    await t.db.update(submissions).set({ deletedAt: Date.now() }).where(eq(submissions.id, ids[0]!));
    expect((await visitAggregates(t.db, RANGE, templateSettings().visitQuotas)).find((r) => r.unit === 'chencang')!.visits).toBe(1);
  });

  it('moves the key and the flag with a corrected household', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang'), eq(cadres.assignedCode, 'chencang-v1')));
    const s = await signIn(t, 'chencang');
    const ids: number[] = [];
    for (let i = 0; i < 2; i++) ids.push(((await (await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre!.id) })).json()) as { id: number }).id);
    const put = await s.api(`/api/v1/unit/forms/household-visit/submissions/${ids[1]}`, { method: 'PUT', body: visit(cadre!.id, { householdHead: '王五', address: '陈仓示范村一4组2号' }) });
    expect(put.status).toBe(200);
    const [row] = await t.db.select({ r: submissions.repeatVisit }).from(submissions).where(eq(submissions.id, ids[1]!));
    expect(row!.r).toBe(false);
    expect((await visitAggregates(t.db, RANGE, templateSettings().visitQuotas)).find((r) => r.unit === 'chencang')!.visits).toBe(2);
  });
});
