// Roll-up (issue 15 item 1): a village signs in with its own code and enters its own records; its town sees them
// on its dashboard, in its export and corrects them; the village sees and picks only itself.
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres } from '../../../src/db/schema.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const team = (place: string) => ({ place, teamName: '红袖标巡逻队', members: 8, leaderName: '王五', schedule: '每晚19:00–22:00', armbands: true });

describe('villages roll up to their town', () => {
  it("a village's patrol team shows in its town's list and export, and the town may correct it", async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const village = await signIn(t, 'panlong-v2');
    expect((await village.api('/api/v1/unit/forms/patrol-team/submissions', { body: team('panlong-v1') })).status).toBe(422);
    const res = await village.api('/api/v1/unit/forms/patrol-team/submissions', { body: team('panlong-v2') });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };

    const town = await signIn(t, 'panlong');
    const html = await (await town.page('/unit')).text();
    const row = new RegExp(`<tr data-patrol="${id}">.*?</tr>`).exec(html)?.[0] ?? '';
    expect(row).toContain('蟠龙示范村二');
    expect(row).toContain('<td class="num">8</td>');
    expect(row).not.toContain('尚未登记巡逻队');
    const csv = await (await town.page('/unit/export.csv?form=patrol-team')).text();
    expect(csv.trim().split('\n')).toHaveLength(2);
    const read = await town.api(`/api/v1/unit/forms/patrol-team/submissions/${id}`);
    expect(read.status).toBe(200);
    expect((await town.api(`/api/v1/unit/forms/patrol-team/submissions/${id}`, { method: 'PUT', body: { ...team('panlong-v2'), members: 9 } })).status).toBe(200);

    // Another town and a sibling village get nothing of it.
    expect((await (await signIn(t, 'chencang')).api(`/api/v1/unit/forms/patrol-team/submissions/${id}`)).status).toBe(403);
    expect((await (await signIn(t, 'panlong-v1')).api(`/api/v1/unit/forms/patrol-team/submissions/${id}`)).status).toBe(403);
  });

  it("a village records a visit by the town's cadre assigned to it, and the town's progress counts it", async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'panlong'), eq(cadres.assignedCode, 'panlong-v2')));
    const village = await signIn(t, 'panlong-v2');
    const body = { cadre: cadre!.id, visitDate: '2014-11-04', place: 'panlong-v2', householdHead: '赵六', address: '2组8号', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' };
    expect((await village.api('/api/v1/unit/forms/household-visit/submissions', { body })).status).toBe(201);
    const html = await (await (await signIn(t, 'panlong')).page('/unit')).text();
    expect(new RegExp(`<tr data-cadre="${cadre!.id}">.*?</tr>`).exec(html)?.[0]).toContain('1 / 50');
  });

  it("the town corrects a visit its village entered for the village's own cadre, on the page and by the API", async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const village = await signIn(t, 'panlong-v2');
    const added = await village.api('/api/v1/unit/cadres', { body: { name: '村干部甲', post: '村支书', role: '干部', assignedCode: 'panlong-v2' } });
    expect(added.status).toBe(201);
    const { id: cadre } = (await added.json()) as { id: number };
    const body = { cadre, visitDate: '2014-11-04', place: 'panlong-v2', householdHead: '赵六', address: '2组8号', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' };
    const res = await village.api('/api/v1/unit/forms/household-visit/submissions', { body });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };

    const town = await signIn(t, 'panlong');
    expect((await town.api(`/api/v1/unit/forms/household-visit/submissions/${id}`, { method: 'PUT', body: { ...body, satisfaction: 'dissatisfied' } })).status).toBe(200);
    const edit = await (await town.page(`/unit/forms/household-visit?edit=${id}`)).text();
    expect(edit).toContain('村干部甲');
    const fields = { cadre: String(cadre), visitDate: '2014-11-04', place: 'panlong-v2', householdHead: '赵六', address: '2组8号', almanac: 'yes', aware: 'yes', participated: 'yes', satisfaction: 'satisfied' };
    expect((await town.post(`/unit/forms/household-visit/${id}`, fields)).status).toBe(303);
  });
});
