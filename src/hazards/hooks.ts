// Extension point: work that must commit with a hazard change (the sheet outbox marking the hazard tab
// stale, a notifier queueing an SMS to the lead unit). Hooks run inside the change's transaction; throwing
// rolls the change back.
import type { Tx } from '../submissions/hooks.ts';

export interface HazardChange {
  hazardIds: readonly number[];
  /** The action or system event: assign, close, overdue, remind… */
  action: string;
  /** ms since the epoch. */
  at: number;
}

export type HazardChangeHook = (tx: Tx, change: HazardChange) => Promise<void>;

/** Run for every transition, and for every supervision pass that reminded or marked something overdue. */
export const HAZARD_CHANGE_HOOKS: HazardChangeHook[] = [];

export async function runHazardChangeHooks(tx: Tx, change: HazardChange): Promise<void> {
  for (const hook of HAZARD_CHANGE_HOOKS) await hook(tx, change);
}
