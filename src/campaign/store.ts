// The campaigns in the database: the current one (cached per isolate behind a one-row version check),
// saving an edit as a new version, starting the next campaign, and the list of earlier ones.
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { perRequest, trustedForWrite } from '../core/request-memo.ts';
import { campaigns, campaignVersions, rankingSnapshots } from '../db/schema.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { isValidDay, daysBetween } from '../lib/time.ts';
import { applySettingsPatch, shiftSettings, templateSettings, type CampaignSettings, type CurrentCampaign } from './settings.ts';

/** Per database handle (one per isolate on Workers): the last campaign read and its version. */
const cache = new WeakMap<Db, CurrentCampaign>();

/**
 * The current campaign. One statement per call: it returns the settings only when the cached version is
 * stale, so an edit saved by another isolate, the CLI or another server is seen by the next request.
 */
export function currentCampaign(db: Db): Promise<CurrentCampaign> {
  const known = cache.get(db);
  if (known && trustedForWrite(checkedAt.get(db))) return Promise.resolve(known);
  return perRequest('campaign', () => readCurrentCampaign(db));
}

/** When this isolate last checked its campaign against the database (Date.now()). */
const checkedAt = new WeakMap<Db, number>();

async function readCurrentCampaign(db: Db): Promise<CurrentCampaign> {
  const known = cache.get(db);
  const started = Date.now();
  const checked = <T>(c: T): T => (checkedAt.set(db, started), c);
  const rows = await db.all<{ id: number; version: number; settings: string | null }>(
    sql`SELECT id, version, CASE WHEN id = ${known?.id ?? -1} AND version = ${known?.version ?? -1} THEN NULL ELSE settings END AS settings
        FROM campaigns WHERE current = 1`,
  );
  const row = rows[0];
  if (!row) {
    // Nothing stored yet (SEED=none, or tests on a bare organisation): the template from forms/ is in force.
    if (known?.id === 0) return checked(known);
    const fresh = { id: 0, version: 0, settings: templateSettings() };
    cache.set(db, fresh);
    return checked(fresh);
  }
  if (row.settings === null && known) return checked(known);
  const fresh = { id: Number(row.id), version: Number(row.version), settings: JSON.parse(row.settings ?? '{}') as CampaignSettings };
  cache.set(db, fresh);
  return checked(fresh);
}

/**
 * The current campaign's hazard deadline defaults, read inside a write transaction (whose handle is not the
 * cached client): a ledger row without its own deadline gets them.
 */
export async function hazardDeadlineDefaults(tx: Pick<Db, 'all'>): Promise<CampaignSettings['hazardDeadline']> {
  const [row] = await tx.all<{ d: string | null }>(sql`SELECT json_extract(settings, '$.hazardDeadline') AS d FROM campaigns WHERE current = 1`);
  return row?.d ? (JSON.parse(row.d) as CampaignSettings['hazardDeadline']) : templateSettings().hazardDeadline;
}

/** The campaign last read through this handle (the template before any read), for pages during an outage. */
export function lastKnownCampaign(db: Db): CurrentCampaign {
  return cache.get(db) ?? { id: 0, version: 0, settings: templateSettings() };
}

/** `?campaign=ID` of a reader's request: an earlier campaign, or the current one when absent (404 for an unknown id). */
export async function campaignFromQuery(db: Db, raw: string | undefined): Promise<{ campaign: CurrentCampaign; earlier: boolean }> {
  const current = await currentCampaign(db);
  if (raw === undefined || raw === '' || raw === String(current.id)) return { campaign: current, earlier: false };
  const found = /^\d{1,9}$/.test(raw) ? await campaignById(db, Number(raw)) : null;
  if (!found) throw new AppError(404, 'NO_CAMPAIGN', `找不到编号为“${raw.slice(0, 12)}”的活动`);
  return { campaign: found, earlier: true };
}

export async function campaignById(db: Db, id: number): Promise<CurrentCampaign | null> {
  const [row] = await db.select().from(campaigns).where(eq(campaigns.id, id));
  return row ? { id: row.id, version: row.version, settings: JSON.parse(row.settings) as CampaignSettings } : null;
}

export interface CampaignSummary {
  id: number;
  name: string;
  startDate: string;
  endDate: string;
  current: boolean;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export async function listCampaigns(db: Db): Promise<CampaignSummary[]> {
  const rows = await db.select().from(campaigns).orderBy(desc(campaigns.startDate), desc(campaigns.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    startDate: r.startDate,
    endDate: r.endDate,
    current: r.current === 1,
    version: r.version,
    updatedAt: new Date(r.updatedAt).toISOString(),
    updatedBy: r.updatedBy,
  }));
}

function rowOf(s: CampaignSettings, at: number, by: string) {
  return { name: s.name, startDate: s.startDate, endDate: s.endDate, settings: JSON.stringify(s), updatedAt: at, updatedBy: by };
}

/** Stores `settings` as the first, current campaign when none is stored yet; returns its id. */
export async function ensureCampaign(db: Db, settings: CampaignSettings, at: number, by: string): Promise<number> {
  const [have] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.current, 1));
  if (have) return have.id;
  const [row] = await db
    .insert(campaigns)
    .values({ ...rowOf(settings, at, by), current: 1, version: 1, createdAt: at })
    .returning({ id: campaigns.id });
  await db.batch([
    db.insert(campaignVersions).values({ campaignId: row!.id, version: 1, settings: JSON.stringify(settings), savedAt: at, savedBy: by }),
    // Days ranked while no campaign was stored (under the template) belong to this first one.
    db.update(rankingSnapshots).set({ campaignId: row!.id }).where(eq(rankingSnapshots.campaignId, 0)),
  ]);
  return row!.id;
}

export type SaveResult = { ok: true; campaign: CurrentCampaign } | { ok: false; errors: FieldError[] };

/**
 * Saves an edit of the current campaign as its next version. `expectedVersion`, when given, refuses a save
 * made from a page that someone else's save has overtaken (409), instead of silently undoing their edit.
 */
export async function saveCampaignSettings(
  db: Db,
  patch: unknown,
  opts: { at: number; by: string; expectedVersion?: number },
): Promise<SaveResult> {
  const cur = await currentCampaign(db);
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== cur.version) throw staleEdit(cur.version);
  const merged = applySettingsPatch(cur.settings, patch);
  if (!merged.ok) return merged;
  const s = merged.settings;
  if (cur.id === 0) {
    const id = await ensureCampaign(db, s, opts.at, opts.by);
    return { ok: true, campaign: { id, version: 1, settings: s } };
  }
  // One batch: the guarded UPDATE and the version row that copies what it wrote. If another save won the
  // race the UPDATE matches nothing and so does the copy.
  const [updated] = await db.batch([
    db
      .update(campaigns)
      .set({ ...rowOf(s, opts.at, opts.by), version: sql`${campaigns.version} + 1` })
      .where(and(eq(campaigns.id, cur.id), eq(campaigns.version, cur.version))),
    db.run(sql`INSERT INTO campaign_versions (campaign_id, version, settings, saved_at, saved_by)
                SELECT id, version, settings, updated_at, updated_by FROM campaigns WHERE id = ${cur.id} AND version = ${cur.version + 1}`),
  ]);
  if (updated.rowsAffected === 0) throw staleEdit(cur.version);
  const fresh = { id: cur.id, version: cur.version + 1, settings: s };
  cache.set(db, fresh);
  return { ok: true, campaign: fresh };
}

const staleEdit = (version: number) =>
  new AppError(409, 'STALE_EDIT', '活动设置已被他人修改，请刷新页面，在最新的设置上重新修改', { version });

/** Starts the next campaign: the current settings (and forms) copied under a new name and window. */
export async function startCampaign(
  db: Db,
  input: { name?: unknown; startDate?: unknown; endDate?: unknown },
  opts: { at: number; by: string },
): Promise<SaveResult> {
  const errors: FieldError[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name) errors.push({ field: 'name', message: '活动名称不能为空' });
  else if (name.length > 100) errors.push({ field: 'name', message: '活动名称不能超过 100 个字' });
  const start = typeof input.startDate === 'string' && isValidDay(input.startDate) ? input.startDate : '';
  const end = typeof input.endDate === 'string' && isValidDay(input.endDate) ? input.endDate : '';
  if (!start) errors.push({ field: 'startDate', message: '开始日期请填写有效日期，如 2026-11-04' });
  if (!end) errors.push({ field: 'endDate', message: '结束日期请填写有效日期，如 2026-12-31' });
  if (start && end && end < start) errors.push({ field: 'endDate', message: '结束日期不能早于开始日期' });
  if (start && end && daysBetween(start, end) > 366) errors.push({ field: 'endDate', message: '活动期不能超过一年' });
  if (errors.length) return { ok: false, errors };

  const cur = await currentCampaign(db);
  const settings: CampaignSettings = { ...shiftSettings(cur.settings, start, end), name };
  const [, inserted] = await db.batch([
    db.update(campaigns).set({ current: null }).where(eq(campaigns.current, 1)),
    db
      .insert(campaigns)
      .values({ ...rowOf(settings, opts.at, opts.by), current: 1, version: 1, createdAt: opts.at })
      .returning({ id: campaigns.id }),
    db.run(sql`INSERT INTO campaign_versions (campaign_id, version, settings, saved_at, saved_by)
                SELECT id, 1, settings, updated_at, updated_by FROM campaigns WHERE current = 1`),
  ]);
  const id = inserted[0]!.id;
  const fresh = { id, version: 1, settings };
  cache.set(db, fresh);
  return { ok: true, campaign: fresh };
}
