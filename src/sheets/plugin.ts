// Keeps the sheet in step: every change enqueues the tabs it makes stale, in the change's own batch or
// transaction. Listed in src/plugins.ts.
import type { ChangeHook } from '../core/changes.ts';
import { enqueueTabsStatement, HAZARD_TABS, ORGANISATION_TABS, tabsForForm } from './outbox.ts';

export const sheetsChangeHook: ChangeHook = function sheetsChangeHook(q, change) {
  const tabs = change.kind === 'form' ? tabsForForm(change.formId) : change.kind === 'hazards' ? HAZARD_TABS : ORGANISATION_TABS;
  const stmt = enqueueTabsStatement(q, tabs, change.at);
  return stmt ? [stmt] : [];
};
