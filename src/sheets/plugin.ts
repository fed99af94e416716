// Keeps the sheet in step: every change enqueues the tabs it makes stale, in the change's own transaction.
// Listed in src/plugins.ts.
import type { ChangeHook } from '../core/changes.ts';
import { enqueueTabs, HAZARD_TABS, ORGANISATION_TABS, tabsForForm } from './outbox.ts';

export const sheetsChangeHook: ChangeHook = async function sheetsChangeHook(tx, change) {
  const tabs = change.kind === 'form' ? tabsForForm(change.formId) : change.kind === 'hazards' ? HAZARD_TABS : ORGANISATION_TABS;
  await enqueueTabs(tx, tabs, change.at);
};
