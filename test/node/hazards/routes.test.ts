// Hazards over HTTP and through the forms engine: tip → supervision → close-out → tipster callback, the
// unit boundary, deadlines across National Day 2014, the scheduled job, ledger rows and the pages.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardEvents, hazards, submissionPersonal } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';
import { findReceipt } from '../../../src/submissions/receipts.ts';
import { runScheduled, EVERY_FIVE_MINUTES } from '../../../src/core/scheduled.ts';
import { deadlineAfter, daysBefore } from '../../../src/hazards/deadlines.ts';
import { hazardFromSubmission } from '../../../src/hazards/from-submission.ts';
import { hazardReceiptExtra } from '../../../src/hazards/pages/feedback.tsx';
import { memoryPhotoStore } from '../../../src/submissions/photos.ts';
import { diskPhotoStore } from '../../../src/runtime/node/photos.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forms from '../../../forms/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { SAME_ORIGIN } from '../../helpers/unit-portal.ts';

const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;

const PERSONAL = { contactName: '王秀英', contactPhone: '13912345678' };

async function submitTip(t: TestContext, place = '东风路12号出租屋', unitCode: string | null = 'dongfeng-road-c1') {
  const stored = await storeSubmission(t.deps, {
    form: hazardTip,
    answers: { category: 'rental-housing', place, description: '楼道堆满杂物，消防通道被堵' },
    personal: PERSONAL,
    unitCode,
    source: 'public',
  });
  const h = await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, stored.id) });
  return { receipt: stored.receipt, hazard: h! };
}

async function bearer(t: TestContext, unitCode: string, leader = false) {
  const { code } = await issueAccessCode(t.db, { unitCode, leader });
  return (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${code}`, 'content-type': 'application/json', ...extra });
}

async function post(t: TestContext, path: string, headers: Record<string, string>, body: unknown) {
  const res = await t.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a tip from submission to close-out and the tipster callback', () => {
  it('walks every step over the API; the receipt shows each step with no personal data and no staff or unit names', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const admin = await bearer(t, 'office');
    const police = await bearer(t, 'police');
    const { receipt, hazard } = await submitTip(t);
    expect(hazard.number).toBe('YH-20141104-0001');
    expect([hazard.state, hazard.source, hazard.reportedUnitCode]).toEqual(['reported', 'tip', 'dongfeng-road-c1']);
    const personalRows = await t.db.select().from(submissionPersonal);
    expect(personalRows).toHaveLength(1);

    const path = (who: 'admin' | 'unit') => `/api/v1/${who}/hazards/${hazard.id}/transitions`;
    let r = await post(t, path('admin'), admin(), { action: 'assign', leadUnit: 'police', coUnits: ['work-safety'], days: 3, deadlineKind: 'working' });
    expect(r).toEqual({ status: 200, body: { id: hazard.id, number: 'YH-20141104-0001', from: 'reported', action: 'assign', state: 'assigned', stateLabel: '已交办，待签收', allowed: ['reassign', 'urge'] } });
    r = await post(t, path('unit'), police(), { action: 'accept' });
    expect([r.status, r.body.state, r.body.allowed]).toEqual([200, 'rectifying', ['report_fixed', 'progress']]);
    r = await post(t, path('admin'), admin(), { action: 'urge', note: '请民警王强本周内处理' });
    expect([r.status, r.body.state]).toEqual([200, 'rectifying']);
    r = await post(t, path('unit'), police(), { action: 'progress', note: '已约谈房东张某' });
    expect([r.status, r.body.state]).toEqual([200, 'rectifying']);
    r = await post(t, path('unit'), police(), { action: 'report_fixed', note: '民警李明已督促房东清理' });
    expect([r.status, r.body.state]).toEqual([200, 'fixed_reported']);
    r = await post(t, path('admin'), admin(), { action: 'reject', reason: '复查时仍有杂物' });
    expect([r.status, r.body.state]).toEqual([200, 'rectifying']);
    r = await post(t, path('unit'), police(), { action: 'report_fixed', note: '已全部清理' });
    r = await post(t, path('admin'), admin(), { action: 'close', note: '经复查，通道已畅通，予以销号' });
    expect([r.status, r.body.state]).toEqual([200, 'closed']);

    // An illegal move answers 409 with what is allowed.
    r = await post(t, path('admin'), admin(), { action: 'assign', leadUnit: 'police', days: 3 });
    expect(r).toEqual({ status: 409, body: { error: 'ILLEGAL_TRANSITION', message: expect.any(String), state: 'closed', allowed: [] } });

    const status = await findReceipt(t.deps, receipt);
    // The tipster reads plain words, not the office's terms (待分办, 销号).
    expect(status!.status).toBe('已整改完毕');
    expect(status!.history.map((s) => [s.status, s.note])).toEqual([
      ['已受理，正在分派', '已收到您的反映'],
      ['已交责任单位整改', '已交办责任单位限期整改'],
      ['责任单位正在整改', '责任单位已签收，正在整改'],
      ['已整改，正在核实', '责任单位报告已整改，等待核查'],
      ['责任单位正在整改', '核查未通过，继续整改'],
      ['已整改，正在核实', '责任单位报告已整改，等待核查'],
      ['已整改完毕', '经复查，通道已畅通，予以销号'],
    ]);
    const text = JSON.stringify(status);
    for (const secret of [...Object.values(PERSONAL), '李明', '王强', '张某', '催办', '公安', 'police', 'work-safety', '安监', 'dongfeng']) expect(text).not.toContain(secret);

    // Not fixed: it reopens for the office, with an event; the receipt says so.
    const fb = await post(t, `/api/v1/receipts/${receipt.toLowerCase()}/feedback`, { 'content-type': 'application/json' }, { fixed: false, note: '我的电话 13900000000' });
    expect(fb).toEqual({ status: 200, body: { state: 'reopened', stateLabel: '群众反映未整改，待重新分办', fixed: false } });
    const [row] = await t.db.select().from(hazards).where(eq(hazards.id, hazard.id));
    expect([row!.state, row!.closedAt, row!.closedDay, row!.closedOnTime]).toEqual(['reopened', null, null, null]);
    const last = (await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazard.id)).orderBy(hazardEvents.id)).at(-1)!;
    expect([last.action, last.fromState, last.toState, last.actorRole, last.note]).toEqual(['reopen', 'closed', 'reopened', 'tipster', null]);
    expect((await findReceipt(t.deps, receipt))!.history.at(-1)).toMatchObject({ status: '已收到您的反馈，正在重新督办', note: '您反映仍未整改，已转区综治办重新处理' });

    // It is back in the office's triage queue.
    const list = await t.app.request('/api/v1/admin/hazards?status=triage', { headers: admin() });
    expect(((await list.json()) as { hazards: { id: number }[] }).hazards.map((h) => h.id)).toEqual([hazard.id]);

    // Feedback before the next close-out is refused; after it, "fixed" is taken once.
    expect((await post(t, `/api/v1/receipts/${receipt}/feedback`, { 'content-type': 'application/json' }, { fixed: true })).status).toBe(409);
    await post(t, path('admin'), admin(), { action: 'fix_on_spot', note: '网格员现场复核已清理' });
    expect((await post(t, `/api/v1/receipts/${receipt}/feedback`, { 'content-type': 'application/json' }, { fixed: true })).status).toBe(200);
    expect((await post(t, `/api/v1/receipts/${receipt}/feedback`, { 'content-type': 'application/json' }, { fixed: false })).status).toBe(409);
    expect((await post(t, `/api/v1/receipts/${receipt}/feedback`, { 'content-type': 'application/json' }, { fixed: 'yes' })).status).toBe(422);
    expect((await post(t, '/api/v1/receipts/AAAAAAAAAA/feedback', { 'content-type': 'application/json' }, { fixed: true })).status).toBe(404);
  });

  it('the receipt page form posts feedback and comes back with 303', async () => {
    const t = await makeTestApp();
    const { receipt, hazard } = await submitTip(t);
    const admin = await bearer(t, 'office');
    const both = async (feedback?: string) => {
      const parts = await hazardReceiptExtra(t.deps, receipt, feedback);
      return `${String(parts?.notice ?? '')}${String(parts?.extra ?? '')}`;
    };
    const before = await both();
    expect(before).toContain(hazard.number);
    expect(before).not.toContain('<form');
    await post(t, `/api/v1/admin/hazards/${hazard.id}/transitions`, admin(), { action: 'fix_on_spot', note: '当场清理' });
    const open = await both('missing');
    expect(open).toContain(`action="/api/v1/receipts/${receipt}/feedback"`);
    expect(open).toContain('请选择“已整改”或“未整改”');
    const res = await t.app.request(`/api/v1/receipts/${receipt}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ fixed: 'no', back: `/r/${receipt}` }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/r/${receipt}?feedback=not-fixed`);
    const evil = await t.app.request(`/api/v1/receipts/${receipt}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ fixed: 'no', back: '//evil.example/x' }).toString(),
    });
    expect(evil.headers.get('location')).toBe(`/r/${receipt}?feedback=closed`);
  });
});

describe('over HTTP end to end', () => {
  it('a tip posted to the public API becomes a hazard; the receipt API and page show its steps and the feedback form, never personal data', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/api/v1/forms/hazard-tip/submissions?u=xiguan-c1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'internet-cafe', place: '西关街88号网吧', description: '网吧距小学不足200米，有未成年人上网', ...PERSONAL }),
    });
    expect(res.status).toBe(201);
    const { id, receipt } = (await res.json()) as { id: number; receipt: string };
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) }))!;
    expect([h.state, h.category, h.place, h.source]).toEqual(['reported', 'internet-cafe', '西关街88号网吧', 'tip']);

    const admin = await bearer(t, 'office');
    const culture = await bearer(t, 'culture');
    await post(t, `/api/v1/admin/hazards/${h.id}/transitions`, admin(), { action: 'assign', leadUnit: 'culture', coUnits: ['police', 'education'], days: 5, note: '文化局牵头，公安、教体配合' });
    await post(t, `/api/v1/unit/hazards/${h.id}/transitions`, culture(), { action: 'accept' });
    await post(t, `/api/v1/unit/hazards/${h.id}/transitions`, culture(), { action: 'report_fixed', note: '该网吧已依法关停' });
    await post(t, `/api/v1/admin/hazards/${h.id}/transitions`, admin(), { action: 'close', note: '经核查网吧已关停，予以销号' });

    const api = await t.app.request(`/api/v1/receipts/${receipt}`);
    expect(api.status).toBe(200);
    const body = (await api.json()) as { status: string; history: { status: string; note: string | null }[] };
    expect(body.status).toBe('已整改完毕');
    expect(body.history.map((s) => s.status)).toEqual(['已受理，正在分派', '已交责任单位整改', '责任单位正在整改', '已整改，正在核实', '已整改完毕']);
    const raw = JSON.stringify(body);
    for (const secret of [...Object.values(PERSONAL), '文化局', 'culture', '公安', 'xiguan']) expect(raw).not.toContain(secret);

    const page = await (await t.app.request(`/r/${receipt}`)).text();
    expect(page).toContain('经核查网吧已关停，予以销号');
    expect(page).toContain(`action="/api/v1/receipts/${receipt}/feedback"`);
    for (const secret of Object.values(PERSONAL)) expect(page).not.toContain(secret);
    const fb = await t.app.request(`/api/v1/receipts/${receipt}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ fixed: 'yes', back: `/r/${receipt}` }).toString(),
    });
    expect(fb.headers.get('location')).toBe(`/r/${receipt}?feedback=fixed`);
    const after = await (await t.app.request(`/r/${receipt}?feedback=fixed`)).text();
    expect(after).toContain('感谢您确认整改到位');
    expect(after).not.toContain(`action="/api/v1/receipts/${receipt}/feedback"`);
  });
});

describe('the unit boundary', () => {
  it('a unit cannot see or move another unit’s hazard; a co-unit cannot move it; the office API refuses units', async () => {
    const t = await makeTestApp();
    const admin = await bearer(t, 'office');
    const police = await bearer(t, 'police');
    const safety = await bearer(t, 'work-safety');
    const education = await bearer(t, 'education');
    const leader = await bearer(t, 'office', true);
    const { hazard } = await submitTip(t);
    await post(t, `/api/v1/admin/hazards/${hazard.id}/transitions`, admin(), { action: 'assign', leadUnit: 'police', coUnits: ['work-safety'], days: 5 });
    const path = `/api/v1/unit/hazards/${hazard.id}/transitions`;

    expect((await post(t, path, education(), { action: 'accept' })).status).toBe(404);
    expect((await t.app.request(`/api/v1/unit/hazards/${hazard.id}`, { headers: education() })).status).toBe(404);
    expect(((await (await t.app.request('/api/v1/unit/hazards', { headers: education() })).json()) as { count: number }).count).toBe(0);
    const co = await post(t, path, safety(), { action: 'accept' });
    expect([co.status, co.body.error]).toEqual([403, 'FORBIDDEN']);
    expect((await post(t, `/api/v1/admin/hazards/${hazard.id}/transitions`, police(), { action: 'reassign', leadUnit: 'police', days: 9 })).status).toBe(403);
    expect((await post(t, `/api/v1/admin/hazards/${hazard.id}/transitions`, leader(), { action: 'reassign', leadUnit: 'police', days: 9 })).status).toBe(403);
    expect((await post(t, path, { 'content-type': 'application/json' }, { action: 'accept' })).status).toBe(401);
    expect((await post(t, path, police(), { nothing: true })).status).toBe(422);
    const bad = await t.app.request(path, { method: 'POST', headers: police(), body: '{not json' });
    expect(bad.status).toBe(400);
    expect((await post(t, '/api/v1/unit/hazards/999999/transitions', police(), { action: 'accept' })).status).toBe(404);

    const [row] = await t.db.select().from(hazards).where(eq(hazards.id, hazard.id));
    expect(row!.state).toBe('assigned');

    // The co-unit sees it in its list, as co-unit; leaders read the office list.
    const mine = (await (await t.app.request('/api/v1/unit/hazards', { headers: safety() })).json()) as { hazards: { id: number; role: string }[] };
    expect(mine.hazards.map((h) => [h.id, h.role])).toEqual([[hazard.id, 'co-unit']]);
    expect((await t.app.request('/api/v1/admin/hazards', { headers: leader() })).status).toBe(200);
    expect((await t.app.request('/api/v1/admin/hazards', { headers: police() })).status).toBe(403);
    expect((await t.app.request('/api/v1/admin/hazards?status=bogus', { headers: admin() })).status).toBe(422);
  });

  it('pages the office list only with small whole numbers: anything else is a 422 in Chinese, never a 500', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const admin = await bearer(t, 'office');
    await submitTip(t, '东风路12号出租屋');
    await submitTip(t, '解放路3号仓库');
    const list = async (q: string) => {
      const res = await t.app.request(`/api/v1/admin/hazards?status=all&${q}`, { headers: admin() });
      return { status: res.status, body: (await res.json()) as { count?: number; error?: string; message?: string; errors?: { field: string }[] } };
    };
    expect((await list('offset=1&limit=1')).body.count).toBe(1);
    expect((await list('offset=2')).body.count).toBe(0);
    expect((await list('')).body.count).toBe(2);
    for (const [q, field] of [['offset=1e20', 'offset'], ['offset=-1', 'offset'], ['offset=1.5', 'offset'], ['offset=abc', 'offset'], ['limit=0', 'limit'], ['limit=1e3', 'limit'], ['limit=5000', 'limit'], ['limit=99999999999', 'limit']] as const) {
      const r = await list(q);
      expect([q, r.status, r.body.error, r.body.errors?.map((e) => e.field)]).toEqual([q, 422, 'VALIDATION_FAILED', [field]]);
      expect(r.body.message).toMatch(/整数/);
    }
  });
});

describe('deadlines across National Day 2014 and the scheduled job', () => {
  it('counts working days past the holiday and onto the make-up Saturday', () => {
    // 2014-10-01..07 are holidays; Saturday 2014-10-11 is a make-up working day (调休); Sunday the 12th is not.
    expect(deadlineAfter('2014-09-30', 3, 'working')).toBe('2014-10-10');
    expect(deadlineAfter('2014-09-30', 4, 'working')).toBe('2014-10-11');
    expect(deadlineAfter('2014-09-30', 5, 'working')).toBe('2014-10-13');
    expect(deadlineAfter('2014-09-30', 5, 'calendar')).toBe('2014-10-05');
    expect(daysBefore('2014-10-13', 1, 'working')).toBe('2014-10-11');
    expect(daysBefore('2014-10-08', 1, 'working')).toBe('2014-09-30');
    // Saturday 2014-09-27 is a normal weekend day; Sunday 2014-09-28 is a make-up working day.
    expect(deadlineAfter('2014-09-26', 1, 'working')).toBe('2014-09-28');
  });

  it('reminds on the make-up Saturday, marks overdue after the deadline day in Beijing, once, overdue first in the list', async () => {
    const t = await makeTestApp({ now: '2014-09-30T02:00:00Z' });
    const admin = await bearer(t, 'office');
    const late = await submitTip(t, '渭滨路1号网吧');
    const other = await submitTip(t, '宝光路9号');
    let r = await post(t, `/api/v1/admin/hazards/${late.hazard.id}/transitions`, admin(), { action: 'assign', leadUnit: 'police', days: 5, deadlineKind: 'working' });
    expect(r.status).toBe(200);
    r = await post(t, `/api/v1/admin/hazards/${other.hazard.id}/transitions`, admin(), { action: 'assign', leadUnit: 'culture', deadline: '2014-11-20' });
    expect(r.status).toBe(200);
    expect((await t.db.select().from(hazards).where(eq(hazards.id, late.hazard.id)))[0]!.deadline).toBe('2014-10-13');

    const run = async (iso: string) => {
      t.setNow(iso);
      const res = await runScheduled(t.deps, EVERY_FIVE_MINUTES, new Date(iso));
      expect(res.jobs).toContainEqual(expect.objectContaining({ name: 'hazards-overdue', ok: true }));
    };
    const events = async () =>
      (await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, late.hazard.id))).map((e) => e.action).filter((a) => a === 'remind' || a === 'overdue');

    await run('2014-10-10T02:00:00Z'); // Friday: two working days left
    expect(await events()).toEqual([]);
    await run('2014-10-11T02:00:00Z'); // make-up Saturday: the working day before the deadline
    expect(await events()).toEqual(['remind']);
    await run('2014-10-12T02:00:00Z');
    await run('2014-10-13T15:59:00Z'); // 23:59 on the deadline day, Beijing time: still in time
    expect(await events()).toEqual(['remind']);
    expect((await t.db.select().from(hazards).where(eq(hazards.id, late.hazard.id)))[0]!.overdue).toBe(false);
    await run('2014-10-13T16:00:00Z'); // 00:00 on the 14th
    await run('2014-10-13T16:05:00Z');
    expect(await events()).toEqual(['remind', 'overdue']);
    expect((await t.db.select().from(hazards).where(eq(hazards.id, late.hazard.id)))[0]!.overdue).toBe(true);

    t.setNow('2014-10-16T02:00:00Z');
    const list = (await (await t.app.request('/api/v1/admin/hazards', { headers: admin() })).json()) as {
      hazards: { id: number; overdue: boolean; daysOverdue: number }[];
    };
    expect(list.hazards.map((h) => [h.id, h.overdue, h.daysOverdue])).toEqual([
      [late.hazard.id, true, 3],
      [other.hazard.id, false, 0],
    ]);

    // Closing late records closedOnTime false.
    const police = await bearer(t, 'police');
    await post(t, `/api/v1/unit/hazards/${late.hazard.id}/transitions`, police(), { action: 'accept' });
    await post(t, `/api/v1/unit/hazards/${late.hazard.id}/transitions`, police(), { action: 'report_fixed', note: '已整改' });
    await post(t, `/api/v1/admin/hazards/${late.hazard.id}/transitions`, admin(), { action: 'close' });
    const [closed] = await t.db.select().from(hazards).where(eq(hazards.id, late.hazard.id));
    expect([closed!.state, closed!.closedDay, closed!.closedOnTime]).toEqual(['closed', '2014-10-16', false]);
  });
});

describe('hazard-ledger rows', () => {
  const ledger = (answers: Record<string, string | string[]>, unitCode: string | null = 'chencang') => ({
    submission: { id: 0, formId: 'hazard-ledger', unitCode, createdAt: Date.parse('2014-11-05T03:00:00Z') },
    answers: { category: 'school-surroundings', address: '陈仓镇中心小学门口', description: '距校门 150 米有网吧', foundBy: '张三', ...answers },
  });

  it('a town’s ledger row through the unit API becomes its own supervised hazard', async () => {
    const t = await makeTestApp();
    const town = await bearer(t, 'chencang');
    const res = await t.app.request('/api/v1/unit/forms/hazard-ledger/submissions', {
      method: 'POST',
      headers: town(),
      body: JSON.stringify({
        category: 'rental-housing',
        village: 'chencang-v1',
        address: '陈仓示范村一3组出租屋',
        description: '出租屋未登记流动人口，无灭火器',
        foundBy: '李四',
        foundOn: '2014-11-03',
        handling: 'deadline',
        plan: '督促房东配置灭火器并登记',
        deadline: '2014-11-12',
        otherDepartments: ['police'],
      }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) }))!;
    expect([h.source, h.state, h.leadUnitCode, h.deadline, h.place]).toEqual(['ledger', 'rectifying', 'chencang', '2014-11-12', '陈仓示范村一3组出租屋']);
    const list = (await (await t.app.request('/api/v1/unit/hazards', { headers: town() })).json()) as { hazards: { id: number; role: string; allowed?: string[] }[] };
    expect(list.hazards.map((x) => [x.id, x.role])).toEqual([[h.id, 'lead']]);
    const police = await bearer(t, 'police');
    const co = (await (await t.app.request('/api/v1/unit/hazards', { headers: police() })).json()) as { hazards: { id: number; role: string }[] };
    expect(co.hazards.map((x) => [x.id, x.role])).toEqual([[h.id, 'co-unit']]);
    const events = await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id));
    expect(events.map((e) => e.note)).toEqual(['督促房东配置灭火器并登记']);
    expect(JSON.stringify(events)).not.toContain('李四');
  });

  it('fixed on the spot closes at once, led by the reporting unit', async () => {
    const t = await makeTestApp();
    const h = await hazardFromSubmission(t.db, ledger({ handling: 'on-spot', fixNote: '已劝离未成年人' }));
    const [row] = await t.db.select().from(hazards).where(eq(hazards.id, h!.id));
    expect([row!.state, row!.source, row!.leadUnitCode, row!.closedDay, row!.closedOnTime]).toEqual(['fixed_on_spot', 'ledger', 'chencang', '2014-11-05', true]);
    const [ev] = await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h!.id));
    expect([ev!.action, ev!.toState, ev!.actorUnitCode, ev!.note]).toEqual(['record_ledger', 'fixed_on_spot', 'chencang', '已劝离未成年人']);
  });

  it('with a plan, the unit itself leads with its deadline and the departments it needs as co-units', async () => {
    const t = await makeTestApp();
    const h = await hazardFromSubmission(t.db, ledger({ handling: 'deadline', plan: '联合文化、公安部门关停', deadline: '2014-11-20', otherDepartments: ['culture', 'police', 'nowhere'] }));
    const [row] = await t.db.select().from(hazards).where(eq(hazards.id, h!.id));
    expect([row!.state, row!.leadUnitCode, row!.deadline, row!.deadlineKind]).toEqual(['rectifying', 'chencang', '2014-11-20', 'calendar']);
    const co = await t.db.query.hazardCoUnits.findMany({ where: (c, { eq: e }) => e(c.hazardId, h!.id) });
    expect(co.map((c) => c.unitCode).sort()).toEqual(['culture', 'police']);
    expect(await hazardFromSubmission(t.db, { submission: { id: 0, formId: 'mass-feedback', unitCode: null, createdAt: 0 }, answers: {} })).toBeNull();
  });
});

describe('pages', () => {
  async function signIn(t: TestContext, unitCode: string) {
    const { code } = await issueAccessCode(t.db, { unitCode });
    const res = await t.app.request('/signin', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ code }).toString() });
    expect(res.status).toBe(303);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  }
  const form = (cookie: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, x);
    return { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN }, body: body.toString() };
  };

  it('the office triages, sees duplicates, merges, assigns by form; the unit signs for it from its list', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const police = await signIn(t, 'police');
    const first = await submitTip(t, '东风路12号出租屋');
    const second = await submitTip(t, '东风路 12号 出租屋');

    const queue = await (await t.app.request('/admin/hazards', { headers: { cookie: office } })).text();
    expect(queue).toContain(first.hazard.number);
    expect(queue).toContain('待分办');

    const detail = await (await t.app.request(`/admin/hazards/${second.hazard.id}`, { headers: { cookie: office } })).text();
    expect(detail).toContain('可能重复的反映');
    expect(detail).toContain(`本条并入 ${first.hazard.number}`);
    let res = await t.app.request(`/admin/hazards/${second.hazard.id}/transitions`, form(office, { action: 'duplicate', duplicateOf: String(first.hazard.id) }));
    expect([res.status, res.headers.get('location')]).toEqual([303, `/admin/hazards/${second.hazard.id}?done=duplicate`]);

    // A missing lead unit re-renders the page with the message, nothing stored.
    res = await t.app.request(`/admin/hazards/${first.hazard.id}/transitions`, form(office, { action: 'assign', leadUnit: '', days: '7', deadlineKind: 'working' }));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('请选择牵头单位');
    res = await t.app.request(
      `/admin/hazards/${first.hazard.id}/transitions`,
      form(office, { action: 'assign', leadUnit: 'police', coUnits: ['housing', 'work-safety'], deadline: '', days: '7', deadlineKind: 'working', note: '挂牌督办' }),
    );
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(hazards).where(eq(hazards.id, first.hazard.id));
    expect([row!.state, row!.leadUnitCode, row!.reportCount, row!.deadline]).toEqual(['assigned', 'police', 2, '2014-11-13']);

    const list = await (await t.app.request('/unit/hazards', { headers: { cookie: police } })).text();
    expect(list).toContain(first.hazard.number);
    expect(list).toContain('2014-11-13');
    expect(list).toContain('签收');
    res = await t.app.request(`/unit/hazards/${first.hazard.id}/transitions`, form(police, { action: 'accept' }));
    expect(res.status).toBe(303);
    res = await t.app.request(`/unit/hazards/${first.hazard.id}/transitions`, form(police, { action: 'report_fixed', note: '' }));
    expect(res.status).toBe(422);
    res = await t.app.request(`/unit/hazards/${first.hazard.id}/transitions`, form(police, { action: 'close' }));
    expect(res.status).toBe(409);
    // Signed for: no returning it any more (R13); the office can hand it back as not signed for.
    res = await t.app.request(`/unit/hazards/${first.hazard.id}/transitions`, form(police, { action: 'return', reason: '属于住建部门职责' }));
    expect(res.status).toBe(409);
    res = await t.app.request(`/admin/hazards/${first.hazard.id}/transitions`, form(office, { action: 'reassign', leadUnit: 'police', days: '7', deadlineKind: 'working' }));
    expect(res.status).toBe(303);
    res = await t.app.request(`/unit/hazards/${first.hazard.id}/transitions`, form(police, { action: 'return', reason: '属于住建部门职责' }));
    expect([res.status, res.headers.get('location')]).toEqual([303, `/unit/hazards?returned=${first.hazard.number}`]);
    expect((await t.app.request(`/unit/hazards/${first.hazard.id}`, { headers: { cookie: police } })).status).toBe(404);
    const queue2 = await (await t.app.request('/admin/hazards', { headers: { cookie: office } })).text();
    expect(queue2).toContain('已退单，待重新分办');
    expect((await t.app.request('/admin/hazards', { headers: { cookie: police } })).status).toBe(403);
  });

  it('a unit reports it fixed with a photo; staff who may see the hazard can view it, others cannot', async () => {
    const photos = memoryPhotoStore();
    const t = await makeTestApp({ deps: { photos } });
    const police = await signIn(t, 'police');
    const education = await signIn(t, 'education');
    const admin = await bearer(t, 'office');
    const { hazard } = await submitTip(t);
    await post(t, `/api/v1/admin/hazards/${hazard.id}/transitions`, admin(), { action: 'assign', leadUnit: 'police', days: 3 });
    await t.app.request(`/unit/hazards/${hazard.id}/transitions`, form(police, { action: 'accept' }));
    const page = await (await t.app.request(`/unit/hazards/${hazard.id}`, { headers: { cookie: police } })).text();
    expect(page).toContain('enctype="multipart/form-data"');

    const upload = (bytes: number[], note: string) => {
      const body = new FormData();
      body.append('action', 'report_fixed');
      body.append('note', note);
      body.append('photoFile', new File([new Uint8Array(bytes)], 'x.jpg', { type: 'image/jpeg' }));
      return t.app.request(`/unit/hazards/${hazard.id}/transitions`, { method: 'POST', headers: { cookie: police, ...SAME_ORIGIN }, body });
    };
    let res = await upload([0x3c, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74], '已清理');
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('只能上传 JPEG、PNG 或 WebP 照片');
    res = await upload([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9], '');
    expect(res.status).toBe(422);
    expect(photos.keys()).toEqual([]);
    res = await upload([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9], '已清理');
    expect(res.status).toBe(303);
    const [ev] = (await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazard.id))).filter((e) => e.action === 'report_fixed');
    const key = (JSON.parse(ev!.data!) as { photo: string }).photo;
    expect(key).toMatch(/^hazard-evidence\/2014-11-04\/[a-z0-9]+\.jpg$/);
    expect(photos.keys()).toEqual([key]);

    const view = await t.app.request(`/hazards/${hazard.id}/photos/${key}`, { headers: { cookie: police } });
    expect([view.status, view.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
    expect([...new Uint8Array(await view.arrayBuffer())]).toEqual([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9]);
    expect((await t.app.request(`/hazards/${hazard.id}/photos/${key}`, { headers: admin() })).status).toBe(200);
    expect((await t.app.request(`/hazards/${hazard.id}/photos/${key}`, { headers: { cookie: education } })).status).toBe(404);
    expect((await t.app.request(`/hazards/${hazard.id}/photos/hazard-evidence/2014-11-04/other.jpg`, { headers: { cookie: police } })).status).toBe(404);
    const detail = await (await t.app.request(`/admin/hazards/${hazard.id}`, { headers: admin() })).text();
    expect(detail).toContain(`/hazards/${hazard.id}/photos/${key}`);
  });

  it('a client cannot choose the photo key: JSON and form `photo` fields are ignored, so a key seen elsewhere is not attached', async () => {
    const photos = memoryPhotoStore();
    const t = await makeTestApp({ deps: { photos } });
    const police = await signIn(t, 'police');
    const unitApi = await bearer(t, 'police');
    const admin = await bearer(t, 'office');
    const other = 'hazard-evidence/2014-11-04/someoneelse1.jpg';
    await photos.put(other, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg');
    const a = await submitTip(t, '东风路12号出租屋');
    const b = await submitTip(t, '解放路3号仓库');
    for (const h of [a.hazard, b.hazard]) {
      await post(t, `/api/v1/admin/hazards/${h.id}/transitions`, admin(), { action: 'assign', leadUnit: 'police', days: 3 });
      await post(t, `/api/v1/unit/hazards/${h.id}/transitions`, unitApi(), { action: 'accept' });
    }
    const r = await post(t, `/api/v1/unit/hazards/${a.hazard.id}/transitions`, unitApi(), { action: 'report_fixed', note: '已清理', photo: other });
    expect([r.status, r.body.state]).toEqual([200, 'fixed_reported']);
    const res = await t.app.request(`/unit/hazards/${b.hazard.id}/transitions`, form(police, { action: 'report_fixed', note: '已清理', photo: other }));
    expect(res.status).toBe(303);
    const events = await t.db.select().from(hazardEvents);
    expect(events.filter((e) => e.data?.includes(other))).toEqual([]);
    for (const h of [a.hazard, b.hazard]) {
      expect((await t.app.request(`/hazards/${h.id}/photos/${other}`, { headers: { cookie: police } })).status).toBe(404);
    }
  });

  it('the disk store answers "not here" for a key it could never have made, so the photo route gives 404 not 500', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pingan-photos-'));
    try {
      const store = diskPhotoStore(dir);
      expect(await store.get('photos/2014/abc.jpg')).toBeNull();
      expect(await store.get('../../etc/passwd')).toBeNull();
      expect(await store.get('hazard-evidence/2014-11-04/missing1.jpg')).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
