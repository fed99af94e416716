// The sheet mirror end to end against the fake Google: exact tabs, no personal data, outages, Retry-After, shrinking, full rebuild.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { startFakeGoogle, type FakeGoogle } from '../../fakes/google/index.ts';
import { makeSheetsApp, submit } from '../../helpers/sheets.ts';
import type { TestContext } from '../../helpers/app.ts';
import { cadres, hazards, rankingSnapshots, sheetOutbox, submissions, units } from '../../../src/db/schema.ts';
import { flushSheets, MAX_ATTEMPTS } from '../../../src/sheets/flush.ts';
import { enqueueTabs, HAZARD_TABS, RANKING_TABS } from '../../../src/sheets/outbox.ts';
import { TAB_IDS, TAB_TITLES } from '../../../src/sheets/tabs.ts';
import type { SheetsGateway } from '../../../src/sheets/gateway.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { runScheduled } from '../../../src/core/scheduled.ts';
import { computeSnapshot } from '../../../src/rankings/index.ts';
import { signIn, type Json } from '../../helpers/unit-portal.ts';
import organisation from '../../../forms/organisation.ts';

const PERSONAL = ['王秀英', '13912345678', '李建国', '陈仓镇示范村三组15号', '13787654321', '赵六', '13600001111', '钱代表', '13500002222', '1234-5678', '3456789'];

let fake: FakeGoogle;
beforeAll(async () => {
  fake = await startFakeGoogle();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

/** A test clock that sleeping moves forward, and a record of every sleep. */
function clock(t: TestContext, start = '2014-11-04T02:00:00Z') {
  let now = Date.parse(start);
  t.setNow(new Date(now));
  const sleeps: number[] = [];
  return {
    sleeps,
    get now() {
      return now;
    },
    advance(ms: number) {
      now += ms;
      t.setNow(new Date(now));
    },
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
      t.setNow(new Date(now));
    },
  };
}

/** Wraps the gateway to note, on the test clock, when each request was sent. */
function countCalls(t: TestContext, c: { now: number }): number[] {
  const at: number[] = [];
  const inner = t.deps.sheets!;
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A) => {
      at.push(c.now);
      return fn(...a);
    };
  const counted: SheetsGateway = {
    get: wrap(() => inner.get()),
    batchUpdate: wrap((r) => inner.batchUpdate(r)),
    valuesBatchUpdate: wrap((d) => inner.valuesBatchUpdate(d)),
    valuesBatchClear: wrap((r) => inner.valuesBatchClear(r)),
  };
  t.deps.sheets = counted;
  return at;
}

async function cadreId(t: TestContext, name: string) {
  const [row] = await t.db.select({ id: cadres.id }).from(cadres).where(eq(cadres.name, name));
  return row!.id;
}

/** The campaign's first days, through the real store (so the outbox hook runs), plus a ranking and an overdue hazard. */
async function campaignData(t: TestContext) {
  await submit(t, 'mass-feedback', { satisfaction: 'satisfied', aware: true, participated: false, opinion: '路灯坏了，请回电 138-1234-5678', name: '王秀英', phone: '13912345678' }, 'zhongshan-east-c1');
  await submit(t, 'mass-feedback', { satisfaction: 'dissatisfied', aware: false, participated: true, opinion: '=HYPERLINK("http://evil.example")' }, 'chencang-v1');
  await submit(t, 'mass-feedback', { satisfaction: 'basically_satisfied', aware: true, participated: true }, 'chencang-v2');
  const han = await cadreId(t, '韩春生（演示）');
  await submit(
    t,
    'household-visit',
    { cadre: han, visitDate: '2014-11-03', place: 'chencang-v3', householdHead: '李建国', address: '陈仓镇示范村三组15号', phone: '13787654321', almanac: true, aware: true, participated: false, satisfaction: 'satisfied', opinions: '希望多开法律讲座', followUp: false },
    'chencang',
  );
  await submit(
    t,
    'household-visit',
    { cadre: han, visitDate: '2014-11-04', place: 'chencang-v3', householdHead: '王秀英', address: '陈仓镇示范村三组16号', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' },
    'chencang',
  );
  await submit(t, 'hazard-tip', { category: 'rental-housing', place: '十里铺某出租屋', description: '消防通道被杂物堵住', contactName: '赵六', contactPhone: '13600001111' }, 'shilipu-c1');
  await submit(t, 'deputy-suggestion', {
    identity: 'npc-deputy',
    name: '钱代表',
    delegation: '陈仓镇代表团',
    subject: '+加强校园周边治安',
    suggestion: '建议在学校周边增设监控，联系电话 0917-3456789',
    department: 'education',
    phone: '13500002222',
  });
  // The office assigned the tip with a deadline that has passed; the ranking of 3 Nov was taken.
  await t.db.transaction(async (tx) => {
    await tx.update(hazards).set({ state: 'rectifying', leadUnitCode: 'shilipu', deadline: '2014-11-03', deadlineKind: 'calendar', updatedAt: t.deps.now().getTime() });
    await enqueueTabs(tx, HAZARD_TABS, t.deps.now());
  });
  await t.db.transaction(async (tx) => {
    const metrics = (v: number | null) => JSON.stringify({ V: v === null ? null : { num: 1, den: 2, value: v }, H: null, T: null, S: { num: 2, den: 3, value: 2 / 3 }, A: null, P: null, G: null });
    const computedAt = t.deps.now().getTime();
    await tx.insert(rankingSnapshots).values([
      { day: '2014-11-03', unitCode: 'chencang', grp: 'towns', score: 8125, rank: 1, metrics: metrics(0.5), computedAt },
      { day: '2014-11-03', unitCode: 'zhongshan-east', grp: 'towns', score: 6000, rank: 2, metrics: metrics(null), computedAt },
      { day: '2014-11-03', unitCode: 'education', grp: 'departments', score: 5000, rank: 1, metrics: metrics(0.25), computedAt },
      { day: '2014-11-02', unitCode: 'zhongshan-east', grp: 'towns', score: 7000, rank: 1, metrics: metrics(1), computedAt },
    ]);
    await enqueueTabs(tx, RANKING_TABS, t.deps.now());
  });
}

function readAll(): Record<string, (string | number | boolean)[][]> {
  return Object.fromEntries(TAB_IDS.map((id) => [id, fake.readTab(TAB_TITLES[id])]));
}

const RANK_UNITS = organisation.units.filter((u) => u.kind === 'town' || u.kind === 'subdistrict' || u.kind === 'department');

describe('the Google Sheet mirror', () => {
  it('writes the six tabs exactly as leaders should read them, in one batched call, with no personal data', async () => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    await campaignData(t);
    expect((await t.db.select().from(sheetOutbox)).map((r) => r.tab).sort()).toEqual(['hazards', 'opinions', 'overview', 'rankings', 'suggestions', 'visits']);

    const result = await flushSheets(t.deps, { sleep: c.sleep });
    expect(result).toMatchObject({ status: 'sent', tabs: TAB_IDS });
    expect(fake.requests.map((r) => [r.kind, r.status])).toEqual([
      ['token', 200],
      ['get', 200],
      ['batchUpdate', 200],
      ['valuesBatchUpdate', 200],
    ]);
    expect(await t.db.select().from(sheetOutbox)).toEqual([]);
    const write = fake.requests[3]!.body as { valueInputOption: string; data: { range: string }[] };
    expect(write.valueInputOption).toBe('RAW');
    expect(write.data.map((d) => d.range)).toEqual([
      "'总览'!A1:B25",
      "'每日排名'!A1:L5",
      "'隐患台账'!A1:H2",
      `'入户下访'!A1:G${1 + new Set(organisation.cadres.map((x) => x.unit)).size + organisation.cadres.length}`,
      `'群众意见'!A1:E${1 + RANK_UNITS.length + 1 + 3 + 3}`,
      "'代表委员建议'!A1:H2",
    ]);

    const tabs = readAll();
    expect(tabs.overview).toEqual([
      ['项目', '数值'],
      ['活动', '平安建设集中宣传、治安隐患集中整治（两集中）活动'],
      ['地区', '金台区'],
      ['活动期间', '2014-10-29 至 2014-11-30'],
      ['更新时间', '2014-11-04 10:00'],
      ['平安建设群众满意度调查（份）', 3],
      ['治安隐患举报（份）', 1],
      ['“两代表一委员”意见建议（份）', 1],
      ['干部入户下访登记表（份）', 2],
      ['治安隐患排查台账（份）', 0],
      ['红袖标义务巡逻队登记（份）', 0],
      ['平安建设宣传登记（份）', 0],
      ['矛盾纠纷排查调处登记（份）', 0],
      ['活动任务进度填报（份）', 0],
      ['隐患总数（件）', 1],
      ['已办结（件）', 0],
      ['未办结（件）', 1],
      ['逾期未办结（件）', 1],
      ['按期办结率（%）'],
      ['知晓率（%）', 80],
      ['参与率（%）', 60],
      ['满意度（%）', 80],
      ['最新排名日期', '2014-11-03'],
      ['镇街第一名', '陈仓镇'],
      ['部门第一名', '区教体局'],
    ]);
    expect(tabs.rankings).toEqual([
      ['日期', '分组', '名次', '单位', '得分', '入户走访(%)', '隐患办结(%)', '按期办结(%)', '满意度(%)', '知晓率(%)', '参与率(%)', '任务完成(%)'],
      ['2014-11-03', '镇街', 1, '陈仓镇', 81.25, 50, '', '', 66.7],
      ['2014-11-03', '镇街', 2, '中山东路街道', 60, '', '', '', 66.7],
      ['2014-11-03', '部门', 1, '区教体局', 50, 25, '', '', 66.7],
      ['2014-11-02', '镇街', 1, '中山东路街道', 70, 100, '', '', 66.7],
    ]);
    expect(tabs.hazards).toEqual([
      ['编号', '类别', '地点', '牵头单位', '状态', '整改期限', '是否逾期', '上报日期'],
      ['YH-20141104-0001', '出租房屋', '十里铺某出租屋', '十里铺街道', '整改中', '2014-11-03', '逾期', '2014-11-04'],
    ]);
    const chencang = tabs.visits!.filter((r) => r[0] === '陈仓镇');
    expect(tabs.visits![0]).toEqual(['单位', '干部', '职务', '包抓村（社区）', '应访户数', '已访户数', '完成率（%）']);
    expect(chencang).toEqual([
      ['陈仓镇', '（合计）', '', '', 260, 2, 0.8],
      ['陈仓镇', '马勇（演示）', '镇长', '陈仓示范村一（演示）', 50, 0, 0],
      ['陈仓镇', '罗桂英（演示）', '副镇长', '陈仓示范村二（演示）', 50, 0, 0],
      ['陈仓镇', '韩春生（演示）', '镇综治办干部', '陈仓示范村三（演示）', 80, 2, 2.5],
      ['陈仓镇', '田敏（演示）', '镇干部', '陈仓示范村一（演示）', 80, 0, 0],
    ]);
    expect(tabs.opinions).toEqual([
      ['单位', '答卷数', '知晓率（%）', '参与率（%）', '满意度（%）'],
      ...RANK_UNITS.map((u) =>
        u.code === 'zhongshan-east' ? [u.name, 1, 100, 0, 100] : u.code === 'chencang' ? [u.name, 4, 75, 75, 75] : [u.name, 0],
      ),
      ['全区', 5, 80, 60, 80],
      [],
      ['最近群众意见（最新 50 条）'],
      ['日期', '单位', '来源', '满意度', '意见'],
      ['2014-11-04', '陈仓镇', '干部入户下访登记表', '满意', '希望多开法律讲座'],
      ['2014-11-04', '陈仓示范村一（演示）', '平安建设群众满意度调查', '不满意', '\'=HYPERLINK("http://evil.example")'],
      ['2014-11-04', '中山东路示范社区一（演示）', '平安建设群众满意度调查', '满意', '路灯坏了，请回电 ***-****-****'],
    ]);
    expect(tabs.suggestions).toEqual([
      ['提交日期', '身份', '代表团/界别', '题目', '建议内容', '涉及部门', '办理状态', '答复'],
      ['2014-11-04', '人大代表', '陈仓镇代表团', "'+加强校园周边治安", '建议在学校周边增设监控，联系电话 ****-*******', '区教体局', '已收到'],
    ]);

    // Every cell Google received, and every request, is free of the personal values submitted.
    const received = fake.receivedText();
    for (const value of PERSONAL) expect(received, value).not.toContain(value);
  });

  it('creates the missing tabs in one batchUpdate: frozen header, column widths, overdue rows red', async () => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    await campaignData(t);
    await flushSheets(t.deps, { sleep: c.sleep });
    const structure = fake.requests.filter((r) => r.kind === 'batchUpdate');
    expect(structure).toHaveLength(1);
    const requests = (structure[0]!.body as { requests: Record<string, unknown>[] }).requests;
    expect(requests.filter((r) => r.addSheet).map((r) => (r.addSheet as { properties: { title: string } }).properties.title)).toEqual(Object.values(TAB_TITLES));
    for (const title of Object.values(TAB_TITLES)) expect(fake.sheet(title)!.frozenRowCount).toBe(1);
    expect(fake.sheet('隐患台账')!.columnWidths).toEqual({ 0: 150, 1: 100, 2: 240, 3: 160, 4: 170, 5: 100, 6: 70, 7: 100 });
    expect(fake.sheet('隐患台账')!.conditionalFormats).toEqual([
      expect.objectContaining({
        booleanRule: expect.objectContaining({ condition: { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: '=$G2="逾期"' }] } }),
      }),
    ]);

    // The next flush finds the tabs and creates nothing.
    await enqueueTabs(t.db, ['opinions']);
    fake.requests.length = 0;
    await flushSheets(t.deps, { sleep: c.sleep });
    expect(fake.requests.map((r) => r.kind)).toEqual(['get', 'valuesBatchUpdate']);
    expect((fake.requests[1]!.body as { data: { range: string }[] }).data.map((d) => d.range)).toEqual([`'群众意见'!A1:E${1 + RANK_UNITS.length + 1 + 3 + 3}`]);
  });

  it.each([
    { outage: 'an hour', hours: 1 },
    { outage: 'a day', hours: 24 },
  ])('survives a 500-for-$outage outage: nothing lost, one batched catch-up, under 60 requests a minute', async ({ hours }) => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    const calls = countCalls(t, c);
    await submit(t, 'mass-feedback', { satisfaction: 'satisfied', aware: true, participated: true, opinion: '第一条意见' }, 'chencang-v1');
    fake.inject({ status: 500 });
    const outageEnds = c.now + hours * 60 * 60_000;
    const statuses: string[] = [];
    let n = 1;
    // The */5 cron, with residents still writing in; Google answers 500 for an hour.
    while (c.now < outageEnds + 60 * 60_000) {
      if (c.now >= outageEnds) fake.clearInjections();
      if (c.now < outageEnds) await submit(t, 'mass-feedback', { satisfaction: 'dissatisfied', aware: false, participated: false, opinion: `停电期间的意见第${++n}条` }, 'zhongshan-east-c2');
      const r = await flushSheets(t.deps, { sleep: c.sleep, random: () => 0.5 });
      statuses.push(r.status);
      if (r.status === 'sent') break;
      c.advance(5 * 60_000 - ((c.now - Date.parse('2014-11-04T02:00:00Z')) % (5 * 60_000)));
    }
    expect(statuses.at(-1)).toBe('sent');
    expect(statuses.filter((s) => s === 'sent')).toHaveLength(1);
    expect(statuses).toContain('backing-off');
    expect(statuses.filter((s) => s === 'failed').length).toBeGreaterThanOrEqual(3);

    // Each failed call was tried MAX_ATTEMPTS times with growing, jittered waits.
    expect(c.sleeps.slice(0, MAX_ATTEMPTS - 1)).toEqual([750, 1500, 3000]);
    const writes = fake.requests.filter((r) => r.kind === 'valuesBatchUpdate' && r.status === 200);
    expect(writes).toHaveLength(1);
    // Every answer counts in the totals; the tab lists the newest 50 opinions, newest first.
    const tab = fake.readTab('群众意见');
    expect(tab.find((r) => r[0] === '全区')?.[1]).toBe(n);
    const all = ['第一条意见', ...Array.from({ length: n - 1 }, (_, i) => `停电期间的意见第${i + 2}条`)];
    const listed = tab.slice(tab.findIndex((r) => r[0] === '日期') + 1).map((r) => r[4]);
    expect(listed).toEqual(all.reverse().slice(0, 50));
    expect(await t.db.select().from(sheetOutbox)).toEqual([]);
    for (const at of calls) expect(calls.filter((x) => x >= at && x < at + 60_000).length).toBeLessThan(60);
  });

  it('honours Retry-After on 429 and then succeeds in the same flush', async () => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    await enqueueTabs(t.db, ['overview']);
    fake.inject({ status: 429, retryAfter: '7', times: 1 });
    const r = await flushSheets(t.deps, { sleep: c.sleep, random: () => 0 });
    expect(r.status).toBe('sent');
    expect(c.sleeps).toEqual([7000]);
    expect(fake.requests.map((q) => [q.kind, q.status])).toEqual([
      ['token', 200],
      ['get', 429],
      ['get', 200],
      ['batchUpdate', 200],
      ['valuesBatchUpdate', 200],
    ]);
  });

  it('does not retry a 400, keeps the jobs and reports the error', async () => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    await enqueueTabs(t.db, ['overview']);
    fake.inject({ status: 403, times: 1 });
    const r = await flushSheets(t.deps, { sleep: c.sleep });
    // The flush also picked up the hazard tab for the new day (deadlines turn overdue at midnight).
    expect(r).toMatchObject({ status: 'failed', pending: 2 });
    expect(c.sleeps).toEqual([]);
    const jobs = await t.db.select().from(sheetOutbox).orderBy(sheetOutbox.id);
    expect(jobs.map((j) => [j.tab, j.attempts])).toEqual([
      ['overview', 1],
      ['hazards', 1],
    ]);
    expect(jobs[0]!.lastError).toContain('403');
    const health = await t.app.request('/healthz?detail=1');
    expect(await health.json()).toEqual({
      ok: true,
      db: 'ok',
      sheets: { configured: true, lastSuccessAt: null, pending: 2, lastError: { at: '2014-11-04T02:00:00.000Z', message: expect.stringContaining('403') } },
    });
    expect(await (await t.app.request('/healthz')).json()).toEqual({ ok: true, db: 'ok' });
  });

  it('clears what shrank in one batchClear, and a full rebuild equals the incremental result', async () => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    await campaignData(t);
    await flushSheets(t.deps, { sleep: c.sleep });

    // A unit deletes a visit that carried an opinion: 群众意见 loses a row, 入户下访 changes numbers.
    const [visit] = await t.db.select({ id: submissions.id }).from(submissions).where(sql`${submissions.payload} like '%法律讲座%'`);
    await t.db.transaction(async (tx) => {
      await tx.update(submissions).set({ deletedAt: c.now }).where(eq(submissions.id, visit!.id));
      await enqueueTabs(tx, ['visits', 'opinions', 'overview'], c.now);
    });
    fake.requests.length = 0;
    await flushSheets(t.deps, { sleep: c.sleep });
    expect(fake.requests.map((r) => r.kind)).toEqual(['get', 'valuesBatchClear', 'valuesBatchUpdate']);
    const total = 1 + RANK_UNITS.length + 1 + 3 + 3;
    expect(fake.requests[1]!.body).toEqual({ ranges: [`'群众意见'!A${total}:E${total}`] });
    const incremental = readAll();
    expect(incremental.opinions!.map((r) => r[4]).filter((x) => x === '希望多开法律讲座')).toEqual([]);

    // Someone scribbles in the sheet; the full rebuild puts back exactly what the database says.
    fake.scribble('隐患台账', 5, 3, '手工修改');
    fake.scribble('总览', 1, 1, '=1+1');
    fake.requests.length = 0;
    const r = await flushSheets(t.deps, { full: true, sleep: c.sleep });
    expect(r).toMatchObject({ status: 'sent', tabs: TAB_IDS });
    expect(fake.requests.map((q) => q.kind)).toEqual(['get', 'valuesBatchClear', 'valuesBatchUpdate']);
    expect(readAll()).toEqual(incremental);
  });

  it('flushes from the */5 cron, and keeps jobs when the sheet is not configured', async () => {
    const t = await makeSheetsApp(fake);
    clock(t);
    await enqueueTabs(t.db, ['overview']);
    const result = await runScheduled(t.deps, '*/5 * * * *', t.deps.now());
    expect(result.jobs).toContainEqual(expect.objectContaining({ name: 'sheets-flush', ok: true }));
    expect(fake.readTab('总览')[0]).toEqual(['项目', '数值']);

    const off = await makeSheetsApp(fake);
    off.deps.sheets = null;
    await enqueueTabs(off.db, ['overview', 'rankings']);
    expect(await flushSheets(off.deps)).toEqual({ status: 'not-configured', pending: 2 });
  });

  it('enqueues one job per tab until a flush claims it, so no change made during a flush is lost', async () => {
    const t = await makeSheetsApp(fake);
    await enqueueTabs(t.db, ['overview', 'overview', 'hazards']);
    await enqueueTabs(t.db, ['overview']);
    expect((await t.db.select({ tab: sheetOutbox.tab }).from(sheetOutbox).orderBy(sheetOutbox.id)).map((r) => r.tab)).toEqual(['overview', 'hazards']);
    // A running flush has claimed them (next_attempt_at set): a new change gets its own job.
    await t.db.update(sheetOutbox).set({ nextAttemptAt: 1 });
    await enqueueTabs(t.db, ['overview']);
    expect(await t.db.select({ tab: sheetOutbox.tab }).from(sheetOutbox)).toHaveLength(3);
    await expect(enqueueTabs(t.db, ['nope' as never])).rejects.toThrow('unknown tab');
  });

  it('serves the same six tabs as an XLSX workbook to leaders and the office only', async () => {
    const t = await makeSheetsApp(fake);
    const c = clock(t);
    await campaignData(t);
    await flushSheets(t.deps, { sleep: c.sleep });
    const sheetTabs = readAll();

    const leader = (await issueAccessCode(t.db, { unitCode: 'office', leader: true })).code;
    const unit = (await issueAccessCode(t.db, { unitCode: 'chencang' })).code;
    expect((await t.app.request('/leader/workbook.xlsx', { headers: { authorization: `Bearer ${unit}` } })).status).toBe(403);
    const anonymous = await t.app.request('/leader/workbook.xlsx');
    expect(anonymous.status).toBe(303);

    const res = await t.app.request('/leader/workbook.xlsx', { headers: { authorization: `Bearer ${leader}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain('pingan-2014-11-04.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(Object.values(TAB_TITLES));
    for (const id of TAB_IDS) {
      const ws = wb.getWorksheet(TAB_TITLES[id])!;
      const rows: unknown[][] = [];
      ws.eachRow({ includeEmpty: true }, (row, i) => {
        const values = Array.from(row.values as unknown[], (v) => v ?? '').slice(1);
        while (values.length && values.at(-1) === '') values.pop();
        rows[i - 1] = values;
      });
      for (let i = 0; i < rows.length; i++) rows[i] ??= [];
      expect(rows, id).toEqual(sheetTabs[id]);
    }
    const hazardRow = wb.getWorksheet('隐患台账')!.getRow(2);
    expect((hazardRow.getCell(1).fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFF4CCCC');
    const text = JSON.stringify(wb.worksheets.map((w) => w.getSheetValues()));
    for (const value of PERSONAL) expect(text, value).not.toContain(value);
  });
});

describe('units the mirror depends on', () => {
  it('knows every seeded unit it names', async () => {
    const t = await makeSheetsApp(fake);
    const names = new Set((await t.db.select({ name: units.name }).from(units)).map((u) => u.name));
    for (const u of RANK_UNITS) expect(names.has(u.name)).toBe(true);
  });
});

// The leaders' 每日排名 tab shows patrol and publicity coverage only while the campaign weights them, as the
// leader page does: a leader reading the sheet sees every figure behind a score.
describe('the ranking tab and the coverage metrics', () => {
  const DAY = '2014-11-06';

  it('has the seven columns of the template, and a 巡逻覆盖 column with each unit\'s figure once the office weights it', async () => {
    const t = await makeSheetsApp(fake, '2014-11-07T02:00:00Z');
    const office = await signIn(t, 'office');
    const header = () => fake.readTab('每日排名')![0];
    await computeSnapshot(t.deps, DAY);
    await enqueueTabs(t.db, ['rankings']);
    await flushSheets(t.deps, { full: true, sleep: async () => {} });
    expect(header()).toEqual(['日期', '分组', '名次', '单位', '得分', '入户走访(%)', '隐患办结(%)', '按期办结(%)', '满意度(%)', '知晓率(%)', '参与率(%)', '任务完成(%)']);

    const template = (await (await office.api('/api/v1/campaign')).json()) as Json;
    const saved = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { rankingWeights: { ...template.rankingWeights, C: 20 } } });
    expect(saved.status).toBe(200);
    await computeSnapshot(t.deps, DAY);
    await enqueueTabs(t.db, ['rankings']);
    await flushSheets(t.deps, { full: true, sleep: async () => {} });
    expect(header()).toEqual(['日期', '分组', '名次', '单位', '得分', '入户走访(%)', '隐患办结(%)', '按期办结(%)', '满意度(%)', '知晓率(%)', '参与率(%)', '任务完成(%)', '巡逻覆盖(%)']);
    // A town has a coverage figure (a share of its villages with a patrol team); a department has none.
    const rows = fake.readTab('每日排名')!.slice(1);
    const town = rows.find((r) => r[1] === '镇街')!;
    const department = rows.find((r) => r[1] === '部门')!;
    expect(typeof town[12]).toBe('number');
    expect(town[12]).toBeGreaterThanOrEqual(0);
    expect(town[12]).toBeLessThanOrEqual(100);
    expect(department[12] ?? '').toBe('');
  });
});
