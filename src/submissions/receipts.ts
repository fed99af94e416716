// What a receipt code tells the person who kept it: the form, when it arrived and how it is being handled.
// Never personal data. A form can plug in its own status (e.g. hazard tips follow their hazard's steps).
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { submissions } from '../db/schema.ts';
import { formById } from '../forms/store.ts';
import { RECEIPT_PATTERN } from './store.ts';

export interface ReceiptSubmission {
  id: number;
  receipt: string;
  formId: string;
  unitCode: string | null;
  createdAt: number;
  day: string;
}

export interface ReceiptStep {
  status: string;
  /** ISO 8601. */
  at: string;
  note: string | null;
}

export interface ReceiptStatus {
  status: string;
  history: ReceiptStep[];
}

/** Listed per form id in src/plugins.ts; returning null falls back to the default "received" status. Notes must hold no personal data. */
export type ReceiptStatusProvider = (deps: Deps, submission: ReceiptSubmission) => Promise<ReceiptStatus | null>;

export const RECEIVED = '已收到';

export interface Receipt extends ReceiptStatus {
  receipt: string;
  form: string;
  formTitle: string;
  createdAt: string;
}

/** Accepts what people type: lower case, spaces and dashes. */
export function normaliseReceipt(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export async function findReceipt(deps: Deps, code: string): Promise<Receipt | null> {
  const receipt = normaliseReceipt(code);
  if (!RECEIPT_PATTERN.test(receipt)) return null;
  const [row] = await deps.db
    .select({ id: submissions.id, receipt: submissions.receipt, formId: submissions.formId, formVersion: submissions.formVersion, unitCode: submissions.unitCode, createdAt: submissions.createdAt, day: submissions.day, deletedAt: submissions.deletedAt })
    .from(submissions)
    .where(eq(submissions.receipt, receipt));
  if (!row || row.deletedAt) return null;
  const provider = deps.plugins.receiptStatus[row.formId];
  const created = new Date(row.createdAt).toISOString();
  const status = (provider && (await provider(deps, row))) || { status: RECEIVED, history: [{ status: RECEIVED, at: created, note: null }] };
  return {
    receipt: row.receipt,
    form: row.formId,
    formTitle: (await formById(deps.db, row.formId, row.formVersion))?.title ?? row.formId,
    createdAt: created,
    status: status.status,
    history: status.history,
  };
}
