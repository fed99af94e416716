// Who hears of what: each hazard move writes its events for the right targets in the move's own transaction.
import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { hazards, notifyEvents } from '../../../src/db/schema.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';
import { transition, type HazardActor } from '../../../src/hazards/service.ts';
import { runHazardSupervision } from '../../../src/hazards/overdue.ts';
import { tipsterFeedback } from '../../../src/hazards/receipt.ts';
import { submissions } from '../../../src/db/schema.ts';
import forms from '../../../forms/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';

const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;
const office = { role: 'admin', unitCode: 'office', codeId: 1 } as HazardActor;
const police = { role: 'unit', unitCode: 'police', codeId: 2 } as HazardActor;

async function tip(t: TestContext) {
  const s = await storeSubmission(t.deps, { form: hazardTip, answers: { category: 'rental-housing', place: '东风路', description: '杂物' }, personal: {}, unitCode: null, source: 'public' });
  return (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, s.id) }))!;
}

async function eventsSince(t: TestContext, id: number) {
  const rows = await t.db.select().from(notifyEvents).orderBy(asc(notifyEvents.id));
  return rows.filter((r) => r.id > id).map((r) => `${r.event}→${r.target}`);
}

const lastId = async (t: TestContext) => (await t.db.select({ id: notifyEvents.id }).from(notifyEvents)).reduce((m, r) => Math.max(m, r.id), 0);

describe('notification events', () => {
  it('a tip tells the office; assign and urge the lead and co-units; overdue the lead and the office; return and report the office', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const h = await tip(t);
    expect(await eventsSince(t, 0)).toEqual(['new_tip→office']);
    let mark = await lastId(t);
    await transition(t.deps, { hazardId: h.id, actor: office, action: 'assign', input: { leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-05' } });
    expect(await eventsSince(t, mark)).toEqual(['assigned→police', 'assigned→work-safety']);
    mark = await lastId(t);
    await transition(t.deps, { hazardId: h.id, actor: office, action: 'urge', input: { note: '请尽快' } });
    expect(await eventsSince(t, mark)).toEqual(['urged→police', 'urged→work-safety']);
    mark = await lastId(t);
    await runHazardSupervision(t.deps, new Date('2014-11-06T01:00:00Z'));
    expect(await eventsSince(t, mark)).toEqual(['overdue→police', 'overdue→office']);

    const h2 = await tip(t);
    await transition(t.deps, { hazardId: h2.id, actor: office, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-20' } });
    mark = await lastId(t);
    await transition(t.deps, { hazardId: h2.id, actor: police, action: 'return', input: { reason: '不属于本单位' } });
    const [returned] = await t.db.select().from(notifyEvents).where(eq(notifyEvents.event, 'returned'));
    expect(await eventsSince(t, mark)).toEqual(['returned→office']);
    expect(JSON.parse(returned!.data)).toMatchObject({ number: h2.number, unit: 'police', path: `/admin/hazards/${h2.id}` });

    const h3 = await tip(t);
    await transition(t.deps, { hazardId: h3.id, actor: office, action: 'assign', input: { leadUnit: 'police', deadline: '2014-11-20' } });
    await transition(t.deps, { hazardId: h3.id, actor: police, action: 'accept' });
    mark = await lastId(t);
    await transition(t.deps, { hazardId: h3.id, actor: police, action: 'report_fixed', input: { note: '已清理' } });
    expect(await eventsSince(t, mark)).toEqual(['fixed_reported→office']);

    // Closed out, then the tipster says it is not fixed: the office and the unit that led it hear of it.
    await transition(t.deps, { hazardId: h3.id, actor: office, action: 'close' });
    const [sub] = await t.db.select({ receipt: submissions.receipt }).from(submissions).where(eq(submissions.id, h3.submissionId!));
    mark = await lastId(t);
    await tipsterFeedback(t.deps, sub!.receipt, false);
    expect(await eventsSince(t, mark)).toEqual(['reopened→police', 'reopened→office']);
  });
});
