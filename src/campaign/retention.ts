// Retention of personal data (PIPL: no longer than the purpose needs): once a campaign has been over for its
// retention period, residents' and tipsters' names, phones, addresses and contacts and the photos of its
// records are deleted; receipts, hazards, figures and rankings keep working. Counts are logged, never values.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { auditEvents, campaigns, hazardEvents, hazards, submissionAudit, submissionPersonal, submissions } from '../db/schema.ts';
import { addDays, shanghaiDay } from '../lib/time.ts';
import { collectPhotoKeys } from '../submissions/photos.ts';
import { DEFAULT_RETENTION_DAYS, type CampaignSettings } from './settings.ts';

export interface RetentionWindow {
  campaignId: number;
  name: string;
  startDate: string;
  endDate: string;
  /** The first day on which its personal data is gone. */
  purgeOn: string;
}

/** Every stored campaign with the day its personal data is deleted. */
export async function retentionWindows(deps: Pick<Deps, 'db'>): Promise<RetentionWindow[]> {
  const rows = await deps.db.select({ id: campaigns.id, settings: campaigns.settings }).from(campaigns);
  return rows.map((r) => {
    const s = JSON.parse(r.settings) as CampaignSettings;
    return { campaignId: r.id, name: s.name, startDate: s.startDate, endDate: s.endDate, purgeOn: addDays(s.endDate, (s.retentionDays ?? DEFAULT_RETENTION_DAYS) + 1) };
  });
}

/** A campaign whose personal data goes within 30 days, for the office's warning; null when none. */
export async function upcomingPurge(deps: Pick<Deps, 'db'>, at: Date): Promise<RetentionWindow | null> {
  const today = shanghaiDay(at);
  const soon = (await retentionWindows(deps)).filter((w) => w.purgeOn > today && w.purgeOn <= addDays(today, 30));
  return soon.sort((a, b) => a.purgeOn.localeCompare(b.purgeOn))[0] ?? null;
}

export interface PurgeResult {
  campaigns: number;
  personal: number;
  photos: number;
}

/**
 * The nightly job. A record is purged when the day it was made lies in a campaign whose retention is over and
 * in no campaign whose retention is still running (windows may overlap). Idempotent: a second run finds nothing.
 */
export async function purgeExpiredPersonalData(deps: Pick<Deps, 'db' | 'photos' | 'log'>, at: Date): Promise<PurgeResult> {
  const today = shanghaiDay(at);
  const windows = await retentionWindows(deps);
  const expired = windows.filter((w) => w.purgeOn <= today);
  const result: PurgeResult = { campaigns: 0, personal: 0, photos: 0 };
  if (!expired.length) return result;
  const running = windows.filter((w) => w.purgeOn > today);
  const inAny = (ws: RetentionWindow[]) =>
    ws.length ? sql.join(ws.map((w) => sql`(${submissions.day} BETWEEN ${w.startDate} AND ${w.endDate})`), sql` OR `) : sql`0`;
  const due = await deps.db
    .select({ id: submissions.id, payload: submissions.payload, personal: submissionPersonal.submissionId })
    .from(submissions)
    .leftJoin(submissionPersonal, eq(submissionPersonal.submissionId, submissions.id))
    .where(and(sql`(${inAny(expired)})`, sql`NOT (${inAny(running)})`, sql`(${submissionPersonal.submissionId} IS NOT NULL OR ${submissions.payload} LIKE '%.jpg%' OR ${submissions.payload} LIKE '%.png%' OR ${submissions.payload} LIKE '%.webp%')`));
  if (!due.length) return result;
  const ids = due.map((d) => d.id);
  const keys = new Set<string>();
  for (const d of due) collectPhotoKeys(d.payload, keys);
  // Evidence photos on the hazards these records started: the events that carry one, in one query.
  const events = await deps.db
    .select({ id: hazardEvents.id, photo: sql<string>`json_extract(${hazardEvents.data}, '$.photo')` })
    .from(hazardEvents)
    .innerJoin(hazards, eq(hazards.id, hazardEvents.hazardId))
    .where(and(inArray(hazards.submissionId, ids), sql`json_extract(${hazardEvents.data}, '$.photo') IS NOT NULL`));
  for (const e of events) collectPhotoKeys(e.photo, keys);

  // The photos first: a crash between the two steps leaves rows pointing at missing photos (shown as gone),
  // never photos that no row points at any more.
  for (const key of keys) await deps.photos.delete?.(key);
  const personal = due.filter((d) => d.personal !== null).length;
  const eventIds = events.map((e) => e.id);
  await deps.db.batch([
    deps.db.delete(submissionPersonal).where(inArray(submissionPersonal.submissionId, ids)),
    // Edits kept for the audit trail hold the personal part too: it goes with the record's.
    deps.db
      .update(submissionAudit)
      .set({ before: sql`json_remove(${submissionAudit.before}, '$.personal')`, after: sql`json_remove(${submissionAudit.after}, '$.personal')` })
      .where(inArray(submissionAudit.submissionId, ids)),
    deps.db.update(submissions).set({ payload: sql`json_remove(${submissions.payload}, '$.photo', '$.photos')` }).where(inArray(submissions.id, ids)),
    ...(eventIds.length ? [deps.db.update(hazardEvents).set({ data: sql`json_remove(${hazardEvents.data}, '$.photo')` }).where(inArray(hazardEvents.id, eventIds))] : []),
    deps.db.insert(auditEvents).values({
      at: at.getTime(),
      actor: 'system',
      kind: 'purge',
      subject: expired.map((w) => w.campaignId).join(','),
      detail: JSON.stringify({ records: ids.length, personal, photos: keys.size }),
    }),
  ]);
  Object.assign(result, { campaigns: expired.length, personal, photos: keys.size });
  deps.log.info('retention: personal data purged', { ...result, records: ids.length });
  return result;
}
