// Storing a validated submission: one batch for the row, its personal data, the form token and every
// submission hook's statements; idempotency keys and form tokens turn retries and double taps into the first answer.
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { Db } from '../db/index.ts';
import { formTokens, submissionPersonal, submissions, units } from '../db/schema.ts';
import { metricValues } from '../forms/projections.ts';
import type { Answers, FormDefinition } from '../forms/types.ts';
import { validationFailed } from '../lib/errors.ts';
import { hmacSha256, randomCode, toHex } from '../lib/crypto.ts';
import { shanghaiDay } from '../lib/time.ts';
import type { StoredSubmission, SubmissionHookContext } from './hooks.ts';
import { changeStatements } from '../core/changes.ts';
import { runBatch, type Stmt } from '../db/batch.ts';
import { currentCampaign } from '../campaign/store.ts';
import { VISIT_FORM, visitColumns } from '../visits/checks.ts';
import type { GeoPoint } from '../hazards/location.ts';

/** 25 characters ^ 10 ≈ 10^14: unguessable at any rate the limiter lets through, and short enough to write down. */
export const RECEIPT_LENGTH = 10;
export const RECEIPT_PATTERN = /^[ACDEFGHJKMNPQRTUVWXY34679]{10}$/;

export interface StoreInput {
  form: FormDefinition;
  answers: Answers;
  personal: Answers;
  /** The attributed unit; an unknown code is stored as unattributed (null). */
  unitCode?: string | null;
  source: 'public' | 'unit' | 'api';
  idempotencyKey?: string;
  /** Hash of the request an idempotency key came with; computed from form, unit, answers and personal data when absent. */
  requestHash?: string;
  /** A token already checked with checkFormToken. */
  formToken?: string;
  /** The client address of an anonymous answer; only its keyed HMAC is stored, to cap what one address adds to the ranking. */
  clientAddress?: string;
  /** An optional checked point, for the hooks (src/hazards/location-store.ts stores it beside the hazard). */
  location?: GeoPoint;
}

/** Anonymous answers from one address for one unit on one day that count in the ranking; later ones wait for the office. */
export const RANKED_PER_ADDRESS = 10;

/** The stored stand-in for a client address: keyed, so the table cannot be reversed by trying every address. */
export async function addressKey(secret: string, address: string): Promise<string> {
  return toHex(await hmacSha256(secret, `address:${address}`)).slice(0, 32);
}

export interface StoreResult {
  id: number;
  receipt: string;
  /** False when an idempotent retry or a double tap returned an earlier submission. */
  created: boolean;
}

export const idempotencyMismatch = () =>
  validationFailed([{ field: 'Idempotency-Key', message: '已用于另一份内容不同的提交，请换一个新的 Key' }], '这个 Idempotency-Key 已用于另一份内容不同的提交；新的提交请换一个新的 Key');

/** The code as stored on a record: the code itself when such a unit exists, else NULL (an unknown ?u= is unattributed). */
export function attributedUnit(unitCode: string | null | undefined): SQL {
  return unitCode ? sql`(SELECT ${units.code} FROM ${units} WHERE ${units.code} = ${unitCode})` : sql`NULL`;
}

/**
 * The town/sub-district or department a unit rolls up to, found by the statement that needs it: villages and
 * communities sit under a town or sub-district, a few levels at most (bounded against bad data); the office and
 * anything under it alone roll up to nothing.
 */
export function rollupOf(unitCode: string | null | undefined): SQL {
  if (!unitCode) return sql`NULL`;
  return sql`(WITH RECURSIVE up(code, kind, parent, depth) AS (
      SELECT code, kind, parent_code, 0 FROM ${units} WHERE code = ${unitCode}
      UNION ALL
      SELECT u.code, u.kind, u.parent_code, up.depth + 1 FROM ${units} u JOIN up ON u.code = up.parent
      WHERE up.depth < 8 AND up.kind NOT IN ('town', 'subdistrict', 'department', 'office'))
    SELECT code FROM up WHERE kind IN ('town', 'subdistrict', 'department') ORDER BY depth LIMIT 1)`;
}

/**
 * A stable digest of what was submitted, to tell an idempotent retry from a different body under the same key.
 * Keyed with the session secret: a bare SHA-256 over a phone number could be reversed by trying every number.
 */
export async function hashSubmission(secret: string, formId: string, answers: Answers, personal: Answers, unitCode?: string | null): Promise<string> {
  const sorted = (o: Answers) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
  return toHex(await hmacSha256(secret, JSON.stringify([formId, unitCode ?? null, sorted(answers), sorted(personal)])));
}

function constraintTarget(err: unknown): string | undefined {
  for (let e = err as { message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    const m = /UNIQUE constraint failed: ([\w.]+)/.exec(String(e.message ?? ''));
    if (m) return m[1];
  }
  return undefined;
}

async function existingByKey(db: Db, key: string, requestHash: string): Promise<StoreResult | undefined> {
  const [row] = await db
    .select({ id: submissions.id, receipt: submissions.receipt, hash: submissions.requestHash })
    .from(submissions)
    .where(eq(submissions.idempotencyKey, key));
  if (!row) return undefined;
  if (row.hash !== requestHash) throw idempotencyMismatch();
  return { id: row.id, receipt: row.receipt, created: false };
}

async function existingByToken(db: Db, token: string): Promise<StoreResult | undefined> {
  const [row] = await db
    .select({ id: submissions.id, receipt: submissions.receipt })
    .from(formTokens)
    .innerJoin(submissions, eq(submissions.id, formTokens.submissionId))
    .where(eq(formTokens.token, token));
  return row ? { id: row.id, receipt: row.receipt, created: false } : undefined;
}

/**
 * Stores a checked submission as ONE batch — one round trip on libSQL over HTTP: the row (its unit, roll-up and
 * ranking guard worked out by the insert itself), its personal data, the form token, the change hooks and every
 * submission hook's statements, which find the row by its receipt. All or nothing; a retry (same Idempotency-Key)
 * or a double tap (same form token) fails a unique index and is answered with the first submission.
 */
export async function storeSubmission(deps: Deps, input: StoreInput): Promise<StoreResult> {
  const { db } = deps;
  const { form, answers, personal } = input;
  const key = input.idempotencyKey || undefined;
  const requestHash = key ? (input.requestHash ?? (await hashSubmission(deps.config.SESSION_SECRET, form.id, answers, personal, input.unitCode))) : null;

  // A retry with the same key or token is found by the unique indexes on insert (below), not by a lookup
  // first: most submissions are new, and the lookup would cost every one of them a round trip.
  const campaign = await currentCampaign(db);
  const at = deps.now();
  const metrics = metricValues(form, answers);
  const hasPersonal = Object.keys(personal).length > 0;
  const day = shanghaiDay(at);
  const unitCode = input.unitCode || null;
  const unit = attributedUnit(unitCode);
  const addrKey = input.clientAddress ? await addressKey(deps.config.SESSION_SECRET, input.clientAddress) : null;
  // Counted in the insert itself, so simultaneous posts cannot all read the same count and all be ranked.
  const unranked =
    addrKey && unitCode
      ? sql`(SELECT count(*) >= ${RANKED_PER_ADDRESS} FROM ${submissions} WHERE ${submissions.addressKey} = ${addrKey} AND ${submissions.unitCode} = ${unitCode} AND ${submissions.day} = ${day})`
      : false;
  // A household visit carries its household key and flags, computed by the insert (src/visits/checks.ts).
  const visit = form.id === VISIT_FORM ? await visitColumns(deps.config.SESSION_SECRET, campaign.id, answers, personal) : {};

  for (let attempt = 0; ; attempt++) {
    const receipt = randomCode(RECEIPT_LENGTH);
    const idSql = sql`(SELECT ${submissions.id} FROM ${submissions} WHERE ${submissions.receipt} = ${receipt})`;
    const submission: StoredSubmission = { idSql, receipt, formId: form.id, unitCode, day, createdAt: at.getTime(), source: input.source };
    const statements: Stmt[] = [
      db
        .insert(submissions)
        .values({
          formId: form.id,
          formVersion: form.version,
          unitCode: unit,
          rollupCode: rollupOf(unitCode),
          source: input.source,
          createdAt: at.getTime(),
          day,
          payload: JSON.stringify(answers),
          receipt,
          idempotencyKey: key ?? null,
          requestHash,
          ...metrics,
          addressKey: addrKey,
          unranked,
          ...visit,
        })
        .returning({ id: submissions.id }),
    ];
    if (hasPersonal) statements.push(db.insert(submissionPersonal).values({ submissionId: idSql, data: JSON.stringify(personal) }));
    // The token's primary key makes the second of two simultaneous taps fail here, and its whole batch with it.
    if (input.formToken) statements.push(db.insert(formTokens).values({ token: input.formToken, createdAt: at.getTime(), submissionId: idSql }));
    statements.push(...changeStatements(db, deps, { kind: 'form', formId: form.id, at: at.getTime() }));
    const ctx: SubmissionHookContext = { deps, form, submission, answers, personal, campaign, location: input.location };
    for (const hook of deps.plugins.submissionHooks) statements.push(...hook(db, ctx));
    try {
      const [inserted] = (await runBatch(db, statements)) as [{ id: number }[]];
      return { id: inserted[0]!.id, receipt, created: true };
    } catch (err) {
      const target = constraintTarget(err);
      if (target === 'submissions.idempotency_key' && key) {
        const earlier = await existingByKey(db, key, requestHash!);
        if (earlier) return earlier;
      } else if (target === 'form_tokens.token' && input.formToken) {
        const earlier = await existingByToken(db, input.formToken);
        if (earlier) return earlier;
      } else if (target === 'submissions.receipt' && attempt < 3) {
        continue;
      }
      throw err;
    }
  }
}
