// Plugs hazards into the forms engine: a hazard for every hazard-tip / hazard-ledger submission (in the
// submission's transaction) and the hazard's public steps on a tip's receipt. Imported once by app.tsx.
import { SUBMISSION_HOOKS, type SubmissionHook } from '../submissions/hooks.ts';
import { RECEIPT_STATUS_PROVIDERS, type ReceiptStatusProvider } from '../submissions/receipts.ts';
import { hazardFromSubmission, HAZARD_TIP_FORM } from './from-submission.ts';
import { publicHazardStatus } from './receipt.ts';

export const hazardSubmissionHook: SubmissionHook = async function hazardSubmissionHook(tx, ctx) {
  await hazardFromSubmission(tx, { submission: ctx.submission, answers: ctx.answers });
};

export const hazardReceiptStatus: ReceiptStatusProvider = async function hazardReceiptStatus(deps, submission) {
  const status = await publicHazardStatus(deps.db, submission.id);
  return status ? { status: status.status, history: status.history } : null;
};

// Registration is idempotent so that importing this module from several places registers once.
if (!SUBMISSION_HOOKS.includes(hazardSubmissionHook)) SUBMISSION_HOOKS.push(hazardSubmissionHook);
RECEIPT_STATUS_PROVIDERS[HAZARD_TIP_FORM] = hazardReceiptStatus;
