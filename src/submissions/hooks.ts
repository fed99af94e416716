// Extension point: what must commit with a new submission (a hazard from a tip or ledger row, the office's
// notice of it). A hook returns statements, added to the submission's one batch after its row; they find the
// submission by `submission.idSql`. The hooks are listed in src/plugins.ts and reach the store on deps.plugins.
import type { SQL } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { Db } from '../db/index.ts';
import type { Stmt, StmtBuilder } from '../db/batch.ts';
import type { Answers } from '../forms/types.ts';
import type { FormDefinition } from '../forms/types.ts';
import type { CurrentCampaign } from '../campaign/settings.ts';
import type { GeoPoint } from '../hazards/location.ts';

/** The transaction handle drizzle passes to db.transaction's callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface StoredSubmission {
  /** The new row's id inside the batch (a subquery by its receipt): the row does not exist before the batch runs. */
  idSql: SQL;
  receipt: string;
  formId: string;
  /** The unit as given; the row itself keeps it only when such a unit exists. */
  unitCode: string | null;
  /** Asia/Shanghai day, YYYY-MM-DD. */
  day: string;
  /** ms since the epoch. */
  createdAt: number;
  source: 'public' | 'unit' | 'api';
}

export interface SubmissionHookContext {
  deps: Deps;
  form: FormDefinition;
  submission: StoredSubmission;
  answers: Answers;
  /** Personal data: use it only to store it where it is kept apart; never log it. */
  personal: Answers;
  /** The campaign in force (as cached for writes). */
  campaign: CurrentCampaign;
  /** Filled by the hazard hook (it runs first) for the hooks after it: the hazard the batch makes. */
  hazard?: { category: string; place: string; state: string };
  /** The optional point the browser gave (forms that take one): stored apart, by the location hook. */
  location?: GeoPoint;
}

/** Statements for the submission's batch; throwing refuses the whole submission. */
export type SubmissionHook = (q: StmtBuilder, ctx: SubmissionHookContext) => Stmt[];
