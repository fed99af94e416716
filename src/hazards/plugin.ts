// Plugs hazards into the forms engine: a hazard for every hazard-tip / hazard-ledger submission (in the
// submission's transaction) and the hazard's public steps on a tip's receipt. Listed in src/plugins.ts.
import type { SubmissionHook } from '../submissions/hooks.ts';
import type { ReceiptStatusProvider } from '../submissions/receipts.ts';
import { hazardFromSubmission } from './from-submission.ts';
import { publicHazardStatus } from './receipt.ts';

export const hazardSubmissionHook: SubmissionHook = async function hazardSubmissionHook(tx, ctx) {
  await hazardFromSubmission(tx, { submission: ctx.submission, answers: ctx.answers });
};

export const hazardReceiptStatus: ReceiptStatusProvider = async function hazardReceiptStatus(deps, submission) {
  const status = await publicHazardStatus(deps.db, submission.id);
  return status ? { status: status.status, history: status.history } : null;
};
