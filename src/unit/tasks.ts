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

/** The owner of the tasks every police station has (R16), each against its own target. */
export const STATIONS_OWNER = 'stations';

/** The campaign tasks a unit owns: its own department tasks, the towns' tasks for towns and sub-districts, the stations' for a police station. */
export function ownTasks(unit: Pick<UnitInfo, 'code' | 'kind'>, tasks: readonly CampaignTask[]): CampaignTask[] {
  const isTown = unit.kind === 'town' || unit.kind === 'subdistrict';
  const isStation = unit.kind === 'station';
  return tasks.filter((t) => t.owner === unit.code || (isTown && t.owner === 'towns') || (isStation && t.owner === STATIONS_OWNER));
}

/** The tasks a unit may report on its task-report form: its own, and for a police station the "三个一" of its officers. */
export function reportableTasks(unit: Pick<UnitInfo, 'code' | 'kind'>, tasks: readonly CampaignTask[]): CampaignTask[] {
  const own = ownTasks(unit, tasks);
  return unit.kind === 'station' ? [...own, ...tasks.filter((t) => t.perOfficer && !t.from && !own.includes(t))] : own;
}

/**
 * The ids of the 包村、社区干警 of a town, sub-district, village or community: police stations' cadres assigned to one of
 * its places (or to the place itself). A report naming one counts for the place's town, whoever entered it.
 */
const officersOf = (unitCode: string | SQL) =>
  sql`(SELECT oc.id FROM cadres oc JOIN units ost ON ost.code = oc.unit_code AND ost.kind = 'station' JOIN units op ON op.code = oc.assigned_code WHERE op.parent_code = ${unitCode} OR op.code = ${unitCode})`;

/** The active police stations under a unit, counted in the statement that needs them. */
export const stationCount = (unitCode: string | SQL) =>
  sql`(SELECT count(*) FROM units st WHERE st.parent_code = ${unitCode} AND st.kind = 'station' AND st.active = 1)`;

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

/** The figure of one task for one unit (a code, or a column of the enclosing query) as a scalar subquery. */
function figure(t: CampaignTask, unitCode: string | SQL, c: Pick<CampaignSettings, 'startDate' | 'endDate'>): SQL {
  const form = t.from?.form ?? TASK_REPORT_FORM;
  const scope = sql`s.form_id = ${form} AND (s.unit_code = ${unitCode} OR s.rollup_code = ${unitCode}) AND s.deleted_at IS NULL AND s.day BETWEEN ${c.startDate} AND ${c.endDate}`;
  if (!t.from && t.perOfficer) {
    // "三个一": the unit's own reports and its officers' (entered by their police station).
    const officers = sql`s.form_id = ${form} AND s.cadre_id IN ${officersOf(unitCode)} AND s.deleted_at IS NULL AND s.day BETWEEN ${c.startDate} AND ${c.endDate}`;
    return sql`(SELECT coalesce(sum(s.quantity), 0) FROM submissions s WHERE ((${scope}) OR (${officers})) AND s.task_id = ${t.id})`;
  }
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

/**
 * Every task a unit owns with its figure, in the campaign's order; a department with police stations under it (the
 * police branch) also has the stations' tasks, all its stations' reports against the target × its active stations.
 */
export async function unitTasks(db: Db, unit: Pick<UnitInfo, 'code' | 'kind'>, campaign: CampaignSettings): Promise<UnitTask[]> {
  const own = ownTasks(unit, campaign.tasks);
  const ofStations = unit.kind === 'department' ? campaign.tasks.filter((t) => t.owner === STATIONS_OWNER) : [];
  return own.length || ofStations.length ? tasksFor(db, unit.code, [...own, ...ofStations], campaign, { stations: ofStations.length > 0 }) : [];
}

/** The figures of some tasks for one unit: one statement, one column per task (and the unit's stations when asked). */
export async function tasksFor(
  db: Pick<Db, 'all'>,
  unitCode: string,
  tasks: readonly CampaignTask[],
  campaign: Pick<CampaignSettings, 'startDate' | 'endDate'>,
  opts: { stations?: boolean } = {},
): Promise<UnitTask[]> {
  const cols = tasks.map((t, i) => sql`${figure(t, unitCode, campaign)} AS ${sql.raw(`t${i}`)}`);
  if (opts.stations) cols.push(sql`${stationCount(unitCode)} AS stations`);
  const [row] = await db.all<Record<string, number | null>>(sql`SELECT ${sql.join(cols, sql`, `)}`);
  const stations = Number(row?.stations ?? 0);
  const out = tasks.map((t, i) => ({
    id: t.id,
    label: t.title,
    target: opts.stations && t.owner === STATIONS_OWNER ? t.target * stations : t.target,
    done: Number(row?.[`t${i}`] ?? 0),
    source: sourceKind(t),
    unitLabel: t.unitLabel,
    rule: t.rule,
  }));
  return opts.stations ? out.filter((x, i) => tasks[i]!.owner !== STATIONS_OWNER || stations > 0) : out;
}

export interface StationFigures {
  unit: string;
  name: string;
  tasks: { id: string; label: string; target: number; done: number; unitLabel: string; rule: string }[];
}

/** Each active police station under a unit with its own figure of every station task (R16): one statement. */
export async function stationFigures(db: Pick<Db, 'all'>, unitCode: string, campaign: Pick<CampaignSettings, 'startDate' | 'endDate' | 'tasks'>): Promise<StationFigures[]> {
  const tasks = campaign.tasks.filter((t) => t.owner === STATIONS_OWNER);
  const cols = tasks.map((t, i) => sql`, ${figure(t, sql`st.code`, campaign)} AS ${sql.raw(`t${i}`)}`);
  const rows = await db.all<Record<string, string | number | null>>(
    sql`SELECT st.code AS code, st.name AS name${sql.join(cols, sql``)} FROM units st WHERE st.parent_code = ${unitCode} AND st.kind = 'station' AND st.active = 1 ORDER BY st.code`,
  );
  return rows.map((r) => ({
    unit: String(r.code),
    name: String(r.name),
    tasks: tasks.map((t, i) => ({ id: t.id, label: t.title, target: t.target, done: Number(r[`t${i}`] ?? 0), unitLabel: t.unitLabel, rule: t.rule })),
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

/**
 * "三个一" reports a police station entered naming one of its officers, per town of the officer's village (the
 * town's own and its villages' reports are in the task rollup already, so they are left out here).
 */
export async function officerAggregates(db: Pick<Db, 'all'>, tasks: readonly CampaignTask[], r: { from: string; to: string }): Promise<RegisterFigure[]> {
  const ids = tasks.filter((t) => t.perOfficer && !t.from).map((t) => t.id);
  if (!ids.length) return [];
  const rows = await db.all<RegisterFigure>(sql`
    SELECT op.parent_code AS unit, s.task_id AS taskId, coalesce(sum(s.quantity), 0) AS reported
    FROM submissions s
    JOIN cadres oc ON oc.id = s.cadre_id
    JOIN units ost ON ost.code = oc.unit_code AND ost.kind = 'station'
    JOIN units op ON op.code = oc.assigned_code
    WHERE s.form_id = ${TASK_REPORT_FORM} AND s.task_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)}) AND s.deleted_at IS NULL
      AND s.day BETWEEN ${r.from} AND ${r.to} AND op.parent_code IS NOT NULL AND coalesce(s.rollup_code, s.unit_code, '') <> op.parent_code
    GROUP BY 1, 2`);
  return rows.map((x) => ({ unit: x.unit, taskId: x.taskId, reported: Number(x.reported) }));
}

export interface OfficerFigures {
  id: number;
  name: string;
  station: string;
  stationName: string;
  place: string;
  placeName: string;
  tasks: { id: string; label: string; target: number; done: number; unitLabel: string }[];
}

/**
 * The "三个一" of each active 包村、社区干警 a unit sees (R15): a town's or village's officers, a station's own, or all of a
 * police branch's stations' — each task against the officer's own target. One statement.
 */
export async function officerFigures(db: Pick<Db, 'all'>, unit: Pick<UnitInfo, 'code' | 'kind'>, campaign: Pick<CampaignSettings, 'startDate' | 'endDate' | 'tasks'>): Promise<OfficerFigures[]> {
  const tasks = campaign.tasks.filter((t) => t.perOfficer && !t.from);
  const scope =
    unit.kind === 'station' ? sql`oc.unit_code = ${unit.code}`
    : unit.kind === 'department' ? sql`ost.parent_code = ${unit.code}`
    : unit.kind === 'office' ? null
    : sql`(op.parent_code = ${unit.code} OR op.code = ${unit.code})`;
  if (!tasks.length || !scope) return [];
  const cols = tasks.map(
    (t, i) =>
      sql`, (SELECT coalesce(sum(s.quantity), 0) FROM submissions s WHERE s.form_id = ${TASK_REPORT_FORM} AND s.task_id = ${t.id} AND s.cadre_id = oc.id
        AND s.deleted_at IS NULL AND s.day BETWEEN ${campaign.startDate} AND ${campaign.endDate}) AS ${sql.raw(`t${i}`)}`,
  );
  const rows = await db.all<Record<string, string | number | null>>(sql`
    SELECT oc.id AS id, oc.name AS name, ost.code AS station, ost.name AS stationName, op.code AS place, op.name AS placeName${sql.join(cols, sql``)}
    FROM cadres oc
    JOIN units ost ON ost.code = oc.unit_code AND ost.kind = 'station'
    JOIN units op ON op.code = oc.assigned_code
    WHERE oc.active = 1 AND ${scope}
    ORDER BY op.parent_code, op.code, oc.id`);
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    station: String(r.station),
    stationName: String(r.stationName),
    place: String(r.place),
    placeName: String(r.placeName),
    tasks: tasks.map((t, i) => ({ id: t.id, label: t.title, target: t.perOfficer!, done: Number(r[`t${i}`] ?? 0), unitLabel: t.unitLabel })),
  }));
}
