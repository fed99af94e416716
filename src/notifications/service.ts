// The office's view of notifications: the delivery log, pending counts, and a test message queued for one channel.
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { notifyChannels, notifyDeliveries, notifyEvents, type NotifyDeliveryStatus } from '../db/schema.ts';
import { notFound } from '../lib/errors.ts';
import { summary } from './messages.ts';

export interface DeliveryView {
  id: number;
  eventId: number;
  event: string;
  target: string;
  channelId: number;
  kind: string | null;
  /** retrying: pending after a failed attempt. */
  status: NotifyDeliveryStatus | 'retrying';
  attempts: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  text: string;
}

export async function listDeliveries(deps: Pick<Deps, 'db'>, status?: NotifyDeliveryStatus, limit = 200, target?: string): Promise<DeliveryView[]> {
  const conds = [status ? eq(notifyDeliveries.status, status) : undefined, target ? eq(notifyEvents.target, target) : undefined].filter(Boolean);
  const rows = await deps.db
    .select({ d: notifyDeliveries, e: notifyEvents, kind: notifyChannels.kind })
    .from(notifyDeliveries)
    .innerJoin(notifyEvents, eq(notifyEvents.id, notifyDeliveries.eventId))
    .leftJoin(notifyChannels, eq(notifyChannels.id, notifyDeliveries.channelId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(notifyDeliveries.id))
    .limit(limit);
  return rows.map(({ d, e, kind }) => ({
    id: d.id,
    eventId: e.id,
    event: e.event,
    target: e.target,
    channelId: d.channelId,
    kind: d.channelId === 0 ? 'sms' : (kind ?? null),
    status: d.status === 'pending' && d.attempts > 0 ? 'retrying' : d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: d.createdAt,
    sentAt: d.sentAt,
    text: summary(e),
  }));
}

/** Deliveries waiting, plus events not yet fanned out. */
export async function pendingCount(deps: Pick<Deps, 'db'>): Promise<number> {
  // Both counts are read together (one round trip).
  const [[a], [b]] = await Promise.all([
    deps.db.select({ n: sql<number>`count(*)` }).from(notifyDeliveries).where(eq(notifyDeliveries.status, 'pending')),
    deps.db.select({ n: sql<number>`count(*)` }).from(notifyEvents).where(and(eq(notifyEvents.fannedOut, false), gt(notifyEvents.id, 0))),
  ]);
  return Number(a?.n ?? 0) + Number(b?.n ?? 0);
}

/** A test message for one channel only, sent by the next delivery pass. */
export async function queueTestMessage(deps: Pick<Deps, 'db' | 'now'>, channelId: number, unitCode?: string): Promise<{ eventId: number }> {
  const [c] = await deps.db.select().from(notifyChannels).where(eq(notifyChannels.id, channelId));
  if (!c || (unitCode && c.target !== unitCode)) throw notFound('找不到该通知渠道');
  const at = deps.now().getTime();
  const [e] = await deps.db
    .insert(notifyEvents)
    .values({ event: 'test', target: c.target, data: JSON.stringify({ path: c.target === 'leaders' ? '/leader' : c.target === 'office' ? '/admin' : '/unit' }), createdAt: at, fannedOut: true })
    .returning({ id: notifyEvents.id });
  await deps.db.insert(notifyDeliveries).values({ eventId: e!.id, channelId, createdAt: at });
  return { eventId: e!.id };
}
