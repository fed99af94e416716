// GET /api/v1/rankings, the leader page, the circular and the office's recompute button: auth, statuses and what people see.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { makeTestApp } from '../../helpers/app.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { rankingSnapshots } from '../../../src/db/schema.ts';
import { computeSnapshot } from '../../../src/rankings/index.ts';
import tasks from '../../../forms/tasks.ts';
import { insertActivity, insertOrg, insertSubmission, noon } from './fixtures.ts';
import { SAME_ORIGIN } from '../../helpers/unit-portal.ts';

async function setup(opts: { snapshots?: boolean } = {}) {
  const t = await makeTestApp({ seed: false, now: '2014-11-07T02:00:00Z' });
  await insertOrg(t.db);
  const leader = (await issueAccessCode(t.db, { unitCode: 'office', leader: true })).code;
  const admin = (await issueAccessCode(t.db, { unitCode: 'office' })).code;
  const unit = (await issueAccessCode(t.db, { unitCode: 't-a' })).code;
  if (opts.snapshots !== false) {
    await insertActivity(t.db);
    await computeSnapshot(t.deps, '2014-11-05');
    // t-d catches up on the 6th with every towns task of forms/tasks.ts reported in full.
    // A task counted from a register is reached by one register entry carrying the whole target.
    for (const task of tasks.filter((x) => x.owner === 'towns')) {
      const src = task.from;
      if (!src) {
        await insertSubmission(t.db, { formId: 'task-report', at: noon('2014-11-06'), unitCode: 't-d', rollupCode: 't-d', taskId: task.id, quantity: task.target });
        continue;
      }
      const payload = { ...(src.where ? { [src.where.field]: src.where.equals[0] } : {}), ...(src.fields ? { [src.fields[0]!]: task.target } : {}) };
      for (let i = 0; i < (src.count === 'entries' ? task.target : 1); i++) {
        await insertSubmission(t.db, { formId: src.form, at: noon('2014-11-06'), unitCode: 't-d', rollupCode: 't-d', payload: JSON.stringify(payload) });
      }
    }
    await computeSnapshot(t.deps, '2014-11-06');
  }
  const get = (path: string, code?: string) => t.app.request(path, code ? { headers: { authorization: `Bearer ${code}` } } : {});
  return { ...t, leader, admin, unit, get };
}

interface ApiBody {
  date: string;
  group: string | null;
  previousDate: string | null;
  rows: { rank: number; unitCode: string; unitName: string; group: string; score: number; change: number | null; metrics: Record<string, unknown> }[];
}

describe('GET /api/v1/rankings', () => {
  it('401 without a code, 401 with a wrong one, 403 for a unit code', async () => {
    const t = await setup({ snapshots: false });
    const none = await t.get('/api/v1/rankings');
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    expect((await t.get('/api/v1/rankings', 'WRONG-CODE-1234')).status).toBe(401);
    const unit = await t.get('/api/v1/rankings', t.unit);
    expect(unit.status).toBe(403);
    expect(await unit.json()).toMatchObject({ error: 'FORBIDDEN' });
  });

  it('404 with a clear message when there is no snapshot yet', async () => {
    const t = await setup({ snapshots: false });
    const res = await t.get('/api/v1/rankings', t.leader);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('NO_SNAPSHOT');
    expect(body.message).toContain('00:05');
  });

  it('defaults to the latest snapshot; rows carry rank, unit, score, change against the day before and the metrics', async () => {
    const t = await setup();
    for (const code of [t.leader, t.admin]) {
      const res = await t.get('/api/v1/rankings?group=towns', code);
      expect(res.status).toBe(200);
      const body = (await res.json()) as ApiBody;
      expect(body).toMatchObject({ date: '2014-11-06', group: 'towns', previousDate: '2014-11-05' });
      expect(body.rows.map((r) => r.unitCode)).toEqual(['t-d', 't-a', 't-b', 't-c']);
      const d = body.rows[0]!;
      // t-d: every task in full and nothing else → 100; it shared 2nd place the day before.
      expect(d).toMatchObject({ rank: 1, unitCode: 't-d', unitName: '丁镇', group: 'towns', score: 100, change: 1 });
      expect(d.metrics).toMatchObject({ G: { num: 7, den: 7, value: 1 }, V: null, H: null });
      // t-a: the fixture's V S A P with none of the forms/ tasks reported:
      // 100 × (25×0.625 + 20×0.5 + 10×0.75 + 5×0.25 + 15×0) / 75 = 45.83
      expect(body.rows[1]).toMatchObject({ rank: 2, unitCode: 't-a', score: 45.83, change: -1 });
      expect(body.rows.map((r) => r.rank)).toEqual([1, 2, 3, 3]);
      expect(body.rows.map((r) => r.change)).toEqual([1, -1, -1, -1]);
      expect(Object.keys(body.rows[1]!.metrics).sort()).toEqual(['A', 'C', 'G', 'H', 'P', 'S', 'T', 'U', 'V']);
    }
  });

  it('answers a given date and both groups when group is left out', async () => {
    const t = await setup();
    const res = await t.get('/api/v1/rankings?date=2014-11-05', t.leader);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ApiBody;
    expect(body).toMatchObject({ date: '2014-11-05', group: null, previousDate: null });
    expect(body.rows.map((r) => `${r.group}:${r.unitCode}:${r.rank}`)).toEqual([
      'towns:t-a:1', 'towns:t-b:2', 'towns:t-c:2', 'towns:t-d:2', 'departments:d-x:1', 'departments:d-y:2',
    ]);
    expect(body.rows.every((r) => r.change === null)).toBe(true);
  });

  it('400 for a bad date or group, 404 for a day without a snapshot', async () => {
    const t = await setup();
    for (const q of ['date=2014-13-01', 'date=yesterday', 'date=2014-11-31', 'group=villages']) {
      const res = await t.get(`/api/v1/rankings?${q}`, t.leader);
      expect(res.status, q).toBe(400);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toMatch(/^BAD_(DATE|GROUP)$/);
      expect(body.message).toMatch(/日期|group/);
    }
    const res = await t.get('/api/v1/rankings?date=2014-11-02', t.leader);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string; date: string; message: string };
    expect(body).toMatchObject({ error: 'NO_SNAPSHOT', date: '2014-11-02' });
    expect(body.message).toContain('2014-11-02 没有排名');
  });
});

describe('the leader page', () => {
  it('sends a visitor without a session to sign in', async () => {
    const t = await setup({ snapshots: false });
    const res = await t.get('/leader?date=2014-11-06');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fleader%3Fdate%3D2014-11-06');
  });

  it('shows the table, the chart, the change, units under the threshold and each figure behind a metric', async () => {
    const t = await setup();
    const res = await t.get('/leader', t.leader);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('每日排名（2014-11-06）');
    expect(html).toContain('href="/leader/workbook.xlsx"');
    // The chart is a bar list that reflows on a phone, every score in figures; units under 60 are marked.
    expect(html).toContain('<figure class="chart">');
    expect(html).toMatch(/<li class="below" data-unit="t-a"><span class="name">/);
    expect(html).toMatch(/<li data-unit="[^"]+"><span class="name">/);
    expect(html).toContain('<span class="hp"> 分，低于60分</span>');
    expect(html).toContain('↑1');
    expect(html).toContain('↓1');
    expect(html).toContain('class="below" data-unit="t-a"');
    expect(html).toContain('低于60分');
    // t-a's satisfaction, with its figures on hover (title) and tap (details).
    expect(html).toContain('title="满意度 50.0%：满意和基本满意 2 ÷ 答卷 4"');
    expect(html).toContain('<summary>50.0%</summary>');
    expect(html).toContain('隐患整改：暂无数据，不计入得分');
    expect(html).toContain('href="/leader/circular?date=2014-11-06"');
    expect(html).not.toContain('重新计算日期'); // leaders read only
  });

  it('shows the departments and, to the office, the recompute button', async () => {
    const t = await setup();
    const html = await (await t.get('/leader?group=departments&date=2014-11-06', t.admin)).text();
    expect(html).toContain('data-unit="d-x"');
    expect(html).not.toContain('data-unit="t-a"');
    expect(html).toContain('action="/admin/rankings/recompute"');
  });

  it('says what to do when there is no ranking for the day', async () => {
    const t = await setup();
    const res = await t.get('/leader?date=2014-11-02', t.leader);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2014-11-02 还没有排名');
    // It says when the day's ranking comes, never to run a command on a server (the office has its button).
    expect(html).toContain('2014-11-02 的排名将于次日北京时间 0:05 自动生成');
    expect(html).not.toContain('npx');
    expect(html).toContain('href="/leader?date=2014-11-06&amp;group=towns"');
    expect(html).not.toContain('<figure class="chart"');
  });
});

describe('the printable circular', () => {
  it('lists both groups for A4 print and names the units below the threshold', async () => {
    const t = await setup();
    const res = await t.get('/leader/circular?date=2014-11-06', t.leader);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('通报');
    expect(html).toContain('@page{size:A4');
    expect(html).toContain('一、镇、街道');
    expect(html).toContain('二、区级部门');
    expect(html).toContain('2014年11月6日');
    expect(html).toContain('第1名丁镇，第2名甲镇，第3名乙街道、丙镇（并列）');
    // d-x scores exactly 60.00 (H 2/3, T 1/2, no tasks): not below the line.
    expect(html).toContain('甲镇、乙街道、丙镇、己局综合得分低于60分');
    expect((await t.get('/leader/circular?date=2014-11-02', t.leader)).status).toBe(404);
    expect((await t.get('/leader/circular?date=2014-11-06', t.unit)).status).toBe(403);
  });
});

describe('POST /admin/rankings/recompute', () => {
  const post = (t: Awaited<ReturnType<typeof setup>>, date: string, code?: string) =>
    t.app.request('/admin/rankings/recompute', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(code ? { authorization: `Bearer ${code}` } : {}) },
      body: new URLSearchParams({ date }).toString(),
    });

  it('recomputes a day for the office, replacing its snapshot, and goes back to the page', async () => {
    const t = await setup();
    await insertSubmission(t.db, { formId: 'task-report', at: noon('2014-11-05'), unitCode: 't-c', rollupCode: 't-c', taskId: 'towns-law-lectures', quantity: 3 });
    const res = await post(t, '2014-11-05', t.admin);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/leader?date=2014-11-05&recomputed=1');
    const rows = await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-05'));
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.unitCode === 't-c')!.rank).toBe(2);
    expect(rows.find((r) => r.unitCode === 't-b')!.rank).toBe(3);
    const page = await (await t.get('/leader?date=2014-11-05&recomputed=1', t.admin)).text();
    expect(page).toContain('已重新计算 2014-11-05 的排名');
  });

  it('refuses leaders, strangers, bad dates and days not over yet', async () => {
    const t = await setup();
    expect((await post(t, '2014-11-05', t.leader)).status).toBe(403);
    expect((await post(t, '2014-11-05')).status).toBe(401);
    const bad = await post(t, '2014-02-30', t.admin);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('日期“2014-02-30”无效');
    // The test clock is 2014-11-07 10:00 in Beijing: the 7th is not over.
    const today = await post(t, '2014-11-07', t.admin);
    expect(today.status).toBe(400);
    expect(await today.text()).toContain('还没有结束');
    expect(await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-07'))).toHaveLength(0);
  });
});

describe('with a signed-in session instead of a Bearer code', () => {
  it('the office signs in, opens the leader page and presses 重新计算', async () => {
    const t = await setup();
    const signin = await t.app.request('/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: t.admin, next: '/leader' }).toString(),
    });
    expect(signin.status).toBe(303);
    expect(signin.headers.get('location')).toBe('/leader');
    const cookie = signin.headers.get('set-cookie')!.split(';')[0]!;
    const page = await t.app.request('/leader', { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/admin/rankings/recompute"');
    const res = await t.app.request('/admin/rankings/recompute', {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...SAME_ORIGIN },
      body: 'date=2014-11-04',
    });
    expect(res.status).toBe(303);
    expect(await t.db.select().from(rankingSnapshots).where(eq(rankingSnapshots.day, '2014-11-04'))).toHaveLength(6);
  });
});
