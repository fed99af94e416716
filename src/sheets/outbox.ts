// The transactional outbox: whatever changes data a tab shows enqueues that tab in the same transaction.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { sheetOutbox } from '../db/schema.ts';
import { TAB_IDS, type TabId } from './tabs.ts';

/** A database or the transaction handle drizzle passes to db.transaction's callback. */
export type DbOrTx = Db | Parameters<Parameters<Db['transaction']>[0]>[0];

/** The tabs a new or changed submission of each form makes stale; every form counts on 总览. */
export const FORM_TABS: Readonly<Record<string, readonly TabId[]>> = {
  'mass-feedback': ['overview', 'opinions'],
  'household-visit': ['overview', 'visits', 'opinions'],
  'deputy-suggestion': ['overview', 'suggestions'],
  'hazard-tip': ['overview', 'hazards'],
  'hazard-ledger': ['overview', 'hazards'],
};
/** For hazard changes (state moves, assignment, overdue marks). */
export const HAZARD_TABS: readonly TabId[] = ['overview', 'hazards'];
/** For a new or recomputed ranking snapshot. */
export const RANKING_TABS: readonly TabId[] = ['overview', 'rankings'];
/** For changes to units or cadres (names, quotas). */
export const ORGANISATION_TABS: readonly TabId[] = ['visits', 'opinions', 'rankings', 'hazards'];

export function tabsForForm(formId: string): readonly TabId[] {
  return FORM_TABS[formId] ?? ['overview'];
}

/**
 * Enqueues the tabs in the caller's transaction. A tab that already has an unclaimed job gets no
 * second one: the flush rewrites whole tabs, so one job per tab is enough. A job claimed by a
 * running flush does not count, so a change committed during a flush is never lost.
 */
export async function enqueueTabs(tx: DbOrTx, tabs: readonly TabId[], now: Date | number = Date.now()): Promise<void> {
  const stmt = enqueueTabsStatement(tx, tabs, now);
  if (stmt) await stmt;
}

/** The one statement enqueueing the tabs (null for none), for a caller's batch: every submission carries it. */
export function enqueueTabsStatement(q: Pick<DbOrTx, 'run'>, tabs: readonly TabId[], now: Date | number = Date.now()) {
  const at = typeof now === 'number' ? now : now.getTime();
  const unique = [...new Set(tabs)];
  for (const tab of unique) if (!TAB_IDS.includes(tab)) throw new Error(`enqueueTabs: unknown tab ${String(tab)}`);
  if (unique.length === 0) return null;
  const wanted = sql.join(unique.map((tab) => sql`select ${tab} as tab`), sql` union all `);
  return q.run(sql`insert into ${sheetOutbox} (tab, created_at, attempts, next_attempt_at)
    select w.tab, ${at}, 0, 0 from (${wanted}) w
    where not exists (select 1 from ${sheetOutbox} o where o.tab = w.tab and o.attempts = 0 and o.next_attempt_at = 0)`);
}

/** Every tab, e.g. after a restore or when the sheet was edited by hand. */
export async function enqueueAllTabs(tx: DbOrTx, now: Date | number = Date.now()): Promise<void> {
  await enqueueTabs(tx, TAB_IDS, now);
}
