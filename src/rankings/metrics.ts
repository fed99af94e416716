// The ranking's inputs as sums over the daily rollups (src/db/schema/rollups.ts): what a snapshot reads grows with
// units × days, not with the campaign's submissions. Only the tasks counted from registers still read raw rows.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import type { CadreRole } from '../db/schema.ts';
import type { CampaignTask } from '../forms/types.ts';
import { officerAggregates, registerAggregates } from '../unit/tasks.ts';

export { EXCLUDED_HAZARD_STATES, FEEDBACK_FORMS, TASK_FORM, VISIT_FORM } from './rollup-sql.ts';

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

/** Per cadre unit: its active cadres, their capped visit progress and counted visits (each cadre's day rows, by key). */
export async function visitAggregates(db: Db, r: DayRange, quotas: Readonly<Record<CadreRole, number>>): Promise<VisitRow[]> {
  const quota = sql`(CASE c.role WHEN 'district_leader' THEN ${quotas.district_leader} WHEN 'unit_leader' THEN ${quotas.unit_leader} ELSE ${quotas.cadre} END)`;
  return db.all<VisitRow>(sql`
    SELECT unit, count(*) AS cadres, coalesce(sum(min(n * 1.0 / quota, 1.0)), 0) AS progress, coalesce(sum(n), 0) AS visits, sum(quota) AS quota
    FROM (
      SELECT c.unit_code AS unit, ${quota} AS quota,
             coalesce((SELECT sum(v.n) FROM rollup_visits v WHERE v.cadre_id = c.id AND v.day BETWEEN ${r.from} AND ${r.to}), 0) AS n
      FROM cadres c WHERE c.active = 1
    )
    GROUP BY unit`);
}

export interface HazardRow {
  unit: string;
  led: number;
  closed: number;
  onTime: number;
  overdue: number;
}

/**
 * Per lead unit, as at the end of day r.to: hazards led, closed by then, closed on time, and still open with their
 * deadline day fully passed unless the item now waits on the office (a fix reported and not yet checked: that
 * delay is the office's). Duplicates and non-hazards are not in the rollup.
 */
export async function hazardAggregates(db: Db, r: DayRange): Promise<HazardRow[]> {
  const d = r.to;
  const closed = sql`(closed_day <> '' AND closed_day <= ${d})`;
  return db.all<HazardRow>(sql`
    SELECT unit,
           sum(n) AS led,
           coalesce(sum(CASE WHEN ${closed} THEN n END), 0) AS closed,
           coalesce(sum(CASE WHEN ${closed} AND on_time <> 0 THEN n END), 0) AS onTime,
           coalesce(sum(CASE WHEN NOT ${closed} AND waiting = 0 AND deadline <> '' AND deadline < ${d} THEN n END), 0) AS overdue
    FROM rollup_hazards
    WHERE day BETWEEN ${r.from} AND ${d}
    GROUP BY unit`);
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
 * Resident answers (feedback and visits) per attributed rollup unit. Each question has its own denominator: an
 * answer that skipped a question does not count against that rate. Answers flagged as an anonymous burst from one
 * address (unranked) are in the rollup only once the office accepts them.
 */
export async function answerAggregates(db: Db, r: DayRange): Promise<AnswerRow[]> {
  return db.all<AnswerRow>(sql`
    SELECT unit, sum(s_num) AS sNum, sum(s_den) AS sDen, sum(a_num) AS aNum, sum(a_den) AS aDen, sum(p_num) AS pNum, sum(p_den) AS pDen
    FROM rollup_answers
    WHERE day BETWEEN ${r.from} AND ${r.to}
    GROUP BY unit`);
}

export interface TaskRow {
  unit: string;
  taskId: string;
  reported: number;
}

/**
 * Typed task reports from their rollup, and the figures of tasks counted from a register (whose typed reports no
 * longer count). Register tasks are defined by the office's settings, so no trigger can know them in advance:
 * they read the register's own rows, which are few (a unit's publicity or mediation entries, not its visits).
 */
export async function taskAggregates(db: Db, r: DayRange, tasks: readonly CampaignTask[] = []): Promise<TaskRow[]> {
  const sourced = tasks.filter((t) => t.from).map((t) => t.id);
  const [typed, registers, officers] = await Promise.all([
    db.all<TaskRow>(sql`
    SELECT unit, task_id AS taskId, sum(quantity) AS reported
    FROM rollup_task_reports
    WHERE day BETWEEN ${r.from} AND ${r.to}
      ${sourced.length ? sql`AND task_id NOT IN (${sql.join(sourced.map((id) => sql`${id}`), sql`, `)})` : sql``}
    GROUP BY 1, 2`),
    registerAggregates(db, tasks, r),
    officerAggregates(db, tasks, r),
  ]);
  return [...typed, ...registers, ...officers];
}

export interface CoverageRow {
  unit: string;
  /** The unit's active villages and communities. */
  places: number;
  /** Of them, those with a red-armband team registered (R5), and those where publicity was registered (R4). */
  patrolled: number;
  publicised: number;
}

export const PATROL_FORM = 'patrol-team';
export const PUBLICITY_FORM = 'publicity';

/**
 * Per town or sub-district, as at the end of r.to: how many of its villages and communities have a patrol team and
 * publicity registered by the town or the place itself. Read from the two registers' rows (one team per village,
 * a few publicity entries each: few rows, like the register tasks); the `place` answer names the village.
 */
export async function coverageAggregates(db: Pick<Db, 'all'>, r: DayRange): Promise<CoverageRow[]> {
  return db.all<CoverageRow>(sql`
    WITH covered AS (
      SELECT DISTINCT s.form_id AS form, s.rollup_code AS owner, json_extract(s.payload, '$.place') AS place
      FROM submissions s
      WHERE s.form_id IN (${PATROL_FORM}, ${PUBLICITY_FORM}) AND s.deleted_at IS NULL AND s.day BETWEEN ${r.from} AND ${r.to}
    )
    SELECT p.parent_code AS unit, count(*) AS places, sum(pt.place IS NOT NULL) AS patrolled, sum(pb.place IS NOT NULL) AS publicised
    FROM units p
    LEFT JOIN covered pt ON pt.form = ${PATROL_FORM} AND pt.owner = p.parent_code AND pt.place = p.code
    LEFT JOIN covered pb ON pb.form = ${PUBLICITY_FORM} AND pb.owner = p.parent_code AND pb.place = p.code
    WHERE p.kind IN ('village', 'community') AND p.active = 1 AND p.parent_code IS NOT NULL
    GROUP BY p.parent_code`);
}
