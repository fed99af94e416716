// What leaves the server and what the office reads back: the notification outbox (src/notifications/) and the audit trail.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => integer('created_at', { mode: 'number' }).notNull();

export const NOTIFY_CHANNEL_KINDS = ['wecom', 'dingtalk', 'webhook', 'sms'] as const;
export type NotifyChannelKind = (typeof NOTIFY_CHANNEL_KINDS)[number];
export const NOTIFY_DELIVERY_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotifyDeliveryStatus = (typeof NOTIFY_DELIVERY_STATUSES)[number];

/** Where a unit, the office (`office`) or the leaders (`leaders`) are told: a robot, a webhook or SMS numbers. */
export const notifyChannels = sqliteTable(
  'notify_channels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** A unit code, `office` or `leaders`. */
    target: text('target').notNull(),
    kind: text('kind', { enum: NOTIFY_CHANNEL_KINDS }).notNull(),
    /** Robot or webhook address (the robot's key / access_token lives in it); null for SMS. */
    url: text('url'),
    /** DingTalk 加签 secret or the webhook's HMAC secret; never shown or logged. */
    secret: text('secret'),
    /** SMS: JSON array of mobile numbers. */
    phones: text('phones'),
    createdAt: createdAt(),
    createdBy: text('created_by').notNull(),
    lastOkAt: integer('last_ok_at', { mode: 'number' }),
    /** First failure since the last success; a day of failures marks the channel broken on the office's page. */
    failingSince: integer('failing_since', { mode: 'number' }),
    lastError: text('last_error'),
    /** Rate window: robots take 20 messages a minute. */
    windowStart: integer('window_start', { mode: 'number' }).notNull().default(0),
    windowCount: integer('window_count').notNull().default(0),
  },
  (t) => [index('notify_channels_target_idx').on(t.target)],
);

/** The notification outbox: one event per target, written in the same transaction as its cause; no personal data. */
export const notifyEvents = sqliteTable(
  'notify_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Scheduled events (reminders, the morning ranking) are written once per key. */
    dedupeKey: text('dedupe_key'),
    event: text('event').notNull(),
    /** A unit code, `office`, `leaders`, or `tipster` (an SMS to the tipster's own number, read at sending). */
    target: text('target').notNull(),
    /** JSON: hazard number, category, place, deadline, link… */
    data: text('data').notNull(),
    createdAt: createdAt(),
    /** Fanned out to the target's channels (one delivery per channel). */
    fannedOut: integer('fanned_out', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('notify_events_dedupe_idx').on(t.dedupeKey), index('notify_events_fan_idx').on(t.fannedOut)],
);

/** One event on one channel: delivered at most once, retried with backoff until the provider confirms. */
export const notifyDeliveries = sqliteTable(
  'notify_deliveries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    eventId: integer('event_id').notNull(),
    /** 0: the tipster's SMS, which has no channel row. */
    channelId: integer('channel_id').notNull(),
    status: text('status', { enum: NOTIFY_DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'number' }).notNull().default(0),
    lastError: text('last_error'),
    sentAt: integer('sent_at', { mode: 'number' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notify_deliveries_event_channel_idx').on(t.eventId, t.channelId),
    index('notify_deliveries_status_idx').on(t.status, t.nextAttemptAt),
  ],
);

/**
 * What the office's audit trail reads besides the tables that already record their own history
 * (submission_audit, hazard_events, access_codes, campaign_versions, sessions): personal-data purges,
 * a resident's contact details deleted on request, backups and restores. Never holds personal values.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'number' }).notNull(),
    /** Who: `unit#codeId` for a signed-in person, `system` for the scheduled job, `cli` for a command. */
    actor: text('actor').notNull(),
    kind: text('kind').notNull(),
    unitCode: text('unit_code'),
    /** What it concerns, e.g. a submission id or a campaign id. */
    subject: text('subject'),
    /** JSON details: counts and ids, never personal values. */
    detail: text('detail'),
  },
  (t) => [index('audit_events_at_idx').on(t.at)],
);
