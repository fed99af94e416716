// A unit's campaign tasks as computed from its registers (one entry counts everywhere): a task with a
// source counts the register's entries, sums or distinct named objects; one without counts the typed task
// reports. A town's figures include its villages' and communities' entries (rollupCode). One statement.
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

/** The figure of one task for one unit as a scalar subquery. */
function figure(t: CampaignTask, unitCode: string, c: Pick<CampaignSettings, 'startDate' | 'endDate'>): SQL {
  const src: TaskSource = t.from ?? { form: TASK_REPORT_FORM, count: 'sum' };
  const scope = sql`s.form_id = ${src.form} AND (s.unit_code = ${unitCode} OR s.rollup_code = ${unitCode}) AND s.deleted_at IS NULL AND s.day BETWEEN ${c.startDate} AND ${c.endDate}`;
  const filter = !t.from
    ? sql` AND s.task_id = ${t.id}`
    : src.where
      ? sql` AND ${field(src.where.field)} IN (${sql.join(src.where.equals.map((v) => sql`${v}`), sql`, `)})`
      : sql``;
  const value = !t.from
    ? sql`coalesce(sum(s.quantity), 0)`
    : src.count === 'entries'
      ? sql`count(*)`
      : src.count === 'distinct'
        ? sql`count(DISTINCT nullif(lower(trim(${field(src.fields![0]!)})), ''))`
        : sql`coalesce(sum(${sql.join(src.fields!.map((f) => sql`coalesce(CAST(${field(f)} AS INTEGER), 0)`), sql` + `)}), 0)`;
  return sql`(SELECT ${value} FROM submissions s WHERE ${scope}${filter})`;
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
  const parts = sourced.map((t) => {
    const src = t.from;
    const value =
      src.count === 'entries'
        ? sql`count(*)`
        : src.count === 'distinct'
          ? sql`count(DISTINCT nullif(lower(trim(${field(src.fields![0]!)})), ''))`
          : sql`coalesce(sum(${sql.join(src.fields!.map((f) => sql`coalesce(CAST(${field(f)} AS INTEGER), 0)`), sql` + `)}), 0)`;
    const where = src.where ? sql` AND ${field(src.where.field)} IN (${sql.join(src.where.equals.map((v) => sql`${v}`), sql`, `)})` : sql``;
    return sql`SELECT s.unit_code AS unit, ${t.id} AS taskId, ${value} AS reported FROM submissions s
      WHERE s.form_id = ${src.form} AND s.unit_code IS NOT NULL AND s.deleted_at IS NULL AND s.day BETWEEN ${r.from} AND ${r.to}${where} GROUP BY s.unit_code`;
  });
  const rows = await db.all<RegisterFigure>(sql.join(parts, sql` UNION ALL `));
  return rows.map((x) => ({ unit: x.unit, taskId: x.taskId, reported: Number(x.reported) }));
}
