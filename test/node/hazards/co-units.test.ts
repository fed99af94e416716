// Co-units act (R12): a co-unit signs for its part, reports progress and its part done without moving the
// hazard; the lead unit and the office see every part, and the history says who did what.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazards } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';
import forms from '../../../forms/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;

async function bearer(t: TestContext, unitCode: string) {
  const { code } = await issueAccessCode(t.db, { unitCode });
  return { authorization: `Bearer ${code}`, 'content-type': 'application/json' };
}

async function call(t: TestContext, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await t.app.request(path, { method: body === undefined ? 'GET' : 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('a co-unit’s part of a hazard', () => {
  it('is signed for, reported on and reported done; the hazard stays with its lead; everyone sees the parts', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const [admin, police, safety] = [await bearer(t, 'office'), await bearer(t, 'police'), await bearer(t, 'work-safety')];
    const stored = await storeSubmission(t.deps, {
      form: hazardTip,
      answers: { category: 'rental-housing', place: '东风路12号出租屋', description: '楼道堆满杂物，消防通道被堵' },
      personal: { contactName: '王秀英', contactPhone: '13912345678' },
      unitCode: 'dongfeng-road-c1',
      source: 'public',
    });
    const hazard = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, stored.id) }))!;
    const unitPath = `/api/v1/unit/hazards/${hazard.id}/transitions`;
    await call(t, `/api/v1/admin/hazards/${hazard.id}/transitions`, admin, { action: 'assign', leadUnit: 'police', coUnits: ['work-safety'], days: 5 });

    // Before signing, the co-unit may only sign for its part.
    expect((await call(t, `/api/v1/unit/hazards/${hazard.id}`, safety)).body.allowed).toEqual(['accept_part']);
    const early = await call(t, unitPath, safety, { action: 'report_part_fixed', note: '已完成' });
    expect([early.status, early.body.allowed]).toEqual([409, ['accept_part']]);
    // The co-unit signs for its part from its hazard page.
    const co = await signIn(t, 'work-safety');
    expect(await (await co.page(`/unit/hazards/${hazard.id}`)).text()).toContain('配合单位签收');
    expect((await co.post(`/unit/hazards/${hazard.id}/transitions`, { action: 'accept_part' })).status).toBe(303);
    const signed = await call(t, `/api/v1/unit/hazards/${hazard.id}`, safety);
    expect([signed.body.state, signed.body.allowed, signed.body.parts[0].status]).toEqual(['assigned', [], 'accepted']);
    expect((await call(t, unitPath, safety, { action: 'accept_part' })).status).toBe(409);

    await call(t, unitPath, police, { action: 'accept' });
    const progress = await call(t, unitPath, safety, { action: 'progress', note: '已约谈房东，电话 13912345678' });
    expect([progress.status, progress.body.state, progress.body.allowed]).toEqual([200, 'rectifying', ['progress', 'report_part_fixed']]);
    const done = await call(t, unitPath, safety, { action: 'report_part_fixed', note: '已配齐灭火器' });
    expect([done.status, done.body.state]).toEqual([200, 'rectifying']);
    // The co-unit cannot move the hazard itself.
    expect((await call(t, unitPath, safety, { action: 'report_fixed', note: '完成' })).status).toBe(403);

    const lead = await call(t, `/api/v1/unit/hazards/${hazard.id}`, police);
    expect(lead.body.parts).toEqual([{ unit: 'work-safety', status: 'fixed', statusLabel: '已报告完成', note: '已配齐灭火器', lastAt: '2014-11-04T02:00:00.000Z' }]);
    const history = lead.body.history as { action: string; actorUnit: string | null; note: string | null }[];
    expect(history.filter((e) => e.actorUnit === 'work-safety').map((e) => [e.action, e.note])).toEqual([
      ['accept_part', null],
      ['progress', '已约谈房东，电话 ***********'],
      ['report_part_fixed', '已配齐灭火器'],
    ]);
    const office = await call(t, `/api/v1/admin/hazards/${hazard.id}`, admin);
    expect(office.body.parts[0].status).toBe('fixed');
    expect((office.body.history as { note: string | null }[]).map((e) => e.note)).toContain('已约谈房东，电话 13912345678');

    // The lead's page and the office's page show the part.
    const leadPage = await (await signIn(t, 'police')).page(`/unit/hazards/${hazard.id}`);
    expect(await leadPage.text()).toContain('配合单位办理情况');
    const officePage = await (await signIn(t, 'office')).page(`/admin/hazards/${hazard.id}`);
    expect(await officePage.text()).toContain('已报告完成');
  });
});
