// Public forms end to end: pages, POST to receipt, attribution by ?u=, the JSON API with idempotency, receipts.
import { describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { makeTestApp } from '../../helpers/app.ts';
import { capturingLogger, pageToken, postForm, postJson, VALID } from '../../helpers/public-forms.ts';
import { formTokens, submissionPersonal, submissions } from '../../../src/db/schema.ts';
import { PLUGINS } from '../../../src/plugins.ts';
import type { SubmissionHook } from '../../../src/submissions/hooks.ts';
import { purgeStaleFormTokens } from '../../../src/submissions/tokens.ts';
import { guard } from '../../../src/db/batch.ts';

const FORM_IDS = ['mass-feedback', 'hazard-tip', 'deputy-suggestion'] as const;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response) => (await r.json()) as any;

describe('GET /f/:formId', () => {
  it.each(FORM_IDS)('%s renders under 30 KB with labels, a token and a honeypot', async (id) => {
    const t = await makeTestApp();
    const res = await t.app.request(`/f/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(new TextEncoder().encode(html).length).toBeLessThan(30 * 1024);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('name="_token"');
    expect(html).toContain('name="_website"');
    expect(html).toContain('name="viewport"');
    // Every visible control has a label pointing at it (radio groups: a fieldset legend plus wrapping labels).
    for (const m of html.matchAll(/<(?:input|select|textarea)[^>]*\bid="(f-[\w-]+)"/g)) {
      const id = m[1]!;
      if (id === 'f-website') continue;
      expect(html.includes(`for="${id}"`) || new RegExp(`<label class="opt"><input[^>]*id="${id}"`).test(html), id).toBe(true);
    }
  });

  it.each(FORM_IDS)('%s: every aria-describedby and summary link points at an element on the page, with and without errors', async (id) => {
    const t = await makeTestApp();
    const clean = await (await t.app.request(`/f/${id}`)).text();
    const errored = await (await postForm(t, `/f/${id}`, { phone: 'x', contactPhone: 'x' }, id === 'hazard-tip' ? { files: {} } : {})).text();
    expect(errored).toContain('有 ');
    for (const html of [clean, errored]) {
      const ids = new Set([...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
      expect(ids.size).toBe([...html.matchAll(/\bid="([^"]+)"/g)].length); // ids are unique
      for (const m of html.matchAll(/aria-describedby="([^"]+)"/g)) for (const ref of m[1]!.split(' ')) expect(ids.has(ref), ref).toBe(true);
      for (const m of html.matchAll(/href="#([^"]+)"/g)) expect(ids.has(m[1]), m[1]).toBe(true);
    }
  });

  it('404s for an unknown form and for unit forms', async () => {
    const t = await makeTestApp();
    expect((await t.app.request('/f/no-such-form')).status).toBe(404);
    expect((await t.app.request('/f/household-visit')).status).toBe(404);
  });

  it('names the unit a known ?u= attributes to, and still shows the form for an unknown one', async () => {
    const t = await makeTestApp();
    const known = await (await t.app.request('/f/mass-feedback?u=chencang-v1')).text();
    expect(known).toContain('所属村（社区）或单位：陈仓示范村一（演示）');
    expect(known).toContain('action="/f/mass-feedback?u=chencang-v1"');
    const res = await t.app.request('/f/mass-feedback?u=atlantis');
    expect(res.status).toBe(200);
    const unknown = await res.text();
    expect(unknown).not.toContain('所属村（社区）或单位');
    expect(unknown).toContain('name="satisfaction"');
  });
});

describe('POST /f/:formId', () => {
  it.each(FORM_IDS)('%s: a valid answer 303s to its receipt page', async (id) => {
    const t = await makeTestApp();
    const res = await postForm(t, `/f/${id}`, { ...VALID[id] }, id === 'hazard-tip' ? { files: {} } : {});
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/r\/[ACDEFGHJKMNPQRTUVWXY34679]{10}$/);
    const rows = await t.db.select().from(submissions);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ formId: id, source: 'public', receipt: location.slice(3), day: '2014-11-04', unitCode: null, rollupCode: null });
  });

  it('stores mass feedback metrics and keeps name and phone out of the payload', async () => {
    const t = await makeTestApp();
    const res = await postForm(t, '/f/mass-feedback?u=chencang-v1', { ...VALID['mass-feedback'], name: '孙八', phone: '139 1234 5678' });
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(submissions);
    expect(row).toMatchObject({ satisfaction: 'satisfied', aware: true, participated: false, unitCode: 'chencang-v1', rollupCode: 'chencang' });
    expect(JSON.parse(row!.payload)).toEqual({ satisfaction: 'satisfied', aware: true, participated: false, opinion: '希望多开展巡逻' });
    const [personal] = await t.db.select().from(submissionPersonal).where(eq(submissionPersonal.submissionId, row!.id));
    expect(JSON.parse(personal!.data)).toEqual({ name: '孙八', phone: '13912345678' });
  });

  const attribution = [
    { u: 'zhongshan-east-c2', unitCode: 'zhongshan-east-c2', rollupCode: 'zhongshan-east' },
    { u: 'police', unitCode: 'police', rollupCode: 'police' },
    { u: 'panlong', unitCode: 'panlong', rollupCode: 'panlong' },
    { u: 'atlantis', unitCode: null, rollupCode: null },
    { u: 'BAD CODE<>', unitCode: null, rollupCode: null },
  ];
  it.each(attribution)('attributes ?u=$u to $unitCode / $rollupCode', async ({ u, unitCode, rollupCode }) => {
    const t = await makeTestApp();
    const res = await postForm(t, `/f/mass-feedback?u=${encodeURIComponent(u)}`, { ...VALID['mass-feedback'] });
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(submissions);
    expect(row).toMatchObject({ unitCode, rollupCode });
  });

  it('422 re-renders with errors beside their fields, the summary linking to them, and the answers kept', async () => {
    const t = await makeTestApp();
    const res = await postForm(t, '/f/mass-feedback', { aware: 'yes', opinion: '路灯不亮', phone: '12345' });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('有 3 处需要修改');
    expect(html).toContain('<a href="#f-satisfaction">');
    // Beside the question, what to do; the summary names the question once, never twice.
    expect(html).toContain('<p class="err" id="f-satisfaction-err">请选择一项</p>');
    expect(html).toContain('<a href="#f-satisfaction">请选择“您对本地社会治安和政法工作满意吗？”</a>');
    expect(html).toMatch(/<input type="radio" name="satisfaction" aria-describedby="f-satisfaction-err" aria-invalid="true" id="f-satisfaction" value="satisfied" required="" autofocus=""/);
    expect(html).toContain('id="f-phone-err">请填写正确的手机号');
    expect(html).toMatch(/name="phone" aria-describedby="f-phone-err f-phone-help" aria-invalid="true"/);
    expect(html).toMatch(/name="phone"[^>]*value="12345"/);
    expect(html).toMatch(/name="aware"[^>]*value="yes" checked=""/);
    expect(html).toContain('>路灯不亮</textarea>');
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });

  it('a hazard noticed after today is refused, and the date picker stops at today', async () => {
    const t = await makeTestApp();
    expect(await (await t.app.request('/f/hazard-tip')).text()).toMatch(/type="date"[^>]*min="2014-01-01" max="2014-11-04"/);
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], noticedOn: '2014-11-05' }, { files: {} });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('id="f-noticedOn-err">不能晚于今天</p>');
    t.setNow('2014-11-04T16:30:00Z'); // 00:30 on the 5th in Shanghai
    expect((await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], noticedOn: '2014-11-05' }, { files: {} })).status).toBe(303);
  });

  it('renders an HTML-injection attempt escaped', async () => {
    const t = await makeTestApp();
    const evil = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
    const res = await postForm(t, '/f/hazard-tip', { category: 'fire', place: evil, description: '短' }, { files: {} });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a double tap with the same one-time token stores one submission and shows the same receipt', async () => {
    const t = await makeTestApp();
    const token = await pageToken(t, '/f/mass-feedback');
    const first = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: token });
    const second = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: token });
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await t.db.select().from(submissions)).toHaveLength(1);
    expect(await t.db.select().from(formTokens)).toHaveLength(1);
    // A new page gives a new token, and a post without any token is still accepted.
    const other = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: await pageToken(t, '/f/mass-feedback') });
    const none = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] });
    const forged = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: 'forged.token.value' });
    for (const r of [other, none, forged]) expect(r.status).toBe(303);
    expect(await t.db.select().from(submissions)).toHaveLength(4);
  });

  it('the nightly purge forgets recorded tokens only once no page can still carry them', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const token = await pageToken(t, '/f/mass-feedback');
    expect((await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: token })).status).toBe(303);
    // Two days later the token is still within its life (plus slack): the row stays and a replay finds it.
    t.setNow('2014-11-06T02:00:00Z');
    expect(await purgeStaleFormTokens(t.deps, t.deps.now())).toBe(0);
    expect(await t.db.select().from(formTokens)).toHaveLength(1);
    // Four days later no page can carry it any more: the row goes, submissions stay.
    t.setNow('2014-11-08T02:00:00Z');
    expect(await purgeStaleFormTokens(t.deps, t.deps.now())).toBe(1);
    expect(await t.db.select().from(formTokens)).toHaveLength(0);
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('two simultaneous taps with one token store one submission', async () => {
    const t = await makeTestApp();
    const token = await pageToken(t, '/f/mass-feedback');
    const [a, b] = await Promise.all([
      postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: token }),
      postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _token: token }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.headers.get('location')).toBe(b.headers.get('location'));
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('a submission hook’s statements run in the submission’s batch, and a failing one stores nothing', async () => {
    const seen: string[] = [];
    const hook: SubmissionHook = (q, ctx) => {
      seen.push(`${ctx.form.id}:${ctx.submission.unitCode}`);
      // The second submission's hook writes something the database refuses: the whole batch goes.
      return seen.length === 2 ? [guard(q, sql`0`, 'hook-failed')] : [];
    };
    const t = await makeTestApp({ deps: { plugins: { ...PLUGINS, submissionHooks: [...PLUGINS.submissionHooks, hook] } } });
    expect((await postForm(t, '/f/mass-feedback?u=jinhe-v1', { ...VALID['mass-feedback'] })).status).toBe(303);
    expect((await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] })).status).toBe(500);
    expect(seen).toEqual(['mass-feedback:jinhe-v1', 'mass-feedback:null']);
    const rows = await t.db.select().from(submissions);
    expect(rows.map((r) => [r.unitCode, r.rollupCode])).toEqual([['jinhe-v1', 'jinhe']]);
  });
});

describe('receipts', () => {
  it('the receipt page and API show status, never personal data or answers, and the logs hold none either', async () => {
    const log = capturingLogger();
    const t = await makeTestApp({ deps: { log } });
    const personal = { contactName: '周九独特姓名', contactPhone: '13698765432' };
    const res = await postForm(t, '/f/hazard-tip?u=xiguan-c1', { ...VALID['hazard-tip'], ...personal }, { files: {} });
    expect(res.status).toBe(303);
    const receipt = res.headers.get('location')!.slice(3);
    // The redirect carries a short-lived cookie for this receipt's path: the thanks shows once, right after sending.
    const sent = res.headers.get('set-cookie')!.split(';')[0]!;
    expect(res.headers.get('set-cookie')).toContain(`Path=/r/${receipt}`);

    const page = await t.app.request(`/r/${receipt}`, { headers: { cookie: sent } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(receipt);
    expect(html).toContain('治安隐患举报');
    expect(html).toContain('已收到您的提交');
    // A later lookup opens with the form and its status, not the thanks for a submission made days ago.
    const later = await (await t.app.request(`/r/${receipt}`)).text();
    expect(later).not.toContain('已收到您的提交');
    expect(later).toContain('<h1>治安隐患举报</h1>');
    expect(page.headers.get('cache-control')).toBe('no-store');

    const api = await t.app.request(`/api/v1/receipts/${receipt.toLowerCase()}`);
    expect(api.status).toBe(200);
    const body = await json(api);
    // The hazard module plugs in its own steps for tips, so only the shape is fixed here.
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'form', 'formTitle', 'history', 'receipt', 'status']);
    expect(body).toMatchObject({ receipt, form: 'hazard-tip', formTitle: '治安隐患举报', createdAt: '2014-11-04T02:00:00.000Z' });
    for (const step of body.history) expect(Object.keys(step).sort()).toEqual(['at', 'note', 'status']);
    const everything = [html, JSON.stringify(body), ...log.lines].join('\n');
    for (const value of [...Object.values(personal), '136 9876 5432']) expect(everything).not.toContain(value);
    expect(log.lines.some((l) => l.includes('submission stored'))).toBe(true);
  });

  it('a form without a status provider reports 已收到', async () => {
    const t = await makeTestApp();
    const res = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] });
    const body = await json(await t.app.request(`/api/v1/receipts/${res.headers.get('location')!.slice(3)}`));
    expect(body).toMatchObject({ form: 'mass-feedback', status: '已收到', history: [{ status: '已收到', at: '2014-11-04T02:00:00.000Z', note: null }] });
  });

  it('404s for an unknown or malformed receipt code', async () => {
    const t = await makeTestApp();
    expect((await t.app.request('/api/v1/receipts/ACDEFGHJKM')).status).toBe(404);
    expect((await t.app.request('/api/v1/receipts/..%2F..')).status).toBe(404);
    const page = await t.app.request('/r/NOPE');
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('没有找到这个回执码');
  });

  it('the lookup box redirects to the receipt, tolerating case and spaces', async () => {
    const t = await makeTestApp();
    const res = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] });
    const receipt = res.headers.get('location')!.slice(3);
    const typed = `${receipt.slice(0, 5).toLowerCase()} ${receipt.slice(5)}`;
    const lookup = await t.app.request(`/r?code=${encodeURIComponent(typed)}`);
    expect(lookup.status).toBe(303);
    expect(lookup.headers.get('location')).toBe(`/r/${receipt}`);
  });

  it('a form can plug in its own status provider', async () => {
    const receiptStatus = {
      ...PLUGINS.receiptStatus,
      'deputy-suggestion': async (_deps: unknown, s: { createdAt: number }) => ({
        status: '已交办',
        history: [{ status: '已收到', at: new Date(s.createdAt).toISOString(), note: null }, { status: '已交办', at: '2014-11-05T01:00:00.000Z', note: '交区公安分局办理' }],
      }),
    };
    const t = await makeTestApp({ deps: { plugins: { ...PLUGINS, receiptStatus } } });
    const res = await postForm(t, '/f/deputy-suggestion', { ...VALID['deputy-suggestion'] });
    const body = await json(await t.app.request(`/api/v1/receipts/${res.headers.get('location')!.slice(3)}`));
    expect(body.status).toBe('已交办');
    expect(body.history).toHaveLength(2);
  });
});

describe('JSON API', () => {
  it('GET /api/v1/forms lists every form with a JSON Schema', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/api/v1/forms');
    expect(res.status).toBe(200);
    const list = (await res.json()) as { id: string; version: number; title: string; audience: string; schema: { properties: Record<string, { enum?: string[] }>; required?: string[] } }[];
    const ids = list.map((f) => f.id);
    for (const id of FORM_IDS) expect(ids).toContain(id);
    const deputy = list.find((f) => f.id === 'deputy-suggestion')!;
    expect(deputy).toMatchObject({ version: 1, audience: 'public', title: '“两代表一委员”意见建议' });
    expect(deputy.schema.properties.department!.enum).toContain('police');
    expect(deputy.schema.required).toContain('suggestion');
  });

  it('201 {id, receipt} and the stored row', async () => {
    const t = await makeTestApp();
    const res = await postJson(t, '/api/v1/forms/mass-feedback/submissions?u=chencang-v2', { satisfaction: 'dissatisfied', aware: true, participated: true });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toEqual({ id: 1, receipt: expect.stringMatching(/^[ACDEFGHJKMNPQRTUVWXY34679]{10}$/) });
    const [row] = await t.db.select().from(submissions);
    expect(row).toMatchObject({ source: 'api', satisfaction: 'dissatisfied', aware: true, participated: true, unitCode: 'chencang-v2', rollupCode: 'chencang', receipt: body.receipt });
  });

  it('the same Idempotency-Key twice stores one row and returns the same answer; a different body under it is refused', async () => {
    const t = await makeTestApp();
    const key = 'retry-7f3a9c';
    const answer = { ...VALID['hazard-tip'], contactPhone: '13512345678' };
    const first = await postJson(t, '/api/v1/forms/hazard-tip/submissions', answer, { 'idempotency-key': key });
    const again = await postJson(t, '/api/v1/forms/hazard-tip/submissions', answer, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await t.db.select().from(submissions)).toHaveLength(1);
    expect(await t.db.select().from(submissionPersonal)).toHaveLength(1);

    const different = await postJson(t, '/api/v1/forms/hazard-tip/submissions', { ...answer, place: '别处' }, { 'idempotency-key': key });
    expect(different.status).toBe(422);
    expect(await different.json()).toMatchObject({ error: 'VALIDATION_FAILED', message: expect.stringContaining('Idempotency-Key'), errors: [{ field: 'Idempotency-Key' }] });
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('concurrent retries with one key store one row', async () => {
    const t = await makeTestApp();
    const results = await Promise.all(
      [1, 2, 3].map(() => postJson(t, '/api/v1/forms/mass-feedback/submissions', { satisfaction: 'satisfied', aware: true, participated: false }, { 'idempotency-key': 'same-key' })),
    );
    const bodies = await Promise.all(results.map(json));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(new Set(bodies.map((b) => b.receipt)).size).toBe(1);
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('422 lists field errors, including unknown fields and photos', async () => {
    const t = await makeTestApp();
    const res = await postJson(t, '/api/v1/forms/hazard-tip/submissions', { category: 'volcano', place: '某地点', description: '描述一下情况', photo: 'x.jpg', colour: 'red' });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: 'VALIDATION_FAILED',
      message: '提交的内容有误，请按 errors 修改',
      errors: [
        { field: 'category', message: '请从给出的选项中选择' },
        { field: 'photo', message: '照片请通过网页表单上传' },
        { field: 'colour', message: '表单中没有这一项' },
      ],
    });
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });

  const bad = [
    { name: 'unknown form', path: '/api/v1/forms/nope/submissions', body: {}, status: 404, error: 'NOT_FOUND' },
    { name: 'unit form', path: '/api/v1/forms/household-visit/submissions', body: {}, status: 404, error: 'NOT_FOUND' },
    { name: 'broken JSON', path: '/api/v1/forms/mass-feedback/submissions', body: '{"a":', status: 400, error: 'BAD_JSON' },
    { name: 'an array', path: '/api/v1/forms/mass-feedback/submissions', body: '[1,2]', status: 400, error: 'BAD_JSON' },
  ];
  it.each(bad)('$name → $status', async ({ path, body, status, error }) => {
    const t = await makeTestApp();
    const res = await postJson(t, path, body);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error, message: expect.stringMatching(/[\u4e00-\u9fff]/) });
  });

  it('415 for a body that is not JSON', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/api/v1/forms/mass-feedback/submissions', { method: 'POST', body: 'satisfaction=satisfied', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(415);
  });
});
