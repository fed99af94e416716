// Events the clock brings: hand-in deadlines three days and one day ahead, and the leaders' ranking at 08:00.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { notifyEvents } from '../../../src/db/schema.ts';
import { queueScheduledEvents } from '../../../src/notifications/events.ts';
import { deliverNotifications } from '../../../src/notifications/deliver.ts';
import { createChannel } from '../../../src/notifications/channels.ts';
import { computeSnapshot } from '../../../src/rankings/index.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { createFakeProviders } from '../../fakes/notify/index.ts';

describe('scheduled notifications', () => {
  it('tells the towns that owe the ledger hand-in three days and one day ahead, once each', async () => {
    const t = await makeTestApp({ now: '2014-11-12T01:00:00Z' });
    const at = new Date('2014-11-12T01:00:00Z');
    const first = await queueScheduledEvents(t.deps, at);
    expect(first.queued).toBeGreaterThan(5);
    expect((await queueScheduledEvents(t.deps, new Date('2014-11-12T01:01:00Z'))).queued).toBe(0);
    const rows = await t.db.select().from(notifyEvents).where(eq(notifyEvents.event, 'handin_due'));
    expect(new Set(rows.map((r) => r.target)).size).toBe(rows.length);
    expect(rows.map((r) => r.target)).toContain('chencang');
    // The ledger is the towns' hand-in (R7): departments owe none on that day.
    expect(rows.map((r) => r.target)).not.toContain('police');
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ date: '2014-11-15', days: 3 });
    // Two days ahead: nothing; one day ahead: the second reminder.
    expect((await queueScheduledEvents(t.deps, new Date('2014-11-13T01:00:00Z'))).queued).toBe(0);
    expect((await queueScheduledEvents(t.deps, new Date('2014-11-14T01:00:00Z'))).queued).toBe(first.queued);
  });

  it('sends the leaders the day’s ranking at 08:00 Beijing time: top three, bottom three, below the threshold, a link', async () => {
    const fake = createFakeProviders();
    const t = await makeTestApp({ now: '2014-11-05T00:00:00Z', config: { WECOM_API_ROOT: 'https://wecom.fake/' }, deps: { fetch: fake.fetch } });
    await computeSnapshot(t.deps, '2014-11-04');
    await createChannel(t.deps, { role: 'admin' }, { unit: 'leaders', kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=leaders' });
    expect((await queueScheduledEvents(t.deps, new Date('2014-11-04T23:59:00Z'))).queued).toBe(0);
    await queueScheduledEvents(t.deps, new Date('2014-11-05T00:00:00Z'));
    await queueScheduledEvents(t.deps, new Date('2014-11-05T00:01:00Z'));
    await deliverNotifications(t.deps, new Date('2014-11-05T00:01:00Z'));
    expect(fake.wecom).toHaveLength(1);
    const text = fake.wecom[0]!.text;
    expect(text).toContain('2014-11-04');
    expect(text).toContain('前三');
    expect(text).toContain('低于 60 分');
    expect(text).toContain('https://pingan.example.org/leader');
  });
});
