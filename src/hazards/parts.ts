// Co-units' parts of a hazard (R12): each co-unit signs for its part, reports progress and reports its part
// done, as hazard events that leave the main state alone. A part's status is read from those events since
// the hazard was last assigned, so the history is the one record of who did what.
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents } from '../db/schema.ts';
import type { DbOrTx } from './service.ts';
import { allowedActions, type Actor, type HazardAction } from './states.ts';

export type PartStatus = 'assigned' | 'accepted' | 'fixed';

export const PART_LABELS: Record<PartStatus, string> = { assigned: '待签收', accepted: '已签收，配合整改中', fixed: '已报告完成' };

/** The co-unit actions a part in this status allows (the table in states.ts decides the hazard's states). */
const PART_ACTIONS: Record<PartStatus, readonly HazardAction[]> = {
  assigned: ['accept_part'],
  accepted: ['progress', 'report_part_fixed'],
  fixed: ['progress'],
};

export function partAllows(status: PartStatus, action: HazardAction): boolean {
  return PART_ACTIONS[status].includes(action);
}

export interface PartView {
  unit: string;
  status: PartStatus;
  statusLabel: string;
  /** The co-unit's latest progress or completion note and when. */
  note: string | null;
  lastAt: string | null;
}

/** Parts start over when the office (re)assigns the hazard (the co-units may have changed): the id of that event, or 0. */
export function lastAssignmentId(hazardId: number) {
  return sql<number>`coalesce((SELECT max(${hazardEvents.id}) FROM ${hazardEvents} WHERE ${hazardEvents.hazardId} = ${hazardId} AND ${hazardEvents.action} IN ('assign', 'reassign')), 0)`;
}

/** A part's status from its unit's part actions since the last assignment. */
export function partStatusOf(actions: readonly string[]): PartStatus {
  return actions.includes('report_part_fixed') ? 'fixed' : actions.includes('accept_part') ? 'accepted' : 'assigned';
}

/** Every co-unit's part of one hazard, in the order they were named. */
export async function partsOf(db: DbOrTx, hazardId: number): Promise<PartView[]> {
  // Both reads start together: the co-units' events are found by the co-unit table, not by the first read's rows.
  const [co, events] = await Promise.all([
    db.select({ unit: hazardCoUnits.unitCode }).from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, hazardId)),
    db
      .select({ unit: hazardEvents.actorUnitCode, action: hazardEvents.action, note: hazardEvents.note, at: hazardEvents.at })
      .from(hazardEvents)
      .where(
        and(
          eq(hazardEvents.hazardId, hazardId),
          gt(hazardEvents.id, lastAssignmentId(hazardId)),
          inArray(hazardEvents.action, ['accept_part', 'progress', 'report_part_fixed']),
          inArray(hazardEvents.actorUnitCode, db.select({ u: hazardCoUnits.unitCode }).from(hazardCoUnits).where(eq(hazardCoUnits.hazardId, hazardId))),
        ),
      )
      .orderBy(asc(hazardEvents.at), asc(hazardEvents.id)),
  ]);
  if (!co.length) return [];
  return co.map(({ unit }) => {
    const own = events.filter((e) => e.unit === unit);
    const status = partStatusOf(own.map((e) => e.action));
    const last = [...own].reverse().find((e) => e.note);
    return { unit, status, statusLabel: PART_LABELS[status], note: last?.note ?? null, lastAt: last ? new Date(last.at).toISOString() : null };
  });
}

/** What an actor may do next on a hazard, a co-unit's actions narrowed to its part's status (from partsOf). */
export function allowedGivenParts(state: string, actors: readonly Actor[], parts: readonly Pick<PartView, 'unit' | 'status'>[], unitCode?: string): HazardAction[] {
  const allowed = allowedActions(state, actors);
  if (!actors.includes('co') || !unitCode) return allowed;
  const status = parts.find((p) => p.unit === unitCode)?.status ?? 'assigned';
  return allowed.filter((a) => partAllows(status, a));
}
