// What a write changed, told to the plugins that must commit with it: the sheet outbox marks the tabs it makes
// stale; the notifier queues a message to a hazard's lead unit. A hook returns statements, so they travel in the
// caller's own batch (src/db/batch.ts) — or run in its transaction — and commit or fail with the change.
import type { Deps } from '../deps.ts';
import { runBatch, runInOrder, type Stmt, type StmtBuilder } from '../db/batch.ts';
import type { Db } from '../db/index.ts';
import { organisationChanged } from './request-memo.ts';

/** A hazard as it stands after the change, with what the notifier tells about it (read by the caller beforehand). */
export interface HazardFact {
  id: number;
  number: string;
  category: string;
  place: string;
  deadline: string | null;
  state: string;
  leadUnitCode: string | null;
  coUnits: readonly string[];
  /** The unit that took this action on it, when a unit did. */
  actorUnitCode: string | null;
  /** The tip's submission and receipt, when the tipster asked to be told by SMS. */
  tipster: { submissionId: number; receipt: string } | null;
}

/** A deputy's suggestion routed (the notifier tells who must act next): forwarded to units, a unit's draft answer, or the draft returned to it. */
export interface SuggestionFact {
  id: number;
  action: 'forwarded' | 'drafted' | 'returned';
  /** The units it was forwarded to, the unit that drafted, or the unit whose draft the office returned. */
  units: readonly string[];
}

export type Change =
  /** A form's records: a new submission, a unit's edit or deletion, a reply to a suggestion or its routing. */
  | { kind: 'form'; formId: string; at: number; suggestion?: SuggestionFact }
  /** A hazard transition, or a supervision pass that reminded or marked something overdue. */
  | { kind: 'hazards'; hazardIds: readonly number[]; action: string; at: number; facts?: readonly HazardFact[] }
  /** Units or cadres (names, quotas). */
  | { kind: 'organisation'; at: number };

/** Statements for the change's own batch or transaction; no reads, no waiting. */
export type ChangeHook = (q: StmtBuilder, change: Change) => Stmt[];

/** Every change hook's statements, to add to the caller's batch. */
export function changeStatements(q: StmtBuilder, deps: Pick<Deps, 'plugins'>, change: Change): Stmt[] {
  return deps.plugins.changeHooks.flatMap((hook) => hook(q, change));
}

/**
 * A batch that changes the organisation (units, cadres), with the change hooks' statements — the one way such a
 * change is written. This isolate's writes trust lists it read of the organisation (src/core/request-memo.ts):
 * they are marked stale once the batch has ended, so no list read before the change could be seen — even one read
 * while the batch was on its way — is trusted afterwards.
 */
export async function runOrganisationBatch(db: Db, deps: Pick<Deps, 'plugins'>, stmts: readonly Stmt[], at: number): Promise<unknown[]> {
  try {
    return await runBatch(db, [...stmts, ...changeStatements(db, deps, { kind: 'organisation', at })]);
  } finally {
    organisationChanged();
  }
}

/** Runs every change hook in the caller's transaction (for writes that still need one). */
export async function recordChange(tx: StmtBuilder, deps: Pick<Deps, 'plugins'>, change: Change): Promise<void> {
  await runInOrder(changeStatements(tx, deps, change));
}
