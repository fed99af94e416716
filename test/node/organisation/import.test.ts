// Importing a district's organisation from a spreadsheet: XLSX and GB18030 CSV, refused files change nothing,
// re-imports keep every record, units are deactivated and never deleted.
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { eq } from 'drizzle-orm';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOrgCommand } from '../../../src/organisation/command.ts';
import { auditEvents, cadres, submissions, units } from '../../../src/db/schema.ts';
import { writeXlsx } from '../../../src/lib/xlsx.ts';
import { issueAccessCode, verifyAccessCode } from '../../../src/auth/codes.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { SAME_ORIGIN, signIn } from '../../helpers/unit-portal.ts';

type Row = [string, string, string, string, string | number];
const HEADER = ['代码', '名称', '类型', '上级代码', '人口'];

/** A 150-unit district: the office, 6 towns with 12 villages each, 4 sub-districts with 12 communities each, 19 departments. */
function district(): Row[] {
  const rows: Row[] = [['office', '新区综治办', '区综治办', '', '']];
  for (let t = 1; t <= 6; t++) {
    rows.push([`town${t}`, `第${t}镇`, '镇', 'office', '']);
    for (let v = 1; v <= 12; v++) rows.push([`town${t}-v${v}`, `第${t}镇${v}村`, '村', `town${t}`, 500 + v * 10]);
  }
  for (let s = 1; s <= 4; s++) {
    rows.push([`street${s}`, `第${s}街道`, '街道', 'office', '']);
    for (let c = 1; c <= 12; c++) rows.push([`street${s}-c${c}`, `第${s}街道${c}社区`, '社区', `street${s}`, 2000 + c]);
  }
  for (let d = 1; d <= 19; d++) rows.push([`dept${d}`, `区第${d}局`, '区级部门', '', '']);
  return rows;
}

const xlsx = (rows: Row[], cadreRows: string[][] = [['姓名', '职务'], ['王区长', '副区长']]) =>
  writeXlsx([
    { name: '单位', header: true, rows: [HEADER, ...rows] },
    { name: '区级干部', header: true, rows: cadreRows },
  ]);
const csv = (rows: Row[]) => [HEADER, ...rows].map((r) => r.join(',')).join('\r\n');

async function newDistrict(): Promise<{ t: TestContext; code: string; post: (body: Uint8Array, q?: string) => Promise<Response> }> {
  const t = await makeTestApp({ seed: false });
  await t.db.insert(units).values({ code: 'office', name: '区综治办', kind: 'office' });
  const { code } = await issueAccessCode(t.db, { unitCode: 'office' });
  const post = async (body: Uint8Array, q = "") =>
    t.app.request(`/api/v1/admin/organisation/import${q}`, { method: 'POST', headers: { authorization: `Bearer ${code}` }, body: body as Uint8Array<ArrayBuffer> });
  return { t, code, post };
}

const activeCount = async (t: TestContext) => (await t.db.select().from(units).where(eq(units.active, true))).length;

describe('organisation import', () => {
  it('imports a 150-unit district from XLSX after a preview that writes nothing', async () => {
    const { t, code, post } = await newDistrict();
    const rows = district();
    expect(rows).toHaveLength(150);
    const preview = await post(await xlsx(rows), '?dryRun=1');
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ created: 149, updated: 1, deactivated: 0, unchanged: 0, dryRun: true });
    expect(await activeCount(t)).toBe(1);

    const res = await post(await xlsx(rows));
    expect(await res.json()).toMatchObject({ created: 149, updated: 1, deactivated: 0, unchanged: 0, cadres: { created: 1, updated: 0 } });
    expect(await activeCount(t)).toBe(150);
    const [v] = await t.db.select().from(units).where(eq(units.code, 'town3-v4'));
    expect(v).toMatchObject({ name: '第3镇4村', kind: 'village', parentCode: 'town3', population: 540, active: true });
    expect((await t.db.select().from(units).where(eq(units.code, 'dept1')))[0]!.parentCode).toBe('office');
    expect(await t.db.select({ name: cadres.name, role: cadres.role }).from(cadres)).toEqual([{ name: '王区长', role: 'district_leader' }]);
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.kind, 'organisation_import'));
    expect(JSON.parse(audit!.detail!)).toMatchObject({ created: 149 });

    const again = await post(await xlsx(rows));
    expect(await again.json()).toMatchObject({ created: 0, updated: 0, deactivated: 0, unchanged: 150, cadres: { created: 0, updated: 1 } });
    const tree = (await (await t.app.request('/api/v1/admin/organisation', { headers: { authorization: `Bearer ${code}` } })).json()) as { code: string; children: { code: string; children: unknown[] }[] }[];
    expect(tree.map((u) => u.code)).toEqual(['office']);
    expect(tree[0]!.children).toHaveLength(29);
    expect(tree[0]!.children.find((u) => u.code === 'town1')!.children).toHaveLength(12);

  });

  it('imports the same district from a GB18030 CSV', async () => {
    const { t, post } = await newDistrict();
    const bytes = iconv.encode(csv(district()), 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const res = await post(new Uint8Array(bytes));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 149, updated: 1 });
    expect((await t.db.select().from(units).where(eq(units.code, 'street2-c3')))[0]!.name).toBe('第2街道3社区');
  });

  it('refuses a file with bad rows, naming each row and column, and changes nothing', async () => {
    const { t, post } = await newDistrict();
    const rows = district();
    rows[3] = ['town1-v2', '坏村', '村', 'dept1', 300]; // a village under a department
    rows[5] = ['town1-v1', '重复村', '村', 'town1', 300]; // a duplicate code (row 3 of the file has it)
    rows[7] = ['town1-v6', '某村', '村', 'nowhere', 300]; // an unknown parent
    rows[9] = ['town1-v8', '某村', '村', 'town1', '一千']; // not a whole number
    rows[11] = ['Bad Code', '某村', '村庄', 'town1', 1]; // a bad code and an unknown kind
    const res = await post(await xlsx(rows));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: string; errors: { row: number; column: string; field: string; message: string }[] };
    expect(body.error).toBe('VALIDATION_FAILED');
    const at = body.errors.map((e) => [e.row, e.column]);
    expect(at).toEqual([
      [5, '上级代码'],
      [7, '代码'],
      [9, '上级代码'],
      [11, '人口'],
      [13, '代码'],
      [13, '类型'],
    ]);
    expect(body.errors[0]!.message).toBe('第 5 行“上级代码”：村不能隶属于区级部门“dept1”，上级应为镇或街道');
    expect(body.errors[1]!.message).toContain('与第 4 行重复');
    expect(body.errors[2]!.field).toBe('单位!D9');
    expect(body.errors[3]!.message).toContain('不是整数');
    expect(await activeCount(t)).toBe(1);
    expect(await t.db.select().from(auditEvents).where(eq(auditEvents.kind, 'organisation_import'))).toHaveLength(0);
  });

  it('re-imports a renamed and re-parented file without losing records, deactivating a unit with records', async () => {
    const { t, post } = await newDistrict();
    const rows = district();
    await post(await xlsx(rows));
    await t.db.insert(submissions).values(
      ['town1-v1', 'town1-v2'].map((u, i) => ({ formId: 'mass-feedback', formVersion: 1, unitCode: u, rollupCode: 'town1', source: 'public' as const, createdAt: 1, day: '2014-11-04', payload: '{}', receipt: `R${i}` })),
    );
    const { code } = await issueAccessCode(t.db, { unitCode: 'town2' });
    expect(await verifyAccessCode(t.db, code)).not.toBeNull();
    const edited = rows
      .filter((r) => r[0] !== 'town1-v2' && r[0] !== 'town2' && !r[0].startsWith('town2-'))
      .map((r): Row => (r[0] === 'town1-v1' ? [r[0], '第1镇新名村', r[2], 'town3', 900] : r));
    const preview = await post(await xlsx(edited), '?dryRun=1');
    const plan = (await preview.json()) as { updated: number; deactivated: number; plan: { updated: { code: string; changes: string[] }[] } };
    expect(plan).toMatchObject({ updated: 1, deactivated: 14 });
    expect(plan.plan.updated[0]!.changes).toEqual(['改名（原名 第1镇1村）', '调整上级（town1 → town3）', '人口 510 → 900']);

    expect(await (await post(await xlsx(edited))).json()).toMatchObject({ created: 0, updated: 1, deactivated: 14, unchanged: 135 });
    const [moved] = await t.db.select().from(units).where(eq(units.code, 'town1-v1'));
    expect(moved).toMatchObject({ name: '第1镇新名村', parentCode: 'town3', population: 900, active: true });
    const [gone] = await t.db.select().from(units).where(eq(units.code, 'town1-v2'));
    expect(gone!.active).toBe(false);
    expect(await t.db.select().from(submissions)).toHaveLength(2);
    // Inactive units leave the public list, and their access codes stop working.
    const list = (await (await t.app.request('/api/v1/units')).json()) as { code: string }[];
    expect(list.some((u) => u.code === 'town1-v2')).toBe(false);
    expect(list.some((u) => u.code === 'town1-v1')).toBe(true);
    expect(await verifyAccessCode(t.db, code)).toBeNull();
    // Importing the full file again brings them back.
    expect(await (await post(await xlsx(rows))).json()).toMatchObject({ created: 0, updated: 15, deactivated: 0 });
  });

  it('previews and applies from the page, and edits one unit', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const tree = await office.page('/admin/organisation');
    expect(tree.status).toBe(200);
    expect(await tree.text()).toContain('陈仓镇');
    const template = await office.page('/admin/organisation/template.xlsx');
    expect(template.headers.get('content-type')).toContain('spreadsheetml');
    const fd = new FormData();
    fd.set('file', new File([(await template.arrayBuffer()) as ArrayBuffer], 'org.xlsx'));
    fd.set('action', 'preview');
    const preview = await office.page('/admin/organisation/import', { method: 'POST', body: fd });
    const html = await preview.text();
    expect(preview.status).toBe(200);
    expect(html).toContain('导入预览');
    const data = /name="data" value="([^"]+)"/.exec(html)![1]!;
    const applied = await office.post('/admin/organisation/import', { data, action: 'apply' });
    expect(applied.status).toBe(303);
    const edit = await office.post('/admin/organisation/units/chencang-v1', { name: '陈仓新村', parent: 'panlong', population: '1234' });
    expect(edit.status).toBe(303);
    expect((await t.db.select().from(units).where(eq(units.code, 'chencang-v1')))[0]).toMatchObject({ name: '陈仓新村', parentCode: 'panlong', population: 1234, active: false });
    expect((await office.post('/admin/organisation/units/chencang-v1', { name: '', parent: 'dept-x', population: 'x' })).status).toBe(422);
    expect((await office.page('/admin/organisation/units/nope')).status).toBe(404);
    expect((await t.app.request('/admin/organisation/import', { method: 'POST', headers: { ...SAME_ORIGIN } })).status).not.toBe(200);
  });

  it('imports from the command line, refusing a bad file with a non-zero exit', async () => {
    const { t } = await newDistrict();
    const dir = await mkdtemp(join(tmpdir(), 'pingan-org-'));
    const good = join(dir, 'org.csv');
    await writeFile(good, iconv.encode(csv(district()), 'gb18030'));
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, csv([['office', '区综治办', '区综治办', '', ''], ['v1', '某村', '村', '', 'x']]));
    const quiet = { error: console.error, log: console.log };
    console.error = console.log = () => {};
    try {
      expect(await importOrgCommand.run(t.deps, [bad])).toBe(1);
      expect(await activeCount(t)).toBe(1);
      expect(await importOrgCommand.run(t.deps, [good, '--dry-run'])).toBeUndefined();
      expect(await activeCount(t)).toBe(1);
      expect(await importOrgCommand.run(t.deps, [good])).toBeUndefined();
      expect(await activeCount(t)).toBe(150);
    } finally {
      Object.assign(console, quiet);
    }
  });
});

describe('codes and posters for every unit at once', () => {
  it('issues a code for every town, sub-district, department and police station, then only for those missing one', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const signers = (await t.db.select().from(units)).filter((u) => ['town', 'subdistrict', 'department', 'station'].includes(u.kind));
    // A police station enters its patrols and its officers' "三个一" with its own code.
    expect(signers.some((u) => u.kind === 'station')).toBe(true);
    const res = await office.api('/api/v1/admin/access-codes/bulk', { body: { units: 'all' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toContain('no-store');
    const codes = (await res.json()) as { unit: string; code: string }[];
    expect(codes.map((c) => c.unit).sort()).toEqual(signers.map((u) => u.code).sort());
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    expect(await verifyAccessCode(t.db, codes.find((c) => c.unit === 'chencang')!.code)).toMatchObject({ role: 'unit', unitCode: 'chencang' });
    expect(await (await office.api('/api/v1/admin/access-codes/bulk', { body: { units: 'missing' } })).json()).toEqual([]);
    await t.db.update(units).set({ active: false }).where(eq(units.code, 'panlong'));
    await t.db.insert(units).values({ code: 'newtown', name: '新镇', kind: 'town', parentCode: 'office' });
    const missing = (await (await office.api('/api/v1/admin/access-codes/bulk', { body: { units: 'missing' } })).json()) as { unit: string }[];
    expect(missing.map((c) => c.unit)).toEqual(['newtown']);
    const bad = await office.api('/api/v1/admin/access-codes/bulk', { body: { units: ['chencang', 'chencang-v1', 'panlong'] } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['units[1]', 'units[2]']);
    expect((await office.api('/api/v1/admin/access-codes/bulk', { body: { units: 'all', leader: true } })).status).toBe(422);
    const unit = await signIn(t, 'chencang');
    expect((await unit.api('/api/v1/admin/access-codes/bulk', { body: { units: 'all' } })).status).toBe(403);

    const slips = await office.post('/admin/access/bulk', { units: 'all' });
    expect(slips.status).toBe(201);
    const html = await slips.text();
    expect(html.match(/class="slip"/g)).toHaveLength(signers.length); // panlong is inactive, newtown is new
    expect(html).toContain('https://pingan.example.org/signin');
  });

  it('prints posters for all villages of a town, or every active unit, as one page set', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    await t.db.update(units).set({ active: false }).where(eq(units.code, 'chencang-v2'));
    const villages = (await t.db.select().from(units).where(eq(units.parentCode, 'chencang'))).filter((u) => u.active);
    const town = await (await office.page('/admin/organisation/posters?town=chencang')).text();
    // A4 by default: class="poster a4".
    expect(town.match(/class="poster a4"/g)).toHaveLength(villages.length);
    expect(town).not.toContain('?u=chencang-v2');
    expect(await (await office.page('/admin/organisation/posters')).text()).not.toContain('class="poster ');
    const all = await (await office.page('/admin/organisation/posters?town=all')).text();
    const active = (await t.db.select().from(units).where(eq(units.active, true))).length;
    expect(all.match(/class="poster a4"/g)).toHaveLength(active - 1);
  });
});

describe('an inactive unit', () => {
  it('leaves the pickers but keeps its records', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    expect(await (await t.app.request('/f/deputy-suggestion')).text()).toContain('区检察院');
    const res = await office.post('/admin/organisation/units/procuratorate', { name: '区检察院', parent: 'office', population: '' });
    expect(res.status).toBe(303);
    expect(await (await t.app.request('/f/deputy-suggestion')).text()).not.toContain('区检察院');
    expect(await (await office.page('/admin/access')).text()).not.toContain('区检察院（');
    const tree = await (await office.page('/admin/organisation')).text();
    expect(tree).toMatch(/区检察院<\/td>[\s\S]*?已停用/);
  });
});
