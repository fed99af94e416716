// A unit's campaign tasks as computed from its registers (one entry counts everywhere): a task with a
// source counts the register's entries, sums or distinct named objects (a task-report source, the objects named
// in the task's own reports); one without sums the typed task reports. A town's figures include its villages' and communities' entries (rollupCode). One statement.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import type { CampaignSettings } from '../campaign/settings.ts';
import type { CampaignTask, TaskSource } from '../forms/types.ts';
import type { UnitInfo } from './roster/roster.ts';

export const TASK_REPORT_FORM = 'task-report';

export type TaskSourceKind = 'register' | 'typed' | 'objects';

export const sourceKind = (t: Pick<CampaignTask, 'from'>): TaskSourceKind => (!t.from ? 'typed' : t.from.count === 'distinct' ? 'objects' : 'register');

/** The campaign tasks a unit owns: its own department tasks, or the towns' tasks for towns and sub-districts. */
export function ownTasks(unit: Pick<UnitInfo, 'code' | 'kind'>, tasks: readonly CampaignTask[]): CampaignTask[] {
  const isTown = unit.kind === 'town' || unit.kind === 'subdistrict';
  return tasks.filter((t) => t.owner === unit.code || (isTown && t.owner === 'towns'));
}

const field = (name: string) => sql`json_extract(s.payload, ${`$.${name}`})`;

/** A field as the filter compares it: a yes/no answer (stored as JSON true/false) reads 'yes' or 'no', like its options. */
const token = (name: string) => sql`CASE json_type(s.payload, ${`$.${name}`}) WHEN 'true' THEN 'yes' WHEN 'false' THEN 'no' ELSE ${field(name)} END`;

/** What a register-sourced task counts of the rows in scope: entries, a sum, or distinct named objects (case and spaces ignored). */
function sourceValue(src: TaskSource): SQL {
  if (src.count === 'entries') return sql`count(*)`;
  if (src.count === 'distinct') return sql`count(DISTINCT nullif(lower(trim(${field(src.fields![0]!)})), ''))`;
  return sql`coalesce(sum(${sql.join(src.fields!.map((f) => sql`coalesce(CAST(${field(f)} AS INTEGER), 0)`), sql` + `)}), 0)`;
}

/**
 * Which rows of the register count: the choice filter; a task counted from task reports reads only its own reports;
 * a household visited again counts once (its flagged repeat is left out until the office clears the flag).
 */
function sourceFilter(t: CampaignTask & { from: TaskSource }): SQL {
  const src = t.from;
  const parts: SQL[] = [sql`NOT (s.repeat_visit = 1 AND s.flags_cleared_at IS NULL)`];
  if (src.form === TASK_REPORT_FORM) parts.push(sql`s.task_id = ${t.id}`);
  if (src.where) parts.push(sql`${token(src.where.field)} IN (${sql.join(src.where.equals.map((v) => sql`${v}`), sql`, `)})`);
  return sql` AND ${sql.join(parts, sql` AND `)}`;
}

/** The figure of one task for one unit as a scalar subquery. */
function figure(t: CampaignTask, unitCode: string, c: Pick<CampaignSettings, 'startDate' | 'endDate'>): SQL {
  const form = t.from?.form ?? TASK_REPORT_FORM;
  const scope = sql`s.form_id = ${form} AND (s.unit_code = ${unitCode} OR s.rollup_code = ${unitCode}) AND s.deleted_at IS NULL AND s.day BETWEEN ${c.startDate} AND ${c.endDate}`;
  if (!t.from) return sql`(SELECT coalesce(sum(s.quantity), 0) FROM submissions s WHERE ${scope} AND s.task_id = ${t.id})`;
  const sourced = t as CampaignTask & { from: TaskSource };
  return sql`(SELECT ${sourceValue(sourced.from)} FROM submissions s WHERE ${scope}${sourceFilter(sourced)})`;
}

export interface UnitTask {
  id: string;
  label: string;
  target: number;
  done: number;
  source: TaskSourceKind;
  unitLabel: string;
  rule: string;
}

/** Every task a unit owns with its figure, in the campaign's order. */
export async function unitTasks(db: Db, unit: Pick<UnitInfo, 'code' | 'kind'>, campaign: CampaignSettings): Promise<UnitTask[]> {
  const own = ownTasks(unit, campaign.tasks);
  return own.length ? tasksFor(db, unit.code, own, campaign) : [];
}

/** The figures of some tasks for one unit: one statement, one column per task. */
export async function tasksFor(db: Pick<Db, 'all'>, unitCode: string, tasks: readonly CampaignTask[], campaign: Pick<CampaignSettings, 'startDate' | 'endDate'>): Promise<UnitTask[]> {
  const cols = tasks.map((t, i) => sql`${figure(t, unitCode, campaign)} AS ${sql.raw(`t${i}`)}`);
  const [row] = await db.all<Record<string, number | null>>(sql`SELECT ${sql.join(cols, sql`, `)}`);
  return tasks.map((t, i) => ({
    id: t.id,
    label: t.title,
    target: t.target,
    done: Number(row?.[`t${i}`] ?? 0),
    source: sourceKind(t),
    unitLabel: t.unitLabel,
    rule: t.rule,
  }));
}

export interface RegisterFigure {
  unit: string;
  taskId: string;
  reported: number;
}

/** Register-sourced task figures of every unit that entered something (rankings map units to their town). */
export async function registerAggregates(db: Pick<Db, 'all'>, tasks: readonly CampaignTask[], r: { from: string; to: string }): Promise<RegisterFigure[]> {
  const sourced = tasks.filter((t): t is CampaignTask & { from: TaskSource } => !!t.from);
  if (!sourced.length) return [];
  const parts = sourced.map(
    (t) => sql`SELECT s.unit_code AS unit, ${t.id} AS taskId, ${sourceValue(t.from)} AS reported FROM submissions s
      WHERE s.form_id = ${t.from.form} AND s.unit_code IS NOT NULL AND s.deleted_at IS NULL AND s.day BETWEEN ${r.from} AND ${r.to}${sourceFilter(t)} GROUP BY s.unit_code`,
  );
  const rows = await db.all<RegisterFigure>(sql.join(parts, sql` UNION ALL `));
  return rows.map((x) => ({ unit: x.unit, taskId: x.taskId, reported: Number(x.reported) }));
}
