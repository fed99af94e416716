// A hazard's optional place: posted by the JSON API and the form pages, checked (422 in Chinese), stored apart in the
// submission's one batch, shown with 高德/百度 links, and tips 150 m apart offered as duplicates while 500 m apart are not.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardLocations, hazards, submissions } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { degreesAround, mapLinks } from '../../../src/lib/geo.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { pageToken, postForm, postJson, VALID } from '../../helpers/public-forms.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const HERE = { lat: 34.361234, lng: 107.237891, accuracy: 12 };

async function tip(t: TestContext, body: Record<string, unknown>, key?: string) {
  const res = await postJson(t, '/api/v1/forms/hazard-tip/submissions', body, key ? { 'idempotency-key': key } : {});
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function hazardOf(t: TestContext, submissionId: number) {
  return (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, submissionId) }))!;
}

async function adminGet(t: TestContext, path: string) {
  const { code } = await issueAccessCode(t.db, { unitCode: 'office' });
  const res = await t.app.request(path, { headers: { authorization: `Bearer ${code}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('a tip with a location', () => {
  it('is stored beside its hazard, and the office reads it with 高德 and 百度 links at the converted point', async () => {
    const t = await makeTestApp();
    const r = await tip(t, { ...VALID['hazard-tip'], location: HERE });
    expect(r.status).toBe(201);
    const hazard = await hazardOf(t, r.body.id as number);
    const rows = await t.db.select().from(hazardLocations);
    expect(rows).toEqual([{ id: 1, hazardId: hazard.id, kind: 'report', lat: HERE.lat, lng: HERE.lng, accuracy: 12, at: Date.parse('2014-11-04T02:00:00Z') }]);
    // Not an answer: the submission's payload never carries it.
    const [sub] = await t.db.select().from(submissions);
    expect(sub!.payload).not.toContain('34.36');

    const detail = await adminGet(t, `/api/v1/admin/hazards/${hazard.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.location).toEqual({ kind: 'report', lat: HERE.lat, lng: HERE.lng, accuracy: 12, at: '2014-11-04T02:00:00.000Z', mapLinks: mapLinks(HERE, '隐患位置') });
    expect(detail.body.fixLocation).toBeNull();
  });

  it('refuses a location out of range with one 422 naming each part, and stores nothing', async () => {
    const t = await makeTestApp();
    const r = await tip(t, { ...VALID['hazard-tip'], location: { lat: 91, lng: 'east', accuracy: -1 } });
    expect(r.status).toBe(422);
    expect(r.body.error).toBe('VALIDATION_FAILED');
    expect(r.body.errors).toEqual([
      { field: 'location.lat', message: '纬度（lat）应为 -90 到 90 之间的数字' },
      { field: 'location.lng', message: '经度（lng）应为 -180 到 180 之间的数字' },
      { field: 'location.accuracy', message: '精度（accuracy）应为 0 到 10000 之间的米数' },
    ]);
    const notObject = await tip(t, { ...VALID['hazard-tip'], location: [1, 2] });
    expect(notObject.body.errors).toEqual([{ field: 'location', message: '位置应为 {lat, lng, accuracy} 对象' }]);
    expect(await t.db.select().from(submissions)).toEqual([]);
    expect(await t.db.select().from(hazardLocations)).toEqual([]);
  });

  it('is refused on a form that keeps no place, and documented in the schema of the forms that do', async () => {
    const t = await makeTestApp();
    const res = await postJson(t, '/api/v1/forms/mass-feedback/submissions', { ...VALID['mass-feedback'], location: HERE });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown }).errors).toEqual([{ field: 'location', message: '这个表单不记录位置' }]);
    const forms = (await (await t.app.request('/api/v1/forms')).json()) as { id: string; schema: { properties: Record<string, unknown> } }[];
    const location = forms.find((f) => f.id === 'hazard-tip')!.schema.properties.location as { required: string[]; properties: Record<string, { minimum: number; maximum: number }> };
    expect(location.required).toEqual(['lat', 'lng', 'accuracy']);
    expect(location.properties.lat).toMatchObject({ minimum: -90, maximum: 90 });
    expect(forms.find((f) => f.id === 'hazard-ledger')!.schema.properties.location).toBeDefined();
    expect(forms.find((f) => f.id === 'mass-feedback')!.schema.properties.location).toBeUndefined();
  });

  it('comes from the tip page as hidden fields, kept across a page with errors; a broken one is a 422 beside the block', async () => {
    const t = await makeTestApp();
    const page = await (await t.app.request('/f/hazard-tip')).text();
    expect(page).toContain('使用我的位置');
    expect(page).toContain('<script src="/assets/location.js" defer');
    expect(page).toMatch(/name="_lat" value=""/);
    // No place on the other public forms.
    expect(await (await t.app.request('/f/mass-feedback')).text()).not.toContain('使用我的位置');

    const hidden = { _lat: '34.361234', _lng: '107.237891', _accuracy: '12' };
    const missing = await postForm(t, '/f/hazard-tip', { _token: await pageToken(t, '/f/hazard-tip'), category: 'fire', place: '', description: '', ...hidden }, { files: {} });
    expect(missing.status).toBe(422);
    const again = await missing.text();
    expect(again).toMatch(/name="_lat" value="34.361234"/);
    expect(again).toContain('已记录位置（精度约 12 米）');

    const broken = await postForm(t, '/f/hazard-tip', { _token: await pageToken(t, '/f/hazard-tip'), ...VALID['hazard-tip'], _lat: '34.3', _lng: '', _accuracy: '12' }, { files: {} });
    expect(broken.status).toBe(422);
    expect(await broken.text()).toContain('定位信息无效');

    const ok = await postForm(t, '/f/hazard-tip', { _token: await pageToken(t, '/f/hazard-tip'), ...VALID['hazard-tip'], ...hidden }, { files: {} });
    expect(ok.status).toBe(303);
    const rows = await t.db.select().from(hazardLocations);
    expect(rows.map((r) => [r.lat, r.lng, r.accuracy, r.kind])).toEqual([[34.361234, 107.237891, 12, 'report']]);
    // Without the block's fields (no JavaScript, or no permission) the tip is stored without a place.
    const none = await postForm(t, '/f/hazard-tip', { _token: await pageToken(t, '/f/hazard-tip'), ...VALID['hazard-tip'], place: '别处' }, { files: {} });
    expect(none.status).toBe(303);
    expect(await t.db.select().from(hazardLocations)).toHaveLength(1);
  });

  it('serves the location script as a same-origin file', async () => {
    const t = await makeTestApp();
    const res = await t.app.request('/assets/location.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
    expect(await res.text()).toContain('getCurrentPosition');
  });
});

describe('duplicates by distance', () => {
  it('offers a tip 150 m away of the same category, not one 500 m away, nor one of another category', async () => {
    const t = await makeTestApp();
    const north = (m: number) => ({ ...HERE, lat: HERE.lat + degreesAround(HERE.lat, m).dLat });
    const a = await tip(t, { ...VALID['hazard-tip'], place: '东风路口', location: HERE });
    const b = await tip(t, { ...VALID['hazard-tip'], place: '菜市场后门', location: north(150) });
    await tip(t, { ...VALID['hazard-tip'], place: '学校东墙', location: north(500) });
    await tip(t, { ...VALID['hazard-tip'], category: 'fire', place: '加油站旁', location: north(50) });
    const hazardA = await hazardOf(t, a.body.id as number);
    const hazardB = await hazardOf(t, b.body.id as number);
    const detail = await adminGet(t, `/api/v1/admin/hazards/${hazardA.id}`);
    const duplicates = detail.body.duplicates as { id: number; distanceMetres?: number }[];
    expect(duplicates.map((d) => [d.id, d.distanceMetres])).toEqual([[hazardB.id, 150]]);

    const page = await (async () => {
      const s = await signIn(t, 'office');
      return (await s.page(`/admin/hazards/${hazardA.id}`)).text();
    })();
    expect(page).toContain(hazardB.number);
    expect(page).toContain('相距约 150 米');
  });
});

describe('a ledger row with a location', () => {
  it('is stored from the unit API and the unit page, and shown on the unit hazard page with map links', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const body = {
      category: 'rental-housing', village: 'chencang-v2', address: '陈仓示范村二4组出租屋', description: '消防通道堵塞', foundBy: '韩春生',
      foundOn: '2014-11-03', handling: 'deadline', plan: '清理杂物，设置警示标志', deadline: '2014-11-10',
    };
    const bad = await s.api('/api/v1/unit/forms/hazard-ledger/submissions', { body: { ...body, location: { lat: 34, lng: 200, accuracy: 5 } } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: unknown }).errors).toEqual([{ field: 'location.lng', message: '经度（lng）应为 -180 到 180 之间的数字' }]);
    const created = await s.api('/api/v1/unit/forms/hazard-ledger/submissions', { body: { ...body, location: HERE } });
    expect(created.status).toBe(201);
    const hazard = await hazardOf(t, ((await created.json()) as { id: number }).id);
    const [row] = await t.db.select().from(hazardLocations);
    expect([row!.hazardId, row!.kind]).toEqual([hazard.id, 'report']);

    const form = await (await s.page('/unit/forms/hazard-ledger')).text();
    expect(form).toContain('使用我的位置');
    const fields: Record<string, string> = { ...body, _token: /name="_token" value="([^"]+)"/.exec(form)![1]!, _lat: '34.37', _lng: '107.24', _accuracy: '30', address: '另一处' };
    const saved = await s.post('/unit/forms/hazard-ledger', fields);
    expect(saved.status).toBe(303);
    expect(await t.db.select().from(hazardLocations)).toHaveLength(2);

    const unitPage = await (await s.page(`/unit/hazards/${hazard.id}`)).text();
    expect(unitPage).toContain('34.361234, 107.237891');
    expect(unitPage).toContain('https://uri.amap.com/marker?position=');
    expect(unitPage).toContain('https://api.map.baidu.com/marker?location=');
    expect(unitPage).toContain('在整改现场点“使用我的位置”');

    // The fix report carries where the unit stood, in the move's own batch; a broken one stores neither.
    const broken = await s.post(`/unit/hazards/${hazard.id}/transitions`, { action: 'report_fixed', note: '已清理', _lat: 'x', _lng: '107.2', _accuracy: '8' });
    expect(broken.status).toBe(422);
    expect((await t.db.query.hazards.findFirst({ where: eq(hazards.id, hazard.id) }))!.state).toBe('rectifying');
    const fixed = await s.post(`/unit/hazards/${hazard.id}/transitions`, { action: 'report_fixed', note: '已清理', _lat: '34.3615', _lng: '107.2381', _accuracy: '8' });
    expect(fixed.status).toBe(303);
    expect((await t.db.query.hazards.findFirst({ where: eq(hazards.id, hazard.id) }))!.state).toBe('fixed_reported');
    const fix = (await t.db.select().from(hazardLocations).where(eq(hazardLocations.kind, 'fix')))[0]!;
    expect([fix.hazardId, fix.lat, fix.lng, fix.accuracy]).toEqual([hazard.id, 34.3615, 107.2381, 8]);
    const office = await adminGet(t, `/api/v1/admin/hazards/${hazard.id}`);
    expect((office.body.fixLocation as { lat: number }).lat).toBe(34.3615);
    const officePage = await (await (await signIn(t, 'office')).page(`/admin/hazards/${hazard.id}`)).text();
    expect(officePage).toContain('报告整改时的位置');
    expect(officePage).toContain('34.361500, 107.238100');
  });
});

describe('a fix report over the API', () => {
  it('takes a location on report_fixed only, in the move\'s batch', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const body = {
      category: 'rental-housing', village: 'chencang-v2', address: '陈仓示范村二4组', description: '消防通道堵塞', foundBy: '韩春生',
      foundOn: '2014-11-03', handling: 'deadline', plan: '清理杂物', deadline: '2014-11-10',
    };
    const created = await s.api('/api/v1/unit/forms/hazard-ledger/submissions', { body });
    const hazard = await hazardOf(t, ((await created.json()) as { id: number }).id);
    const path = `/api/v1/unit/hazards/${hazard.id}/transitions`;
    const wrongMove = await s.api(path, { body: { action: 'progress', note: '进行中', location: HERE } });
    expect(wrongMove.status).toBe(422);
    expect(((await wrongMove.json()) as { errors: unknown }).errors).toEqual([{ field: 'location', message: '只有报告整改完成时可以附带位置' }]);
    const bad = await s.api(path, { body: { action: 'report_fixed', note: '已清理', location: { lat: 34.3, lng: 107.2 } } });
    expect(bad.status).toBe(422);
    expect((await t.db.query.hazards.findFirst({ where: eq(hazards.id, hazard.id) }))!.state).toBe('rectifying');
    const ok = await s.api(path, { body: { action: 'report_fixed', note: '已清理', location: HERE } });
    expect(ok.status).toBe(200);
    const rows = await t.db.select().from(hazardLocations).where(eq(hazardLocations.kind, 'fix'));
    expect(rows.map((r) => [r.hazardId, r.lat, r.lng, r.accuracy])).toEqual([[hazard.id, HERE.lat, HERE.lng, HERE.accuracy]]);
    const detail = (await (await s.api(`/api/v1/unit/hazards/${hazard.id}`)).json()) as { fixLocation: { mapLinks: unknown } };
    expect(detail.fixLocation.mapLinks).toEqual(mapLinks(HERE, '整改位置'));
  });
});
