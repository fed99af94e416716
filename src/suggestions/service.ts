// The office's answers to deputies' suggestions (R9): validate a reply, store it with the sheet job in one
// transaction, and read suggestions back for the office pages and the deputy's receipt.
import { cleanText } from '../lib/text.ts';
import { and, asc, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/codes.ts';
import { submissionPersonal, submissions, suggestionReplies, units, type SuggestionReplyStatus } from '../db/schema.ts';
import { forbidden, notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { changeStatements } from '../core/changes.ts';
import { guard, guardFailed, runBatch, type Stmt } from '../db/batch.ts';
import { displayValue } from '../forms/projections.ts';
import { formById, formVersionsFor } from '../forms/store.ts';

export const SUGGESTION_FORM = 'deputy-suggestion';
export const MAX_NOTE_LENGTH = 2000;
/** What the office may record; 'received' is implied by the submission itself. */
export const REPLY_STATUSES = ['in_progress', 'answered'] as const satisfies readonly SuggestionReplyStatus[];
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

export const STATUS_LABELS: Record<SuggestionReplyStatus, string> = {
  received: '已收到',
  in_progress: '办理中',
  answered: '已答复',
};

export interface ReplyInput {
  submissionId: number;
  principal: Principal;
  status: unknown;
  note: unknown;
}

export interface StoredReply {
  id: number;
  submissionId: number;
  status: ReplyStatus;
  note: string | null;
  at: number;
}

const isReplyStatus = (s: unknown): s is ReplyStatus => typeof s === 'string' && (REPLY_STATUSES as readonly string[]).includes(s);

/** Checks a reply; the note is trimmed and an empty one is no note. */
export function validateReply(input: { status: unknown; note: unknown }): { ok: true; status: ReplyStatus; note: string | null } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (input.status === undefined || input.status === null || input.status === '') errors.push({ field: 'status', message: '请选择办理状态' });
  else if (!isReplyStatus(input.status)) errors.push({ field: 'status', message: '办理状态只能是“办理中”或“已答复”' });
  let note: string | null = null;
  if (input.note !== undefined && input.note !== null) {
    if (typeof input.note !== 'string') errors.push({ field: 'note', message: '答复内容须为文字' });
    else note = cleanText(input.note) ?? null;
  }
  if (note !== null && [...note].length > MAX_NOTE_LENGTH) errors.push({ field: 'note', message: `答复内容不能超过 ${MAX_NOTE_LENGTH} 字` });
  if (input.status === 'answered' && note === null && !errors.some((e) => e.field === 'note')) errors.push({ field: 'note', message: '请填写答复内容，代表委员凭回执码可以看到' });
  return errors.length ? { ok: false, errors } : { ok: true, status: input.status as ReplyStatus, note };
}


/** A suggestion's id as a route gives it; 404 for anything that cannot be one. */
function suggestionId(id: number | string): number {
  const n = typeof id === 'number' ? id : /^\d{1,12}$/.test(id) ? Number(id) : NaN;
  if (!Number.isSafeInteger(n)) throw notFound('找不到这条建议');
  return n;
}

/** A live deputy suggestion by id, or 404 for anything else (unknown, deleted, another form). */
export async function findSuggestion(deps: Pick<Deps, 'db'>, id: number | string) {
  const n = suggestionId(id);
  const [row] = await deps.db
    .select()
    .from(submissions)
    .where(and(eq(submissions.id, n), eq(submissions.formId, SUGGESTION_FORM), isNull(submissions.deletedAt)));
  if (!row) throw notFound('找不到这条建议');
  return row;
}

/** Records the office's reply and makes the sheet's suggestions tab stale, both or neither. */
export async function replyToSuggestion(deps: Deps, input: ReplyInput): Promise<StoredReply> {
  if (input.principal.role !== 'admin') throw forbidden('只有区综治办可以答复代表委员建议');
  const suggestion = await findSuggestion(deps, input.submissionId);
  const v = validateReply(input);
  if (!v.ok) throw validationFailed(v.errors);
  const now = deps.now();
  const at = now.getTime();
  const { db } = deps;
  const statements: Stmt[] = [];
  if (v.status === 'in_progress') {
    // Once answered, "办理中" would tell the deputy the answer was withdrawn; a further answer is a supplement.
    // Checked inside the batch, so an answer saved at the same moment cannot slip between the check and the write.
    statements.push(
      guard(
        db,
        sql`NOT EXISTS (SELECT 1 FROM ${suggestionReplies} WHERE ${suggestionReplies.submissionId} = ${suggestion.id} AND ${suggestionReplies.status} = 'answered')`,
        'already answered',
      ),
    );
  }
  statements.push(
    db
      .insert(suggestionReplies)
      .values({ submissionId: suggestion.id, status: v.status, note: v.note, unitCode: input.principal.unitCode, at })
      .returning({ id: suggestionReplies.id }),
    ...changeStatements(db, deps, { kind: 'form', formId: SUGGESTION_FORM, at }),
  );
  let results: unknown[];
  try {
    results = await runBatch(db, statements);
  } catch (err) {
    if (guardFailed(err)) throw validationFailed([{ field: 'status', message: '这条建议已答复，不能改回“办理中”；如需补充，请再选“已答复”填写补充答复' }]);
    throw err;
  }
  const [row] = results[v.status === 'in_progress' ? 1 : 0] as { id: number }[];
  return { id: row!.id, submissionId: suggestion.id, status: v.status, note: v.note, at };
}

export interface ReplyRow {
  id: number;
  status: SuggestionReplyStatus;
  note: string | null;
  unitCode: string;
  unitName: string | null;
  at: number;
}

export async function repliesOf(deps: Pick<Deps, 'db'>, submissionId: number): Promise<ReplyRow[]> {
  return deps.db
    .select({ id: suggestionReplies.id, status: suggestionReplies.status, note: suggestionReplies.note, unitCode: suggestionReplies.unitCode, unitName: units.name, at: suggestionReplies.at })
    .from(suggestionReplies)
    .leftJoin(units, eq(units.code, suggestionReplies.unitCode))
    .where(eq(suggestionReplies.submissionId, submissionId))
    .orderBy(asc(suggestionReplies.at), asc(suggestionReplies.id));
}

export interface PublicSuggestionStatus {
  status: string;
  history: { status: string; at: string; note: string | null }[];
}

/** What the deputy sees by receipt: the steps and the office's public notes; never who answered or who asked. */
export async function publicSuggestionStatus(deps: Pick<Deps, 'db'>, submission: { id: number; createdAt: number }): Promise<PublicSuggestionStatus> {
  const replies = await deps.db
    .select({ status: suggestionReplies.status, note: suggestionReplies.note, at: suggestionReplies.at })
    .from(suggestionReplies)
    .where(eq(suggestionReplies.submissionId, submission.id))
    .orderBy(asc(suggestionReplies.at), asc(suggestionReplies.id));
  const history = [
    { status: STATUS_LABELS.received, at: new Date(submission.createdAt).toISOString(), note: null },
    ...replies.map((r) => ({ status: STATUS_LABELS[r.status], at: new Date(r.at).toISOString(), note: r.note })),
  ];
  return { status: history[history.length - 1]!.status, history };
}

function parse(json: string | null | undefined): Record<string, unknown> {
  try {
    const v = JSON.parse(json ?? '') as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export interface SuggestionListItem {
  id: number;
  day: string;
  createdAt: number;
  identity: string;
  delegation: string;
  subject: string;
  department: string;
  status: SuggestionReplyStatus;
  lastReplyAt: number | null;
}

/** Newest first; `unanswered` leaves out the ones with an answer. */
export async function listSuggestions(deps: Pick<Deps, 'db'>, opts: { unanswered?: boolean } = {}): Promise<SuggestionListItem[]> {
  // The receipt and the text are the detail's: not in the list (leaders read it).
  const items = (await suggestionItems(deps)).map(({ receipt: _receipt, suggestion: _text, ...item }) => item);
  return opts.unanswered ? items.filter((i) => i.status !== 'answered') : items;
}

/**
 * The last reply's column, read with the suggestion (the latest by time, then by id). The outer row is named by its
 * table: a one-table select leaves its own columns unqualified, which inside the subquery would mean the reply's.
 */
const lastReply = <T>(column: 'status' | 'at') =>
  sql<T | null>`(SELECT r.${sql.identifier(column)} FROM ${suggestionReplies} r WHERE r."submission_id" = ${submissions}."id" ORDER BY r."at" DESC, r."id" DESC LIMIT 1)`;

/**
 * The suggestions (or the one `only` names) as the list shows them: the rows with their last reply, the form and
 * the unit names read together (one round trip); older form versions a suggestion was sent under, read together.
 */
async function suggestionItems(deps: Pick<Deps, 'db'>, only?: number): Promise<(SuggestionListItem & { receipt: string; suggestion: string })[]> {
  const [f, rows, unitRows] = await Promise.all([
    formById(deps.db, SUGGESTION_FORM),
    deps.db
      .select({
        id: submissions.id,
        formVersion: submissions.formVersion,
        day: submissions.day,
        createdAt: submissions.createdAt,
        payload: submissions.payload,
        receipt: submissions.receipt,
        replyStatus: lastReply<SuggestionReplyStatus>('status'),
        replyAt: lastReply<number>('at'),
      })
      .from(submissions)
      .where(and(eq(submissions.formId, SUGGESTION_FORM), isNull(submissions.deletedAt), only === undefined ? undefined : eq(submissions.id, only)))
      .orderBy(desc(submissions.createdAt), desc(submissions.id)),
    deps.db.select({ code: units.code, name: units.name }).from(units),
  ]);
  const form = f!;
  const ctx = { units: unitRows, places: unitRows };
  // Each suggestion reads with the labels of the version it was sent under.
  const versions = await formVersionsFor(deps.db, form, rows.map((r) => r.formVersion));
  return rows.map((r) => {
    const own = versions.get(r.formVersion) ?? form;
    const field = (name: string) => own.fields.find((x) => x.name === name) ?? form.fields.find((x) => x.name === name)!;
    const a = parse(r.payload);
    return {
      id: r.id,
      day: r.day,
      createdAt: r.createdAt,
      identity: a.identity === undefined ? '' : displayValue(field('identity'), a.identity, ctx),
      delegation: typeof a.delegation === 'string' ? a.delegation : '',
      subject: typeof a.subject === 'string' ? a.subject : '',
      department: a.department ? displayValue(field('department'), a.department, ctx) : '',
      status: r.replyStatus ?? 'received',
      lastReplyAt: r.replyAt ?? null,
      receipt: r.receipt,
      suggestion: typeof a.suggestion === 'string' ? a.suggestion : '',
    };
  });
}

/** Suggestions without an answer yet, for the office home. */
export async function countUnanswered(deps: Pick<Deps, 'db'>): Promise<number> {
  const [r] = await deps.db
    .select({ n: count() })
    .from(submissions)
    .where(
      and(
        eq(submissions.formId, SUGGESTION_FORM),
        isNull(submissions.deletedAt),
        sql`not exists (select 1 from ${suggestionReplies} where ${suggestionReplies.submissionId} = ${submissions.id} and ${suggestionReplies.status} = 'answered')`,
      ),
    );
  return r?.n ?? 0;
}

export interface SuggestionDetail extends SuggestionListItem {
  receipt: string;
  suggestion: string;
  /** Personal data: only for the office's own page. */
  name: string;
  phone: string;
  replies: ReplyRow[];
}

export async function suggestionDetail(deps: Pick<Deps, 'db'>, id: number | string): Promise<SuggestionDetail> {
  const n = suggestionId(id);
  // Everything keyed by the id, read together: the suggestion, the deputy's contact and the replies.
  const [[item], [personal], replies] = await Promise.all([
    suggestionItems(deps, n),
    deps.db.select({ data: submissionPersonal.data }).from(submissionPersonal).where(eq(submissionPersonal.submissionId, n)),
    repliesOf(deps, n),
  ]);
  if (!item) throw notFound('找不到这条建议');
  const p = parse(personal?.data);
  return {
    ...item,
    name: typeof p.name === 'string' ? p.name : '',
    phone: typeof p.phone === 'string' ? p.phone : '',
    replies,
  };
}
