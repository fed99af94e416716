// Personal data is kept no longer than the campaign's retention period: then names, phones, addresses and
// photos go, while receipts, hazards and rankings keep working, and only counts are logged.
import { describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { auditEvents, hazardEvents, hazards, rankingSnapshots, submissionAudit, submissionPersonal, submissions } from '../../../src/db/schema.ts';
import { seedEmptyDatabase } from '../../../src/core/demo.ts';
import { purgeExpiredPersonalData, upcomingPurge } from '../../../src/campaign/retention.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn } from '../../helpers/unit-portal.ts';
import organisation from '../../../forms/organisation.ts';

const PHOTO = 'tips/2026/11/retainme1234.jpg';
const EVIDENCE = 'evidence/2026/11/fixedit12345.jpg';

async function setup() {
  const logged: string[] = [];
  const push = (message: string, fields?: Record<string, unknown>) => void logged.push(JSON.stringify({ message, ...fields }));
  const t = await makeTestApp({ seed: false, now: '2026-12-01T02:00:00Z', deps: { log: { info: push, warn: push, error: push } } });
  await seedEmptyDatabase(t.deps, 'demo', organisation);
  // One tip carries a photo; its tipster left a name and phone.
  const [tip] = await t.db.select().from(submissions).where(eq(submissions.formId, 'hazard-tip')).limit(1);
  await t.deps.photos.put(PHOTO, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg');
  await t.db.run(sql`UPDATE submissions SET payload = json_set(payload, '$.photo', ${PHOTO}) WHERE id = ${tip!.id}`);
  await t.db.insert(submissionPersonal).values({ submissionId: tip!.id, data: JSON.stringify({ contactName: '赵秘密', contactPhone: '13912345678' }) });
  // The unit's evidence photo on the hazard the tip started goes too.
  const [hazard] = await t.db.select().from(hazards).where(eq(hazards.submissionId, tip!.id));
  await t.deps.photos.put(EVIDENCE, new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), 'image/jpeg');
  await t.db.insert(hazardEvents).values({ hazardId: hazard!.id, at: 1, action: 'progress', toState: hazard!.state, actorRole: 'unit', data: JSON.stringify({ photo: EVIDENCE }) });
  return { t, tip: tip!, logged };
}

const personalRows = async (t: Awaited<ReturnType<typeof setup>>['t']) => (await t.db.select({ n: count() }).from(submissionPersonal))[0]!.n;

describe('retention of personal data', () => {
  it('keeps everything until the period is over, warns 30 days ahead, then deletes personal data and photos only', async () => {
    const { t, tip, logged } = await setup();
    // A unit's edit of a visit keeps the old personal values in the audit trail until the purge.
    const [visit] = await t.db.select().from(submissions).where(eq(submissions.formId, 'household-visit')).limit(1);
    await t.db.insert(submissionAudit).values({ submissionId: visit!.id, actor: 'unit:x#1', action: 'update', at: 1, before: JSON.stringify({ answers: { a: 1 }, personal: { householdHead: '钱秘密' } }), after: JSON.stringify({ answers: { a: 2 }, personal: { householdHead: '孙秘密' } }) });
    const before = await personalRows(t);
    expect(before).toBeGreaterThan(10);
    const snapshots = (await t.db.select({ n: count() }).from(rankingSnapshots))[0]!.n;

    // The campaign ends 2026-12-30; 180 days later is 2027-06-28, the last day the data is kept.
    expect(await upcomingPurge(t.deps, new Date('2027-05-01T02:00:00Z'))).toBeNull();
    expect(await upcomingPurge(t.deps, new Date('2027-06-01T02:00:00Z'))).toMatchObject({ purgeOn: '2027-06-29' });
    t.setNow('2027-06-01T02:00:00Z');
    const office = await signIn(t, 'office');
    expect(await (await office.page('/admin')).text()).toContain('2027-06-29');

    expect(await purgeExpiredPersonalData(t.deps, new Date('2027-06-28T15:59:59Z'))).toEqual({ campaigns: 0, personal: 0, photos: 0 });
    expect(await personalRows(t)).toBe(before);
    expect(await t.deps.photos.get(PHOTO)).not.toBeNull();

    const done = await purgeExpiredPersonalData(t.deps, new Date('2027-06-28T16:00:00Z'));
    expect(done).toEqual({ campaigns: 1, personal: before, photos: 2 });
    expect(await t.deps.photos.get(EVIDENCE)).toBeNull();
    expect(await personalRows(t)).toBe(0);
    const audits = JSON.stringify(await t.db.select().from(submissionAudit));
    expect(audits).not.toMatch(/钱秘密|孙秘密/);
    expect(audits).toContain('\\"a\\":2');
    expect(await t.deps.photos.get(PHOTO)).toBeNull();
    const [after] = await t.db.select().from(submissions).where(eq(submissions.id, tip.id));
    expect(JSON.parse(after!.payload).photo).toBeUndefined();
    expect(JSON.parse(after!.payload).place).toBeTruthy();

    // Receipts, hazards and rankings keep working.
    t.setNow('2027-06-29T02:00:00Z');
    const receipt = await t.app.request(`/api/v1/receipts/${tip.receipt}`);
    expect(receipt.status).toBe(200);
    expect((await t.db.select({ n: count() }).from(rankingSnapshots))[0]!.n).toBe(snapshots);

    // The log and the audit trail have counts, never values; a second run finds nothing.
    const purgeLog = logged.filter((l) => l.includes('retention'));
    expect(purgeLog).toHaveLength(1);
    expect(purgeLog.join()).not.toMatch(/赵秘密|13912345678|retainme/);
    const [audit] = await t.db.select().from(auditEvents).where(eq(auditEvents.kind, 'purge'));
    expect(JSON.parse(audit!.detail!)).toMatchObject({ personal: before, photos: 2 });
    expect(await purgeExpiredPersonalData(t.deps, new Date('2027-06-30T02:00:00Z'))).toEqual({ campaigns: 0, personal: 0, photos: 0 });
  });

  it('is a campaign setting the office edits, within sane bounds', async () => {
    const { t } = await setup();
    const office = await signIn(t, 'office');
    const bad = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { retentionDays: 5 } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(['retentionDays']);
    const ok = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { retentionDays: 365 } });
    expect(((await ok.json()) as { retentionDays: number }).retentionDays).toBe(365);
    expect(await upcomingPurge(t.deps, new Date('2027-06-01T02:00:00Z'))).toBeNull();
  });
});
