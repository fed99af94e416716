// The cadre roster: add/edit/deactivate by page and API, CSV import (UTF-8, GBK, a bad line refuses the whole file), other units refused.
import { describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import iconv from 'iconv-lite';
import { cadres, sheetOutbox } from '../../../src/db/schema.ts';
import { parseCsv } from '../../../src/unit/roster/csv.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn, type Session } from '../../helpers/unit-portal.ts';

const rosterOf = (t: TestContext, unit: string) => t.db.select().from(cadres).where(eq(cadres.unitCode, unit)).orderBy(cadres.id);

async function upload(s: Session, bytes: Uint8Array, encoding = 'auto', path = '/unit/cadres/import') {
  const body = new FormData();
  body.set('file', new File([bytes as unknown as BlobPart], 'roster.csv', { type: 'text/csv' }));
  body.set('encoding', encoding);
  return s.page(path, { method: 'POST', body });
}

const GOOD_CSV = [
  '姓名,职务,角色,包抓村社区',
  '王小明,镇干部,干部,陈仓示范村一（演示）',
  '李红,副镇长,单位领导,chencang-v2',
  '"赵,四",包村干部,cadre,陈仓示范村三',
  '',
].join('\r\n');

describe('CSV reading', () => {
  it('reads quoted fields, doubled quotes, CRLF and line numbers, skipping blank lines', () => {
    const rows = parseCsv('a,b\r\n"x, ""y""",z\r\n,,\r\n"multi\nline",w\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, "y"', 'z'] },
      { line: 4, cells: ['multi\nline', 'w'] },
    ]);
  });
});

describe('roster import', () => {
  it('imports a good UTF-8 file (with BOM) with Chinese role labels, names or codes of villages', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const before = (await rosterOf(t, 'chencang')).length;
    const res = await upload(s, new TextEncoder().encode('\uFEFF' + GOOD_CSV));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('done=imported&added=3&updated=0');
    expect(await (await s.page(res.headers.get('location')!)).text()).toContain('导入成功：新增 3 人，更新 0 人。');
    const rows = await rosterOf(t, 'chencang');
    expect(rows).toHaveLength(before + 3);
    expect(rows.slice(-3).map((r) => [r.name, r.post, r.role, r.assignedCode])).toEqual([
      ['王小明', '镇干部', 'cadre', 'chencang-v1'],
      ['李红', '副镇长', 'unit_leader', 'chencang-v2'],
      ['赵,四', '包村干部', 'cadre', 'chencang-v3'],
    ]);
    const page = await (await s.page('/unit/cadres')).text();
    expect(page).toContain('王小明');
    expect(page).toContain('不少于 80 户');
  });

  it('imports a GBK file as Excel saves it, and updates a cadre already on the roster instead of duplicating', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const gbk = iconv.encode(['姓名,职务,角色,包抓村社区', '田敏（演示）,镇党委委员,单位领导,陈仓示范村二（演示）', '孙悟空,镇干部,区级领导,陈仓示范村三（演示）'].join('\r\n'), 'gbk');
    // Not valid UTF-8: the auto mode must fall back to GBK.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk)).toThrow();
    const before = (await rosterOf(t, 'chencang')).length;
    const res = await upload(s, gbk);
    expect(res.status).toBe(303);
    const rows = await rosterOf(t, 'chencang');
    expect(rows).toHaveLength(before + 1);
    expect(rows.find((r) => r.name === '田敏（演示）')).toMatchObject({ post: '镇党委委员', role: 'unit_leader', assignedCode: 'chencang-v2' });
    expect(rows.find((r) => r.name === '孙悟空')).toMatchObject({ role: 'district_leader', assignedCode: 'chencang-v3' });
  });

  it('refuses a whole file with one bad line, naming each bad line in Chinese, and stores nothing', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const before = await rosterOf(t, 'chencang');
    const csv = [
      '姓名,职务,角色,包抓村社区',
      '王小明,镇干部,干部,陈仓示范村一（演示）',
      '李红,副镇长,科长,陈仓示范村二（演示）',
      '周八,镇干部,干部,蟠龙示范村一（演示）',
      ',镇干部,干部,陈仓示范村一',
      '王小明,镇干部,干部,陈仓示范村一',
    ].join('\n');
    const res = await upload(s, new TextEncoder().encode(csv));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('没有导入任何一行');
    expect(html).toContain('第 3 行：角色“科长”无法识别');
    // A town's cadres work in its own villages.
    expect(html).toContain('第 4 行：包抓村社区“蟠龙示范村一（演示）”不在陈仓镇所辖村、社区中');
    expect(html).toContain('第 5 行：姓名为空');
    expect(html).toContain('第 6 行：姓名“王小明”与第 2 行重复');
    expect(html).not.toContain('第 2 行：');
    expect(await rosterOf(t, 'chencang')).toEqual(before);

    // The same through the API: 422 with one error per line.
    const api = await t.app.request('/api/v1/unit/cadres/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${s.code}`, 'content-type': 'text/csv' },
      body: csv,
    });
    expect(api.status).toBe(422);
    const body = (await api.json()) as { error: string; errors: { line: number; message: string }[] };
    expect(body.error).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(await rosterOf(t, 'chencang')).toEqual(before);
  });

  it('lets a department assign cadres to any village or community, and explains a wrong header', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'police');
    const res = await t.app.request('/api/v1/unit/cadres/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${s.code}` },
      body: '姓名,职务,角色,包抓村社区\n钱七,民警,干部,蟠龙示范村二\n',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ added: 1, updated: 0 });
    const bad = await t.app.request('/api/v1/unit/cadres/import', { method: 'POST', headers: { authorization: `Bearer ${s.code}` }, body: 'name,role\nx,y\n' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain('表头缺少');
  });
});

describe('roster pages and API', () => {
  it('adds, edits and deactivates a cadre from the page, with errors beside fields', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'panlong');
    const invalid = await s.post('/unit/cadres', { name: '', post: '', role: 'cadre', assignedCode: 'chencang-v1' });
    expect(invalid.status).toBe(422);
    const html = await invalid.text();
    expect(html).toContain('请填写姓名');
    expect(html).toContain('包抓村社区不在本单位可选范围内');

    const added = await s.post('/unit/cadres', { name: '新干部', post: '镇干部', role: 'cadre', assignedCode: 'panlong-v2' });
    expect(added.status).toBe(303);
    const [row] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'panlong'), eq(cadres.name, '新干部')));
    expect(row).toMatchObject({ role: 'cadre', assignedCode: 'panlong-v2', active: true });

    expect((await s.page(`/unit/cadres/${row!.id}/edit`)).status).toBe(200);
    expect((await s.post(`/unit/cadres/${row!.id}`, { name: '新干部', post: '副镇长', role: 'unit_leader', assignedCode: 'panlong-v1' })).status).toBe(303);
    expect((await s.post(`/unit/cadres/${row!.id}/active`, { active: '0' })).status).toBe(303);
    const after = await t.db.query.cadres.findFirst({ where: eq(cadres.id, row!.id) });
    expect(after).toMatchObject({ post: '副镇长', role: 'unit_leader', assignedCode: 'panlong-v1', active: false });
  });

  it('serves the roster over the API with quotas, and validates', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'xiashi');
    const list = (await (await s.api('/api/v1/unit/cadres')).json()) as { name: string; quota: number; roleLabel: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.find((c) => c.name === '万艳（演示）')).toMatchObject({ quota: 50, roleLabel: '单位领导' });
    const created = await s.api('/api/v1/unit/cadres', { body: { name: '新人', post: '干部', role: '干部', assignedCode: 'xiashi-v1' } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const patched = await s.api(`/api/v1/unit/cadres/${id}`, { method: 'PATCH', body: { role: 'district_leader', active: false } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id, role: 'district_leader', quota: 30, active: false });
    const bad = await s.api('/api/v1/unit/cadres', { body: { name: 'x', role: 'boss', assignedCode: 'nowhere' } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['role', 'assignedCode']);
  });

  it('PATCH writes the details, the active flag and the sheet job together: a failure part-way leaves the cadre as it was', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'xiashi');
    const created = await s.api('/api/v1/unit/cadres', { body: { name: '新人', post: '干部', role: '干部', assignedCode: 'xiashi-v1' } });
    const { id } = (await created.json()) as { id: number };
    const before = await t.db.query.cadres.findFirst({ where: eq(cadres.id, id) });
    // The last write of the change (the sheet job) fails, as a dropped connection would.
    await t.db.run(sql`CREATE TRIGGER fail_outbox BEFORE INSERT ON sheet_outbox BEGIN SELECT RAISE(ABORT, 'connection lost'); END`);
    await t.db.delete(sheetOutbox);
    const failed = await s.api(`/api/v1/unit/cadres/${id}`, { method: 'PATCH', body: { post: '副镇长', active: false } });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await t.db.query.cadres.findFirst({ where: eq(cadres.id, id) })).toEqual(before);
    await t.db.run(sql`DROP TRIGGER fail_outbox`);
    const patched = await s.api(`/api/v1/unit/cadres/${id}`, { method: 'PATCH', body: { post: '副镇长', active: false } });
    expect(patched.status).toBe(200);
    expect(await t.db.query.cadres.findFirst({ where: eq(cadres.id, id) })).toMatchObject({ post: '副镇长', active: false });
    // The leaders' visit-progress tab lists cadres: it is marked stale with the change.
    expect((await t.db.select().from(sheetOutbox)).map((j) => j.tab)).toContain('visits');
  });

  it("refuses to read or change another unit's roster, by page and by API", async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const [other] = await rosterOf(t, 'panlong');
    expect((await s.page('/unit/cadres?unit=panlong')).status).toBe(403);
    expect((await s.page(`/unit/cadres/${other!.id}/edit`)).status).toBe(403);
    expect((await s.post(`/unit/cadres/${other!.id}`, { name: 'x', post: '', role: 'cadre', assignedCode: 'panlong-v1' })).status).toBe(403);
    expect((await s.post(`/unit/cadres/${other!.id}/active`, { active: '0' })).status).toBe(403);
    expect((await s.api('/api/v1/unit/cadres?unit=panlong')).status).toBe(403);
    expect((await s.api(`/api/v1/unit/cadres/${other!.id}`, { method: 'PATCH', body: { active: false } })).status).toBe(403);
    expect((await upload(s, new TextEncoder().encode(GOOD_CSV), 'auto', '/unit/cadres/import?unit=panlong')).status).toBe(403);
    expect(await t.db.query.cadres.findFirst({ where: eq(cadres.id, other!.id) })).toEqual(other);
  });

  it('lets the office read and fix any unit, and a leader only read', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const leader = await signIn(t, 'office', { leader: true });
    expect(await (await office.page('/unit/cadres?unit=panlong')).text()).toContain('谭小龙');
    expect((await office.api('/api/v1/unit/cadres?unit=panlong', { body: { name: '办里加的', role: 'cadre', assignedCode: 'panlong-v1' } })).status).toBe(201);
    const leaderPage = await (await leader.page('/unit/cadres?unit=panlong')).text();
    expect(leaderPage).toContain('谭小龙');
    expect(leaderPage).not.toContain('添加干部');
    expect((await leader.api('/api/v1/unit/cadres?unit=panlong', { body: { name: '领导加的', role: 'cadre', assignedCode: 'panlong-v1' } })).status).toBe(403);
    expect((await rosterOf(t, 'panlong')).map((r) => r.name)).not.toContain('领导加的');
  });
});

describe('roster template', () => {
  it('offers a CSV template that imports back as it is', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'jinhe');
    const res = await s.page('/unit/cadres/template.csv');
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('姓名,职务,角色,包抓村社区\r\n张某某,干部,干部,金河示范村一（演示）\r\n');
    const before = (await rosterOf(t, 'jinhe')).length;
    expect((await upload(s, bytes)).status).toBe(303);
    expect(await rosterOf(t, 'jinhe')).toHaveLength(before + 1);
  });
});
