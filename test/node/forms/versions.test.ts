// The office publishes form versions: a copied question becomes version n+1 everywhere (the forms list, the
// JSON Schema, submissions), old answers keep their own labels, guarded questions refuse field by field and
// change nothing, and a form travels as JSON or XLSX and comes back the same.
import { describe, expect, it } from 'vitest';
import { count } from 'drizzle-orm';
import { formVersions, submissions } from '../../../src/db/schema.ts';
import { formById, formsOf, TEMPLATE_FORMS } from '../../../src/forms/store.ts';
import { editProblems } from '../../../src/forms/edits.ts';
import { describeChanges } from '../../../src/forms/diff.ts';
import { definitionToXlsx, xlsxToDefinition } from '../../../src/forms/xlsform.ts';
import type { FormDefinition } from '../../../src/forms/types.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();
const template = (id: string) => TEMPLATE_FORMS.find((f) => f.id === id)!;
const versionRows = async (t: TestContext) => (await t.db.select({ n: count() }).from(formVersions))[0]!.n;

/** mass-feedback with a question copied from the satisfaction question under a new id, and a reworded label. */
function withSmokeAlarm(base: FormDefinition): FormDefinition {
  const satisfaction = base.fields.find((f) => f.name === 'satisfaction')!;
  const { metric: _m, sheetColumn: _s, ...copy } = satisfaction;
  return {
    ...base,
    fields: [
      ...base.fields.slice(0, 3),
      { ...copy, name: 'smokeAlarm', label: '您家安装烟感报警器了吗？', required: false, options: [{ value: 'yes', label: '已安装' }, { value: 'no', label: '没有' }] },
      ...base.fields.slice(3),
    ].map((f) => (f.name === 'satisfaction' ? { ...f, options: f.options!.map((o) => (o.value === 'unknown' ? { ...o, label: '说不清' } : o)) } : f)),
  };
}

describe('publishing a form version', () => {
  it('publishes a copied question as version 2: listed, in the JSON Schema, accepted in a submission', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const before = await json(await t.app.request('/api/v1/forms/mass-feedback'));
    expect(before).toMatchObject({ id: 'mass-feedback', version: 1, audience: 'public' });

    const res = await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: withSmokeAlarm(template('mass-feedback')), note: '增加烟感报警器' } });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
    expect(await json(res)).toEqual({ id: 'mass-feedback', version: 2 });

    const listed = (await json(await t.app.request('/api/v1/forms'))).find((f: { id: string }) => f.id === 'mass-feedback');
    expect(listed.version).toBe(2);
    expect(listed.schema.properties.smokeAlarm).toMatchObject({ enum: ['yes', 'no'], title: '您家安装烟感报警器了吗？' });

    const sent = await t.app.request('/api/v1/forms/mass-feedback/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ satisfaction: 'satisfied', aware: true, participated: false, smokeAlarm: 'yes' }),
    });
    expect(sent.status).toBe(201);
    const history = await json(await office.api('/api/v1/admin/forms/mass-feedback/versions'));
    expect(history.map((v: { version: number; note: string }) => [v.version, v.note])).toEqual([[2, '增加烟感报警器'], [1, '模板（forms/）']]);
    expect(history[0].savedBy).toBe(`office#${office.codeId}`);
    expect((await json(await t.app.request('/api/v1/forms/mass-feedback?version=1'))).definition).toEqual(template('mass-feedback'));
  });

  it('shows an answer given under version 1 with version 1 labels on the unit page and in the export', async () => {
    const t = await makeTestApp();
    const unit = await signIn(t, 'chencang');
    const office = await signIn(t, 'office');
    const form = template('household-visit');
    // One record under version 1, answering "不了解"...
    const [cadre] = await json(await unit.api('/api/v1/unit/cadres'));
    const first = await unit.api('/api/v1/unit/forms/household-visit/submissions', {
      method: 'POST',
      body: { cadre: cadre.id, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '张三', address: '3组15号', almanac: true, aware: true, participated: true, satisfaction: 'unknown' },
    });
    expect(first.status, await first.clone().text()).toBe(201);
    // ...then the option is renamed in version 2.
    const renamed = { ...form, fields: form.fields.map((f) => (f.name === 'satisfaction' ? { ...f, options: f.options!.map((o) => (o.value === 'unknown' ? { ...o, label: '说不清' } : o)) } : f)) };
    expect((await office.api('/api/v1/admin/forms/household-visit', { method: 'PUT', body: { definition: renamed } })).status).toBe(200);
    const page = await (await unit.page('/unit/forms/household-visit?day=2014-11-04')).text();
    expect(page).toContain('<td>不了解</td>');
    // The entry form itself is version 2: new records choose from the renamed option.
    expect(page).toMatch(/<form[\s\S]*说不清[\s\S]*<\/form>/);
    const csv = await (await unit.page('/unit/export.csv?form=household-visit')).text();
    expect(csv).toContain('不了解');
    expect(csv).not.toContain('说不清');
  });

  const GUARDED: { name: string; edit: (f: FormDefinition) => FormDefinition; field: string; message: RegExp }[] = [
    { name: 'removing a metric question', edit: (f) => ({ ...f, fields: f.fields.filter((x) => x.name !== 'aware') }), field: 'fields[1]', message: /用于每日排名，不能删除/ },
    { name: 'removing a personal question', edit: (f) => ({ ...f, fields: f.fields.filter((x) => x.name !== 'phone') }), field: 'fields[5]', message: /含个人信息，不能删除/ },
    { name: 'retyping a metric question', edit: (f) => ({ ...f, fields: f.fields.map((x) => (x.name === 'satisfaction' ? { ...x, type: 'text', options: undefined, metric: undefined } : x)) }), field: 'fields[0].type', message: /不能改为单行文字/ },
    { name: 'changing a personal flag', edit: (f) => ({ ...f, fields: f.fields.map((x) => (x.name === 'name' ? { ...x, personal: false } : x)) }), field: 'fields[4].personal', message: /个人信息不能更改/ },
    { name: 'an empty label', edit: (f) => ({ ...f, fields: f.fields.map((x) => (x.name === 'opinion' ? { ...x, label: '' } : x)) }), field: 'fields[3]', message: /请填写问题/ },
  ];
  for (const c of GUARDED) {
    it(`refuses ${c.name} with a field error and changes nothing`, async () => {
      const t = await makeTestApp();
      const office = await signIn(t, 'office');
      const res = await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: c.edit(template('mass-feedback')) } });
      expect(res.status).toBe(422);
      const body = await json(res);
      expect(body.error).toBe('VALIDATION_FAILED');
      const hit = body.errors.find((e: { field: string }) => e.field === c.field);
      expect(hit, JSON.stringify(body.errors)).toBeDefined();
      expect(hit.message).toMatch(c.message);
      expect((await formById(t.db, 'mass-feedback'))!.version).toBe(1);
      expect(await versionRows(t)).toBe(0);
    });
  }

  it('refuses deleting an option that has answers, and accepts hiding it', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const sent = await t.app.request('/api/v1/forms/mass-feedback/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ satisfaction: 'unknown', aware: true, participated: false }),
    });
    expect(sent.status).toBe(201);
    const base = template('mass-feedback');
    const options = (keep: (v: string) => boolean, hide = false) => ({
      ...base,
      fields: base.fields.map((f) => (f.name === 'satisfaction' ? { ...f, options: f.options!.filter((o) => keep(o.value) || hide).map((o) => (hide && o.value === 'unknown' ? { ...o, hidden: true } : o)) } : f)),
    });
    const deleted = await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: options((v) => v !== 'unknown') } });
    expect(deleted.status).toBe(422);
    expect((await json(deleted)).errors).toEqual([{ field: 'fields[0].options', message: '选项“不了解”已有回答，不能删除，请改为隐藏' }]);
    const hidden = await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: options(() => true, true) } });
    expect(hidden.status).toBe(200);
    const schema = (await json(await t.app.request('/api/v1/forms/mass-feedback'))).schema;
    expect(schema.properties.satisfaction.enum).toEqual(['satisfied', 'basically_satisfied', 'dissatisfied']);
  });

  it('reads a version published elsewhere on the next request, in one statement when nothing changed', async () => {
    const t = await makeTestApp();
    expect((await formsOf(t.db)).find((f) => f.id === 'mass-feedback')!.version).toBe(1);
    const office = await signIn(t, 'office');
    await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: withSmokeAlarm(template('mass-feedback')) } });
    const first = await formsOf(t.db);
    expect(first.find((f) => f.id === 'mass-feedback')!.version).toBe(2);
    expect(await formsOf(t.db)).toBe(first);
  });

  it('checks a page posted after a publish against the version the resident saw', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const html = await (await t.app.request('/f/mass-feedback')).text();
    expect(html).toContain('name="_version" value="1"');
    const token = /name="_token" value="([^"]+)"/.exec(html)![1]!;
    const required = withSmokeAlarm(template('mass-feedback'));
    const strict = { ...required, fields: required.fields.map((f) => (f.name === 'smokeAlarm' ? { ...f, required: true } : f)) };
    expect((await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: strict } })).status).toBe(200);
    const res = await t.app.request('/f/mass-feedback', {
      method: 'POST',
      headers: { origin: 'https://pingan.example.org' },
      body: new URLSearchParams({ satisfaction: 'satisfied', aware: 'yes', participated: 'no', _token: token, _version: '1' }),
    });
    expect(res.status, await res.clone().text()).toBe(303);
    const [row] = await t.db.select().from(submissions);
    expect(row!.formVersion).toBe(1);
  });

  it('refuses a publish based on an overtaken version with 409', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const body = { definition: withSmokeAlarm(template('mass-feedback')) };
    expect((await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body, headers: { 'if-match': '1' } })).status).toBe(200);
    const late = await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body, headers: { 'if-match': '1' } });
    expect(late.status).toBe(409);
    expect((await json(late)).error).toBe('STALE_EDIT');
  });
});

describe('form definitions as files', () => {
  it('an exported XLSX re-imports to the same definition, for every template form', async () => {
    for (const form of TEMPLATE_FORMS) {
      const back = await xlsxToDefinition(await definitionToXlsx(form));
      expect(back, form.id).toEqual(JSON.parse(JSON.stringify(form)));
    }
  });

  it('imports a JSON or XLSX body through the API, validated like an edit', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const xlsx = await definitionToXlsx(withSmokeAlarm(template('mass-feedback')));
    const res = await office.page('/api/v1/admin/forms/mass-feedback/import', {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      body: new Uint8Array(xlsx),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await json(res)).toEqual({ id: 'mass-feedback', version: 2 });
    expect((await formById(t.db, 'mass-feedback'))!.fields.map((f) => f.name)).toContain('smokeAlarm');
    const exported = await office.page('/admin/forms/mass-feedback/export.json');
    const again = await office.page('/api/v1/admin/forms/mass-feedback/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: await exported.text() });
    expect((await json(again)).version).toBe(3);
    const bad = await office.page('/api/v1/admin/forms/mass-feedback/import', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...template('mass-feedback'), fields: template('mass-feedback').fields.filter((f) => f.name !== 'satisfaction') }),
    });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0].message).toMatch(/用于每日排名，不能删除/);
  });
});

describe('the edit checks and the diff, directly', () => {
  it('describes a version in words', () => {
    const a = template('mass-feedback');
    const b = withSmokeAlarm(a);
    expect(describeChanges(a, b)).toEqual(['“您对本地社会治安和政法工作满意吗？”的选项“不了解”改名为“说不清”', '新增问题“您家安装烟感报警器了吗？”（单选，第 4 题）']);
  });

  it('keeps id and audience: an edit cannot move a form to another audience', () => {
    const r = editProblems(template('mass-feedback'), { ...template('mass-feedback'), audience: 'unit' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'audience', message: '不能更改表单的填写对象（群众或单位）' }] });
  });
});
