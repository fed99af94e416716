// Hazard creation: a readable number per day and the first event, inside the caller's transaction (a tip's
// submission or a ledger row), apart from the state machine's moves in service.ts.
import { sql, type SQL } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents, hazards, units } from '../db/schema.ts';
import { runInOrder, type Stmt, type StmtBuilder } from '../db/batch.ts';
import { shanghaiDay } from '../lib/time.ts';
import type { DeadlineKind } from './deadlines.ts';
import { isClosed, type HazardState } from './states.ts';

export const NUMBER_PREFIX = 'YH';

/** `YH-YYYYMMDD-NNNN`, NNNN counting the hazards of that Asia/Shanghai day, computed by the insert itself. */
export function nextHazardNumberSql(day: string): SQL {
  const stem = `${NUMBER_PREFIX}-${day.replaceAll('-', '')}-`;
  // Numerically, so a day past 9999 hazards keeps counting (text order would put -9999 after -10000).
  return sql`${stem} || printf('%04d', coalesce((SELECT max(cast(substr(${hazards.number}, ${stem.length + 1}) as integer)) FROM ${hazards} WHERE ${hazards.number} LIKE ${`${stem}%`}), 0) + 1)`;
}

export interface NewHazard {
  source: 'tip' | 'ledger';
  /** The submission it came from: its id, or the SQL that finds it inside the submission's own batch. */
  submissionId?: number | SQL | null;
  category: string;
  place: string;
  description?: string;
  /** The reporting unit, or the SQL that keeps a given code only when such a unit exists. */
  reportedUnitCode?: string | SQL | null;
  /** Creation instant, ms. */
  at: number;
  /**
   * Where it starts: a tip waits for triage (reported); a ledger row is either fixed on the spot
   * (R10) or already in the hands of its own unit with a plan and deadline (R11) (rectifying).
   */
  initial?: 'reported' | 'fixed_on_spot' | 'rectifying';
  leadUnitCode?: string | null;
  coUnitCodes?: readonly string[];
  deadline?: string | null;
  deadlineKind?: DeadlineKind | null;
  note?: string | null;
  /** Photo key of the tip or ledger row (internal evidence, never on the receipt). */
  photo?: string | null;
}

export interface CreatedHazard {
  id: number;
  number: string;
  state: HazardState;
}

/**
 * The statements creating a hazard, its first event and its co-units, for the caller's batch or transaction, in
 * this order: the event and co-units find the new hazard by last_insert_rowid(), so nothing may run between them.
 * The first statement returns the hazard's id, number and state. Co-units that are not existing units (or are
 * the office, or the lead) are left out by the insert.
 */
export function createHazardStatements(q: StmtBuilder, input: NewHazard): Stmt[] {
  const state: HazardState = input.initial ?? 'reported';
  if (state === 'rectifying' && (!input.leadUnitCode || !input.deadline)) {
    throw new Error('createHazard: a rectifying hazard needs a lead unit and a deadline');
  }
  const day = shanghaiDay(input.at);
  const closed = isClosed(state);
  const out: Stmt[] = [
    q
      .insert(hazards)
      .values({
        number: nextHazardNumberSql(day),
        source: input.source,
        submissionId: input.submissionId ?? null,
        category: input.category.slice(0, 100),
        place: input.place.slice(0, 200),
        description: (input.description ?? '').slice(0, 2000),
        reportedUnitCode: input.reportedUnitCode ?? null,
        leadUnitCode: input.leadUnitCode ?? (closed ? (input.reportedUnitCode ?? null) : null),
        state,
        deadline: input.deadline ?? null,
        deadlineKind: input.deadlineKind ?? null,
        closedAt: closed ? input.at : null,
        closedDay: closed ? day : null,
        closedOnTime: closed ? true : null,
        createdAt: input.at,
        day,
        updatedAt: input.at,
      })
      .returning({ id: hazards.id, number: hazards.number, state: hazards.state }),
    q.insert(hazardEvents).values({
      hazardId: sql`last_insert_rowid()`,
      at: input.at,
      action: input.source === 'tip' ? 'report' : 'record_ledger',
      fromState: null,
      toState: state,
      actorRole: input.source === 'tip' ? 'tipster' : 'unit',
      actorUnitCode: input.source === 'tip' ? null : (input.reportedUnitCode ?? null),
      note: input.note ?? null,
      data: firstEventData(input),
    }),
  ];
  const coUnits = [...new Set(input.coUnitCodes ?? [])].filter((c) => c !== input.leadUnitCode);
  if (coUnits.length) {
    out.push(
      q.run(sql`INSERT INTO ${hazardCoUnits} (hazard_id, unit_code)
        SELECT e.hazard_id, u.code FROM ${hazardEvents} e JOIN ${units} u ON u.code IN ${coUnits} AND u.kind <> 'office'
        WHERE e.id = last_insert_rowid()`),
    );
  }
  return out;
}

/** Creates a hazard and its first event in the caller's transaction (or, for tests and the demo, on its own). */
export async function createHazard(q: StmtBuilder, input: NewHazard): Promise<CreatedHazard> {
  const [insert, ...rest] = createHazardStatements(q, input);
  const [row] = (await insert!) as unknown as CreatedHazard[];
  await runInOrder(rest);
  return { id: row!.id, number: row!.number, state: row!.state as HazardState };
}

function firstEventData(input: NewHazard): string | null {
  const data: Record<string, unknown> = {};
  if (input.deadline) Object.assign(data, { deadline: input.deadline, deadlineKind: input.deadlineKind ?? null });
  if (input.photo) data.photo = input.photo;
  return Object.keys(data).length ? JSON.stringify(data) : null;
}
