// Hazard creation: a readable number per day and the first event, inside the caller's transaction (a tip's
// submission or a ledger row), apart from the state machine's moves in service.ts.
import { like, sql } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents, hazards } from '../db/schema.ts';
import { shanghaiDay } from '../lib/time.ts';
import type { DeadlineKind } from './deadlines.ts';
import type { DbOrTx } from './service.ts';
import { isClosed, type HazardState } from './states.ts';

export const NUMBER_PREFIX = 'YH';

/** `YH-YYYYMMDD-NNNN`, NNNN counting the hazards of that Asia/Shanghai day. */
export async function nextHazardNumber(tx: DbOrTx, day: string): Promise<string> {
  const stem = `${NUMBER_PREFIX}-${day.replaceAll('-', '')}-`;
  // Numerically, so a day past 9999 hazards keeps counting (text order would put -9999 after -10000).
  const [last] = await tx
    .select({ n: sql<number | null>`max(cast(substr(${hazards.number}, ${stem.length + 1}) as integer))` })
    .from(hazards)
    .where(like(hazards.number, `${stem}%`));
  const n = (last?.n ?? 0) + 1;
  return `${stem}${String(n).padStart(4, '0')}`;
}

export interface NewHazard {
  source: 'tip' | 'ledger';
  submissionId?: number | null;
  category: string;
  place: string;
  description?: string;
  reportedUnitCode?: string | null;
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

/** Creates a hazard and its first event. Call inside a transaction to keep it atomic with its source. */
export async function createHazard(tx: DbOrTx, input: NewHazard): Promise<CreatedHazard> {
  const state: HazardState = input.initial ?? 'reported';
  if (state === 'rectifying' && (!input.leadUnitCode || !input.deadline)) {
    throw new Error('createHazard: a rectifying hazard needs a lead unit and a deadline');
  }
  const day = shanghaiDay(input.at);
  const number = await nextHazardNumber(tx, day);
  const closed = isClosed(state);
  const [row] = await tx
    .insert(hazards)
    .values({
      number,
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
    .returning({ id: hazards.id });
  const id = row!.id;
  const coUnits = [...new Set(input.coUnitCodes ?? [])].filter((c) => c !== input.leadUnitCode);
  if (coUnits.length) await tx.insert(hazardCoUnits).values(coUnits.map((unitCode) => ({ hazardId: id, unitCode })));
  await tx.insert(hazardEvents).values({
    hazardId: id,
    at: input.at,
    action: input.source === 'tip' ? 'report' : 'record_ledger',
    fromState: null,
    toState: state,
    actorRole: input.source === 'tip' ? 'tipster' : 'unit',
    actorUnitCode: input.source === 'tip' ? null : (input.reportedUnitCode ?? null),
    note: input.note ?? null,
    data: firstEventData(input),
  });
  return { id, number, state };
}

function firstEventData(input: NewHazard): string | null {
  const data: Record<string, unknown> = {};
  if (input.deadline) Object.assign(data, { deadline: input.deadline, deadlineKind: input.deadlineKind ?? null });
  if (input.photo) data.photo = input.photo;
  return Object.keys(data).length ? JSON.stringify(data) : null;
}
