// The ranking inputs as they were computed before the rollups (issue 20): GROUP BYs over the raw submissions and hazards.
// Kept only here, as the reference the rollup-reading snapshot must equal.
import { sql } from 'drizzle-orm';
import type { Db } from '../../../src/db/index.ts';
import type { CadreRole } from '../../../src/db/schema.ts';
import { awaitsOffice, CLOSED_STATES, isFixed, isOpen, STATE_IDS } from '../../../src/hazards/states.ts';
import { SATISFIED_VALUES } from '../../../forms/options.ts';
import { countedVisit } from '../../../src/visits/checks.ts';
import type { CampaignTask } from '../../../src/forms/types.ts';
import { officerAggregates, registerAggregates } from '../../../src/unit/tasks.ts';

/**
 * Hazard states closed without a fix (a duplicate, or not a hazard after all): such hazards are not
 * counted as led. Read from the state table so a new closing reason needs no change here.
 */
export const EXCLUDED_HAZARD_STATES: readonly string[] = CLOSED_STATES.filter((s) => !isFixed(s));

export const FEEDBACK_FORMS = ['mass-feedback', 'household-visit'] as const;
export const VISIT_FORM = 'household-visit';
export const TASK_FORM = 'task-report';

/** Inclusive day range [from, to], Asia/Shanghai YYYY-MM-DD. */
export interface DayRange {
  from: string;
  to: string;
}

export interface VisitRow {
  unit: string;
  cadres: number;
  /** Σ over cadres of min(visits / quota, 1). */
  progress: number;
  visits: number;
  quota: number;
}

/** Per cadre unit: its active cadres, their capped visit progress and raw visit counts. */
export async function visitAggregates(db: Db, r: DayRange, quotas: Readonly<Record<CadreRole, number>>): Promise<VisitRow[]> {
  const quota = sql`(CASE c.role WHEN 'district_leader' THEN ${quotas.district_leader} WHEN 'unit_leader' THEN ${quotas.unit_leader} ELSE ${quotas.cadre} END)`;
  return db.all<VisitRow>(sql`
    SELECT c.unit_code AS unit,
           count(*) AS cadres,
           coalesce(sum(min(coalesce(v.n, 0) * 1.0 / ${quota}, 1.0)), 0) AS progress,
           coalesce(sum(v.n), 0) AS visits,
           sum(${quota}) AS quota
    FROM cadres c
    LEFT JOIN (
      SELECT s.cadre_id, count(*) AS n FROM submissions s
      WHERE s.form_id = ${VISIT_FORM} AND s.cadre_id IS NOT NULL AND s.day BETWEEN ${r.from} AND ${r.to} AND s.deleted_at IS NULL
        AND ${countedVisit('s')}
      GROUP BY s.cadre_id
    ) v ON v.cadre_id = c.id
    WHERE c.active = 1
    GROUP BY c.unit_code`);
}

export interface HazardRow {
  unit: string;
  led: number;
  closed: number;
  onTime: number;
  overdue: number;
}

/**
 * Per lead unit, as at the end of day r.to: hazards led, closed by then, closed on time, and still
 * open with their deadline day fully passed. Duplicates and non-hazards are left out.
 */
export async function hazardAggregates(db: Db, r: DayRange): Promise<HazardRow[]> {
  const d = r.to;
  const closed = sql`(h.closed_day IS NOT NULL AND h.closed_day <= ${d})`;
  const excluded = sql.join(
    EXCLUDED_HAZARD_STATES.map((s) => sql`${s}`),
    sql`, `,
  );
  // Past its deadline counts against the unit unless the item now waits on the office (a fix reported and
  // not yet checked): that delay is the office's, as in the overdue job. Closed items count by their close day.
  const waiting = sql.join(
    STATE_IDS.filter((s) => isOpen(s) && awaitsOffice(s)).map((s) => sql`${s}`),
    sql`, `,
  );
  return db.all<HazardRow>(sql`
    SELECT h.lead_unit_code AS unit,
           count(*) AS led,
           coalesce(sum(${closed}), 0) AS closed,
           coalesce(sum(${closed} AND coalesce(h.closed_on_time, h.deadline IS NULL OR h.closed_day <= h.deadline)), 0) AS onTime,
           coalesce(sum(NOT ${closed} AND h.state NOT IN (${waiting}) AND h.deadline IS NOT NULL AND h.deadline < ${d}), 0) AS overdue
    FROM hazards h
    WHERE h.lead_unit_code IS NOT NULL AND h.day BETWEEN ${r.from} AND ${d}
      AND h.duplicate_of IS NULL AND h.state NOT IN (${excluded})
    GROUP BY h.lead_unit_code`);
}

export interface AnswerRow {
  unit: string;
  sNum: number;
  sDen: number;
  aNum: number;
  aDen: number;
  pNum: number;
  pDen: number;
}

/**
 * Resident answers (feedback and visits) per attributed rollup unit. Each question has its own
 * denominator: an answer that skipped a question does not count against that rate. Answers flagged
 * as an anonymous burst from one address (unranked) count only once the office accepts them.
 */
export async function answerAggregates(db: Db, r: DayRange): Promise<AnswerRow[]> {
  const satisfied = sql.join(
    SATISFIED_VALUES.map((v) => sql`${v}`),
    sql`, `,
  );
  return db.all<AnswerRow>(sql`
    SELECT coalesce(rollup_code, unit_code) AS unit,
           coalesce(sum(satisfaction IN (${satisfied})), 0) AS sNum,
           count(satisfaction) AS sDen,
           coalesce(sum(aware), 0) AS aNum,
           count(aware) AS aDen,
           coalesce(sum(participated), 0) AS pNum,
           count(participated) AS pDen
    FROM submissions
    WHERE form_id IN (${FEEDBACK_FORMS[0]}, ${FEEDBACK_FORMS[1]}) AND day BETWEEN ${r.from} AND ${r.to} AND deleted_at IS NULL AND unranked = 0
    GROUP BY 1
    HAVING unit IS NOT NULL`);
}

export interface TaskRow {
  unit: string;
  taskId: string;
  reported: number;
}

/** Reported quantities per attributed unit and task. */
/** Typed task reports, and the figures of tasks counted from a register (whose typed reports no longer count). */
export async function taskAggregates(db: Db, r: DayRange, tasks: readonly CampaignTask[] = []): Promise<TaskRow[]> {
  const sourced = tasks.filter((t) => t.from).map((t) => t.id);
  const [typed, registers, officers] = await Promise.all([
    db.all<TaskRow>(sql`
    SELECT coalesce(rollup_code, unit_code) AS unit, task_id AS taskId, coalesce(sum(quantity), 0) AS reported
    FROM submissions
    WHERE form_id = ${TASK_FORM} AND task_id IS NOT NULL AND day BETWEEN ${r.from} AND ${r.to} AND deleted_at IS NULL
      ${sourced.length ? sql`AND task_id NOT IN (${sql.join(sourced.map((id) => sql`${id}`), sql`, `)})` : sql``}
    GROUP BY 1, 2
    HAVING unit IS NOT NULL`),
    registerAggregates(db, tasks, r),
    officerAggregates(db, tasks, r),
  ]);
  return [...typed, ...registers, ...officers];
}
