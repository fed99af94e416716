// Notifications end to end against fake providers that check the real request shapes and signatures: the outbox
// written with the change, delivered only by the job, once per channel, with digests, retries, quiet hours for
// SMS, and no personal value in any group message.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazards, notifyChannels, notifyDeliveries, notifyEvents } from '../../../src/db/schema.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';
import { transition } from '../../../src/hazards/service.ts';
import { runScheduled, EVERY_MINUTE } from '../../../src/core/scheduled.ts';
import { createChannel } from '../../../src/notifications/channels.ts';
import { deliverNotifications, smsHeldUntil } from '../../../src/notifications/deliver.ts';
import { categoryLabel } from '../../../src/hazards/categories.ts';
import forms from '../../../forms/index.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { createFakeProviders, DINGTALK_SECRETS, SMS_KEY, WEBHOOK_SECRET, type FakeProviders } from '../../fakes/notify/index.ts';

const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;
const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=police-robot-key-0001';
const DING_URL = 'https://oapi.dingtalk.com/robot/send?access_token=ding-token-1';

async function setup(now = '2014-11-04T02:00:00Z'): Promise<TestContext & { fake: FakeProviders }> {
  let clock = new Date(now).getTime();
  const fake = createFakeProviders({ now: () => clock });
  const t = await makeTestApp({
    now,
    config: {
      WECOM_API_ROOT: 'https://wecom.fake/',
      DINGTALK_API_ROOT: 'https://dingtalk.fake/',
      SMS_API_ROOT: 'https://sms.fake/',
      NOTIFY_ALLOWED_HOSTS: 'hooks.fake',
      SMS_ACCESS_KEY_ID: SMS_KEY.id,
      SMS_ACCESS_KEY_SECRET: SMS_KEY.secret,
      SMS_SIGN_NAME: '平安金台',
      SMS_TEMPLATE_CODE: 'SMS_100000001',
      SMS_TIPSTER_TEMPLATE_CODE: 'SMS_100000002',
    },
    deps: { fetch: fake.fetch },
  });
  const setNow = t.setNow;
  return {
    ...t,
    fake,
    setNow(at) {
      setNow(at);
      clock = new Date(at).getTime();
    },
  };
}

const PLANTED = { contactName: '欧阳秘密', contactPhone: '13987654321' };

async function tip(t: TestContext, extra: Record<string, unknown> = {}, place = '东风路12号出租屋') {
  const stored = await storeSubmission(t.deps, {
    form: hazardTip,
    answers: { category: 'rental-housing', place, description: '私密描述XYZZY楼道堆满杂物', ...extra },
    personal: PLANTED,
    unitCode: 'dongfeng-road-c1',
    source: 'public',
  });
  return (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, stored.id) }))!;
}

const assign = (t: TestContext, id: number, lead = 'police') =>
  transition(t.deps, { hazardId: id, actor: { role: 'admin', unitCode: 'office', codeId: 1 } as never, action: 'assign', input: { leadUnit: lead, deadline: '2014-11-10' } });

const tick = (t: TestContext & { fake: FakeProviders }, at: string) => {
  t.setNow(at);
  return runScheduled(t.deps, EVERY_MINUTE, new Date(at));
};

describe('notification delivery', () => {
  it('assigning a hazard reaches the lead unit’s robot once, with the number and the deadline, only from the job', async () => {
    const t = await setup();
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: WECOM_URL });
    const h = await tip(t);
    await assign(t, h.id);
    // The event is in the outbox with the change; nothing was sent from the request.
    expect(await t.db.select().from(notifyEvents).where(eq(notifyEvents.target, 'police'))).toHaveLength(1);
    expect(t.fake.wecom).toHaveLength(0);

    const r = await tick(t, '2014-11-04T02:01:00Z');
    expect(r.jobs[0]).toMatchObject({ name: 'notifications', ok: true, result: { sent: 1 } });
    await tick(t, '2014-11-04T02:02:00Z');
    await tick(t, '2014-11-04T03:00:00Z');
    expect(t.fake.wecom).toHaveLength(1);
    expect(t.fake.wecom[0]!.key).toBe('police-robot-key-0001');
    expect(t.fake.wecom[0]!.text).toContain(h.number);
    expect(t.fake.wecom[0]!.text).toContain('2014-11-10');
    expect(t.fake.wecom[0]!.text).toContain(categoryLabel('rental-housing'));
    expect(t.fake.wecom[0]!.text).toContain(`https://pingan.example.org/unit/hazards/${h.id}`);
    expect(t.fake.refused).toEqual([]);
  });

  it('an outage of a day delivers everything once when the provider returns, and marks the channel broken meanwhile', async () => {
    const t = await setup();
    const { id } = await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'dingtalk', url: DING_URL, secret: DINGTALK_SECRETS['ding-token-1'] });
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const h = await tip(t);
      await assign(t, h.id);
      numbers.push(h.number);
    }
    t.fake.down.dingtalk = 'http';
    const start = new Date('2014-11-04T02:01:00Z').getTime();
    for (let m = 0; m <= 24 * 60; m += 30) await tick(t, new Date(start + m * 60_000).toISOString());
    expect(t.fake.dingtalk).toHaveLength(0);
    const page = await t.app.request('/api/v1/admin/channels', { headers: await adminBearer(t) });
    expect(((await page.json()) as { id: number; broken: boolean }[]).find((c) => c.id === id)?.broken).toBe(true);

    delete t.fake.down.dingtalk;
    for (let m = 0; m <= 120; m += 10) await tick(t, new Date(start + (24 * 60 + 30 + m) * 60_000).toISOString());
    const all = t.fake.dingtalk.map((m) => m.text).join('\n');
    for (const n of numbers) expect(all.split(n).length - 1).toBe(1);
    expect(t.fake.refused).toEqual([]);
    const [ch] = await t.db.select().from(notifyChannels).where(eq(notifyChannels.id, id));
    expect(ch!.failingSince).toBeNull();
  });

  it('the robots’ rate-limit answer (45009) is retried, not given up', async () => {
    const t = await setup();
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: WECOM_URL });
    await assign(t, (await tip(t)).id);
    t.fake.down.wecom = 'ratelimit';
    await tick(t, '2014-11-04T02:01:00Z');
    const [d] = await t.db.select().from(notifyDeliveries);
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('45009') });
    delete t.fake.down.wecom;
    await tick(t, '2014-11-04T02:05:00Z');
    expect(t.fake.wecom).toHaveLength(1);
  });

  it('a burst of more than five becomes one digest message', async () => {
    const t = await setup();
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: WECOM_URL });
    const numbers: string[] = [];
    for (let i = 0; i < 8; i++) {
      const h = await tip(t);
      await assign(t, h.id);
      numbers.push(h.number);
    }
    await tick(t, '2014-11-04T02:01:00Z');
    expect(t.fake.wecom).toHaveLength(1);
    for (const n of numbers) expect(t.fake.wecom[0]!.text).toContain(n);
    expect(t.fake.wecom[0]!.text).toContain('8 条');
  });

  it('a digest of forty stays within 企业微信’s 4096 bytes and says how many more there are', async () => {
    const t = await setup();
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: WECOM_URL });
    for (let i = 0; i < 40; i++) await assign(t, (await tip(t)).id);
    await tick(t, '2014-11-04T02:01:00Z');
    expect(t.fake.refused).toEqual([]);
    expect(t.fake.wecom).toHaveLength(1);
    expect(t.fake.wecom[0]!.text).toContain('40 条');
    expect(t.fake.wecom[0]!.text).toMatch(/另有 \d+ 条/);
  });

  it('an SMS at 23:00 Beijing time waits until 07:30, then goes out signed', async () => {
    const t = await setup('2014-11-04T15:00:00Z');
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'sms', phones: ['13800000001', '13800000002'] });
    await assign(t, (await tip(t)).id);
    await tick(t, '2014-11-04T15:00:00Z');
    await tick(t, '2014-11-04T23:29:00Z');
    expect(t.fake.sms).toHaveLength(0);
    expect(smsHeldUntil(new Date('2014-11-04T15:00:00Z').getTime())).toBe(new Date('2014-11-04T23:30:00Z').getTime());
    await tick(t, '2014-11-04T23:30:00Z');
    expect(t.fake.refused).toEqual([]);
    expect(t.fake.sms).toHaveLength(1);
    expect(t.fake.sms[0]).toMatchObject({ phones: ['13800000001', '13800000002'], template: 'SMS_100000001' });
    expect(t.fake.sms[0]!.params.content).toContain('2014-11-10');
  });

  it('a tipster who asked for SMS gets the receipt code and status only, on assignment and close-out', async () => {
    const t = await setup();
    const h = await tip(t, { smsUpdates: true });
    await assign(t, h.id);
    await tick(t, '2014-11-04T02:01:00Z');
    expect(t.fake.sms).toHaveLength(1);
    expect(t.fake.sms[0]!.phones).toEqual([PLANTED.contactPhone]);
    expect(t.fake.sms[0]!.template).toBe('SMS_100000002');
    expect(Object.keys(t.fake.sms[0]!.params).sort()).toEqual(['code', 'status']);
    // Without the tick, no SMS: a tip without the box ticked.
    const other = await tip(t);
    await assign(t, other.id);
    await tick(t, '2014-11-04T02:02:00Z');
    expect(t.fake.sms).toHaveLength(1);
  });

  it('no personal value planted in a tip reaches any group message (robots, webhook, digest)', async () => {
    const t = await setup();
    await createChannel(t.deps, { role: 'admin' }, { unit: 'police', kind: 'wecom', url: WECOM_URL });
    await createChannel(t.deps, { role: 'admin' }, { unit: 'office', kind: 'dingtalk', url: DING_URL, secret: DINGTALK_SECRETS['ding-token-1'] });
    await createChannel(t.deps, { role: 'admin' }, { unit: 'office', kind: 'webhook', url: 'https://hooks.fake/hook/12345', secret: WEBHOOK_SECRET });
    for (let i = 0; i < 7; i++) {
      const h = await tip(t, {}, `东风路12号 电话 ${PLANTED.contactPhone}`);
      if (i % 2) await assign(t, h.id);
    }
    await tick(t, '2014-11-04T02:01:00Z');
    expect(t.fake.refused).toEqual([]);
    expect(t.fake.wecom.length + t.fake.dingtalk.length + t.fake.webhook.length).toBeGreaterThan(2);
    const everything = JSON.stringify([t.fake.wecom, t.fake.dingtalk, t.fake.webhook]);
    for (const planted of [PLANTED.contactName, PLANTED.contactPhone, '私密描述XYZZY', '87654321']) expect(everything).not.toContain(planted);
  });

  it('a DingTalk request carries timestamp and a sign that verifies; a wrong secret is refused by the fake and logged as failed', async () => {
    const t = await setup();
    await createChannel(t.deps, { role: 'admin' }, { unit: 'office', kind: 'dingtalk', url: DING_URL, secret: DINGTALK_SECRETS['ding-token-1'] });
    await createChannel(t.deps, { role: 'admin' }, { unit: 'office', kind: 'dingtalk', url: DING_URL, secret: 'SECwrong' });
    await tip(t);
    await deliverNotifications(t.deps, new Date('2014-11-04T02:01:00Z'));
    expect(t.fake.dingtalk).toHaveLength(1);
    expect(t.fake.refused).toEqual([{ provider: 'dingtalk', why: 'sign' }]);
    const failed = await t.db.select().from(notifyDeliveries).where(eq(notifyDeliveries.status, 'failed'));
    expect(failed[0]?.lastError).toContain('310000');
  });
});

async function adminBearer(t: TestContext) {
  const { issueAccessCode } = await import('../../../src/auth/codes.ts');
  const { code } = await issueAccessCode(t.db, { unitCode: 'office' });
  return { authorization: `Bearer ${code}` };
}
