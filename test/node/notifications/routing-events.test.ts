// Who hears of a suggestion routed to departments and of a co-unit's part of a hazard: each event is written in the
// move's own batch (none for a refused move), carries only a path or the hazard's public facts, and is delivered
// as a readable robot message to the unit or the office.
import { describe, expect, it } from 'vitest';
import { asc, eq } from 'drizzle-orm';
import { hazards, notifyEvents } from '../../../src/db/schema.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';
import { transition, type HazardActor } from '../../../src/hazards/service.ts';
import { runScheduled, EVERY_MINUTE } from '../../../src/core/scheduled.ts';
import { createChannel } from '../../../src/notifications/channels.ts';
import { EVENT_LABELS } from '../../../src/notifications/events.ts';
import forms from '../../../forms/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { postJson, VALID } from '../../helpers/public-forms.ts';
import { signIn } from '../../helpers/unit-portal.ts';
import { createFakeProviders, type FakeProviders } from '../../fakes/notify/index.ts';

const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;
const office = { role: 'admin', unitCode: 'office', codeId: 1 } as HazardActor;
const coUnit = { role: 'unit', unitCode: 'work-safety', codeId: 3 } as HazardActor;
const robot = (key: string) => `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`;

async function setup(): Promise<TestContext & { fake: FakeProviders }> {
  const fake = createFakeProviders({ now: () => new Date('2014-11-04T02:01:00Z').getTime() });
  const t = await makeTestApp({ now: '2014-11-04T02:00:00Z', config: { WECOM_API_ROOT: 'https://wecom.fake/' }, deps: { fetch: fake.fetch } });
  return { ...t, fake };
}

const lastId = async (t: TestContext) => (await t.db.select({ id: notifyEvents.id }).from(notifyEvents)).reduce((m, r) => Math.max(m, r.id), 0);

async function eventsSince(t: TestContext, id: number) {
  const rows = await t.db.select().from(notifyEvents).orderBy(asc(notifyEvents.id));
  return rows.filter((r) => r.id > id).map((r) => ({ to: `${r.event}→${r.target}`, data: JSON.parse(r.data) as Record<string, unknown> }));
}

describe('suggestion routing events', () => {
  it('a forward tells each department, a draft tells the office, a refused draft tells no one; each carries only its path', async () => {
    const t = await setup();
    const res = await postJson(t, '/api/v1/forms/deputy-suggestion/submissions', { ...VALID['deputy-suggestion'], subject: '校园周边治安', suggestion: '请在上下学时段协调警力到校门口值守' });
    const { id } = (await res.json()) as { id: number };
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: robot('police-robot-key-0001') });
    await createChannel(t.deps, { role: 'admin' }, { unit: 'office', kind: 'wecom', url: robot('office-robot-key-0001') });
    const officeSession = await signIn(t, 'office');
    let mark = await lastId(t);

    expect((await officeSession.post(`/admin/suggestions/${id}/transitions`, { action: 'forward', units: 'police, education', deadline: '2014-11-10' })).status).toBe(303);
    expect(await eventsSince(t, mark)).toEqual([
      { to: 'suggestion_forwarded→police', data: { path: '/unit/suggestions' } },
      { to: 'suggestion_forwarded→education', data: { path: '/unit/suggestions' } },
    ]);
    // A refused forward writes nothing.
    mark = await lastId(t);
    expect((await officeSession.post(`/admin/suggestions/${id}/transitions`, { action: 'forward', units: 'police', deadline: '2014-11-01' })).status).toBe(422);
    expect(await eventsSince(t, mark)).toEqual([]);

    const police = await signIn(t, 'police');
    expect((await police.post(`/unit/suggestions/${id}/answer`, { text: '已安排民警值守。' })).status).toBe(303);
    expect(await eventsSince(t, mark)).toEqual([{ to: 'suggestion_drafted→office', data: { path: `/admin/suggestions/${id}` } }]);
    // A second draft while the first waits is a 409 and tells no one.
    mark = await lastId(t);
    expect((await police.post(`/unit/suggestions/${id}/answer`, { text: '再改一次。' })).status).toBe(409);
    expect(await eventsSince(t, mark)).toEqual([]);

    await runScheduled(t.deps, EVERY_MINUTE, new Date('2014-11-04T02:01:00Z'));
    const byKey = (key: string) => t.fake.wecom.filter((m) => m.key === key).map((m) => m.text);
    expect(byKey('police-robot-key-0001')).toEqual([expect.stringContaining(EVENT_LABELS.suggestion_forwarded)]);
    expect(byKey('police-robot-key-0001')[0]).toContain('https://pingan.example.org/unit/suggestions');
    const toOffice = byKey('office-robot-key-0001').join('\n');
    expect(toOffice).toContain(EVENT_LABELS.suggestion_drafted);
    expect(toOffice).toContain(`https://pingan.example.org/admin/suggestions/${id}`);
    // Neither the suggestion's text nor the deputy's reach a group message.
    expect(t.fake.wecom.map((m) => m.text).join('\n')).not.toContain('校园周边治安');
    expect(t.fake.refused).toEqual([]);
  });
});

describe('a co-unit’s part of a hazard', () => {
  it('signing for the part and reporting it fixed tell the lead unit and the office, naming the co-unit', async () => {
    const t = await setup();
    const stored = await storeSubmission(t.deps, { form: hazardTip, answers: { category: 'rental-housing', place: '东风路', description: '杂物' }, personal: {}, unitCode: null, source: 'public' });
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, stored.id) }))!;
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: robot('police-robot-key-0001') });
    await transition(t.deps, { hazardId: h.id, actor: office, action: 'assign', input: { leadUnit: 'police', coUnits: ['work-safety'], deadline: '2014-11-10' } });

    let mark = await lastId(t);
    await transition(t.deps, { hazardId: h.id, actor: coUnit, action: 'accept_part' });
    const accepted = await eventsSince(t, mark);
    expect(accepted.map((e) => e.to)).toEqual(['part_accepted→police', 'part_accepted→office']);
    expect(accepted.map((e) => [e.data.unit, e.data.path])).toEqual([
      ['work-safety', `/unit/hazards/${h.id}`],
      ['work-safety', `/admin/hazards/${h.id}`],
    ]);

    await transition(t.deps, { hazardId: h.id, actor: { role: 'unit', unitCode: 'police', codeId: 2 } as HazardActor, action: 'accept' });
    mark = await lastId(t);
    await transition(t.deps, { hazardId: h.id, actor: coUnit, action: 'report_part_fixed', input: { note: '已加装消防器材' } });
    const fixed = await eventsSince(t, mark);
    expect(fixed.map((e) => e.to)).toEqual(['part_fixed_reported→police', 'part_fixed_reported→office']);
    expect(fixed[0]!.data).toMatchObject({ number: h.number, unit: 'work-safety' });

    await runScheduled(t.deps, EVERY_MINUTE, new Date('2014-11-04T02:01:00Z'));
    const texts = t.fake.wecom.filter((m) => m.key === 'police-robot-key-0001').map((m) => m.text).join('\n');
    for (const label of [EVENT_LABELS.assigned, EVENT_LABELS.part_accepted, EVENT_LABELS.part_fixed_reported]) expect(texts).toContain(label);
    expect(texts).toContain(h.number);
    expect(t.fake.refused).toEqual([]);
  });
});
