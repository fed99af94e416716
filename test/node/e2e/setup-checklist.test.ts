// A new district goes live in Chromium: the office follows the first-run checklist on /admin — imports its
// organisation from a spreadsheet (preview, then apply), sets its name and dates, issues every unit's code,
// prints the posters and adds a notification channel — and watches each step tick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Db } from '../../../src/db/index.ts';
import { units } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { ensureCampaign } from '../../../src/campaign/store.ts';
import { templateSettings } from '../../../src/campaign/settings.ts';
import { writeXlsx } from '../../../src/lib/xlsx.ts';
import { startBrowserRun, type BrowserRun } from '../../helpers/browser.ts';

const MORNING = Date.parse('2014-11-04T02:00:00Z');

let run: BrowserRun;
let db: Db;
let base: string;
let page: Page;

const shot = (name: string) => run.shot(name);
const done = async () => page.locator('#checklist li[data-done="1"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));

beforeAll(async () => {
  run = await startBrowserRun({
    startsAt: MORNING,
    // A district on its first day: the office unit and the template campaign, nothing else.
    prepare: async (d) => {
      await d.insert(units).values({ code: 'office', name: '新区综治办', kind: 'office' });
      await ensureCampaign(d, templateSettings(), MORNING, 'cli');
    },
  });
  ({ db, base, page } = run);
}, 30_000);

afterAll(async () => {
  await run?.close();
});

describe('in Chromium at 375×667', () => {
  it('a new office walks through the first-run checklist', async () => {
    const office = await issueAccessCode(db, { unitCode: 'office', label: '综治办' });
    await page.goto(`${base}/signin?next=/admin`);
    await page.fill('#code', office.code);
    await Promise.all([page.waitForURL((u) => u.pathname === '/admin'), page.click('button[type=submit]:has-text("登录")')]);
    expect(await page.locator('#checklist li').count()).toBe(6);
    expect(await done()).toEqual([]);
    await shot('setup-01-checklist');

    // The organisation: a file with a mistake is refused row by row, the corrected one previewed, then applied.
    await Promise.all([page.waitForURL(/\/admin\/organisation$/), page.click('#checklist a:has-text("导入组织架构")')]);
    const rows = [
      ['代码', '名称', '类型', '上级代码', '人口'],
      ['town1', '东镇', '镇', 'office', ''],
      ['town1-v1', '东村', '村', 'town1', 800],
      ['street1', '西街道', '街道', '', ''],
      ['street1-c1', '西社区', '社区', 'street1', 2400],
      ['dept1', '区公安分局', '区级部门', '', ''],
    ];
    const bad = await writeXlsx([{ name: '单位', rows: [...rows, ['v9', '坏村', '村', 'dept1', '很多']] }]);
    await page.setInputFiles('#file', { name: 'org.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(bad) });
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button:has-text("预览")')]);
    const errors = await page.locator('#import-errors li').allInnerTexts();
    expect(errors).toEqual(['第 7 行“人口”：人口“很多”不是整数', '第 7 行“上级代码”：村不能隶属于区级部门“dept1”，上级应为镇或街道']);
    await shot('setup-02-refused');
    const good = await writeXlsx([{ name: '单位', rows }]);
    await page.setInputFiles('#file', { name: 'org.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from(good) });
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button:has-text("预览")')]);
    expect(await page.locator('#import-preview').innerText()).toContain('新建 5 个');
    await shot('setup-03-preview');
    await Promise.all([page.waitForURL(/imported=1/), page.click('button:has-text("确认导入")')]);
    expect(await page.locator('table').innerText()).toContain('东村');

    // Codes for every unit at once, printed as slips.
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button:has-text("发放并打印访问码单")')]);
    expect(await page.locator('.slip').count()).toBe(3);
    await shot('setup-04-slips');

    // Posters for every unit.
    await page.goto(`${base}/admin/organisation/posters`);
    await Promise.all([page.waitForURL(/town=all/), page.click('button:has-text("显示")')]);
    expect(await page.locator('.poster').count()).toBe(5);

    // Name, brand and dates on the campaign page.
    await page.goto(`${base}/admin`);
    expect(await done()).toEqual(['organisation', 'codes', 'posters']);
    await Promise.all([page.waitForURL(/\/admin\/campaign/), page.click('#checklist a:has-text("填写地区名称和简称")')]);
    await page.fill('#f-district', '新区');
    await page.fill('#f-brand', '平安新区');
    await page.fill('#f-startDate', '2014-11-05');
    await page.fill('#f-endDate', '2014-12-08');
    await Promise.all([page.waitForURL(/saved=1/), page.click('button[type=submit]:has-text("保存设置")')]);

    // A notification channel (the API the notifications page posts to).
    const res = await page.request.post(`${base}/api/v1/admin/channels`, { headers: { authorization: `Bearer ${office.code}` }, data: { unit: 'office', kind: 'sms', phones: ['13800000001'] } });
    expect(res.status()).toBe(201);

    await page.goto(`${base}/admin`);
    expect(await page.locator('#checklist').count()).toBe(0);
    await shot('setup-05-ready');
  }, 60_000);
});
