// What a unit's dashboard shows: visits per cadre against quota, tasks against targets, patrol teams
// against R5, the hazards it leads, and the campaign deadlines — all computed in SQL where the rows are.
import { maskDigits } from '../forms/personal.ts';
import { and, asc, count, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { countedVisit } from '../visits/checks.ts';
import type { Db } from '../db/index.ts';
import { hazards, submissions, units } from '../db/schema.ts';
import { daysBetween, shanghaiDay } from '../lib/time.ts';
import { listCadres, type CadreRow, type UnitInfo } from './roster/roster.ts';
import { patrolFlag, patrolRule, type PatrolFlag, type PatrolRule } from './patrol.ts';
import type { CampaignTask } from '../forms/types.ts';
import type { CampaignSettings } from '../campaign/settings.ts';
import { ownTasks, unitTasks } from './tasks.ts';

export const VISIT_FORM = 'household-visit';
export const TASK_FORM = 'task-report';
export const PATROL_FORM = 'patrol-team';

/** A unit's own entries and, for a town or sub-district, those its villages and communities entered (rollupCode). */
const live = (formId: string, unitCode: string) =>
  and(eq(submissions.formId, formId), or(eq(submissions.unitCode, unitCode), eq(submissions.rollupCode, unitCode)), isNull(submissions.deletedAt));

/** Entries recorded during the campaign: an earlier campaign's entries stay stored but count no more. */
const inWindow = (c: Pick<CampaignSettings, 'startDate' | 'endDate'>) => sql`${submissions.day} BETWEEN ${c.startDate} AND ${c.endDate}`;

/** Percent of a target reached, capped at 100 (more does not make up for others). */
export const progressPercent = (done: number, target: number) => (target > 0 ? Math.min(100, Math.floor((done / target) * 100)) : 0);

export interface CadreProgress extends CadreRow {
  visits: number;
  percent: number;
}

export async function visitProgress(db: Db, unitCode: string, campaign: CampaignSettings): Promise<CadreProgress[]> {
  const [roster, counts] = await Promise.all([
    listCadres(db, unitCode, { activeOnly: true, quotas: campaign.visitQuotas }),
    db
      .select({ cadreId: submissions.cadreId, n: count() })
      .from(submissions)
      .where(and(live(VISIT_FORM, unitCode), inWindow(campaign), countedVisit('submissions')))
      .groupBy(submissions.cadreId),
  ]);
  const byCadre = new Map(counts.map((r) => [r.cadreId, r.n]));
  return roster.map((c) => {
    const visits = byCadre.get(c.id) ?? 0;
    return { ...c, visits, percent: progressPercent(visits, c.quota) };
  });
}

/** The campaign tasks a unit reports: its own (src/unit/tasks.ts ownTasks). */
export function tasksOf(unit: UnitInfo, tasks: readonly CampaignTask[]): CampaignTask[] {
  return ownTasks(unit, tasks);
}

export interface TaskProgress extends CampaignTask {
  reported: number;
  percent: number;
}

export async function taskProgress(db: Db, unit: UnitInfo, campaign: CampaignSettings): Promise<TaskProgress[]> {
  // From the registers where the task names one, else the typed task reports (src/unit/tasks.ts); the police
  // branch's station tasks against the target × its stations.
  const figures = await unitTasks(db, unit, campaign);
  const byId = new Map(campaign.tasks.map((t) => [t.id, t]));
  return figures.map((f) => ({ ...byId.get(f.id)!, target: f.target, reported: f.done, percent: progressPercent(f.done, f.target) }));
}

export interface PatrolTeamRow {
  submissionId: number;
  placeCode: string;
  placeName: string;
  population: number | null;
  members: number;
  rule: PatrolRule;
  flag: PatrolFlag | null;
}

export interface PatrolSummary {
  teams: PatrolTeamRow[];
  /** A town's villages and communities without a team yet. */
  missing: { code: string; name: string; population: number | null; rule: PatrolRule }[];
}

export async function patrolSummary(db: Db, unit: UnitInfo, campaign: CampaignSettings): Promise<PatrolSummary> {
  const bands = campaign.patrolSizes;
  const teamsWhere = and(live(PATROL_FORM, unit.code), inWindow(campaign));
  const isTown = unit.kind === 'town' || unit.kind === 'subdistrict';
  // The teams and the places they name are read at once (one round trip): the places by the same filter.
  const [rows, placeRows] = await Promise.all([
    db.select({ id: submissions.id, payload: submissions.payload }).from(submissions).where(teamsWhere).orderBy(asc(submissions.id)),
    db
      .select({ code: units.code, name: units.name, population: units.population, parent: units.parentCode })
      .from(units)
      .where(
        isTown
          ? eq(units.parentCode, unit.code)
          : inArray(units.code, db.select({ place: sql<string>`json_extract(${submissions.payload}, '$.place')` }).from(submissions).where(teamsWhere)),
      ),
  ]);
  const parsed = rows.map((r) => ({ id: r.id, answers: JSON.parse(r.payload) as { place?: string; members?: number } }));
  const places = new Map(placeRows.map((p) => [p.code, p]));
  const teams = parsed.map((p) => {
    const place = places.get(p.answers.place ?? '');
    const members = Number(p.answers.members ?? 0);
    return {
      submissionId: p.id,
      placeCode: p.answers.place ?? '',
      placeName: place?.name ?? p.answers.place ?? '',
      population: place?.population ?? null,
      members,
      rule: patrolRule(place?.population, bands),
      flag: patrolFlag(members, place?.population, bands),
    };
  });
  const covered = new Set(teams.map((t) => t.placeCode));
  const missing = isTown
    ? placeRows.filter((p) => !covered.has(p.code)).map((p) => ({ code: p.code, name: p.name, population: p.population, rule: patrolRule(p.population, bands) }))
    : [];
  return { teams, missing };
}

export interface UnitHazard {
  id: number;
  number: string;
  category: string;
  place: string;
  state: string;
  deadline: string | null;
  overdue: boolean;
}

/** The hazards the unit leads (R12), open ones with the nearest deadline first; a tipster's phone number in the place masked. */
export async function unitHazards(db: Db, unitCode: string): Promise<UnitHazard[]> {
  const rows = await db
    .select({
      id: hazards.id,
      number: hazards.number,
      category: hazards.category,
      place: hazards.place,
      state: hazards.state,
      deadline: hazards.deadline,
      overdue: hazards.overdue,
    })
    .from(hazards)
    .where(eq(hazards.leadUnitCode, unitCode))
    .orderBy(sql`${hazards.closedAt} is not null`, sql`${hazards.deadline} is null`, asc(hazards.deadline), asc(hazards.id))
    .limit(200);
  return rows.map((h) => ({ ...h, place: maskDigits(h.place) }));
}

export interface DeadlineRow {
  id: string;
  date: string;
  label: string;
  rule: string;
  /** Days from today to the deadline; negative once past. */
  daysLeft: number;
}

export function campaignDeadlines(now: Date, campaign: Pick<CampaignSettings, 'deadlines'>): DeadlineRow[] {
  const today = shanghaiDay(now);
  return campaign.deadlines.map((d) => ({ ...d, daysLeft: daysBetween(today, d.date) }));
}

/** "还有 3 天", "今天截止", "已截止". */
export function daysLeftLabel(daysLeft: number): string {
  if (daysLeft > 0) return `还有 ${daysLeft} 天`;
  if (daysLeft === 0) return '今天截止';
  return '已截止';
}
