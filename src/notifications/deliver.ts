// The delivery job (every minute on both runtimes; `npx pingan notify`): fans each new event out to its target's
// channels, then sends what is due — once per channel, retried with backoff until the provider confirms, more than
// five at once as one digest, robots at most 20 a minute, SMS held from 22:00 to 07:30 Beijing time.
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { notifyChannels, notifyDeliveries, notifyEvents, submissionPersonal } from '../db/schema.ts';
import { sendAliyunSms, sendDingtalk, sendWebhook, sendWecom, type SendOutcome } from './clients.ts';
import { digest, message, smsContent, webhookPayload, type OutboxEvent } from './messages.ts';
import { queueScheduledEvents } from './events.ts';
import { addressProblem } from './channels.ts';

export const DIGEST_ABOVE = 5;
export const ROBOT_PER_MINUTE = 20;
/** How long a claimed delivery is kept from another run before it counts as abandoned. */
const CLAIM_MS = 5 * 60_000;
const TIPSTER_CHANNEL = 0;

export interface DeliveryResult {
  fannedOut: number;
  sent: number;
  retrying: number;
  failed: number;
  held: number;
}

/** 1, 2, 4 … minutes, at most an hour: an outage of a day is retried every hour and delivered when it ends. */
export function backoffMs(attempts: number): number {
  return Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));
}

/** 22:00–07:30 Beijing time: no SMS; returns when the hold ends, or null outside it. */
export function smsHeldUntil(at: number): number | null {
  const bj = new Date(at + 8 * 3600_000);
  const minutes = bj.getUTCHours() * 60 + bj.getUTCMinutes();
  if (minutes >= 7 * 60 + 30 && minutes < 22 * 60) return null;
  const morning = Date.UTC(bj.getUTCFullYear(), bj.getUTCMonth(), bj.getUTCDate(), 7, 30) - 8 * 3600_000;
  return minutes >= 22 * 60 ? morning + 24 * 3600_000 : morning;
}

async function fanOut(deps: Pick<Deps, 'db'>, now: number): Promise<number> {
  const events = await deps.db.select().from(notifyEvents).where(eq(notifyEvents.fannedOut, false)).orderBy(asc(notifyEvents.id)).limit(500);
  if (!events.length) return 0;
  const targets = [...new Set(events.map((e) => e.target))];
  const channels = await deps.db.select({ id: notifyChannels.id, target: notifyChannels.target }).from(notifyChannels).where(inArray(notifyChannels.target, targets));
  const rows: (typeof notifyDeliveries.$inferInsert)[] = [];
  for (const e of events) {
    if (e.target === 'tipster') rows.push({ eventId: e.id, channelId: TIPSTER_CHANNEL, createdAt: now });
    for (const c of channels) if (c.target === e.target) rows.push({ eventId: e.id, channelId: c.id, createdAt: now });
  }
  const ids = events.map((e) => e.id);
  await deps.db.batch([
    ...(rows.length ? [deps.db.insert(notifyDeliveries).values(rows).onConflictDoNothing()] : []),
    deps.db.update(notifyEvents).set({ fannedOut: true }).where(inArray(notifyEvents.id, ids)),
  ] as unknown as Parameters<typeof deps.db.batch>[0]);
  return rows.length;
}

type Channel = typeof notifyChannels.$inferSelect;

async function sendTo(deps: Deps, channel: Channel, events: OutboxEvent[], now: Date): Promise<SendOutcome> {
  const base = deps.config.PUBLIC_BASE_URL;
  const fetcher = deps.fetch ?? fetch;
  const m = events.length > 1 ? digest(base, events) : message(base, events[0]!);
  switch (channel.kind) {
    case 'wecom':
      return sendWecom(fetcher, deps.config, channel.url!, m);
    case 'dingtalk':
      return sendDingtalk(fetcher, deps.config, channel.url!, channel.secret, m, now.getTime());
    case 'webhook': {
      // Checked again at sending: a name that resolved to a public address when saved may point inside now.
      const problem = await addressProblem(deps, 'webhook', channel.url!);
      if (problem) return { ok: false, retry: false, error: problem };
      return sendWebhook(fetcher, channel.url!, channel.secret, webhookPayload(base, events));
    }
    case 'sms':
      return sendAliyunSms(fetcher, deps.config, JSON.parse(channel.phones ?? '[]') as string[], deps.config.SMS_TEMPLATE_CODE, { content: smsContent(events) }, now);
  }
}

/** The tipster's own number, read from where personal data is kept, only at the moment of sending. */
async function sendTipster(deps: Deps, e: OutboxEvent, now: Date): Promise<SendOutcome> {
  const d = JSON.parse(e.data) as { submissionId: number; receipt: string; status: string };
  const [p] = await deps.db.select({ data: submissionPersonal.data }).from(submissionPersonal).where(eq(submissionPersonal.submissionId, d.submissionId));
  const phone = p ? String((JSON.parse(p.data) as Record<string, unknown>).contactPhone ?? '').trim() : '';
  if (!/^1\d{10}$/.test(phone)) return { ok: false, retry: false, error: '没有可用的手机号' };
  return sendAliyunSms(deps.fetch ?? fetch, deps.config, [phone], deps.config.SMS_TIPSTER_TEMPLATE_CODE || deps.config.SMS_TEMPLATE_CODE, { code: d.receipt, status: d.status }, now);
}

async function settle(deps: Pick<Deps, 'db'>, deliveryIds: number[], attempts: Map<number, number>, channelId: number, outcome: SendOutcome, now: number, result: DeliveryResult): Promise<void> {
  if (outcome.ok) {
    await deps.db.update(notifyDeliveries).set({ status: 'sent', sentAt: now, lastError: null, attempts: sql`${notifyDeliveries.attempts} + 1` }).where(inArray(notifyDeliveries.id, deliveryIds));
    if (channelId) await deps.db.update(notifyChannels).set({ lastOkAt: now, failingSince: null, lastError: null }).where(eq(notifyChannels.id, channelId));
    result.sent += deliveryIds.length;
    return;
  }
  const error = outcome.error.slice(0, 300);
  for (const id of deliveryIds) {
    const n = (attempts.get(id) ?? 0) + 1;
    await deps.db
      .update(notifyDeliveries)
      .set(outcome.retry ? { attempts: n, nextAttemptAt: now + backoffMs(n), lastError: error } : { attempts: n, status: 'failed', lastError: error })
      .where(eq(notifyDeliveries.id, id));
  }
  if (outcome.retry) result.retrying += deliveryIds.length;
  else result.failed += deliveryIds.length;
  if (channelId) {
    await deps.db
      .update(notifyChannels)
      .set({ failingSince: sql`coalesce(${notifyChannels.failingSince}, ${now})`, lastError: error })
      .where(eq(notifyChannels.id, channelId));
  }
}

/** Fans out and sends everything due now; never sends from a request. */
export async function deliverNotifications(deps: Deps, at: Date): Promise<DeliveryResult> {
  const now = at.getTime();
  const result: DeliveryResult = { fannedOut: await fanOut(deps, now), sent: 0, retrying: 0, failed: 0, held: 0 };
  const due = await deps.db
    .select({ id: notifyDeliveries.id, channelId: notifyDeliveries.channelId, attempts: notifyDeliveries.attempts, nextAttemptAt: notifyDeliveries.nextAttemptAt, event: notifyEvents })
    .from(notifyDeliveries)
    .innerJoin(notifyEvents, eq(notifyEvents.id, notifyDeliveries.eventId))
    .where(and(eq(notifyDeliveries.status, 'pending'), lte(notifyDeliveries.nextAttemptAt, now)))
    .orderBy(asc(notifyDeliveries.id))
    .limit(1000);
  if (!due.length) return result;
  const byChannel = new Map<number, typeof due>();
  for (const d of due) byChannel.set(d.channelId, [...(byChannel.get(d.channelId) ?? []), d]);
  const channelRows = await deps.db.select().from(notifyChannels).where(inArray(notifyChannels.id, [...byChannel.keys()]));
  const channels = new Map(channelRows.map((c) => [c.id, c]));
  const held = smsHeldUntil(now);

  for (const [channelId, items] of byChannel) {
    const attempts = new Map(items.map((i) => [i.id, i.attempts]));
    const channel = channels.get(channelId);
    if (channelId !== TIPSTER_CHANNEL && !channel) {
      await settle(deps, items.map((i) => i.id), attempts, 0, { ok: false, retry: false, error: '渠道已删除' }, now, result);
      continue;
    }
    const isSms = channelId === TIPSTER_CHANNEL || channel!.kind === 'sms';
    if (isSms && held !== null) {
      // Held until 07:30: move the attempt time, not the attempt count.
      await deps.db.update(notifyDeliveries).set({ nextAttemptAt: held }).where(inArray(notifyDeliveries.id, items.map((i) => i.id)));
      result.held += items.length;
      continue;
    }
    // Claim them, so an overlapping run does not send them twice.
    const claimed = await deps.db
      .update(notifyDeliveries)
      .set({ nextAttemptAt: now + CLAIM_MS })
      .where(and(inArray(notifyDeliveries.id, items.map((i) => i.id)), eq(notifyDeliveries.status, 'pending'), lte(notifyDeliveries.nextAttemptAt, now)))
      .returning({ id: notifyDeliveries.id });
    const mine = new Set(claimed.map((c) => c.id));
    const batch = items.filter((i) => mine.has(i.id));
    if (!batch.length) continue;

    if (channelId === TIPSTER_CHANNEL) {
      for (const item of batch) await settle(deps, [item.id], attempts, 0, await sendTipster(deps, item.event, at), now, result);
      continue;
    }
    const c = channel!;
    const robot = c.kind === 'wecom' || c.kind === 'dingtalk';
    // Robots take 20 a minute: a digest is one message; otherwise send what the window still allows.
    let budget = Number.POSITIVE_INFINITY;
    if (robot) {
      const fresh = now - c.windowStart >= 60_000;
      budget = ROBOT_PER_MINUTE - (fresh ? 0 : c.windowCount);
      if (fresh) await deps.db.update(notifyChannels).set({ windowStart: now, windowCount: 0 }).where(eq(notifyChannels.id, c.id));
    }
    const groups = batch.length > DIGEST_ABOVE ? [batch] : batch.map((b) => [b]);
    let used = 0;
    for (const group of groups) {
      if (used >= budget) {
        await deps.db.update(notifyDeliveries).set({ nextAttemptAt: now + 60_000 }).where(inArray(notifyDeliveries.id, group.map((g) => g.id)));
        continue;
      }
      used++;
      const outcome = await sendTo(deps, c, group.map((g) => g.event), at);
      await settle(deps, group.map((g) => g.id), attempts, c.id, outcome, now, result);
    }
    if (robot && used) await deps.db.update(notifyChannels).set({ windowCount: sql`${notifyChannels.windowCount} + ${used}` }).where(eq(notifyChannels.id, c.id));
  }
  return result;
}

/** The scheduled job: events the clock brings, then delivery. */
export async function runNotifications(deps: Deps, at: Date): Promise<DeliveryResult & { queued: number }> {
  const { queued } = await queueScheduledEvents(deps, at);
  const delivered = await deliverNotifications(deps, at);
  if (delivered.sent || delivered.failed || delivered.retrying) deps.log.info('notifications: delivery pass', { queued, ...delivered });
  return { queued, ...delivered };
}
