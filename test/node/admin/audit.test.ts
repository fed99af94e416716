// The office's audit trail: an edit, a deletion, a transition and a revoked code, each with its actor, personal
// values masked; and a resident's contact details deleted on request.
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres, submissionPersonal } from '../../../src/db/schema.ts';
import { createHazard } from '../../../src/hazards/create.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { VALID } from '../../helpers/public-forms.ts';
import { signIn } from '../../helpers/unit-portal.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (res: Response): Promise<any> => res.json();

describe('the audit trail', () => {
  it('lists who edited and deleted a record, moved a hazard and revoked a code, with personal values masked', async () => {
    const t = await makeTestApp();
    const town = await signIn(t, 'chencang');
    const office = await signIn(t, 'office');
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang'), eq(cadres.role, 'cadre')));
    const visit = {
      cadre: cadre!.id, visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '张三丰', address: '3组15号', phone: '13812341234',
      almanac: true, aware: true, participated: false, satisfaction: 'satisfied',
    };
    const created = await json(await town.api('/api/v1/unit/forms/household-visit/submissions', { body: visit }));
    expect((await town.api(`/api/v1/unit/forms/household-visit/submissions/${created.id}`, { method: 'PUT', body: { ...visit, householdHead: '李四光', satisfaction: 'dissatisfied' } })).status).toBe(200);
    expect((await town.api(`/api/v1/unit/forms/household-visit/submissions/${created.id}`, { method: 'DELETE' })).status).toBe(200);

    const { id: hazardId } = await t.db.transaction((tx) =>
      createHazard(tx, { source: 'tip', category: 'fire', place: '老街', description: '堵塞', reportedUnitCode: 'chencang-v1', at: t.deps.now().getTime() }),
    );
    expect((await office.api(`/api/v1/admin/hazards/${hazardId}/transitions`, { body: { action: 'assign', leadUnit: 'chencang', deadline: '2014-11-10' } })).status).toBe(200);
    const issued = await json(await office.api('/api/v1/admin/access-codes', { body: { unit: 'xiguan', label: '西关联络员' } }));
    expect((await office.api(`/api/v1/admin/access-codes/${issued.id}/revoke`, { method: 'POST' })).status).toBe(200);

    const published = await office.api('/api/v1/admin/forms/mass-feedback', { method: 'PUT', body: { definition: await json(await t.app.request('/api/v1/forms/mass-feedback')).then((f) => f.definition), note: '措辞调整' } });
    expect(published.status).toBe(200);

    expect((await town.post('/signout', {})).status).toBe(303);

    const rows = await json(await office.api('/api/v1/admin/audit'));
    const kinds = rows.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['record_update', 'record_delete', 'hazard_assign', 'code_issued', 'code_revoked', 'sign_in', 'sign_out', 'form_published']));
    expect(rows.find((r: { kind: string }) => r.kind === 'sign_out')).toMatchObject({ actor: `unit:chencang#${town.codeId}`, unit: 'chencang' });
    expect(rows.filter((r: { kind: string }) => r.kind === 'form_published')).toContainEqual(
      expect.objectContaining({ subject: 'mass-feedback 第 2 版', change: '措辞调整', actor: expect.stringContaining('office') }),
    );
    const edit = rows.find((r: { kind: string }) => r.kind === 'record_update');
    expect(edit).toMatchObject({ actor: `unit:chencang#${town.codeId}`, unit: 'chencang' });
    expect(edit.change).toContain('satisfaction：satisfied → dissatisfied');
    expect(edit.change).toContain('householdHead：张** → 李**');
    expect(JSON.stringify(rows)).not.toMatch(/张三丰|李四光|13812341234/);
    expect(rows.find((r: { kind: string }) => r.kind === 'hazard_assign')).toMatchObject({ actor: 'admin:office', unit: 'office' });
    expect(rows.find((r: { kind: string }) => r.kind === 'code_revoked')).toMatchObject({ unit: 'xiguan' });

    // Filters, the page and the CSV.
    const onlyTown = await json(await office.api('/api/v1/admin/audit?unit=chencang&kind=record_delete'));
    expect(onlyTown.map((r: { kind: string }) => r.kind)).toEqual(['record_delete']);
    expect((await office.api('/api/v1/admin/audit?from=2014-13-01')).status).toBe(422);
    const page = await (await office.page('/admin/audit?kind=code_revoked')).text();
    expect(page).toContain('停用访问码');
    expect(page).toContain('xiguan');
    const csv = await (await office.page('/admin/audit.csv')).text();
    expect(csv).toContain('修改记录');
    expect(csv).not.toContain('张三丰');

    // Units and leaders have no audit trail.
    expect((await town.api('/api/v1/admin/audit')).status).toBe(403);
    expect((await (await signIn(t, 'office', { leader: true })).api('/api/v1/admin/audit')).status).toBe(403);
  });

  it('deletes a resident\'s contact details on request, keeps the record, and records who did it', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const res = await t.app.request('/api/v1/forms/hazard-tip/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'fire', place: '老街', description: '消防通道堵塞', contactName: '王先生', contactPhone: '13912345678' }),
    });
    expect(res.status).toBe(201);
    const { id, receipt } = await json(res);
    expect(await t.db.$count(submissionPersonal, eq(submissionPersonal.submissionId, id))).toBe(1);
    expect(await json(await office.api(`/api/v1/admin/records/${id}/contact`, { method: 'DELETE' }))).toEqual({ removed: true });
    expect(await t.db.$count(submissionPersonal, eq(submissionPersonal.submissionId, id))).toBe(0);
    expect((await t.app.request(`/api/v1/receipts/${receipt}`)).status).toBe(200);
    const rows = await json(await office.api('/api/v1/admin/audit?kind=contact_deleted'));
    expect(rows).toEqual([expect.objectContaining({ kind: 'contact_deleted', actor: `admin:office#${office.codeId}`, subject: `#${id}` })]);
    expect((await office.api('/api/v1/admin/records/999999/contact', { method: 'DELETE' })).status).toBe(404);
  });

  it('lets the office delete a deputy\'s contact from the suggestion page, and returns it there', async () => {
    const t = await makeTestApp();
    const office = await signIn(t, 'office');
    const res = await t.app.request('/api/v1/forms/deputy-suggestion/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...VALID['deputy-suggestion'], phone: '13700001111' }),
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    const page = await (await office.page(`/admin/suggestions/${id}`)).text();
    expect(page).toContain('13700001111');
    expect(page).toContain(`action="/admin/records/${id}/forget-contact"`);
    const done = await office.page(`/admin/records/${id}/forget-contact`, {
      method: 'POST',
      headers: { origin: 'https://pingan.example.org', referer: `https://pingan.example.org/admin/suggestions/${id}` },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/admin/suggestions/${id}?contact=deleted`);
    const after = await (await office.page(`/admin/suggestions/${id}`)).text();
    expect(after).not.toContain('13700001111');
    expect(after).not.toContain('forget-contact');
  });
});
