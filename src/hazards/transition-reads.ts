// Everything a hazard move decides on, read in one go before its write: the hazard (with its tip's receipt and
// SMS consent), its last event, its co-units and their parts, the units and the merge target the input names,
// and when its fix was reported. The reads start together, so over HTTP they travel as one round trip — and a
// route starts them alongside its sign-in check (src/core/request-memo.ts), so a move costs two in all.
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { hazardCoUnits, hazardEvents, hazards, submissions, units } from '../db/schema.ts';
import { cleanText } from '../lib/text.ts';
import type { TransitionInput } from './transition-input.ts';
import { lastAssignmentId } from './parts.ts';

export type HazardRow = typeof hazards.$inferSelect;

export interface TransitionReads {
  hazard: HazardRow | undefined;
  /** The hazard's last event id when read: the write is guarded on it. */
  seen: number;
  coUnits: string[];
  /** Co-units' part events since the last (re)assignment: unit → actions. */
  partActions: Map<string, string[]>;
  /** The units the input names (lead, co-units) that exist: code → kind. */
  knownUnits: Map<string, string>;
  /** The input these reads were made for: the units and merge target looked up. */
  askedFor: string;
  /** The hazard the input asks to merge into, when it names one. */
  duplicateTarget: HazardRow | undefined;
  /** When the fix was last reported (closing on time is judged by it). */
  reportedFixedAt: number | null;
  /** The tip's payload and receipt (SMS consent for the tipster's updates). */
  tip: { payload: string; receipt: string } | null;
}

function namedUnits(raw: TransitionInput): string[] {
  const lead = cleanText(raw.leadUnit);
  const co = Array.isArray(raw.coUnits) ? raw.coUnits : typeof raw.coUnits === 'string' ? raw.coUnits.split(/[,，\s]+/) : [];
  const codes = [...(lead ? [lead] : []), ...co.filter((x): x is string => typeof x === 'string').map((x) => x.trim())].filter(Boolean);
  return [...new Set(codes)].slice(0, 200);
}

function duplicateWanted(raw: TransitionInput): { id: number } | { number: string } | null {
  const v = raw.duplicateOf;
  const t = typeof v === 'number' ? String(v) : cleanText(v);
  if (!t) return null;
  return /^\d+$/.test(t) ? { id: Number(t) } : { number: t.toUpperCase() };
}

/** What of an input the reads depend on: reads made for another input are made again. */
export function askedFor(raw: TransitionInput): string {
  return JSON.stringify([namedUnits(raw), duplicateWanted(raw)]);
}

export async function readTransitionState(db: Pick<Db, 'select' | 'all'>, hazardId: number, raw: TransitionInput = {}): Promise<TransitionReads> {
  const codes = namedUnits(raw);
  const dup = duplicateWanted(raw);
  const [rows, seenRows, co, parts, known, target, reported] = await Promise.all([
    db
      .select({ h: hazards, payload: submissions.payload, receipt: submissions.receipt })
      .from(hazards)
      .leftJoin(submissions, eq(submissions.id, hazards.submissionId))
      .where(eq(hazards.id, hazardId)),
    db.all<{ seen: number | null }>(sql`SELECT max(id) AS seen FROM ${hazardEvents} WHERE hazard_id = ${hazardId}`),
    db.select({ u: hazardCoUnits.unitCode }).from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, hazardId)),
    db
      .select({ unit: hazardEvents.actorUnitCode, action: hazardEvents.action })
      .from(hazardEvents)
      .where(and(eq(hazardEvents.hazardId, hazardId), gt(hazardEvents.id, lastAssignmentId(hazardId)), inArray(hazardEvents.action, ['accept_part', 'report_part_fixed']))),
    codes.length ? db.select({ code: units.code, kind: units.kind }).from(units).where(inArray(units.code, codes)) : Promise.resolve([]),
    dup
      ? db
          .select()
          .from(hazards)
          .where('id' in dup ? eq(hazards.id, dup.id) : eq(hazards.number, dup.number))
          .limit(1)
      : Promise.resolve([]),
    db
      .select({ at: hazardEvents.at })
      .from(hazardEvents)
      .where(and(eq(hazardEvents.hazardId, hazardId), eq(hazardEvents.action, 'report_fixed')))
      .orderBy(desc(hazardEvents.at), desc(hazardEvents.id))
      .limit(1),
  ]);
  const partActions = new Map<string, string[]>();
  for (const p of parts) if (p.unit) partActions.set(p.unit, [...(partActions.get(p.unit) ?? []), p.action]);
  const row = rows[0];
  return {
    hazard: row?.h,
    seen: Number(seenRows[0]?.seen ?? 0),
    coUnits: co.map((c) => c.u),
    partActions,
    knownUnits: new Map(known.map((u) => [u.code, u.kind])),
    askedFor: askedFor(raw),
    duplicateTarget: target[0],
    reportedFixedAt: reported[0]?.at ?? null,
    tip: row?.payload != null && row.receipt != null ? { payload: row.payload, receipt: row.receipt } : null,
  };
}

/** Whether the hazard read exists for this reader: the office and leaders see every hazard, a unit those it leads or helps with. */
export function visibleIn(reads: Pick<TransitionReads, 'hazard' | 'coUnits'>, reader: { role: string; unitCode: string }): boolean {
  if (!reads.hazard) return false;
  return reader.role !== 'unit' || reads.hazard.leadUnitCode === reader.unitCode || reads.coUnits.includes(reader.unitCode);
}
