// A unit's own records of its forms: find one it may touch, list a day's, change or delete them with
// an audit trail (who, when, before/after) written in the same transaction as the change.
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { hazards, submissionAudit, submissionPersonal, submissions } from '../db/schema.ts';
import { metricValues } from '../forms/projections.ts';
import type { Answers, FormDefinition } from '../forms/types.ts';
import { AppError, forbidden, notFound } from '../lib/errors.ts';
import type { Principal } from '../auth/codes.ts';
import type { Deps } from '../deps.ts';
import { changeStatements } from '../core/changes.ts';
import { guard, guardFailed, runBatch, type Stmt } from '../db/batch.ts';
import { maskPersonal } from '../forms/personal.ts';
import { currentCampaign } from '../campaign/store.ts';
import { VISIT_FORM, visitColumns } from '../visits/checks.ts';

export interface UnitRecord {
  id: number;
  formId: string;
  /** The form version the record was answered under: its labels and options show it. */
  formVersion: number;
  unitCode: string | null;
  receipt: string;
  createdAt: number;
  updatedAt: number | null;
  day: string;
  answers: Answers;
  personal: Answers;
  /** The hazard number a ledger row became, when read with the record (recordsOfDay). */
  hazardNumber?: string | null;
}

async function personalOf(db: Db, id: number): Promise<Answers> {
  const row = await db.query.submissionPersonal.findFirst({ where: eq(submissionPersonal.submissionId, id) });
  return row ? (JSON.parse(row.data) as Answers) : {};
}

/**
 * A live record of this form the principal may touch. Unknown or deleted: 404. Another unit's: 403
 * for a unit code; the office may touch any unit's record; leaders only read.
 */
export async function ownRecord(db: Db, principal: Principal, form: FormDefinition, id: number): Promise<UnitRecord> {
  const row = Number.isInteger(id)
    ? await db.query.submissions.findFirst({ where: and(eq(submissions.id, id), eq(submissions.formId, form.id), isNull(submissions.deletedAt)) })
    : undefined;
  if (!row) throw notFound('找不到这条记录，可能已被删除');
  // A town corrects what its villages and communities entered (their rollupCode is the town).
  if (principal.role === 'unit' && row.unitCode !== principal.unitCode && row.rollupCode !== principal.unitCode) throw forbidden('只能查看和修改本单位的记录');
  return {
    id: row.id,
    formId: row.formId,
    formVersion: row.formVersion,
    unitCode: row.unitCode,
    receipt: row.receipt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    day: row.day,
    answers: JSON.parse(row.payload) as Answers,
    personal: await personalOf(db, row.id),
  };
}

/** A day's records of one form for one unit, newest first, with personal data (callers decide whether to mask it). */
export async function recordsOfDay(db: Db, formId: string, unitCode: string, day: string): Promise<UnitRecord[]> {
  const rows = await db
    .select({
      s: submissions,
      personal: submissionPersonal.data,
      // The hazard a ledger row became (the first, should there be more), so the list needs no second read.
      hazardNumber: sql<string | null>`(SELECT h."number" FROM ${hazards} h WHERE h."submission_id" = ${submissions}."id" ORDER BY h."id" LIMIT 1)`,
    })
    .from(submissions)
    .leftJoin(submissionPersonal, eq(submissionPersonal.submissionId, submissions.id))
    .where(and(eq(submissions.formId, formId), or(eq(submissions.unitCode, unitCode), eq(submissions.rollupCode, unitCode)), eq(submissions.day, day), isNull(submissions.deletedAt)))
    .orderBy(desc(submissions.id))
    .limit(500);
  return rows.map(({ s, personal, hazardNumber }) => ({
    hazardNumber,
    id: s.id,
    formId: s.formId,
    formVersion: s.formVersion,
    unitCode: s.unitCode,
    receipt: s.receipt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    day: s.day,
    answers: JSON.parse(s.payload) as Answers,
    personal: personal ? (JSON.parse(personal) as Answers) : {},
  }));
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Hazard numbers already raised from these submissions (hazard-ledger rows), by submission id. */
export async function hazardNumbersOf(db: Db | Tx, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ submissionId: hazards.submissionId, number: hazards.number })
    .from(hazards)
    .where(inArray(hazards.submissionId, ids))
    .orderBy(asc(hazards.id));
  const out = new Map<number, string>();
  for (const r of rows) if (r.submissionId !== null && !out.has(r.submissionId)) out.set(r.submissionId, r.number);
  return out;
}

/**
 * A ledger row that has become a hazard is evidence in the supervision process (and counts in the
 * rankings): changing or deleting it would let a unit record a fake fix and remove the trace. 409.
 */
export async function assertNotHazard(db: Db | Tx, id: number): Promise<void> {
  const number = (await hazardNumbersOf(db, [id])).get(id);
  if (number) {
    throw new AppError(409, 'HAZARD_RECORDED', `该条台账已生成隐患编号 ${number}，进入督办流程后不能修改或删除；如登记有误请联系区综治办`, { hazardNumber: number });
  }
}

/** Who did it, as kept in the audit trail: the role, unit and access code id (never the code). */
export const actorOf = (p: Principal) => `${p.role}:${p.unitCode}#${p.codeId}`;

const snapshot = (r: { answers: Answers; personal: Answers }) => JSON.stringify({ answers: r.answers, personal: r.personal });

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Personal answers of an edit with the stored value put back wherever the editor sent a field empty or
 * exactly as masked: only the office ever sees the real values, so a unit's "unchanged" comes back as
 * nothing or as '王**', and neither may overwrite the resident's name.
 */
export function keepStoredPersonal<T extends Record<string, unknown>>(form: FormDefinition, stored: Answers, incoming: T): T {
  const out: Record<string, unknown> = { ...incoming };
  for (const f of form.fields) {
    if (!f.personal) continue;
    const old = stored[f.name];
    if (isBlank(old)) continue;
    const v = out[f.name];
    if (isBlank(v) || (typeof v === 'string' && v.trim() === maskPersonal(f.type, old))) out[f.name] = old;
  }
  return out as T;
}

/** Replaces a record's answers; the extracted ranking columns follow, and the audit keeps before/after. */
export async function updateRecord(
  deps: Pick<Deps, 'db' | 'plugins' | 'config'>,
  principal: Principal,
  form: FormDefinition,
  record: UnitRecord,
  next: { answers: Answers; personal: Answers },
  now: Date,
): Promise<void> {
  const at = now.getTime();
  next = { ...next, personal: keepStoredPersonal(form, record.personal, next.personal) };
  // A corrected name, address, village or cadre moves the visit's household key and flags with it.
  const visit = form.id === VISIT_FORM ? await visitColumns(deps.config.SESSION_SECRET, (await currentCampaign(deps.db)).id, next.answers, next.personal, record.id) : {};
  const { db } = deps;
  await writeGuarded(db, record.id, [
    db
      .update(submissions)
      .set({ payload: JSON.stringify(next.answers), ...metricValues(form, next.answers), ...visit, updatedAt: at })
      .where(and(eq(submissions.id, record.id), isNull(submissions.deletedAt), notAHazard(record.id))),
    guard(db, sql`changes() = 1`, 'record gone or under supervision'),
    db.delete(submissionPersonal).where(eq(submissionPersonal.submissionId, record.id)),
    ...(Object.keys(next.personal).length > 0 ? [db.insert(submissionPersonal).values({ submissionId: record.id, data: JSON.stringify(next.personal) })] : []),
    db.insert(submissionAudit).values({ submissionId: record.id, actor: actorOf(principal), action: 'update', at, before: snapshot(record), after: snapshot(next) }),
    // The sheet shows these figures too; an edit makes its tabs stale just as a new entry does.
    ...changeStatements(db, deps, { kind: 'form', formId: record.formId, at }),
  ]);
}

/** No hazard was made from the record: a ledger row under supervision is the office's to correct. */
const notAHazard = (id: number) => sql`NOT EXISTS (SELECT 1 FROM ${hazards} WHERE ${hazards.submissionId} = ${id})`;

/**
 * Sends a record's change as one batch (one round trip), its first statement guarded: when the record was deleted
 * meanwhile or has become a hazard, nothing is written and the refusal says which.
 */
async function writeGuarded(db: Db, id: number, statements: Stmt[]): Promise<void> {
  try {
    await runBatch(db, statements);
  } catch (err) {
    if (!guardFailed(err)) throw err;
    await assertNotHazard(db, id);
    throw notFound('找不到这条记录，可能已被删除');
  }
}

/**
 * Deletes a record softly: it leaves counts and lists (deletedAt), but the row and the audit keep
 * what it was, so a mistaken delete can be traced.
 */
export async function deleteRecord(deps: Pick<Deps, 'db' | 'plugins'>, principal: Principal, record: UnitRecord, now: Date): Promise<void> {
  const at = now.getTime();
  const { db } = deps;
  await writeGuarded(db, record.id, [
    db
      .update(submissions)
      .set({ deletedAt: at, updatedAt: at })
      .where(and(eq(submissions.id, record.id), isNull(submissions.deletedAt), notAHazard(record.id))),
    guard(db, sql`changes() = 1`, 'record gone or under supervision'),
    db.insert(submissionAudit).values({ submissionId: record.id, actor: actorOf(principal), action: 'delete', at, before: snapshot(record), after: null }),
    ...changeStatements(db, deps, { kind: 'form', formId: record.formId, at }),
  ]);
}
