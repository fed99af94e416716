// Hazard moves along the state machine (states.ts): what the move decides on is read first (transition-reads.ts),
// its fields checked (transition-input.ts), then the hazard, its event, its co-units and what the change hooks add
// are written as one guarded batch.
import { and, eq, sql } from 'drizzle-orm';
import type { ResultSet } from '@libsql/client';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Deps } from '../deps.ts';
import type * as schema from '../db/schema.ts';
import { hazardCoUnits, hazardEvents, hazards } from '../db/schema.ts';
import type { Principal } from '../auth/codes.ts';
import { AppError, forbidden, notFound } from '../lib/errors.ts';
import { shanghaiDay } from '../lib/time.ts';
import { currentCampaign } from '../campaign/store.ts';
import type { Db } from '../db/index.ts';
import { guard, guardFailed, runBatch, type Stmt, type StmtBuilder } from '../db/batch.ts';
import { askedFor, readTransitionState, visibleIn, type HazardRow, type TransitionReads } from './transition-reads.ts';
import { cleanInput, type TransitionInput } from './transition-input.ts';
import { tipsterOf } from '../notifications/events.ts';
import { changeStatements, type HazardFact } from '../core/changes.ts';
import { partAllows, partStatusOf } from './parts.ts';
import {
  ACTIONS,
  allowedActions,
  isClosed,
  isHazardAction,
  isOpen,
  nextState,
  stateLabel,
  type ActionDefinition,
  type Actor,
  type HazardAction,
  type HazardState,
} from './states.ts';

export type { HazardRow } from './transition-reads.ts';
export type { TransitionInput } from './transition-input.ts';

/** A database or a transaction: hazards are also created inside a submission's transaction. */
export type DbOrTx = BaseSQLiteDatabase<'async', ResultSet, typeof schema>;

/** Who moves a hazard: a signed-in unit or office, the tipster holding the receipt, or the scheduler. */
export type HazardActor = Principal | { role: 'tipster' } | { role: 'system' };

/** The roles an actor plays for one hazard: a co-unit acts on its own part only (parts.ts); the lead unit moves the hazard. */
export function actorsFor(actor: HazardActor, hazard: Pick<HazardRow, 'leadUnitCode'>, coUnits: readonly string[] = []): Actor[] {
  switch (actor.role) {
    case 'admin':
      return ['admin'];
    case 'unit':
      if (hazard.leadUnitCode && actor.unitCode === hazard.leadUnitCode) return ['lead'];
      return coUnits.includes(actor.unitCode) ? ['co'] : [];
    case 'tipster':
      return ['tipster'];
    case 'system':
      return ['system'];
    default:
      return [];
  }
}

/** Whether a signed-in unit may see a hazard at all (lead or co-unit); the office and leaders see all. */
export async function canSee(tx: DbOrTx, principal: Principal, hazard: HazardRow): Promise<boolean> {
  if (principal.role !== 'unit') return true;
  if (hazard.leadUnitCode === principal.unitCode) return true;
  const [co] = await tx
    .select({ u: hazardCoUnits.unitCode })
    .from(hazardCoUnits)
    .where(and(eq(hazardCoUnits.hazardId, hazard.id), eq(hazardCoUnits.unitCode, principal.unitCode)));
  return !!co;
}

export interface TransitionRequest {
  hazardId: number;
  actor: HazardActor;
  action: string;
  input?: TransitionInput;
  /** A further condition on the hazard as read (the tipster's feedback: closed, not yet answered). */
  check?: (db: Db, hazard: HazardRow) => Promise<void>;
  /** The reads, when the route started them alongside its sign-in check (readTransitionState with the same input). */
  reads?: TransitionReads | Promise<TransitionReads>;
  /** More statements for the move's one batch (a fix report's place), built once the move is allowed. */
  also?: (q: StmtBuilder, at: number) => Stmt[];
}

export interface TransitionResult {
  id: number;
  number: string;
  from: HazardState;
  state: HazardState;
  action: HazardAction;
  allowed: HazardAction[];
}

function illegal(state: string, allowed: HazardAction[], action: string): AppError {
  const what = isHazardAction(action) ? `「${ACTIONS[action].label}」` : '该操作';
  const can = allowed.length ? `，现在可以：${allowed.map((a) => ACTIONS[a].label).join('、')}` : '';
  return new AppError(409, 'ILLEGAL_TRANSITION', `该隐患当前为「${stateLabel(state)}」，不能进行${what}${can}`, { state, allowed });
}

/**
 * Moves a hazard: 404 when it does not exist or a unit has nothing to do with it, 409 with the allowed actions
 * for an illegal move, 403 for a move that belongs to someone else, 422 for missing fields. Everything it decides
 * on is read first (one round trip, readTransitionState); the hazard, its event, co-units and what the change
 * hooks add are written as one batch whose guard — the state and last event as read — refuses a move that lost a
 * race, writing nothing.
 */
export async function transition(deps: Pick<Deps, 'db' | 'now' | 'plugins'>, req: TransitionRequest): Promise<TransitionResult> {
  const { db } = deps;
  const at = deps.now().getTime();
  const today = shanghaiDay(at);
  const [started, campaign] = await Promise.all([req.reads ?? readTransitionState(db, req.hazardId, req.input), currentCampaign(db)]);
  // Reads started before the body was checked are made again if they looked up other units than the input names.
  const reads = started.askedFor === askedFor(req.input ?? {}) ? started : await readTransitionState(db, req.hazardId, req.input);
  const hazard = reads.hazard;
  if (!hazard || hazard.id !== req.hazardId) throw notFound('找不到该隐患');
  await req.check?.(db, hazard);
  const actor = req.actor;
  // A unit that sees a hazard it does not lead is one of its co-units.
  let co: string[] = [];
  if ('codeId' in actor) {
    if (!visibleIn(reads, actor)) throw notFound('找不到该隐患');
    if (actor.role === 'leader') throw forbidden('领导查看码只能查看，不能操作');
    if (actor.role === 'unit' && actor.unitCode !== hazard.leadUnitCode) co = [actor.unitCode];
  }
  const actors = actorsFor(actor, hazard, co);
  const part = co.length && actors.includes('co') ? partStatusOf(reads.partActions.get(co[0]!) ?? []) : null;
  const allowed = allowedActions(hazard.state, actors).filter((a) => !part || partAllows(part, a));
  if (!isHazardAction(req.action)) throw illegal(hazard.state, allowed, req.action);
  const action = req.action;
  const to = nextState(hazard.state, action);
  if (!to) throw illegal(hazard.state, allowed, action);
  const def: ActionDefinition = ACTIONS[action];
  if (!def.by.some((b) => actors.includes(b))) {
    throw forbidden('该操作应由其他单位进行', { state: hazard.state, allowed });
  }
  // A co-unit signs for its part once, then reports on it.
  if (part && !partAllows(part, action)) throw illegal(hazard.state, allowed, action);
  const input = cleanInput(def, req.input ?? {}, today, hazard, reads, campaign.settings);

  const patch: Partial<typeof hazards.$inferInsert> = { state: to, updatedAt: at };
  const data: Record<string, unknown> = {};
  if (input.leadUnit) {
    patch.leadUnitCode = input.leadUnit;
    patch.deadline = input.deadline ?? null;
    patch.deadlineKind = input.deadlineKind ?? null;
    patch.overdue = false;
    patch.remindedAt = null;
    Object.assign(data, { leadUnit: input.leadUnit, coUnits: input.coUnits ?? [], deadline: input.deadline, deadlineKind: input.deadlineKind });
  }
  if (def.releasesLead) {
    // The unit hands it back: it no longer leads it, and the office names a new lead.
    patch.leadUnitCode = null;
    patch.deadline = null;
    patch.deadlineKind = null;
    patch.overdue = false;
    patch.remindedAt = null;
  }
  if (isOpen(hazard.state) && isClosed(to)) {
    const closedDay = today;
    patch.closedAt = at;
    patch.closedDay = closedDay;
    // The unit met its deadline if it reported the fix in time; the office's verification day is not its doing.
    const doneDay = reads.reportedFixedAt !== null ? shanghaiDay(reads.reportedFixedAt) : closedDay;
    patch.closedOnTime = hazard.deadline ? doneDay <= hazard.deadline : true;
  }
  if (isClosed(hazard.state) && isOpen(to)) {
    patch.closedAt = null;
    patch.closedDay = null;
    patch.closedOnTime = null;
    // Back on the office's desk: the old deadline would show it as long overdue at once; the office
    // sets a new one when it assigns it again (as after a return).
    patch.deadline = null;
    patch.deadlineKind = null;
    patch.overdue = false;
    patch.remindedAt = null;
  }
  if (input.duplicateOf) {
    patch.duplicateOf = input.duplicateOf;
    data.duplicateOf = input.duplicateOf;
  }
  if (input.photo) data.photo = input.photo;

  const lastEvent = sql`coalesce((SELECT max(${hazardEvents.id}) FROM ${hazardEvents} WHERE ${hazardEvents.hazardId} = ${hazard.id}), 0)`;
  const statements: Stmt[] = [
    db
      .update(hazards)
      .set(patch)
      .where(and(eq(hazards.id, hazard.id), eq(hazards.state, hazard.state), sql`${lastEvent} = ${reads.seen}`)),
    // Someone moved it since it was read: nothing of this batch may stay.
    guard(db, sql`changes() = 1`, 'moved'),
  ];
  const coUnitsAfter = input.leadUnit || def.releasesLead ? (input.coUnits ?? []) : reads.coUnits;
  if (input.leadUnit || def.releasesLead) {
    statements.push(db.delete(hazardCoUnits).where(eq(hazardCoUnits.hazardId, hazard.id)));
    if (input.coUnits?.length) statements.push(db.insert(hazardCoUnits).values(input.coUnits.map((unitCode) => ({ hazardId: hazard.id, unitCode }))));
  }
  if (input.duplicateOf) {
    const kept = reads.duplicateTarget!;
    // The kept hazard carries every report of the merged one; more reports mean higher priority.
    statements.push(
      db
        .update(hazards)
        .set({ reportCount: sql`${hazards.reportCount} + ${hazard.reportCount}`, updatedAt: at })
        .where(eq(hazards.id, input.duplicateOf)),
      db.insert(hazardEvents).values({
        hazardId: input.duplicateOf,
        at,
        action: 'merged',
        fromState: sql`(SELECT ${hazards.state} FROM ${hazards} WHERE ${hazards.id} = ${kept.id})`,
        toState: sql`(SELECT ${hazards.state} FROM ${hazards} WHERE ${hazards.id} = ${kept.id})`,
        actorRole: actorRole(actor),
        actorUnitCode: actorUnit(actor),
        note: `合并重复反映 ${hazard.number}`,
        data: JSON.stringify({ merged: hazard.id }),
      }),
    );
  }
  statements.push(
    db.insert(hazardEvents).values({
      hazardId: hazard.id,
      at,
      action,
      fromState: hazard.state,
      toState: to,
      actorRole: actorRole(actor),
      actorUnitCode: actorUnit(actor),
      note: input.reason ?? input.note ?? null,
      data: Object.keys(data).length ? JSON.stringify(data) : null,
    }),
  );
  const after = { ...hazard, ...patch } as HazardRow;
  const fact: HazardFact = {
    id: hazard.id,
    number: hazard.number,
    category: hazard.category,
    place: hazard.place,
    deadline: after.deadline,
    state: to,
    leadUnitCode: after.leadUnitCode,
    coUnits: coUnitsAfter,
    actorUnitCode: actorUnit(actor),
    tipster: tipsterOf(hazard, reads.tip?.payload, reads.tip?.receipt),
  };
  statements.push(
    ...changeStatements(db, deps, { kind: 'hazards', hazardIds: input.duplicateOf ? [hazard.id, input.duplicateOf] : [hazard.id], action, at, facts: [fact] }),
  );
  if (req.also) statements.push(...req.also(db, at));
  try {
    await runBatch(db, statements);
  } catch (err) {
    if (guardFailed(err)) throw illegal(hazard.state, allowed, action);
    throw err;
  }
  const partAfter = part && (action === 'accept_part' ? 'accepted' : action === 'report_part_fixed' ? 'fixed' : part);
  const allowedAfter = allowedActions(to, actorsFor(actor, after, co)).filter((a) => !partAfter || partAllows(partAfter, a));
  return { id: hazard.id, number: hazard.number, from: hazard.state as HazardState, state: to, action, allowed: allowedAfter };
}

function actorRole(actor: HazardActor): string {
  return actor.role;
}

function actorUnit(actor: HazardActor): string | null {
  return 'unitCode' in actor ? actor.unitCode : null;
}
