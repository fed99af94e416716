// Extension point: work that must commit in the same transaction as a new submission (a hazard from a tip or
// ledger row). The hooks are listed in src/plugins.ts and reach the store on deps.plugins.
import type { Deps } from '../deps.ts';
import type { Db } from '../db/index.ts';
import type { Answers } from '../forms/types.ts';
import type { FormDefinition } from '../forms/types.ts';

/** The transaction handle drizzle passes to db.transaction's callback. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface StoredSubmission {
  id: number;
  receipt: string;
  formId: string;
  unitCode: string | null;
  rollupCode: string | null;
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
}

/** Runs inside the submission's transaction; throwing rolls the whole submission back. */
export type SubmissionHook = (tx: Tx, ctx: SubmissionHookContext) => Promise<void>;
