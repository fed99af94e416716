// What a transaction changed, told to the plugins that must commit with it: the sheet outbox marks the tabs
// it makes stale; a notifier would queue an SMS to a hazard's lead unit. Throwing rolls the change back.
import type { Deps } from '../deps.ts';
import type { Tx } from '../submissions/hooks.ts';

export type Change =
  /** A form's records: a new submission, a unit's edit or deletion, a reply to a suggestion. */
  | { kind: 'form'; formId: string; at: number }
  /** A hazard transition, or a supervision pass that reminded or marked something overdue. */
  | { kind: 'hazards'; hazardIds: readonly number[]; action: string; at: number }
  /** Units or cadres (names, quotas). */
  | { kind: 'organisation'; at: number };

export type ChangeHook = (tx: Tx, change: Change) => Promise<void>;

/** Runs every change hook in the caller's transaction. */
export async function recordChange(tx: Tx, deps: Pick<Deps, 'plugins'>, change: Change): Promise<void> {
  for (const hook of deps.plugins.changeHooks) await hook(tx, change);
}
