// The office edits the campaign: the API and the page, field-by-field refusals that change nothing,
// versions with who and when, and the next campaign.
import { describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { campaigns, campaignVersions } from '../../../src/db/schema.ts';
import { ensureCampaign } from '../../../src/campaign/store.ts';
import { templateSettings } from '../../../src/campaign/settings.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

async function withCampaign(t: TestContext) {
  await ensureCampaign(t.db, templateSettings(), t.deps.now().getTime(), 'test');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

const versionsOf = async (t: TestContext) => (await t.db.select({ n: count() }).from(campaignVersions))[0]!.n;

describe('the campaign API', () => {
  it('reads the template from forms/ before the office has saved anything', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/api/v1/campaign');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ id: 0, version: 0, startDate: '2014-10-29', endDate: '2014-11-30', brand: '平安金台', office: '区综治办' });
    expect(body.rankingWeights).toEqual({ V: 25, H: 15, T: 10, S: 20, A: 10, P: 5, G: 15 });
    expect(body.tasks.find((x: { id: string }) => x.id === 'towns-wall-slogans')).toMatchObject({ unitKind: 'town', target: 30 });
    expect(body.tasks.find((x: { id: string }) => x.id === 'police-venue-checks')).toMatchObject({ unit: 'police', target: 100 });
  });

  it('saves a partial edit as the next version, with who and when', async () => {
    const t = await makeTestApp();
    await withCampaign(t);
    const office = await signIn(t, 'office');
    const res = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { visitQuotas: { district_leader: 30, unit_leader: 50, cadre: 60 }, rankingThreshold: 70 } });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ version: 2, rankingThreshold: 70, visitQuotas: { cadre: 60 }, name: templateSettings().name });
    const [v2] = await t.db.select().from(campaignVersions).where(eq(campaignVersions.version, 2));
    expect(v2!.savedBy).toBe(`office#${office.codeId}`);
    expect(v2!.savedAt).toBe(t.deps.now().getTime());
    expect(JSON.parse(v2!.settings).visitQuotas.cadre).toBe(60);
    expect((await json(await t.app.request('/api/v1/campaign'))).visitQuotas.cadre).toBe(60);
  });

  const BAD: { name: string; patch: Record<string, unknown>; field: string; message: RegExp }[] = [
    { name: 'end before start', patch: { startDate: '2014-11-30', endDate: '2014-11-01' }, field: 'endDate', message: /不能早于开始日期/ },
    { name: 'a deadline outside the window', patch: { deadlines: [{ id: 'x', label: '汇总', date: '2015-01-05' }] }, field: 'deadlines[0].date', message: /活动期内/ },
    { name: 'a negative weight', patch: { rankingWeights: { V: -5, H: 15, T: 10, S: 20, A: 10, P: 5, G: 15 } }, field: 'rankingWeights.V', message: /0 到 1000/ },
    { name: 'weights that sum to 0', patch: { rankingWeights: { V: 0, H: 0, T: 0, S: 0, A: 0, P: 0, G: 0 } }, field: 'rankingWeights', message: /之和必须大于 0/ },
    { name: 'a quota that is not a whole number', patch: { visitQuotas: { district_leader: 30, unit_leader: 50, cadre: 7.5 } }, field: 'visitQuotas.cadre', message: /整数/ },
    { name: 'a task without a target', patch: { tasks: [{ id: 't1', owner: 'towns', title: '张贴标语' }] }, field: 'tasks[0].target', message: /目标数/ },
    { name: 'an unknown setting', patch: { colour: 'red' }, field: 'colour', message: /不认识/ },
    { name: 'an empty name', patch: { name: '  ' }, field: 'name', message: /不能为空/ },
  ];
  for (const c of BAD) {
    it(`refuses ${c.name} field by field and changes nothing`, async () => {
      const t = await makeTestApp();
      await withCampaign(t);
      const office = await signIn(t, 'office');
      const before = await json(await t.app.request('/api/v1/campaign'));
      const res = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: c.patch });
      expect(res.status).toBe(422);
      const body = await json(res);
      expect(body.error).toBe('VALIDATION_FAILED');
      const hit = body.errors.find((e: { field: string }) => e.field === c.field);
      expect(hit, JSON.stringify(body.errors)).toBeDefined();
      expect(hit.message).toMatch(c.message);
      expect(await json(await t.app.request('/api/v1/campaign'))).toEqual(before);
      expect(await versionsOf(t)).toBe(1);
    });
  }

  it('lets only the office edit; leaders and units are refused', async () => {
    const t = await makeTestApp();
    await withCampaign(t);
    for (const who of [await signIn(t, 'chencang'), await signIn(t, 'office', { leader: true })]) {
      const res = await who.api('/api/v1/admin/campaign', { method: 'PUT', body: { rankingThreshold: 10 } });
      expect(res.status).toBe(403);
    }
    expect((await t.app.request('/api/v1/admin/campaign', { method: 'PUT', body: '{}' })).status).toBe(401);
    expect((await json(await t.app.request('/api/v1/campaign'))).rankingThreshold).toBe(60);
  });

  it('refuses a save based on an overtaken version (If-Match) with 409', async () => {
    const t = await makeTestApp();
    await withCampaign(t);
    const office = await signIn(t, 'office');
    expect((await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { rankingThreshold: 65 } })).status).toBe(200);
    const res = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { rankingThreshold: 70 }, headers: { 'if-match': '1' } });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toBe('STALE_EDIT');
    expect((await json(await t.app.request('/api/v1/campaign'))).rankingThreshold).toBe(65);
  });

  it('starts the next campaign with the settings copied and the deadlines moved with its start', async () => {
    const t = await makeTestApp();
    await withCampaign(t);
    const office = await signIn(t, 'office');
    const bad = await office.api('/api/v1/admin/campaigns', { body: { name: '', startDate: '2015-10-29', endDate: '2015-10-01' } });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors.map((e: { field: string }) => e.field).sort()).toEqual(['endDate', 'name']);

    const res = await office.api('/api/v1/admin/campaigns', { body: { name: '2015年平安建设宣传月', startDate: '2015-10-29', endDate: '2015-11-30' } });
    expect(res.status).toBe(201);
    const next = await json(res);
    expect(next).toMatchObject({ version: 1, name: '2015年平安建设宣传月', startDate: '2015-10-29', endDate: '2015-11-30', brand: '平安金台' });
    expect(next.deadlines.find((d: { id: string }) => d.id === 'hazard-ledger').date).toBe('2015-11-15');
    expect(next.tasks).toHaveLength(templateSettings().tasks.length);

    const list = await json(await office.api('/api/v1/admin/campaigns'));
    expect(list.map((c: { name: string; current: boolean }) => [c.name, c.current])).toEqual([
      ['2015年平安建设宣传月', true],
      [templateSettings().name, false],
    ]);
    expect((await t.db.select({ n: count() }).from(campaigns).where(eq(campaigns.current, 1)))[0]!.n).toBe(1);
    expect((await json(await t.app.request('/api/v1/campaign'))).id).toBe(next.id);
  });
});

describe('the campaign page', () => {
  it('saves the form, shows the brand it sets, and keeps a bad edit with errors beside the fields', async () => {
    const t = await makeTestApp();
    await withCampaign(t);
    const office = await signIn(t, 'office');
    const page = await office.page('/admin/campaign');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('name="visitQuotas.cadre" type="text" class="num" value="80"');

    const form = await formFields(html);
    const bad = await office.post('/admin/campaign', { ...form, 'visitQuotas.cadre': '8.5', endDate: '2014-10-01' });
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(badHtml).toContain('value="8.5"');
    expect(badHtml).toMatch(/id="f-visitQuotas-cadre-err">[^<]*整数/);
    expect(badHtml).toMatch(/id="f-endDate-err">结束日期不能早于开始日期/);
    expect(await versionsOf(t)).toBe(1);

    const ok = await office.post('/admin/campaign', { ...form, 'visitQuotas.cadre': '60', brand: '平安新区' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin/campaign?saved=1');
    const after = await (await office.page('/admin/campaign?saved=1')).text();
    expect(after).toContain('设置已保存');
    expect(after).toContain('<title>活动设置 · 平安新区</title>');
    expect((await json(await t.app.request('/api/v1/campaign'))).visitQuotas.cadre).toBe(60);
  });
});

/** The form's fields as a browser would send them (inputs, selected options, textareas). */
async function formFields(html: string): Promise<Record<string, string>> {
  const form = html.slice(html.indexOf('action="/admin/campaign"'), html.indexOf('</form>'));
  const out: Record<string, string> = {};
  const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
  for (const m of form.matchAll(/<input[^>]*?name="([^"]+)"[^>]*?value="([^"]*)"/g)) out[m[1]!] = decode(m[2]!);
  for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const sel = /<option value="([^"]*)" selected/.exec(m[2]!);
    out[m[1]!] = sel ? sel[1]! : (/<option value="([^"]*)"/.exec(m[2]!)?.[1] ?? '');
  }
  for (const m of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) out[m[1]!] = decode(m[2]!);
  return out;
}
