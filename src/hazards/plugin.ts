// Plugs hazards into the forms engine: a hazard for every hazard-tip / hazard-ledger submission (in the
// submission's batch) and the hazard's public steps on a tip's receipt. Listed in src/plugins.ts.
import type { SubmissionHook } from '../submissions/hooks.ts';
import type { ReceiptStatusProvider } from '../submissions/receipts.ts';
import { hazardPlan } from './from-submission.ts';
import { createHazardStatements } from './create.ts';
import { sql } from 'drizzle-orm';
import { units } from '../db/schema.ts';
import { publicHazardStatus } from './receipt.ts';

export const hazardSubmissionHook: SubmissionHook = function hazardSubmissionHook(q, ctx) {
  const { submission } = ctx;
  const plan = hazardPlan(
    { submission: { id: submission.idSql, formId: submission.formId, unitCode: submission.unitCode, createdAt: submission.createdAt }, answers: ctx.answers },
    ctx.campaign.settings.hazardDeadline,
  );
  if (!plan) return [];
  // A public tip may name a unit that does not exist (?u=): like the submission's own row, the hazard keeps it only if it does.
  if (submission.source !== 'unit' && submission.unitCode) plan.reportedUnitCode = sql`(SELECT ${units.code} FROM ${units} WHERE ${units.code} = ${submission.unitCode})`;
  ctx.hazard = { category: plan.category, place: plan.place, state: plan.initial ?? 'reported' };
  return createHazardStatements(q, plan);
};

export const hazardReceiptStatus: ReceiptStatusProvider = async function hazardReceiptStatus(deps, submission) {
  const status = await publicHazardStatus(deps.db, submission.id);
  return status ? { status: status.status, history: status.history } : null;
};
