// Deputies' suggestions (R9): the office answers, the deputy reads the answer by receipt, the sheet tab shows it,
// and nothing personal or half-written leaks on the way.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { postForm, postJson, VALID } from '../../helpers/public-forms.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { sheetOutbox, submissions, suggestionReplies } from '../../../src/db/schema.ts';
import { buildTab } from '../../../src/sheets/tabs.ts';
import { tabContext } from '../../../src/sheets/flush.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response) => (await r.json()) as any;

const NAME = '钱七';
const PHONE = '13712345678';
const SUGGESTION = { ...VALID['deputy-suggestion'], name: NAME, phone: PHONE, subject: '校园周边治安', department: 'police' };
const PROGRESS = '已交金台公安分局办理。';
const ANSWER = '经研究，上下学时段已安排民警在校门口定点值守，并增加巡逻频次。';

async function setup(): Promise<TestContext & { id: number; receipt: string; admin: string; unit: string; leader: string }> {
  const t = await makeTestApp();
  const res = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', SUGGESTION);
  expect(res.status).toBe(201);
  const { id, receipt } = await json(res);
  const admin = (await issueAccessCode(t.db, { unitCode: 'office' })).code;
  const unit = (await issueAccessCode(t.db, { unitCode: 'police' })).code;
  const leader = (await issueAccessCode(t.db, { unitCode: 'office', leader: true })).code;
  return { ...t, id, receipt, admin, unit, leader };
}

const reply = (t: TestContext, id: number | string, code: string | null, body: unknown) =>
  postJson(t, `/api/v1/admin/suggestions/${id}/replies`, body, code ? { authorization: `Bearer ${code}` } : {});
const get = (t: TestContext, path: string, code: string) => t.app.request(path, { headers: { authorization: `Bearer ${code}` } });

describe('answering a deputy suggestion', () => {
  it('office answers in_progress then answered; the receipt shows the steps with the answer and nothing personal', async () => {
    const t = await setup();
    t.setNow('2014-11-05T02:00:00Z');
    const first = await reply(t, t.id, t.admin, { status: 'in_progress', note: PROGRESS });
    expect(first.status).toBe(201);
    expect(await json(first)).toMatchObject({ submissionId: t.id, status: 'in_progress', statusLabel: '办理中', note: PROGRESS, at: '2014-11-05T02:00:00.000Z' });
    t.setNow('2014-11-08T03:00:00Z');
    const second = await reply(t, t.id, t.admin, { status: 'answered', note: `  ${ANSWER}\n` });
    expect(second.status).toBe(201);
    expect((await json(second)).note).toBe(ANSWER);

    const rows = await t.db.select().from(suggestionReplies).where(eq(suggestionReplies.submissionId, t.id));
    expect(rows.map((r) => [r.status, r.note, r.unitCode])).toEqual([
      ['in_progress', PROGRESS, 'office'],
      ['answered', ANSWER, 'office'],
    ]);

    const res = await t.app.request(`/api/v1/receipts/${t.receipt}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.status).toBe('已答复');
    expect(body.history).toEqual([
      { status: '已收到', at: '2014-11-04T02:00:00.000Z', note: null },
      { status: '办理中', at: '2014-11-05T02:00:00.000Z', note: PROGRESS },
      { status: '已答复', at: '2014-11-08T03:00:00.000Z', note: ANSWER },
    ]);
    for (const secret of [NAME, PHONE, PHONE.slice(3), '137 1234', '金台区综治办', '"office"']) expect(text).not.toContain(secret);

    // The receipt page a deputy opens shows the answer too.
    const page = await (await t.app.request(`/r/${t.receipt}`)).text();
    expect(page).toContain('已答复');
    expect(page).toContain(ANSWER);
    expect(page).not.toContain(NAME);
    expect(page).not.toContain(PHONE);
  });

  it('the sheet tab 代表委员建议 shows 已答复 and the answer, and no personal values', async () => {
    const t = await setup();
    let tab = await buildTab(await tabContext(t.deps), 'suggestions');
    const header = tab.rows[0]!;
    const statusCol = header.indexOf('办理状态');
    const answerCol = header.indexOf('答复');
    expect(statusCol).toBeGreaterThan(0);
    expect(tab.rows[1]![statusCol]).toBe('已收到');
    expect(tab.rows[1]![answerCol]).toBe('');

    expect((await reply(t, t.id, t.admin, { status: 'in_progress', note: PROGRESS })).status).toBe(201);
    tab = await buildTab(await tabContext(t.deps), 'suggestions');
    expect(tab.rows[1]![statusCol]).toBe('办理中');

    expect((await reply(t, t.id, t.admin, { status: 'answered', note: ANSWER })).status).toBe(201);
    tab = await buildTab(await tabContext(t.deps), 'suggestions');
    expect(tab.rows).toHaveLength(2);
    const row = tab.rows[1]!;
    expect(row).toContain('校园周边治安');
    expect(row[statusCol]).toBe('已答复');
    expect(row[answerCol]).toBe(ANSWER);
    const flat = JSON.stringify(tab.rows);
    expect(flat).not.toContain(NAME);
    expect(flat).not.toContain(PHONE);
  });

  it('a reply enqueues the sheet tabs in its transaction; a refused one writes nothing', async () => {
    const t = await setup();
    await t.db.delete(sheetOutbox);
    const bad = [
      [{}, 'status', '请选择办理状态'],
      [{ status: 'closed', note: ANSWER }, 'status', '办理状态只能是“办理中”或“已答复”'],
      [{ status: 'received' }, 'status', '办理状态只能是“办理中”或“已答复”'],
      [{ status: 'answered' }, 'note', '请填写答复内容，代表委员凭回执码可以看到'],
      [{ status: 'answered', note: '   ' }, 'note', '请填写答复内容，代表委员凭回执码可以看到'],
      [{ status: 'answered', note: '答'.repeat(2001) }, 'note', '答复内容不能超过 2000 字'],
      [{ status: 'in_progress', note: 42 }, 'note', '答复内容须为文字'],
    ] as const;
    for (const [body, field, message] of bad) {
      const res = await reply(t, t.id, t.admin, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const out = await json(res);
      expect(out.error).toBe('VALIDATION_FAILED');
      expect(out.errors).toContainEqual({ field, message });
    }
    expect((await reply(t, t.id, t.admin, 'not json')).status).toBe(400);
    expect((await reply(t, t.id, t.admin, [1])).status).toBe(400);
    expect(await t.db.select().from(suggestionReplies)).toEqual([]);
    expect(await t.db.select().from(sheetOutbox)).toEqual([]);

    // Exactly 2000 characters is allowed, and an in_progress step needs no note.
    expect((await reply(t, t.id, t.admin, { status: 'in_progress' })).status).toBe(201);
    expect((await t.db.select({ tab: sheetOutbox.tab }).from(sheetOutbox)).map((r) => r.tab).sort()).toEqual(['overview', 'suggestions']);
    expect((await reply(t, t.id, t.admin, { status: 'answered', note: '答'.repeat(2000) })).status).toBe(201);

    // Once answered it cannot go back to 办理中, and that refusal writes nothing either.
    await t.db.delete(sheetOutbox);
    const back = await reply(t, t.id, t.admin, { status: 'in_progress', note: PROGRESS });
    expect(back.status).toBe(422);
    expect((await json(back)).errors[0].field).toBe('status');
    expect(await t.db.select().from(suggestionReplies)).toHaveLength(2);
    expect(await t.db.select().from(sheetOutbox)).toEqual([]);
    // A supplementary answer is fine.
    expect((await reply(t, t.id, t.admin, { status: 'answered', note: '补充：已协调交警部门增设减速带。' })).status).toBe(201);
  });

  it('only the office replies: 401 without a code, 403 for unit and leader codes', async () => {
    const t = await setup();
    expect((await reply(t, t.id, null, { status: 'in_progress' })).status).toBe(401);
    expect((await reply(t, t.id, 'WRONG-CODE-0000', { status: 'in_progress' })).status).toBe(401);
    for (const code of [t.unit, t.leader]) {
      const res = await reply(t, t.id, code, { status: 'answered', note: ANSWER });
      expect(res.status).toBe(403);
      expect((await json(res)).error).toBe('FORBIDDEN');
    }
    const page = await t.app.request(`/admin/suggestions/${t.id}/replies`, {
      method: 'POST',
      body: new URLSearchParams({ status: 'answered', note: ANSWER }),
      headers: { authorization: `Bearer ${t.leader}` },
    });
    expect(page.status).toBe(403);
    expect(await t.db.select().from(suggestionReplies)).toEqual([]);
  });

  it('404 for an unknown id, a malformed id, a deleted suggestion and a submission of another form', async () => {
    const t = await setup();
    const other = await json(await postJson(t, '/api/v1/forms/mass-feedback/submissions', VALID['mass-feedback']));
    const body = { status: 'answered', note: ANSWER };
    for (const id of [t.id + 1000, 'abc', other.id]) {
      const res = await reply(t, id, t.admin, body);
      expect(res.status, String(id)).toBe(404);
      expect((await json(res)).error).toBe('NOT_FOUND');
      expect((await get(t, `/admin/suggestions/${id}`, t.admin)).status).toBe(404);
    }
    await t.db.update(submissions).set({ deletedAt: Date.now() }).where(eq(submissions.id, t.id));
    expect((await reply(t, t.id, t.admin, body)).status).toBe(404);
    expect(await t.db.select().from(suggestionReplies)).toEqual([]);
  });
});

describe('office pages', () => {
  it('list newest first with the unanswered filter; the detail shows the deputy contact to the office and the form only to admins', async () => {
    const t = await setup();
    t.setNow('2014-11-06T02:00:00Z');
    const second = await json(await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...SUGGESTION, subject: '农村道路照明', identity: 'npc-deputy', department: undefined }));
    expect((await reply(t, t.id, t.admin, { status: 'answered', note: ANSWER })).status).toBe(201);

    const list = await (await get(t, '/admin/suggestions', t.admin)).text();
    expect(list.indexOf('农村道路照明')).toBeLessThan(list.indexOf('校园周边治安'));
    expect(list).toContain('人大代表');
    expect(list).toContain('政协委员');
    expect(list).toContain('教育界');
    expect(list).toContain('金台公安分局');
    expect(list).toContain('2014-11-06 10:00');
    expect(list).not.toContain(NAME);
    expect(list).not.toContain(PHONE);
    const open = await (await get(t, '/admin/suggestions?filter=unanswered', t.leader)).text();
    expect(open).toContain('农村道路照明');
    expect(open).not.toContain('校园周边治安');

    const detail = await (await get(t, `/admin/suggestions/${t.id}`, t.admin)).text();
    expect(detail).toContain(NAME);
    expect(detail).toContain(PHONE);
    expect(detail).toContain(ANSWER);
    expect(detail).toContain('金台区综治办');
    expect(detail).toContain(`action="/admin/suggestions/${t.id}/replies"`);
    const asLeader = await (await get(t, `/admin/suggestions/${second.id}`, t.leader)).text();
    expect(asLeader).toContain('农村道路照明');
    expect(asLeader).not.toContain('/replies"');
    expect((await get(t, '/admin/suggestions', t.unit)).status).toBe(403);

    const home = await (await get(t, '/admin', t.admin)).text();
    expect(home).toContain('href="/admin/suggestions?filter=unanswered"');
    expect(home).toContain('未答复 1 条');
  });

  it("a leader reads a suggestion with the deputy's name and phone masked; only the office sees them in full", async () => {
    const t = await setup();
    const asLeader = await (await get(t, `/admin/suggestions/${t.id}`, t.leader)).text();
    expect(asLeader).toContain('校园周边治安');
    expect(asLeader).not.toContain(NAME);
    expect(asLeader).not.toContain(PHONE);
    expect(asLeader).toContain('钱**');
    expect(asLeader).toContain('137****5678');
    const asOffice = await (await get(t, `/admin/suggestions/${t.id}`, t.admin)).text();
    expect(asOffice).toContain(NAME);
    expect(asOffice).toContain(PHONE);
  });

  it('the reply form saves and 303s back; a bad one shows the Chinese message and keeps the text', async () => {
    const t = await setup();
    const post = (fields: Record<string, string>) =>
      t.app.request(`/admin/suggestions/${t.id}/replies`, { method: 'POST', body: new URLSearchParams(fields), headers: { authorization: `Bearer ${t.admin}` } });
    const bad = await post({ status: 'answered', note: '' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('请填写答复内容，代表委员凭回执码可以看到');
    expect(await t.db.select().from(suggestionReplies)).toEqual([]);
    const tooLong = await post({ status: 'answered', note: `<b>${'答'.repeat(2001)}` });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('&lt;b&gt;答答');

    const ok = await post({ status: 'answered', note: ANSWER });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/suggestions/${t.id}?done=1`);
    const after = await (await get(t, ok.headers.get('location')!, t.admin)).text();
    expect(after).toContain('已保存');
    expect(after).toContain(ANSWER);
    expect((await json(await t.app.request(`/api/v1/receipts/${t.receipt}`))).status).toBe('已答复');
  });
});
