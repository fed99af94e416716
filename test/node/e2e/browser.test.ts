// End to end in a real browser: Debian's Chromium driven by playwright-core against the real Node server
// (@hono/node-server, embedded file libSQL) at a phone's 375×667. Screenshots go to test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import jsQR from 'jsqr';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../src/db/index.ts';
import { hazards, submissions } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { seedOrganisation } from '../../../src/core/seed.ts';
import organisation from '../../../forms/organisation.ts';
import { startBrowserRun, type BrowserRun } from '../../helpers/browser.ts';

/** The campaign runs in 2014: the server's clock starts on a campaign morning (10:00 Beijing time) and ticks in real time. */
const CAMPAIGN_MORNING = Date.parse('2014-11-04T02:00:00Z');
const TODAY = '2014-11-04';
const VILLAGE = 'chencang-v1';
const TOWN = 'chencang';

let run: BrowserRun;
let db: Db;
let base: string;
let context: BrowserContext;
let page: Page;

const shot = (name: string) => run.shot(name);

/** The Chinese text a person sees in an element. */
const textOf = async (selector: string) => (await page.locator(selector).first().innerText()).trim();

async function signIn(code: string, next: string) {
  await context.clearCookies();
  await page.goto(`${base}/signin?next=${encodeURIComponent(next)}`);
  await page.fill('#code', code);
  await Promise.all([page.waitForURL((u) => u.pathname === next.split('?')[0]), page.click('button[type=submit]:has-text("登录")')]);
}

beforeAll(async () => {
  run = await startBrowserRun({ startsAt: CAMPAIGN_MORNING, prepare: (d) => seedOrganisation(d, organisation) });
  ({ db, base, context, page } = run);
}, 30_000);

afterAll(async () => {
  await run?.close();
});

describe('in Chromium at 375×667', () => {
  it('(a) a resident scans the QR code, makes a mistake, corrects it, gets a receipt and looks it up', async () => {
    // The poster's QR code, drawn by the browser and decoded, is the link the resident follows.
    await page.goto(`${base}/posters/${VILLAGE}`);
    await shot('a-01-poster');
    const pixels = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 400;
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, 400, 400);
      ctx.drawImage(img, 0, 0, 400, 400);
      // Base64 crosses the DevTools protocol in one string; an array of 640,000 numbers takes seconds.
      const bytes = ctx.getImageData(0, 0, 400, 400).data;
      let bin = '';
      for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
      return btoa(bin);
    }, `/qr/hazard-tip.svg?u=${VILLAGE}`);
    const qr = jsQR(new Uint8ClampedArray(Buffer.from(pixels, 'base64')), 400, 400);
    expect(qr?.data).toBe(`${base}/f/hazard-tip?u=${VILLAGE}`);

    await page.goto(qr!.data);
    await expect(page.title()).resolves.toContain('治安隐患举报');
    expect(await page.content()).toContain('所属村（社区）或单位：陈仓示范村一（演示）');
    await shot('a-02-form');

    // The mistake: a one-character place.
    await page.selectOption('#f-category', 'fire');
    await page.fill('#f-place', '桥');
    await page.fill('#f-description', '三组出租屋楼道堆满杂物，消防通道被堵死');
    await page.fill('#f-contactName', '王先生');
    await page.fill('#f-contactPhone', '13912345678');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]:has-text("提交举报")')]);
    await page.waitForSelector('#error-summary');
    expect(await textOf('#f-place-err')).toBe('至少填写2个字');
    expect(await textOf('#error-summary')).toContain('有 1 处需要修改');
    // The cursor is on the field to fix, and what was typed is still there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-place');
    expect(await page.inputValue('#f-description')).toBe('三组出租屋楼道堆满杂物，消防通道被堵死');
    expect(await page.inputValue('#f-contactName')).toBe('王先生');
    await shot('a-03-error-beside-place');
    expect(await db.$count(submissions)).toBe(0);

    await page.fill('#f-place', '陈仓示范村一三组12号出租屋');
    await Promise.all([page.waitForURL(/\/r\/[A-Z0-9]+$/), page.click('button[type=submit]:has-text("提交举报")')]);
    const receipt = (await textOf('p.code')).replace(/\s/g, '');
    expect(receipt).toMatch(/^[A-Z0-9]{10}$/);
    expect(await textOf('h1')).toBe('已收到您的提交');
    await shot('a-04-receipt');

    // Later: the lookup box, then the API the page's status comes from — neither shows personal data.
    await page.goto(`${base}/r`);
    await page.fill('#code', receipt.toLowerCase());
    await Promise.all([page.waitForURL(`${base}/r/${receipt}`), page.click('button[type=submit]:has-text("查询")')]);
    expect(await page.content()).not.toContain('王先生');
    expect(await textOf('.card:has(h2)')).toContain('当前状态');
    await shot('a-05-lookup');
    const api = await page.evaluate(async (code) => (await fetch(`/api/v1/receipts/${code}`)).json(), receipt);
    expect(api).toMatchObject({ form: 'hazard-tip', receipt });
    expect(JSON.stringify(api)).not.toMatch(/王先生|13912345678/);

    const [tip] = await db.select().from(submissions).where(eq(submissions.receipt, receipt));
    expect(tip).toMatchObject({ formId: 'hazard-tip', unitCode: VILLAGE, source: 'public' });
    expect(await db.$count(hazards, eq(hazards.submissionId, tip!.id))).toBe(1);
  }, 40_000);

  it('(b) a liaison signs in with the town\'s access code and records a household visit', async () => {
    const { code } = await issueAccessCode(db, { unitCode: TOWN, label: '陈仓镇联络员' });
    await context.clearCookies();
    await page.goto(`${base}/unit`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await page.fill('#code', code.toLowerCase().replace(/-/g, ''));
    await Promise.all([page.waitForURL(`${base}/unit`), page.click('button[type=submit]:has-text("登录")')]);
    expect(await textOf('h1')).toContain('陈仓镇');
    await shot('b-01-dashboard');

    await Promise.all([page.waitForURL(/\/unit\/forms\/household-visit/), page.click('a:has-text("登记入户下访")')]);
    await shot('b-02-visit-form');
    const cadre = await page.locator('#f-cadre option:not([value=""])').first().getAttribute('value');
    await page.selectOption('#f-cadre', cadre!);
    expect(await page.inputValue('#f-visitDate')).toBe(TODAY);
    await page.selectOption('#f-place', VILLAGE);
    await page.fill('#f-householdHead', '李建国');
    await page.fill('#f-address', '3组15号');
    await page.check('#f-almanac');
    await page.check('#f-aware');
    await page.check('#f-participated-1');
    await page.check('#f-satisfaction');
    await page.fill('#f-opinions', '希望夜间多巡逻');
    await Promise.all([page.waitForURL(/saved=\d+/), page.click('button[type=submit]:has-text("保存这一户")')]);
    expect(await textOf('#saved')).toContain('已保存');
    // The cadre and village stay for the next household; today's list has the visit.
    expect(await page.inputValue('#f-cadre')).toBe(cadre);
    expect(await page.locator('#entries tbody tr').count()).toBe(1);
    await shot('b-03-saved');

    const visits = await db.select().from(submissions).where(and(eq(submissions.formId, 'household-visit'), isNull(submissions.deletedAt)));
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ unitCode: TOWN, source: 'unit', day: TODAY, cadreId: Number(cadre), aware: true, participated: false, satisfaction: 'satisfied' });
    expect(visits[0]!.payload).not.toContain('李建国');

    // Signing out is a POST from the page's button (the CSP and the origin check let it through); the session is gone.
    await Promise.all([page.waitForURL(/\/signin$/), page.click('button[form=signout-form]')]);
    await page.goto(`${base}/unit`);
    expect(new URL(page.url()).pathname).toBe('/signin');
  }, 40_000);

  it('(c) the office assigns the hazard with a deadline, the town reports it fixed, the office closes it out', async () => {
    const [hazard] = await db.select().from(hazards);
    expect(hazard, 'the hazard from the resident\'s tip in (a)').toBeTruthy();
    const admin = await issueAccessCode(db, { unitCode: 'office', label: '综治办' });
    const town = await issueAccessCode(db, { unitCode: TOWN, label: '陈仓镇联络员' });

    await signIn(admin.code, '/admin/hazards');
    expect(await page.content()).toContain(hazard!.number);
    await shot('c-01-office-triage');
    await Promise.all([page.waitForURL(`${base}/admin/hazards/${hazard!.id}`), page.click(`a:has-text("${hazard!.number}")`)]);
    await page.selectOption('#assign-leadUnit', TOWN);
    await page.fill('#assign-date', '2014-11-11');
    await page.fill('#assign-note', '请三日内清理楼道杂物');
    await shot('c-02-assign-form');
    await Promise.all([page.waitForURL(/done=assign/), page.click('#act-assign button[type=submit]')]);
    expect(await textOf('[role=status]')).toContain('已交办');
    await shot('c-03-assigned');

    await signIn(town.code, '/unit/hazards');
    expect(await page.content()).toContain(hazard!.number);
    await shot('c-04-town-list');
    await Promise.all([page.waitForURL(/done=accept/), page.click(`form:has-text("${hazard!.number}") button:has-text("签收")`)]);
    await page.fill('#report_fixed-note', '已清理楼道杂物，消防通道畅通');
    await shot('c-05-report-fixed-form');
    await Promise.all([page.waitForURL(/done=report_fixed/), page.click('#act-report_fixed button[type=submit]')]);
    expect(await page.content()).toContain('已整改，待核查');
    await shot('c-06-reported-fixed');

    await signIn(admin.code, `/admin/hazards/${hazard!.id}`);
    await page.fill('#close-note', '现场核查属实，予以销号');
    await Promise.all([page.waitForURL(/done=close/), page.click('#act-close button[type=submit]')]);
    expect(await textOf('[role=status]')).toContain('已销号');
    await shot('c-07-closed-out');

    const [after] = await db.select().from(hazards).where(eq(hazards.id, hazard!.id));
    expect(after).toMatchObject({ state: 'closed', leadUnitCode: TOWN, deadline: '2014-11-11' });

    // The resident's receipt now says so.
    const [tip] = await db.select().from(submissions).where(eq(submissions.id, hazard!.submissionId!));
    await context.clearCookies();
    await page.goto(`${base}/r/${tip!.receipt}`);
    // In the resident's words, not the office's 已销号.
    expect(await textOf('.card:has(h2)')).toContain('当前状态：已整改完毕');
    await shot('c-08-receipt-closed');
    // …and asks whether it really is fixed: the resident confirms with one tap.
    await Promise.all([page.waitForURL(/feedback=fixed/), page.click('button[name=fixed][value=yes]')]);
    // The thanks is at the top, where the resident who tapped sees it, not below the fold.
    expect(await textOf('main > [role=status]')).toContain('感谢您确认整改到位');
    await shot('c-09-resident-confirms');
    expect((await db.select().from(hazards).where(eq(hazards.id, hazard!.id)))[0]!.state).toBe('closed');
  }, 40_000);

  it('(d) the office lowers the cadres\' visit quota on the campaign page and a liaison sees it on the dashboard', async () => {
    const office = await issueAccessCode(db, { unitCode: 'office', label: '综治办' });
    await signIn(office.code, '/admin/campaign');
    expect(await textOf('h1')).toBe('活动设置');
    expect(await page.inputValue('#f-visitQuotas-cadre')).toBe('80');
    await shot('d-01-campaign-settings');
    // A mistake first: the page keeps what was typed and says what is wrong beside the field.
    await page.fill('#f-visitQuotas-cadre', '6.5');
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button[type=submit]:has-text("保存设置")')]);
    expect(await textOf('#f-visitQuotas-cadre-err')).toContain('整数');
    expect(await page.inputValue('#f-visitQuotas-cadre')).toBe('6.5');
    await page.fill('#f-visitQuotas-cadre', '60');
    await Promise.all([page.waitForURL(/saved=1/), page.click('button[type=submit]:has-text("保存设置")')]);
    expect(await textOf('[role=status]')).toContain('设置已保存');
    await shot('d-02-saved');

    const town = await issueAccessCode(db, { unitCode: TOWN, label: '陈仓镇联络员' });
    await signIn(town.code, '/unit');
    const rows = await page.locator('td:has-text(" / ")').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.includes('/ 60'))).toBe(true);
    expect(rows.some((r) => r.includes('/ 80'))).toBe(false);
    await shot('d-03-dashboard-quota');
  }, 40_000);

  it('(e) the office adds a question to the residents\' form, previews and publishes it, and a resident answers it', async () => {
    const office = await issueAccessCode(db, { unitCode: 'office', label: '综治办' });
    await signIn(office.code, '/admin/forms');
    await Promise.all([page.waitForURL(`${base}/admin/forms/mass-feedback`), page.click('a:has-text("平安建设群众满意度调查")')]);
    // The blank row after the six questions is the new one.
    await page.fill('#e-fields-6--label', '您家安装烟感报警器了吗？');
    await page.fill('#e-fields-6--name', 'smokeAlarm');
    await page.selectOption('#e-fields-6--type', 'choice');
    await page.fill('#e-fields-6--order', '4');
    await page.fill('#e-fields-6--options', 'yes|已安装\nno|没有');
    await page.fill('#e-note', '增加烟感报警器');
    await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('button:has-text("预览")')]);
    expect(await textOf('.preview')).toContain('您家安装烟感报警器了吗？');
    await shot('e-01-form-preview');
    await Promise.all([page.waitForURL(/published=1/), page.click('button:has-text("发布新版本")')]);
    expect(await textOf('[role=status]')).toContain('已发布第 2 版');
    await page.goto(`${base}/admin/forms/mass-feedback/versions`);
    expect(await textOf('#changes')).toContain('新增问题“您家安装烟感报警器了吗？”');

    await context.clearCookies();
    await page.goto(`${base}/f/mass-feedback?u=${VILLAGE}`);
    await page.check('#f-satisfaction');
    await page.check('#f-aware');
    await page.check('#f-participated-1');
    await page.check('#f-smokeAlarm');
    await shot('e-02-resident-answers');
    await Promise.all([page.waitForURL(/\/r\/[A-Z0-9]+$/), page.click('button[type=submit]:has-text("提交意见")')]);
    const [row] = await db.select().from(submissions).where(eq(submissions.formId, 'mass-feedback'));
    expect(row!.formVersion).toBe(2);
    expect(JSON.parse(row!.payload)).toMatchObject({ smokeAlarm: 'yes' });
  }, 40_000);
});
