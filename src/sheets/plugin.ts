// Side-effect module: new submissions and hazard changes enqueue the tabs they make stale, in their own transaction.
import { SUBMISSION_HOOKS, type SubmissionHook } from '../submissions/hooks.ts';
import { HAZARD_CHANGE_HOOKS, type HazardChangeHook } from '../hazards/hooks.ts';
import { enqueueTabs, HAZARD_TABS, tabsForForm } from './outbox.ts';

export const sheetsSubmissionHook: SubmissionHook = async (tx, { deps, submission }) => {
  await enqueueTabs(tx, tabsForForm(submission.formId), deps.now());
};

export const sheetsHazardHook: HazardChangeHook = async (tx, change) => {
  await enqueueTabs(tx, HAZARD_TABS, change.at);
};

if (!SUBMISSION_HOOKS.includes(sheetsSubmissionHook)) SUBMISSION_HOOKS.push(sheetsSubmissionHook);
if (!HAZARD_CHANGE_HOOKS.includes(sheetsHazardHook)) HAZARD_CHANGE_HOOKS.push(sheetsHazardHook);
