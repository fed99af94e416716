// A deputy's suggestion routed to the departments it concerns (R9, R13): the office forwards it with a
// deadline, each department drafts its answer, the office approves it (then the deputy reads it on the
// receipt) or returns it with a reason. An unapproved share past its deadline is overdue.
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/codes.ts';
import { submissions, suggestionForwards, suggestionReplies, units, type SuggestionForwardState } from '../db/schema.ts';
import { AppError, notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { cleanText } from '../lib/text.ts';
import { isValidDay, shanghaiDay } from '../lib/time.ts';
import { maskDigits } from '../forms/personal.ts';
import { changeStatements } from '../core/changes.ts';
import { guard, guardFailed, runBatch } from '../db/batch.ts';
import { findSuggestion, MAX_NOTE_LENGTH, SUGGESTION_FORM } from './service.ts';

export const FORWARD_STATE_LABELS: Record<SuggestionForwardState, string> = {
  forwarded: '已转办，待答复',
  drafted: '已拟答复，待审核',
  approved: '答复已审核通过',
  returned: '答复被退回，待修改',
};

/** What each side may do to one department's share, by its state. */
const OFFICE_ACTIONS = ['forward', 'approve', 'return'] as const;
const UNIT_ACTIONS = ['answer'] as const;
const ANSWERABLE: readonly SuggestionForwardState[] = ['forwarded', 'returned'];

function conflict(message: string, state: string, allowed: readonly string[]): AppError {
  return new AppError(409, 'ILLEGAL_TRANSITION', message, { state, allowed });
}

function text(raw: unknown, field: string, label: string, errors: FieldError[]): string | undefined {
  const t = typeof raw === 'string' ? cleanText(raw) : undefined;
  if (!t) errors.push({ field, message: `请填写${label}` });
  else if ([...t].length > MAX_NOTE_LENGTH) errors.push({ field, message: `${label}不能超过 ${MAX_NOTE_LENGTH} 字` });
  else return t;
  return undefined;
}

function unitList(raw: unknown): string[] {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[,，\s]+/) : [];
  return [...new Set(items.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean))];
}

export interface ForwardView {
  unit: string;
  unitName: string;
  deadline: string;
  state: SuggestionForwardState;
  stateLabel: string;
  overdue: boolean;
  draft: string | null;
  reason: string | null;
}

/** The office's moves: forward (units, deadline), approve (unit) or return (unit, reason) a department's draft. */
export async function officeTransition(deps: Deps, id: string, body: Record<string, unknown>): Promise<{ id: number; forwards: ForwardView[] }> {
  const suggestion = await findSuggestion(deps, id);
  const action = body.action;
  if (!(OFFICE_ACTIONS as readonly unknown[]).includes(action)) {
    throw validationFailed([{ field: 'action', message: '操作只能是 forward（转办）、approve（审核通过）或 return（退回）' }]);
  }
  const at = deps.now().getTime();
  const today = shanghaiDay(at);
  const errors: FieldError[] = [];
  if (action === 'forward') {
    const codes = unitList(body.units);
    const deadline = typeof body.deadline === 'string' ? body.deadline.trim() : '';
    if (!isValidDay(deadline)) errors.push({ field: 'deadline', message: '请填写答复期限，格式为 YYYY-MM-DD' });
    else if (deadline < today) errors.push({ field: 'deadline', message: '答复期限不能早于今天' });
    if (!codes.length) errors.push({ field: 'units', message: '请选择承办单位' });
    else {
      const known = await deps.db.select({ code: units.code }).from(units).where(and(inArray(units.code, codes), ne(units.kind, 'office')));
      const bad = codes.filter((c) => !known.some((k) => k.code === c));
      if (bad.length) errors.push({ field: 'units', message: `承办单位不存在：${bad.join('、')}` });
    }
    if (errors.length) throw validationFailed(errors);
    await deps.db.batch([
      // Forwarding again moves the deadline; a share already answered keeps its answer.
      deps.db
        .insert(suggestionForwards)
        .values(codes.map((unitCode) => ({ submissionId: suggestion.id, unitCode, deadline, state: 'forwarded' as const, forwardedAt: at })))
        .onConflictDoUpdate({ target: [suggestionForwards.submissionId, suggestionForwards.unitCode], set: { deadline } }),
      // The deputy reads "办理中" once, unless an answer is already out.
      deps.db.run(sql`INSERT INTO ${suggestionReplies} (submission_id, status, note, unit_code, at)
        SELECT ${suggestion.id}, 'in_progress', NULL, 'office', ${at}
        WHERE NOT EXISTS (SELECT 1 FROM ${suggestionReplies} WHERE submission_id = ${suggestion.id} AND status IN ('in_progress', 'answered'))`),
      // Each department hears it has a suggestion to answer; the sheet's suggestions tab shows 办理中.
      ...changeStatements(deps.db, deps, { kind: 'form', formId: SUGGESTION_FORM, at, suggestion: { id: suggestion.id, action: 'forwarded', units: codes } }),
    ]);
    return { id: suggestion.id, forwards: await forwardsOf(deps, suggestion.id, today) };
  }

  const unit = typeof body.unit === 'string' ? body.unit.trim() : '';
  if (!unit) errors.push({ field: 'unit', message: '请指定承办单位' });
  const reason = action === 'return' ? text(body.reason, 'reason', '退回原因', errors) : undefined;
  if (errors.length) throw validationFailed(errors);
  const { db } = deps;
  const [share] = await db.select().from(suggestionForwards).where(and(eq(suggestionForwards.submissionId, suggestion.id), eq(suggestionForwards.unitCode, unit)));
  if (!share) throw validationFailed([{ field: 'unit', message: '这条建议没有转给该单位' }]);
  if (share.state !== 'drafted') throw conflict(`该单位的答复当前为「${FORWARD_STATE_LABELS[share.state]}」，只能审核待审核的答复`, share.state, ['forward']);
  const approve = action === 'approve';
  try {
    // One batch: the decision guarded on the very draft that was read (a second review, or a new draft, in between
    // changes nothing and answers 409), the approved text as the public answer, and who must hear of it.
    await runBatch(db, [
      db
        .update(suggestionForwards)
        .set(approve ? { state: 'approved', decidedAt: at, reason: null } : { state: 'returned', decidedAt: at, reason })
        .where(and(eq(suggestionForwards.id, share.id), eq(suggestionForwards.state, 'drafted'), sql`${suggestionForwards.draftedAt} IS ${share.draftedAt}`)),
      guard(db, sql`changes() = 1`, 'draft still waiting for review'),
      // The approved text is the public answer: it reaches the deputy's receipt and the sheet.
      ...(approve ? [db.insert(suggestionReplies).values({ submissionId: suggestion.id, status: 'answered', note: share.draft, unitCode: unit, at })] : []),
      // A returned draft tells the department it has to answer again.
      ...changeStatements(db, deps, { kind: 'form', formId: SUGGESTION_FORM, at, ...(approve ? {} : { suggestion: { id: suggestion.id, action: 'returned' as const, units: [unit] } }) }),
    ]);
  } catch (err) {
    if (guardFailed(err)) throw conflict('该答复刚被修改，请刷新后再审核', share.state, []);
    throw err;
  }
  return { id: suggestion.id, forwards: await forwardsOf(deps, suggestion.id, today) };
}

/** A department's draft answer to a suggestion forwarded to it; a draft waiting for the office may not be replaced. */
export async function unitTransition(deps: Deps, principal: Principal, id: string, body: Record<string, unknown>): Promise<ForwardView> {
  const suggestion = await findSuggestion(deps, id);
  const at = deps.now().getTime();
  const [share] = await deps.db
    .select()
    .from(suggestionForwards)
    .where(and(eq(suggestionForwards.submissionId, suggestion.id), eq(suggestionForwards.unitCode, principal.unitCode)));
  // A suggestion not forwarded to this unit does not exist for it.
  if (!share) throw notFound('找不到这条建议');
  if (!(UNIT_ACTIONS as readonly unknown[]).includes(body.action)) throw validationFailed([{ field: 'action', message: '操作只能是 answer（答复）' }]);
  const errors: FieldError[] = [];
  const draft = text(body.text, 'text', '答复内容', errors);
  if (errors.length) throw validationFailed(errors);
  if (!ANSWERABLE.includes(share.state)) {
    throw conflict(`本单位的答复当前为「${FORWARD_STATE_LABELS[share.state]}」，不能再修改`, share.state, []);
  }
  const { db } = deps;
  let results: unknown[];
  try {
    // One batch: the draft, the guard that it was still answerable, and the office's notice that it waits for review.
    results = await runBatch(db, [
      db
        .update(suggestionForwards)
        .set({ state: 'drafted', draft, draftedAt: at })
        .where(and(eq(suggestionForwards.id, share.id), inArray(suggestionForwards.state, [...ANSWERABLE])))
        .returning(),
      guard(db, sql`changes() = 1`, 'share still answerable'),
      ...changeStatements(db, deps, { kind: 'form', formId: SUGGESTION_FORM, at, suggestion: { id: suggestion.id, action: 'drafted', units: [principal.unitCode] } }),
    ]);
  } catch (err) {
    if (guardFailed(err)) throw conflict('本单位的答复刚被修改，请刷新后再试', share.state, []);
    throw err;
  }
  const [updated] = results[0] as (typeof suggestionForwards.$inferSelect)[];
  return view(updated!, '', shanghaiDay(at));
}

function view(r: typeof suggestionForwards.$inferSelect, unitName: string, today: string): ForwardView {
  return {
    unit: r.unitCode,
    unitName: unitName || r.unitCode,
    deadline: r.deadline,
    state: r.state,
    stateLabel: FORWARD_STATE_LABELS[r.state],
    overdue: r.state !== 'approved' && r.deadline < today,
    draft: r.draft,
    reason: r.reason,
  };
}

export async function forwardsOf(deps: Pick<Deps, 'db'>, submissionId: number, today: string): Promise<ForwardView[]> {
  const rows = await deps.db
    .select({ f: suggestionForwards, name: units.name })
    .from(suggestionForwards)
    .leftJoin(units, eq(units.code, suggestionForwards.unitCode))
    .where(eq(suggestionForwards.submissionId, submissionId))
    .orderBy(asc(suggestionForwards.id));
  return rows.map((r) => view(r.f, r.name ?? '', today));
}

export interface ForwardListItem extends ForwardView {
  id: number;
  subject: string;
  suggestion: string;
}

/** Forwarded shares, overdue first: one unit's (subject and text masked) or, for the office, everyone's. */
export async function listForwards(deps: Pick<Deps, 'db'>, opts: { unit?: string; today: string; overdueOnly?: boolean; office: boolean }): Promise<ForwardListItem[]> {
  const rows = await deps.db
    .select({ f: suggestionForwards, name: units.name, payload: submissions.payload })
    .from(suggestionForwards)
    .innerJoin(submissions, and(eq(submissions.id, suggestionForwards.submissionId), sql`${submissions.deletedAt} IS NULL`))
    .leftJoin(units, eq(units.code, suggestionForwards.unitCode))
    .where(opts.unit ? eq(suggestionForwards.unitCode, opts.unit) : undefined)
    .orderBy(asc(suggestionForwards.deadline), asc(suggestionForwards.id));
  const items = rows.map((r): ForwardListItem => {
    let a: Record<string, unknown> = {};
    try {
      a = JSON.parse(r.payload) as Record<string, unknown>;
    } catch {
      /* an unreadable payload shows as empty */
    }
    const mask = (s: unknown) => (typeof s !== 'string' ? '' : opts.office ? s : maskDigits(s));
    return { id: r.f.submissionId, subject: mask(a.subject), suggestion: mask(a.suggestion), ...view(r.f, r.name ?? '', opts.today) };
  });
  const sorted = [...items.filter((i) => i.overdue), ...items.filter((i) => !i.overdue)];
  return opts.overdueOnly ? sorted.filter((i) => i.overdue) : sorted;
}

/** Departments' shares past their deadline without an approved answer, for the office home. */
export async function countOverdueForwards(deps: Pick<Deps, 'db'>, today: string): Promise<number> {
  const [r] = await deps.db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM ${suggestionForwards} WHERE state != 'approved' AND deadline < ${today}`,
  );
  return Number(r?.n ?? 0);
}
