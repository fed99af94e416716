// A liaison's night of entries: fast entry pages, the Bearer API, 80 visits to 100%, patrol teams
// against R5, edits and deletes with an audit trail, and every reach into another unit refused.
import { describe, expect, it } from 'vitest';
import { and, eq, isNull } from 'drizzle-orm';
import { cadres, hazards, sheetOutbox, submissionAudit, submissionPersonal, submissions } from '../../../src/db/schema.ts';
import { tabsForForm } from '../../../src/sheets/outbox.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn, type Session } from '../../helpers/unit-portal.ts';

const visit = (cadre: number, extra: Record<string, unknown> = {}) => ({
  cadre,
  visitDate: '2014-11-04',
  place: 'chencang-v1',
  householdHead: '张三丰',
  address: '陈仓示范村一3组15号',
  phone: '13812341234',
  almanac: true,
  aware: true,
  participated: false,
  satisfaction: 'satisfied',
  ...extra,
});

async function cadreOf(t: TestContext, unit: string, name?: string) {
  const rows = await t.db.select().from(cadres).where(eq(cadres.unitCode, unit));
  return name ? rows.find((r) => r.name === name)! : rows.find((r) => r.role === 'cadre')!;
}

const liveRows = (t: TestContext, formId: string, unit: string) =>
  t.db.select().from(submissions).where(and(eq(submissions.formId, formId), eq(submissions.unitCode, unit), isNull(submissions.deletedAt)));

async function postVisit(s: Session, cadreId: number, extra: Record<string, string> = {}) {
  return s.post('/unit/forms/household-visit', {
    cadre: String(cadreId),
    visitDate: '2014-11-04',
    place: 'chencang-v1',
    householdHead: '李四',
    address: '陈仓示范村一5组2号',
    phone: '13900001111',
    almanac: 'yes',
    aware: 'yes',
    participated: 'no',
    satisfaction: 'basically_satisfied',
    ...extra,
  });
}

describe('fast entry of household visits', () => {
  it('keeps cadre and village between entries, focuses the next field, and lists today’s entries masked', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang', '韩春生（演示）');

    const blank = await (await s.page('/unit/forms/household-visit')).text();
    expect(blank).toContain('干部入户下访登记表');
    // No brackets inside brackets: the cadre, then the village.
    expect(blank).toContain('韩春生（演示） · 陈仓示范村三（演示）');
    // Only the unit's own cadres and villages are offered.
    expect(blank).not.toContain('谭小龙');
    expect(blank).not.toContain('蟠龙示范村');
    expect(blank).toContain('data-focus="f-cadre"');
    expect(blank).toContain('这一天还没有记录');

    const saved = await postVisit(s, cadre.id, { place: 'chencang-v3' });
    expect(saved.status).toBe(303);
    const location = saved.headers.get('location')!;
    const params = new URL(location, 'http://x').searchParams;
    expect(params.get('cadre')).toBe(String(cadre.id));
    expect(params.get('place')).toBe('chencang-v3');
    expect(params.get('visitDate')).toBe('2014-11-04');

    const next = await (await s.page(location)).text();
    expect(next).toContain('已保存');
    expect(next).toMatch(new RegExp(`<option value="${cadre.id}" selected`));
    expect(next).toMatch(/<option value="chencang-v3" selected/);
    expect(next).toContain('data-focus="f-householdHead"');
    // The list beneath: masked for a unit.
    expect(next).toContain('今天 登记的记录（1 条）');
    expect(next).toContain('李**');
    expect(next).toContain('139****1111');
    expect(next).not.toContain('13900001111');
    expect(next).not.toContain('陈仓示范村一5组2号');

    const [row] = await liveRows(t, 'household-visit', 'chencang');
    expect(row).toMatchObject({ source: 'unit', cadreId: cadre.id, satisfaction: 'basically_satisfied', aware: true, participated: false, rollupCode: 'chencang' });
    expect(row!.payload).not.toContain('李四');
    const personal = await t.db.query.submissionPersonal.findFirst({ where: eq(submissionPersonal.submissionId, row!.id) });
    expect(JSON.parse(personal!.data)).toEqual({ householdHead: '李四', address: '陈仓示范村一5组2号', phone: '13900001111' });
  });

  it('re-renders with errors beside the fields and the answers kept, storing nothing', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang');
    const res = await postVisit(s, cadre.id, { householdHead: '', phone: '123', satisfaction: 'great' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('请填写“户主姓名”');
    expect(html).toContain('请填写正确的手机号');
    expect(html).toContain('陈仓示范村一5组2号');
    expect(await liveRows(t, 'household-visit', 'chencang')).toHaveLength(0);
  });

  it('brings a cadre to 100% at 80 visits on the dashboard', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang', '韩春生（演示）');
    expect(cadre.role).toBe('cadre');
    const progress = async () => {
      const html = await (await s.page('/unit')).text();
      const row = new RegExp(`<tr data-cadre="${cadre.id}">([\\s\\S]*?)</tr>`).exec(html)![1]!;
      return { html, row };
    };
    expect((await progress()).row).toContain('0 / 80');
    for (let i = 1; i <= 80; i++) {
      const res = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre.id, { householdHead: `户主${i}` }) });
      expect(res.status, `visit ${i}`).toBe(201);
      if (i === 40) expect((await progress()).row).toContain('50%');
      if (i === 79) expect((await progress()).row).toContain('98%');
    }
    const { row, html } = await progress();
    expect(row).toContain('80 / 80');
    expect(row).toContain('100%');
    expect(row).toContain('aria-valuenow="100"');
    expect(html).toContain('合计 80 /');
    expect(await liveRows(t, 'household-visit', 'chencang')).toHaveLength(80);
  });
});

describe('the unit forms API', () => {
  it('answers 201 {id} (a unit record has no receipt to hand out), 401 without or with a revoked code, 403 for public forms and leaders, 404 unknown, 422 with errors', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang');
    const ok = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre.id) });
    expect(ok.status).toBe(201);
    const body = (await ok.json()) as { id: number };
    expect(Object.keys(body)).toEqual(['id']);
    expect((await t.db.query.submissions.findFirst({ where: eq(submissions.id, body.id) }))!.source).toBe('api');

    const none = await t.app.request('/api/v1/unit/forms/household-visit/submissions', { method: 'POST', body: JSON.stringify(visit(cadre.id)) });
    expect(none.status).toBe(401);
    expect((await s.api('/api/v1/unit/forms/mass-feedback/submissions', { body: { satisfaction: 'satisfied' } })).status).toBe(403);
    expect((await s.api('/api/v1/unit/forms/no-such-form/submissions', { body: {} })).status).toBe(404);

    const bad = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre.id, { satisfaction: 'meh', typo: 1 }) });
    expect(bad.status).toBe(422);
    const errors = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(errors).toEqual(expect.arrayContaining(['satisfaction', 'typo']));

    const leader = await signIn(t, 'office', { leader: true });
    expect((await leader.api('/api/v1/unit/forms/household-visit/submissions?unit=chencang', { body: visit(cadre.id) })).status).toBe(403);

    const office = await signIn(t, 'office');
    const codes = await office.api('/api/v1/admin/access-codes');
    const mine = ((await codes.json()) as { id: number; unitCode: string; role: string }[]).find((c) => c.id === s.codeId)!;
    expect((await office.post(`/admin/access/${mine.id}/revoke`, {})).status).toBe(303);
    expect((await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre.id) })).status).toBe(401);
    expect(await liveRows(t, 'household-visit', 'chencang')).toHaveLength(1);
  });

  it('stores one submission for a retried Idempotency-Key', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang');
    const send = () => s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre.id), headers: { 'idempotency-key': 'night-1-visit-7' } });
    const first = (await (await send()).json()) as { id: number };
    const again = await send();
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: number }).id).toBe(first.id);
    expect(await liveRows(t, 'household-visit', 'chencang')).toHaveLength(1);
  });

  it('offers a town only its own cadres, villages and tasks', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const otherCadre = await cadreOf(t, 'panlong');
    const res = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(otherCadre.id, { place: 'panlong-v1' }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['cadre', 'place']);
    const task = await s.api('/api/v1/unit/forms/task-report/submissions', { body: { task: 'police-venue-checks', quantity: 3, date: '2014-11-04' } });
    expect(task.status).toBe(422);
    // Boards are counted from the publicity register: no typing them twice.
    expect((await s.api('/api/v1/unit/forms/task-report/submissions', { body: { task: 'towns-publicity-boards', quantity: 4, date: '2014-11-04' } })).status).toBe(422);
    const own = await s.api('/api/v1/unit/forms/task-report/submissions', { body: { task: 'towns-volunteer-patrols', quantity: 6, date: '2014-11-04' } });
    expect(own.status).toBe(201);
    const dash = await (await s.page('/unit')).text();
    expect(/<tr data-task="towns-volunteer-patrols">[\s\S]*?6 \/ 12 次[\s\S]*?50%/.test(dash)).toBe(true);
  });
});

describe('patrol teams against R5', () => {
  it('flags a team outside 7–10 (under 1,000 people) or 10–15, stores the flag and shows it', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const team = (place: string, members: number) => ({ place, members, leaderName: '王队长', schedule: '每晚19:00–22:00', armbands: true });
    // chencang-v1 has 860 people: 7–10. chencang-v2 has 1,450: 10–15.
    const big = await s.api('/api/v1/unit/forms/patrol-team/submissions', { body: team('chencang-v1', 12) });
    const fits = await s.api('/api/v1/unit/forms/patrol-team/submissions', { body: team('chencang-v2', 12) });
    const small = await s.post('/unit/forms/patrol-team', { place: 'chencang-v3', members: '6', leaderName: '赵队长', schedule: '周末', armbands: 'yes' });
    expect([big.status, fits.status, small.status]).toEqual([201, 201, 303]);

    const rows = await liveRows(t, 'patrol-team', 'chencang');
    const payload = (place: string) => JSON.parse(rows.find((r) => r.payload.includes(place))!.payload) as Record<string, unknown>;
    expect(payload('chencang-v1')).toMatchObject({ members: 12, sizeFlag: 'large', sizeRule: '7-10' });
    expect(payload('chencang-v2')).toMatchObject({ members: 12, sizeRule: '10-15' });
    expect(payload('chencang-v2').sizeFlag).toBeUndefined();
    expect(payload('chencang-v3')).toMatchObject({ members: 6, sizeFlag: 'small', sizeRule: '10-15' });
    expect(payload('chencang-v1').leaderName).toBeUndefined();

    const dash = await (await s.page('/unit')).text();
    expect(dash).toContain('人数超出：1000人以下的村（社区）应为 7–10 人，现有 12 人');
    expect(dash).toContain('人数不足：1000人以上的村（社区）应为 10–15 人，现有 6 人');
    expect(dash).toContain('符合要求');
    const list = await (await s.page('/unit/forms/patrol-team')).text();
    expect(list).toContain('人数超出（应为 7–10 人）');

    // Fixing the size by an edit clears the flag.
    const bigId = rows.find((r) => r.payload.includes('chencang-v1'))!.id;
    const fixed = await s.api(`/api/v1/unit/forms/patrol-team/submissions/${bigId}`, { method: 'PUT', body: team('chencang-v1', 9) });
    expect(fixed.status).toBe(200);
    expect(((await fixed.json()) as { answers: Record<string, unknown> }).answers).toEqual({ place: 'chencang-v1', members: 9, schedule: '每晚19:00–22:00', armbands: true, sizeRule: '7-10' });
  });
});

describe('editing and deleting own records', () => {
  it('keeps an audit trail of who changed what, before and after, and follows the counts', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang');
    await postVisit(s, cadre.id);
    const [row] = await liveRows(t, 'household-visit', 'chencang');

    const form = await (await s.page(`/unit/forms/household-visit?edit=${row!.id}`)).text();
    expect(form).toContain('修改记录');
    expect(form).toContain('value="chencang-v1"');
    const edited = await postVisit(s, cadre.id, { householdHead: '李四娃', satisfaction: 'dissatisfied', participated: 'yes' });
    expect(edited.status).toBe(303);
    expect((await liveRows(t, 'household-visit', 'chencang')).length).toBe(2);
    await t.db.delete(sheetOutbox);
    const res = await s.post(`/unit/forms/household-visit/${row!.id}`, {
      cadre: String(cadre.id), visitDate: '2014-11-03', place: 'chencang-v2', householdHead: '李四', address: '陈仓示范村二1组', phone: '',
      almanac: 'yes', aware: 'no', participated: 'yes', satisfaction: 'dissatisfied',
    });
    expect(res.status).toBe(303);
    const after = await t.db.query.submissions.findFirst({ where: eq(submissions.id, row!.id) });
    expect(after).toMatchObject({ satisfaction: 'dissatisfied', aware: false, participated: true, updatedAt: t.deps.now().getTime() });
    expect(JSON.parse((await t.db.query.submissionPersonal.findFirst({ where: eq(submissionPersonal.submissionId, row!.id) }))!.data)).toEqual({
      householdHead: '李四',
      address: '陈仓示范村二1组',
      // Left empty by a unit that never saw it: the stored phone stays.
      phone: '13900001111',
    });
    const [audit] = await t.db.select().from(submissionAudit).where(eq(submissionAudit.submissionId, row!.id));
    expect(audit).toMatchObject({ action: 'update', actor: `unit:chencang#${s.codeId}`, at: t.deps.now().getTime() });
    expect(JSON.parse(audit!.before!).answers).toMatchObject({ satisfaction: 'basically_satisfied', place: 'chencang-v1' });
    expect(JSON.parse(audit!.after!).answers).toMatchObject({ satisfaction: 'dissatisfied', place: 'chencang-v2' });
    // The edit makes the leaders' visit tabs stale, in the same transaction.
    expect((await t.db.select().from(sheetOutbox)).map((j) => j.tab).sort()).toEqual([...tabsForForm('household-visit')].sort());
    await t.db.delete(sheetOutbox);

    const del = await s.post(`/unit/forms/household-visit/${row!.id}/delete`, {});
    expect(del.status).toBe(303);
    expect((await t.db.query.submissions.findFirst({ where: eq(submissions.id, row!.id) }))!.deletedAt).toBe(t.deps.now().getTime());
    const trail = await t.db.select().from(submissionAudit).where(eq(submissionAudit.submissionId, row!.id));
    expect(trail.map((a) => a.action)).toEqual(['update', 'delete']);
    expect(trail[1]!.after).toBeNull();
    expect((await t.db.select().from(sheetOutbox)).map((j) => j.tab).sort()).toEqual([...tabsForForm('household-visit')].sort());
    expect(await liveRows(t, 'household-visit', 'chencang')).toHaveLength(1);
    const dash = await (await s.page('/unit')).text();
    expect(new RegExp(`<tr data-cadre="${cadre.id}">[\\s\\S]*?1 / 80`).test(dash)).toBe(true);
    // Deleted is gone: a second delete is 404.
    expect((await s.post(`/unit/forms/household-visit/${row!.id}/delete`, {})).status).toBe(404);
  });
});

describe('personal data on edit', () => {
  it('a unit edits with personal fields empty and their stored values kept; masked values sent back do not overwrite them', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang');
    const created = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(cadre.id) });
    const { id } = (await created.json()) as { id: number };
    const stored = async () => JSON.parse((await t.db.query.submissionPersonal.findFirst({ where: eq(submissionPersonal.submissionId, id) }))!.data);
    const FULL = { householdHead: '张三丰', address: '陈仓示范村一3组15号', phone: '13812341234' };

    const form = await (await s.page(`/unit/forms/household-visit?edit=${id}`)).text();
    expect(form).not.toContain('张三丰');
    expect(form).not.toContain('13812341234');
    expect(form).not.toContain('陈仓示范村一3组15号');
    expect(form).toContain('留空则保持原值');
    expect(form).not.toMatch(/name="householdHead"[^>]*required/);

    // GET (masked) → PUT as it came: the stored name, address and phone stay.
    const got = (await (await s.api(`/api/v1/unit/forms/household-visit/submissions/${id}`)).json()) as { answers: Record<string, unknown>; personal: Record<string, unknown> };
    expect(got.personal.householdHead).toBe('张**');
    const put = await s.api(`/api/v1/unit/forms/household-visit/submissions/${id}`, { method: 'PUT', body: { ...got.answers, ...got.personal, satisfaction: 'dissatisfied' } });
    expect(put.status).toBe(200);
    expect(await stored()).toEqual(FULL);
    expect((await t.db.query.submissions.findFirst({ where: eq(submissions.id, id) }))!.satisfaction).toBe('dissatisfied');

    // The page with personal fields left empty keeps them too; a new value replaces the old one.
    const res = await s.post(`/unit/forms/household-visit/${id}`, {
      cadre: String(cadre.id), visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '', address: '', phone: '13900002222',
      almanac: 'yes', aware: 'yes', participated: 'no', satisfaction: 'satisfied',
    });
    expect(res.status).toBe(303);
    expect(await stored()).toEqual({ ...FULL, phone: '13900002222' });

    // The office sees and edits them in full.
    const office = await signIn(t, 'office');
    const asOffice = await (await office.page(`/unit/forms/household-visit?unit=chencang&edit=${id}`)).text();
    expect(asOffice).toContain('value="张三丰"');
    expect(asOffice).not.toContain('留空则保持原值');
  });
});

describe("another unit's records", () => {
  it('refuses every read and change, by page and by API, and leaves the record as it was', async () => {
    const t = await makeTestApp();
    const owner = await signIn(t, 'panlong');
    const other = await signIn(t, 'chencang');
    const ownerCadre = await cadreOf(t, 'panlong');
    const created = await owner.api('/api/v1/unit/forms/household-visit/submissions', { body: visit(ownerCadre.id, { place: 'panlong-v1' }) });
    const { id } = (await created.json()) as { id: number };
    const before = await t.db.query.submissions.findFirst({ where: eq(submissions.id, id) });
    const otherCadre = await cadreOf(t, 'chencang');
    const fields = { cadre: String(otherCadre.id), visitDate: '2014-11-04', place: 'chencang-v1', householdHead: 'x', address: 'y', almanac: 'yes', aware: 'yes', participated: 'yes', satisfaction: 'satisfied' };

    const attempts: [string, Promise<Response>][] = [
      ['edit page', other.page(`/unit/forms/household-visit?edit=${id}`)],
      ['edit post', other.post(`/unit/forms/household-visit/${id}`, fields)],
      ['delete post', other.post(`/unit/forms/household-visit/${id}/delete`, {})],
      ['entry page of the other unit', other.page('/unit/forms/household-visit?unit=panlong')],
      ['dashboard of the other unit', other.page('/unit?unit=panlong')],
      ['post as the other unit', other.post('/unit/forms/household-visit?unit=panlong', fields)],
      ['api get', other.api(`/api/v1/unit/forms/household-visit/submissions/${id}`)],
      ['api put', other.api(`/api/v1/unit/forms/household-visit/submissions/${id}`, { method: 'PUT', body: visit(otherCadre.id) })],
      ['api delete', other.api(`/api/v1/unit/forms/household-visit/submissions/${id}`, { method: 'DELETE' })],
      ['api list of the other unit', other.api('/api/v1/unit/forms/household-visit/submissions?unit=panlong')],
      ['api post as the other unit', other.api('/api/v1/unit/forms/household-visit/submissions?unit=panlong', { body: visit(ownerCadre.id, { place: 'panlong-v1' }) })],
    ];
    for (const [name, pending] of attempts) {
      const res = await pending;
      expect([403, 404], name).toContain(res.status);
    }
    // Under another form id the record does not exist.
    expect((await owner.api(`/api/v1/unit/forms/patrol-team/submissions/${id}`)).status).toBe(404);
    expect(await t.db.query.submissions.findFirst({ where: eq(submissions.id, id) })).toEqual(before);
    expect(await t.db.select().from(submissionAudit)).toHaveLength(0);
    expect(await liveRows(t, 'household-visit', 'panlong')).toHaveLength(1);

    // The owner can; the office can read it unmasked; the unit sees it masked.
    const own = (await (await owner.api(`/api/v1/unit/forms/household-visit/submissions/${id}`)).json()) as { personal: Record<string, string> };
    expect(own.personal).toEqual({ householdHead: '张**', address: '陈仓示****', phone: '138****1234' });
    const office = await signIn(t, 'office');
    const full = (await (await office.api(`/api/v1/unit/forms/household-visit/submissions/${id}`)).json()) as { personal: Record<string, string> };
    expect(full.personal.phone).toBe('13812341234');
  });
});

describe('hazard ledger rows', () => {
  it('become hazards the unit leads, listed on its dashboard with the deadline', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const res = await s.api('/api/v1/unit/forms/hazard-ledger/submissions', {
      body: {
        category: 'rental-housing',
        village: 'chencang-v2',
        address: '陈仓示范村二4组出租屋',
        description: '消防通道堵塞',
        foundBy: '韩春生',
        foundOn: '2014-11-03',
        handling: 'deadline',
        plan: '清理杂物，设置警示标志',
        deadline: '2014-11-10',
        otherDepartments: ['police'],
      },
    });
    expect(res.status).toBe(201);
    const dash = await (await s.page('/unit')).text();
    expect(dash).toContain('陈仓示范村二4组出租屋');
    expect(dash).toContain('2014-11-10');
    expect(dash).toContain('出租房屋');
  });
});

describe('a ledger row that became a hazard', () => {
  it('cannot be edited or deleted, by page or API (409 with the hazard number), and the list offers neither', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const body = {
      category: 'rental-housing', village: 'chencang-v2', address: '陈仓示范村二4组出租屋', description: '消防通道堵塞', foundBy: '韩春生',
      foundOn: '2014-11-03', handling: 'deadline', plan: '清理杂物，设置警示标志', deadline: '2014-11-10',
    };
    const created = await s.api('/api/v1/unit/forms/hazard-ledger/submissions', { body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const hazard = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) });
    expect(hazard).toBeDefined();
    const before = await t.db.query.submissions.findFirst({ where: eq(submissions.id, id) });
    const fields = Object.fromEntries(Object.entries({ ...body, handling: 'on-the-spot' }).map(([k, v]) => [k, String(v)]));

    const put = await s.api(`/api/v1/unit/forms/hazard-ledger/submissions/${id}`, { method: 'PUT', body: { ...body, handling: 'on-the-spot' } });
    expect(put.status).toBe(409);
    const err = (await put.json()) as { error: string; message: string };
    expect(err.message).toContain(`该条台账已生成隐患编号 ${hazard!.number}`);
    expect(err.message).toContain('请联系区综治办');
    expect((await s.api(`/api/v1/unit/forms/hazard-ledger/submissions/${id}`, { method: 'DELETE' })).status).toBe(409);
    const editPage = await s.page(`/unit/forms/hazard-ledger?edit=${id}`);
    expect(editPage.status).toBe(409);
    expect(await editPage.text()).toContain(hazard!.number);
    expect((await s.post(`/unit/forms/hazard-ledger/${id}`, fields)).status).toBe(409);
    expect((await s.post(`/unit/forms/hazard-ledger/${id}/delete`, {})).status).toBe(409);
    const office = await signIn(t, 'office');
    expect((await office.api(`/api/v1/unit/forms/hazard-ledger/submissions/${id}?unit=chencang`, { method: 'DELETE' })).status).toBe(409);

    expect(await t.db.query.submissions.findFirst({ where: eq(submissions.id, id) })).toEqual(before);
    expect(await t.db.select().from(submissionAudit)).toHaveLength(0);
    const list = await (await s.page('/unit/forms/hazard-ledger?day=' + before!.day)).text();
    expect(list).toContain(`已生成隐患 ${hazard!.number}，不能修改或删除`);
    expect(list).not.toContain(`edit=${id}`);
    expect(list).not.toContain(`/${id}/delete`);
  });
});

describe('starting from the dashboard', () => {
  it('links each cadre to the entry page with the cadre chosen and their assigned village offered', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await cadreOf(t, 'chencang', '韩春生（演示）');
    const dash = await (await s.page('/unit')).text();
    expect(dash).toContain(`href="/unit/forms/household-visit?cadre=${cadre.id}"`);
    const entry = await (await s.page(`/unit/forms/household-visit?cadre=${cadre.id}`)).text();
    expect(entry).toMatch(new RegExp(`<option value="${cadre.id}" selected`));
    expect(entry).toMatch(/<option value="chencang-v3" selected/);
    expect(entry).toContain('data-focus="f-householdHead"');
  });
});
