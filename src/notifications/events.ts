// What is worth telling, written into the outbox in the same transaction as its cause (a change hook and a
// submission hook), plus the events a clock brings (hand-in deadlines, the morning ranking). Events carry no
// personal data: a hazard's number, category, place as triaged, deadline and a path; a tipster's SMS carries only
// the submission id, and its number is read when it is sent.
import { and, desc, eq, inArray, like, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { ChangeHook, HazardFact, SuggestionFact } from '../core/changes.ts';
import type { SubmissionHook } from '../submissions/hooks.ts';
import type { Db } from '../db/index.ts';
import { handIns, hazardCoUnits, hazardEvents, hazards, notifyEvents, rankingSnapshots, submissions, units } from '../db/schema.ts';
import { HAND_IN_KINDS } from '../handins/kinds.ts';
import { maskDigits } from '../forms/personal.ts';
import { publicStateLabel, stateLabel } from '../hazards/states.ts';
import { categoryLabel } from '../hazards/categories.ts';
import { addDays, shanghaiDay } from '../lib/time.ts';
import { currentCampaign } from '../campaign/store.ts';

export const EVENT_LABELS = {
  new_tip: '新的隐患线索',
  new_suggestion: '新的代表委员建议',
  suggestion_forwarded: '代表委员建议转办本单位答复',
  suggestion_drafted: '部门已拟答复代表委员建议，待审核',
  suggestion_returned: '代表委员建议的答复被退回，请修改后重新答复',
  assigned: '隐患交办（挂牌督办）',
  reassigned: '隐患改派或调整期限',
  urged: '隐患催办',
  reminder: '整改期限即将到期',
  overdue: '隐患已超期',
  returned: '责任单位退单',
  fixed_reported: '责任单位报告整改完成',
  part_accepted: '配合单位已签收',
  part_fixed_reported: '配合单位报告承担部分整改完成',
  reopened: '群众反映未整改',
  handin_due: '报送节点临近',
  ranking: '每日排名通报',
  tipster: '隐患处理进展',
  test: '测试消息：通知渠道已接通',
} as const;
export type NotifyEvent = keyof typeof EVENT_LABELS;

export interface HazardEventData {
  hazardId: number;
  number: string;
  category: string;
  place: string;
  deadline: string | null;
  state: string;
  /** Who acted, when it names a unit (the unit that returned it). */
  unit?: string | null;
  /** The unit's or office's page, relative to PUBLIC_BASE_URL. */
  path: string;
}

type EventRow = typeof notifyEvents.$inferInsert;

/** Place as the office reads it, with any phone-like digit run starred: a group message must carry no personal value. */
function safePlace(place: string): string {
  const s = maskDigits(place.trim());
  return [...s].length > 40 ? `${[...s].slice(0, 40).join('')}…` : s;
}

/** hazard action → who hears of it, under which event. */
const HAZARD_FANOUT: Record<string, { event: NotifyEvent; lead?: boolean; co?: boolean; office?: boolean; tipster?: boolean }> = {
  assign: { event: 'assigned', lead: true, co: true, tipster: true },
  reassign: { event: 'reassigned', lead: true, co: true },
  urge: { event: 'urged', lead: true, co: true },
  remind: { event: 'reminder', lead: true },
  overdue: { event: 'overdue', lead: true, office: true },
  return: { event: 'returned', office: true },
  report_fixed: { event: 'fixed_reported', office: true },
  // A co-unit's part: the lead coordinates the parts and the office sees all (the co-unit is the actor).
  accept_part: { event: 'part_accepted', lead: true, office: true },
  report_part_fixed: { event: 'part_fixed_reported', lead: true, office: true },
  reopen: { event: 'reopened', office: true, lead: true },
  close: { event: 'tipster', tipster: true },
  fix_on_spot: { event: 'tipster', tipster: true },
};

/** The answer on a tip that asks for an SMS on assignment and close-out (短信告知处理结果). */
export const SMS_CONSENT_FIELD = 'smsUpdates';

function consented(payload: string): boolean {
  try {
    const v = (JSON.parse(payload) as Record<string, unknown>)[SMS_CONSENT_FIELD];
    return v === true || v === 'yes' || v === '1' || v === 'on' || (Array.isArray(v) && v.length > 0);
  } catch {
    return false;
  }
}

export const notifyChangeHook: ChangeHook = function notifyChangeHook(q, change) {
  if (change.kind === 'form' && change.suggestion) return suggestionEvents(q, change.suggestion, change.at);
  if (change.kind !== 'hazards') return [];
  const plan = HAZARD_FANOUT[change.action];
  if (!plan) return [];
  if (!change.facts) throw new Error(`notifyChangeHook: a "${change.action}" change needs its hazards' facts (hazardFacts)`);
  const out: EventRow[] = [];
  for (const h of change.facts) {
    const base = { hazardId: h.id, number: h.number, category: categoryLabel(h.category), place: safePlace(h.place), deadline: h.deadline, state: stateLabel(h.state) };
    const unitData = (): HazardEventData => ({ ...base, unit: h.actorUnitCode, path: `/unit/hazards/${h.id}` });
    const officeData = (): HazardEventData => ({ ...base, unit: h.actorUnitCode ?? h.leadUnitCode, path: `/admin/hazards/${h.id}` });
    const targets = new Set<string>();
    if (plan.lead && h.leadUnitCode) targets.add(h.leadUnitCode);
    if (plan.co) for (const c of h.coUnits) targets.add(c);
    targets.delete('office');
    for (const t of targets) out.push({ event: plan.event, target: t, data: JSON.stringify(unitData()), createdAt: change.at });
    if (plan.office) out.push({ event: plan.event, target: 'office', data: JSON.stringify(officeData()), createdAt: change.at });
    if (plan.tipster && h.tipster) {
      out.push({ event: 'tipster', target: 'tipster', data: JSON.stringify({ submissionId: h.tipster.submissionId, receipt: h.tipster.receipt, status: publicStateLabel(h.state) }), createdAt: change.at });
    }
  }
  return out.length ? [q.insert(notifyEvents).values(out)] : [];
};

/** A suggestion forwarded tells each department, a returned draft its department; a department's draft tells the office. Only a path: no one's data. */
function suggestionEvents(q: Parameters<ChangeHook>[0], s: SuggestionFact, at: number) {
  const rows: EventRow[] =
    s.action === 'drafted'
      ? [{ event: 'suggestion_drafted', target: 'office', data: JSON.stringify({ path: `/admin/suggestions/${s.id}` }), createdAt: at }]
      : s.units
          .filter((u) => u !== 'office')
          .map((target) => ({ event: s.action === 'forwarded' ? 'suggestion_forwarded' : 'suggestion_returned', target, data: JSON.stringify({ path: '/unit/suggestions' }), createdAt: at }));
  return rows.length ? [q.insert(notifyEvents).values(rows)] : [];
}

/**
 * What the notifier tells about hazards as they now stand, read in the caller's transaction (the supervision
 * pass); a transition builds the same facts from what it read before its batch. The reads start together.
 */
export async function hazardFacts(q: Pick<Db, 'select'>, ids: readonly number[], action: string): Promise<HazardFact[]> {
  if (!ids.length) return [];
  const [rows, co, actors] = await Promise.all([
    q
      .select({ h: hazards, payload: submissions.payload, receipt: submissions.receipt })
      .from(hazards)
      .leftJoin(submissions, eq(submissions.id, hazards.submissionId))
      .where(inArray(hazards.id, [...ids])),
    q.select({ id: hazardCoUnits.hazardId, u: hazardCoUnits.unitCode }).from(hazardCoUnits).where(inArray(hazardCoUnits.hazardId, [...ids])),
    q
      .select({ id: hazardEvents.hazardId, unit: hazardEvents.actorUnitCode, event: hazardEvents.id })
      .from(hazardEvents)
      .where(and(inArray(hazardEvents.hazardId, [...ids]), eq(hazardEvents.action, action)))
      .orderBy(desc(hazardEvents.id)),
  ]);
  return rows.map(({ h, payload, receipt }) => ({
    id: h.id,
    number: h.number,
    category: h.category,
    place: h.place,
    deadline: h.deadline,
    state: h.state,
    leadUnitCode: h.leadUnitCode,
    coUnits: co.filter((c) => c.id === h.id).map((c) => c.u),
    actorUnitCode: actors.find((a) => a.id === h.id)?.unit ?? null,
    tipster: tipsterOf(h, payload, receipt),
  }));
}

/** The tip's submission and receipt when its tipster asked for SMS updates, else null. */
export function tipsterOf(h: { source: string; submissionId: number | null }, payload: string | null | undefined, receipt: string | null | undefined) {
  return h.source === 'tip' && h.submissionId && payload && receipt && consented(payload) ? { submissionId: h.submissionId, receipt } : null;
}

/** A new tip (its hazard made by the hazard hook's statements just before) or a deputy's suggestion: the office hears of it. */
export const notifySubmissionHook: SubmissionHook = function notifySubmissionHook(q, ctx) {
  const at = ctx.submission.createdAt;
  if (ctx.form.id === 'hazard-tip' && ctx.hazard) {
    const h = ctx.hazard;
    // The hazard's id and number exist only inside the batch: the event is built from its row there.
    const data = sql`json_object('hazardId', ${hazards.id}, 'number', ${hazards.number}, 'category', ${categoryLabel(h.category)}, 'place', ${safePlace(h.place)},
      'deadline', NULL, 'state', ${stateLabel(h.state)}, 'path', '/admin/hazards/' || ${hazards.id})`;
    return [
      q.run(sql`INSERT INTO ${notifyEvents} (event, target, data, created_at)
        SELECT 'new_tip', 'office', ${data}, ${at} FROM ${hazards} WHERE ${hazards.submissionId} = ${ctx.submission.idSql}`),
    ];
  }
  if (ctx.form.id === 'deputy-suggestion') {
    return [q.insert(notifyEvents).values({ event: 'new_suggestion', target: 'office', data: JSON.stringify({ path: '/admin/suggestions' }), createdAt: at })];
  }
  return [];
};

const HANDIN_LEADS = [3, 1] as const;

/**
 * Events a clock brings, once each (by dedupe key): every town, sub-district and department three days and one
 * day before each hand-in deadline, and the leaders at 08:00 with the ranking of the day that ended.
 */
export async function queueScheduledEvents(deps: Pick<Deps, 'db'>, at: Date): Promise<{ queued: number }> {
  const ms = at.getTime();
  const today = shanghaiDay(ms);
  const { settings, id: campaignId } = await currentCampaign(deps.db);
  const out: EventRow[] = [];
  for (const d of settings.deadlines) {
    for (const lead of HANDIN_LEADS) {
      if (addDays(d.date, -lead) !== today) continue;
      const prefix = `handin:${campaignId}:${d.id}:${d.date}:${lead}:`;
      const [done] = await deps.db.select({ id: notifyEvents.id }).from(notifyEvents).where(like(notifyEvents.dedupeKey, `${prefix}%`)).limit(1);
      if (done) continue;
      // A hand-in step reminds only the units that owe it and have not handed in; any other deadline, every town and department.
      const kind = HAND_IN_KINDS[d.rule];
      const targets = await deps.db
        .select({ code: units.code })
        .from(units)
        .where(
          and(
            inArray(units.kind, kind ? [...kind.unitKinds] : ['town', 'subdistrict', 'department']),
            kind ? sql`NOT EXISTS (SELECT 1 FROM ${handIns} WHERE ${handIns.campaignId} = ${campaignId} AND ${handIns.deadlineId} = ${d.id} AND ${handIns.unitCode} = ${units.code})` : undefined,
          ),
        );
      for (const t of targets) {
        out.push({ dedupeKey: `${prefix}${t.code}`, event: 'handin_due', target: t.code, data: JSON.stringify({ label: d.label, date: d.date, days: lead, path: '/unit' }), createdAt: ms });
      }
    }
  }
  // 08:00 Beijing is 00:00 UTC: the ranking of yesterday (Shanghai) goes to the leaders once.
  const shanghaiHour = new Date(ms + 8 * 3600_000).getUTCHours();
  if (shanghaiHour >= 8) {
    const day = addDays(today, -1);
    const key = `ranking:${campaignId}:${day}`;
    const [done] = await deps.db.select({ id: notifyEvents.id }).from(notifyEvents).where(eq(notifyEvents.dedupeKey, key)).limit(1);
    if (!done) {
      const rows = await deps.db
        .select({ unit: rankingSnapshots.unitCode, name: units.name, grp: rankingSnapshots.grp, score: rankingSnapshots.score, rank: rankingSnapshots.rank })
        .from(rankingSnapshots)
        .leftJoin(units, eq(units.code, rankingSnapshots.unitCode))
        .where(and(eq(rankingSnapshots.campaignId, campaignId), eq(rankingSnapshots.day, day)))
        .orderBy(rankingSnapshots.grp, rankingSnapshots.rank);
      if (rows.length) {
        const groups: Record<string, unknown> = {};
        for (const grp of ['towns', 'departments'] as const) {
          const g = rows.filter((r) => r.grp === grp).map((r) => ({ name: r.name ?? r.unit, score: r.score / 100, rank: r.rank }));
          if (!g.length) continue;
          groups[grp] = { top: g.slice(0, 3), bottom: g.length > 3 ? g.slice(-3) : [], below: g.filter((r) => r.score < settings.rankingThreshold).length };
        }
        out.push({ dedupeKey: key, event: 'ranking', target: 'leaders', data: JSON.stringify({ day, threshold: settings.rankingThreshold, groups, path: '/leader' }), createdAt: ms });
      }
    }
  }
  if (out.length) await deps.db.insert(notifyEvents).values(out).onConflictDoNothing();
  return { queued: out.length };
}
