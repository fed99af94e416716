// The unit dashboard: deadlines with days left from the clock, empty states that say what to do,
// tasks of departments and towns, hazards the unit leads, and who may look at which unit.
import organisation from '../../../forms/organisation.ts';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { cadres, hazards, units } from '../../../src/db/schema.ts';
import { tasksOf } from '../../../src/unit/dashboard.ts';
import { patrolFlag, patrolRule } from '../../../src/unit/patrol.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { templateSettings } from '../../../src/campaign/settings.ts';

const { patrolSizes: BANDS, tasks: TASKS } = templateSettings();
import { signIn } from '../../helpers/unit-portal.ts';

const deadlineCell = (html: string, label: string) => new RegExp(`<td>${label}</td><td>[^<]*</td><td[^>]*>([^<]*)</td>`).exec(html)?.[1];

describe('R5 patrol sizes', () => {
  const cases = [
    { population: 999, members: 7, flag: null },
    { population: 999, members: 11, flag: 'large' },
    { population: 1000, members: 9, flag: 'small' },
    { population: 1000, members: 15, flag: null },
    { population: 2300, members: 16, flag: 'large' },
    { population: null, members: 10, flag: null },
  ] as const;
  for (const c of cases) {
    it(`${c.members} members for ${c.population ?? 'unknown'} people → ${c.flag ?? 'fits'}`, () => {
      expect(patrolFlag(c.members, c.population, BANDS)?.kind ?? null).toBe(c.flag);
    });
  }
  it('uses 7–10 under 1,000 and 10–15 from 1,000', () => {
    expect(patrolRule(999, BANDS)).toEqual({ min: 7, max: 10 });
    expect(patrolRule(1000, BANDS)).toEqual({ min: 10, max: 15 });
  });
});

describe('a village the office deactivated', () => {
  it('leaves its town\'s dashboard (posters, patrol coverage) and the unit pickers', async () => {
    const t = await makeTestApp();
    const town = await signIn(t, 'chencang');
    const office = await signIn(t, 'office');
    expect(await (await town.page('/unit')).text()).toContain('href="/posters/chencang-v3"');
    expect(await (await office.page('/unit')).text()).toContain('value="xiguan"');
    await t.db.update(units).set({ active: false }).where(eq(units.code, 'chencang-v3'));
    await t.db.update(units).set({ active: false }).where(eq(units.code, 'xiguan'));
    const html = await (await town.page('/unit')).text();
    expect(html).not.toContain('chencang-v3');
    expect(html).toContain('href="/posters/chencang-v1"');
    expect(await (await office.page('/unit')).text()).not.toContain('value="xiguan"');
  });
});

describe('the unit dashboard', () => {
  it('counts days left to the campaign deadlines from the clock, then says 已截止', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const s = await signIn(t, 'chencang');
    let html = await (await s.page('/unit')).text();
    expect(deadlineCell(html, '镇街隐患台账上报区综治办和公安分局')).toBe('还有 11 天');
    expect(deadlineCell(html, '入户下访登记表汇总上报')).toBe('还有 26 天');
    // 2014-11-15 08:00 in Beijing: the ledger deadline is today.
    // Days later the session has gone idle: the liaison signs in again.
    t.setNow('2014-11-15T00:00:00Z');
    html = await (await (await signIn(t, 'chencang')).page('/unit')).text();
    expect(deadlineCell(html, '镇街隐患台账上报区综治办和公安分局')).toBe('今天截止');
    t.setNow('2014-11-16T00:00:00Z');
    html = await (await (await signIn(t, 'chencang')).page('/unit')).text();
    expect(deadlineCell(html, '镇街隐患台账上报区综治办和公安分局')).toBe('已截止');
    expect(deadlineCell(html, '入户下访登记表汇总上报')).toBe('还有 14 天');
  });

  it('shows empty states that say what to do', async () => {
    const t = await makeTestApp();
    await t.db.update(cadres).set({ active: false }).where(eq(cadres.unitCode, 'xiashi'));
    const s = await signIn(t, 'xiashi');
    const html = await (await s.page('/unit')).text();
    expect(html).toContain('还没有在册干部。请先在<a href="/unit/cadres">干部花名册</a>中添加或导入干部');
    expect(html).toContain('还没有填报任务进度');
    // A town sees every village still without a patrol team.
    expect(html).toContain('硖石示范村一（演示）');
    expect(html).toContain('尚未登记巡逻队');
    expect(html).toContain('目前没有由本单位牵头整改的隐患');
    const entry = await (await s.page('/unit/forms/household-visit')).text();
    expect(entry).toContain('还没有在册干部，无法登记');
  });

  it("links a printable poster for the unit and each of its villages, and each poster works", async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'xiashi');
    const html = await (await s.page('/unit')).text();
    const links = [...html.matchAll(/href="(\/posters\/[^"]+)"/g)].map((m) => m[1]!);
    const villages = organisation.units.filter((u) => u.parent === 'xiashi').map((u) => `/posters/${u.code}`);
    expect(links).toEqual(['/posters/xiashi', ...villages.sort()]);
    for (const link of links) expect((await t.app.request(link)).status).toBe(200);
  });

  it('gives departments their own tasks and towns the towns’ tasks', () => {
    expect(tasksOf({ code: 'education', name: '区教体局', kind: 'department', parentCode: 'office' }, TASKS).map((t) => t.id)).toEqual([
      'education-safety-inspections',
      'education-small-hands',
      'education-school-slogans',
      'education-gate-armbands',
    ]);
    expect(tasksOf({ code: 'xiguan', name: '西关街道', kind: 'subdistrict', parentCode: 'office' }, TASKS).every((t) => t.owner === 'towns')).toBe(true);
    expect(tasksOf({ code: 'office', name: '金台区综治办', kind: 'office', parentCode: null }, TASKS)).toEqual([]);
  });

  it('lists the hazards the unit leads, overdue ones marked, and not other units’', async () => {
    const t = await makeTestApp({ now: '2014-11-12T02:00:00Z' });
    const at = t.deps.now().getTime();
    const base = { source: 'ledger' as const, description: '', state: 'rectifying', createdAt: at, updatedAt: at, day: '2014-11-12' };
    await t.db.insert(hazards).values([
      { ...base, number: 'YH-20141112-0001', category: 'internet-cafe', place: '学校旁网吧', leadUnitCode: 'chencang', deadline: '2014-11-10' },
      { ...base, number: 'YH-20141112-0002', category: 'fire', place: '村委会仓库', leadUnitCode: 'chencang', deadline: '2014-11-20' },
      { ...base, number: 'YH-20141112-0003', category: 'fire', place: '别处的仓库', leadUnitCode: 'panlong', deadline: '2014-11-20' },
    ]);
    const s = await signIn(t, 'chencang');
    const html = await (await s.page('/unit')).text();
    expect(html).toContain('学校旁网吧');
    expect(html).toContain('网吧');
    expect(html).toContain('2014-11-10（已逾期）');
    expect(html).toContain('村委会仓库');
    expect(html).toContain('整改中');
    expect(html).not.toContain('别处的仓库');
    expect(html.indexOf('YH-20141112-0001')).toBeLessThan(html.indexOf('YH-20141112-0002'));
  });

  it('lets the office and leaders pick any unit, a unit only its own', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const leader = await signIn(t, 'office', { leader: true });
    const unit = await signIn(t, 'panlong');
    const picked = await (await office.page('/unit?unit=panlong')).text();
    expect(picked).toContain('蟠龙镇 · 工作台');
    expect(picked).toContain('<option value="panlong" selected');
    expect(picked).toContain('href="/unit/cadres?unit=panlong"');
    const leaderView = await (await leader.page('/unit?unit=panlong')).text();
    expect(leaderView).toContain('蟠龙镇（只读）');
    expect(leaderView).not.toContain('登记入户下访');
    const own = await (await unit.page('/unit')).text();
    expect(own).not.toContain('查看单位');
    expect((await unit.page('/unit?unit=chencang')).status).toBe(403);
    expect((await unit.page('/unit?unit=panlong')).status).toBe(200);
    // Without a session, the portal sends people to sign in and back.
    const anon = await t.app.request('/unit/forms/household-visit?cadre=1');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/signin?next=%2Funit%2Fforms%2Fhousehold-visit%3Fcadre%3D1');
  });
});
