// The office's home page: today's figures, its work, the sheet's health; each role lands on its own home.
import { describe, expect, it } from 'vitest';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import { sheetOutbox } from '../../../src/db/schema.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const signInWithoutNext = async (t: Awaited<ReturnType<typeof makeTestApp>>, unitCode: string, leader = false) => {
  const issued = await issueAccessCode(t.db, { unitCode, leader });
  return t.app.request('/signin', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code: issued.code }).toString(),
  });
};

describe('the office home', () => {
  it('sends each role to its own home after signing in', async () => {
    const t = await makeTestApp();
    expect((await signInWithoutNext(t, 'office')).headers.get('location')).toBe('/admin');
    expect((await signInWithoutNext(t, 'office', true)).headers.get('location')).toBe('/leader');
    expect((await signInWithoutNext(t, 'chencang')).headers.get('location')).toBe('/unit');
  });

  it('shows what needs attention, links the work, and the sheet status', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    await t.db.transaction(async (tx) => {
      await createHazard(tx, { source: 'tip', category: 'rental', place: '陈仓示范村一3组', description: '消防通道被堵', reportedUnitCode: 'chencang-v1', at: t.deps.now().getTime() });
    });
    await t.db.insert(sheetOutbox).values([{ tab: 'hazards', createdAt: 1 }, { tab: 'overview', createdAt: 1 }]);
    const office = await signIn(t, 'office');
    const res = await office.page('/admin');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/<b>1<\/b>待分办、待核查的隐患/);
    expect(html).toMatch(/<b>0<\/b>已超期的隐患/);
    expect(html).toContain('href="/admin/access"');
    expect(html).toContain('尚未生成，每天 0:05 自动计算');
    // No sheet configured: no sync figures that could never change, the Excel workbook instead.
    expect(html).not.toContain('待同步任务');
    expect(html).toContain('领导可在领导页下载 Excel 汇总表');
  });

  it('lets a leader read it without the access-code work, and refuses units and strangers', async () => {
    const t = await makeTestApp();
    const leader = await signIn(t, 'office', { leader: true });
    const html = await (await leader.page('/admin')).text();
    expect(html).toContain('领导（只读）');
    expect(html).not.toContain('href="/admin/access"');
    const unit = await signIn(t, 'chencang');
    expect((await unit.page('/admin')).status).toBe(403);
    const stranger = await t.app.request('/admin');
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toBe('/signin?next=%2Fadmin');
  });
});
