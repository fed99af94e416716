// Trustworthy visits: a household visited again in the campaign and a visit outside the cadre's 包抓 village are
// flagged in the visit's own insert, and the ranking and dashboards count a household once (R1).
import { sql, type SQL } from 'drizzle-orm';
import { cadres, submissions } from '../db/schema.ts';
import { hmacSha256, toHex } from '../lib/crypto.ts';
import type { Answers } from '../forms/types.ts';

export const VISIT_FORM = 'household-visit';

/** Same person, same place however typed: no spaces or punctuation, full-width folded, case folded. */
export function normaliseHousehold(s: unknown): string {
  return String(s ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** Keyed like client addresses: the table holds no reversible digest of a resident's name and address. */
export async function householdKey(secret: string, campaignId: number, village: string, head: unknown, address: unknown): Promise<string | null> {
  const h = normaliseHousehold(head);
  const a = normaliseHousehold(address);
  if (!village || !h || !a) return null;
  return toHex(await hmacSha256(secret, `household:${campaignId}:${village}:${h}:${a}`)).slice(0, 32);
}

/**
 * The columns a new visit is inserted with: its household key and both flags, computed by the insert
 * itself (subqueries), so two simultaneous saves of one household cannot both read "not seen yet".
 */
export async function visitColumns(
  secret: string,
  campaignId: number,
  answers: Answers,
  personal: Answers,
  /** A corrected visit: its own row is not an earlier visit of its household. */
  self?: number,
): Promise<{ householdKey: string | null; repeatVisit: SQL | boolean; outsideAssignment: SQL | boolean }> {
  const village = typeof answers.place === 'string' ? answers.place : '';
  const key = await householdKey(secret, campaignId, village, personal.householdHead, personal.address);
  const cadreId = typeof answers.cadre === 'number' ? answers.cadre : Number(answers.cadre ?? NaN);
  return {
    householdKey: key,
    repeatVisit: key
      ? sql`EXISTS (SELECT 1 FROM ${submissions} WHERE ${submissions.householdKey} = ${key} AND ${submissions.deletedAt} IS NULL AND ${submissions.id} < ${self ?? Number.MAX_SAFE_INTEGER})`
      : false,
    outsideAssignment:
      village && Number.isInteger(cadreId)
        ? sql`coalesce((SELECT ${cadres.assignedCode} IS NOT NULL AND ${cadres.assignedCode} <> ${village} FROM ${cadres} WHERE ${cadres.id} = ${cadreId}), 0)`
        : false,
  };
}

/**
 * SQL condition on a visit row aliased `alias`: it counts. A repeat counts only when no earlier live visit of
 * the household exists (so deleting the first lets the next count) or the office cleared its flag.
 */
export function countedVisit(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`(${a}.household_key IS NULL OR ${a}.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = ${a}.household_key AND e.id < ${a}.id AND e.deleted_at IS NULL))`;
}
