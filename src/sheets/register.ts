// Side-effect module: every new submission enqueues the tabs its form feeds, in the submission's own transaction.
import { SUBMISSION_HOOKS, type SubmissionHook } from '../submissions/hooks.ts';
import { enqueueTabs, tabsForForm } from './outbox.ts';

export const sheetsSubmissionHook: SubmissionHook = async (tx, { deps, submission }) => {
  await enqueueTabs(tx, tabsForForm(submission.formId), deps.now());
};

if (!SUBMISSION_HOOKS.includes(sheetsSubmissionHook)) SUBMISSION_HOOKS.push(sheetsSubmissionHook);
