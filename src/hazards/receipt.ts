// What a tipster sees of their hazard through the receipt code, and their callback after close-out.
// Only state labels, times and public notes: no personal data, no staff or unit names.
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { hazardEvents, hazards, submissions } from '../db/schema.ts';
import { AppError, notFound } from '../lib/errors.ts';
import { ACTIONS, isFixed, isHazardAction, isMerged, publicStateLabel, SYSTEM_EVENTS, type ActionDefinition } from './states.ts';
import { transition, type DbOrTx, type HazardRow, type TransitionResult } from './service.ts';

export interface PublicStep {
  status: string;
  /** ISO 8601. */
  at: string;
  note: string | null;
}

export interface PublicStatus {
  status: string;
  number: string;
  /** True when the tipster may now say whether it is really fixed. */
  feedbackOpen: boolean;
  history: PublicStep[];
}

const MAX_MERGE_DEPTH = 5;

/** The hazard a tip became, following merges to the one that is being handled. */
async function hazardsOfSubmission(db: DbOrTx, submissionId: number): Promise<{ own: HazardRow; root: HazardRow } | null> {
  const own = await db.query.hazards.findFirst({ where: eq(hazards.submissionId, submissionId) });
  if (!own) return null;
  let root = own;
  for (let i = 0; i < MAX_MERGE_DEPTH && isMerged(root.state) && root.duplicateOf; i++) {
    const next = await db.query.hazards.findFirst({ where: eq(hazards.id, root.duplicateOf) });
    if (!next) break;
    root = next;
  }
  return { own, root };
}

function publicStep(e: typeof hazardEvents.$inferSelect): PublicStep | null {
  const at = new Date(e.at).toISOString();
  if (e.action === 'report' || e.action === 'record_ledger') {
    return { status: publicStateLabel(e.toState), at, note: SYSTEM_EVENTS[e.action].publicText };
  }
  if (!isHazardAction(e.action)) return null; // reminders, overdue marks, merges: internal
  const def: ActionDefinition = ACTIONS[e.action];
  // Internal notes that do not move the hazard (催办, progress) are not steps for the tipster.
  if (!def.to && !def.publicText) return null;
  return { status: publicStateLabel(e.toState), at, note: def.publicNote ? e.note : (def.publicText ?? null) };
}

/** The last feedback a tipster gave after the latest close-out, if any. */
async function feedbackSinceClose(db: DbOrTx, hazardId: number): Promise<boolean> {
  const [last] = await db
    .select({ action: hazardEvents.action })
    .from(hazardEvents)
    .where(and(eq(hazardEvents.hazardId, hazardId), inArray(hazardEvents.action, ['close', 'fix_on_spot', 'confirm_fixed', 'reopen'])))
    .orderBy(desc(hazardEvents.at), desc(hazardEvents.id))
    .limit(1);
  return last?.action === 'confirm_fixed';
}

/** The receipt status of a hazard tip, or null when the submission has no hazard. */
export async function publicHazardStatus(db: DbOrTx, submissionId: number): Promise<PublicStatus | null> {
  const found = await hazardsOfSubmission(db, submissionId);
  if (!found) return null;
  const { own, root } = found;
  const ownEvents = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, own.id)).orderBy(hazardEvents.at, hazardEvents.id);
  const steps = ownEvents.map(publicStep).filter((s): s is PublicStep => s !== null);
  if (root.id !== own.id) {
    // After the merge, the tipster follows the hazard that is kept.
    const mergedAt = ownEvents.at(-1)?.at ?? own.updatedAt;
    const rootEvents = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, root.id)).orderBy(hazardEvents.at, hazardEvents.id);
    for (const e of rootEvents) {
      if (e.at < mergedAt) continue;
      const s = publicStep(e);
      if (s) steps.push(s);
    }
  }
  return {
    status: publicStateLabel(root.state),
    number: own.number,
    feedbackOpen: own.source === 'tip' && isFixed(root.state) && !(await feedbackSinceClose(db, root.id)),
    history: steps,
  };
}

/** Normalises what people type: case, spaces and dashes do not matter. */
const normaliseReceipt = (s: string) => s.toUpperCase().replace(/[\s-]/g, '');

/**
 * The tipster's callback: fixed confirms the close-out, not fixed reopens it for the office.
 * 404 for an unknown receipt or one without a hazard; 409 before close-out or after feedback was given.
 */
export async function tipsterFeedback(deps: Pick<Deps, 'db' | 'now' | 'plugins'>, receipt: string, fixed: boolean): Promise<TransitionResult> {
  const code = normaliseReceipt(receipt);
  if (!/^[A-Z0-9]{4,32}$/.test(code)) throw notFound('找不到该回执');
  const [sub] = await deps.db.select({ id: submissions.id, deletedAt: submissions.deletedAt }).from(submissions).where(eq(submissions.receipt, code));
  if (!sub || sub.deletedAt) throw notFound('找不到该回执');
  const found = await hazardsOfSubmission(deps.db, sub.id);
  if (!found) throw notFound('该回执没有对应的隐患');
  const { own, root } = found;
  // Only a resident's tip has a tipster: a unit's ledger row has a receipt too, but no one may answer for the public on it.
  if (own.source !== 'tip') throw notFound('该回执没有对应的群众反映');
  return transition(deps, {
    hazardId: root.id,
    actor: { role: 'tipster' },
    // No free text from the public: it could carry a phone number to every unit that reads the history.
    action: fixed ? 'confirm_fixed' : 'reopen',
    // Checked inside the transition's transaction, and its write is guarded on the last event: a "fixed" and a
    // "not fixed" sent at the same instant cannot both apply.
    check: async (tx, hazard) => {
      // Only a hazard closed as rectified can be confirmed or disputed; "not a hazard" is the office's call.
      if (!isFixed(hazard.state)) {
        throw new AppError(409, 'NOT_CLOSED', '该隐患尚未整改销号，暂不能评价', { state: hazard.state, allowed: [] });
      }
      if (await feedbackSinceClose(tx, hazard.id)) {
        throw new AppError(409, 'FEEDBACK_GIVEN', '您已确认过整改结果，感谢监督', { state: hazard.state, allowed: [] });
      }
    },
  });
}
