// What a write trusts of the organisation (src/core/request-memo.ts WriteTrustedCache): a unit's entry page reads
// its cadres, and the visit posted from it a moment later trusts that list — but never a list read while a change
// to the organisation was on its way to the database (src/core/changes.ts runOrganisationBatch).
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { cadres } from '../../../src/db/schema.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const VISIT = { visitDate: '2014-11-04', place: 'chencang-v1', householdHead: '张三', address: '陈仓示范村一2组8号', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' };

describe('lists a write trusts', () => {
  it('a cadre deactivated while the entry page was being read cannot be named by the visit posted after it', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang'), eq(cadres.active, true)));
    // The deactivation's batch is held at the database until the page has been read.
    let reached!: () => void;
    const atDatabase = new Promise<void>((resolve) => (reached = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batch = t.db.batch.bind(t.db);
    let hold = true;
    t.db.batch = (async (queries: Parameters<typeof batch>[0]) => {
      // Only the deactivation is held: the batch that writes the cadre.
      if (hold && queries.some((q) => /update "cadres"/.test((q as unknown as { toSQL(): { sql: string } }).toSQL().sql))) {
        hold = false;
        reached();
        await held;
      }
      return batch(queries);
    }) as unknown as typeof t.db.batch;

    const deactivating = s.api(`/api/v1/unit/cadres/${cadre!.id}`, { method: 'PATCH', body: { active: false } });
    await atDatabase;
    expect((await t.db.select({ active: cadres.active }).from(cadres).where(eq(cadres.id, cadre!.id)))[0]!.active).toBe(true);
    const page = await (await s.page('/unit/forms/household-visit')).text();
    expect(page).toContain(cadre!.name); // read before the change committed: the cadre is still listed
    release();
    expect((await deactivating).status).toBe(200);

    const visit = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: { ...VISIT, cadre: cadre!.id } });
    expect(visit.status).toBe(422);
    expect(((await visit.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['cadre']);
  });

  it("with no change on its way, the visit posted after its page is stored", async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const [cadre] = await t.db.select().from(cadres).where(and(eq(cadres.unitCode, 'chencang'), eq(cadres.active, true)));
    expect((await s.page('/unit/forms/household-visit')).status).toBe(200);
    const visit = await s.api('/api/v1/unit/forms/household-visit/submissions', { body: { ...VISIT, cadre: cadre!.id } });
    expect(visit.status).toBe(201);
  });
});
