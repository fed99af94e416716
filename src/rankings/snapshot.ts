// computeSnapshot: the ranking of one Asia/Shanghai day, stored in ranking_snapshots (replacing that day's rows).
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import type { Deps } from '../deps.ts';
import { rankingSnapshots, units, type CadreRole, type UnitKind } from '../db/schema.ts';
import type { CampaignTask, MetricWeights } from '../forms/types.ts';
import { addDays } from '../lib/time.ts';
import { templateSettings, type CurrentCampaign } from '../campaign/settings.ts';
import { currentCampaign } from '../campaign/store.ts';
import { answerAggregates, coverageAggregates, hazardAggregates, taskAggregates, visitAggregates, type DayRange } from './metrics.ts';
import { competitionRanks, figure, roundedFigures, scoreX100, type Metrics } from './score.ts';
import { STATIONS_OWNER } from '../unit/tasks.ts';

export type RankingGroup = 'towns' | 'departments';
export const RANKING_GROUPS: readonly RankingGroup[] = ['towns', 'departments'];

const GROUP_OF_KIND: Partial<Record<UnitKind, RankingGroup>> = {
  town: 'towns',
  subdistrict: 'towns',
  department: 'departments',
};

/** What the ranking is computed from: the campaign's settings as the office last saved them. */
export interface RankingRules {
  /** The campaign the snapshot belongs to (0: none stored yet, the template in force). */
  campaignId: number;
  startDate: string;
  weights: MetricWeights;
  quotas: Readonly<Record<CadreRole, number>>;
  tasks: readonly CampaignTask[];
}

export function rulesOf(c: CurrentCampaign): RankingRules {
  return { campaignId: c.id, startDate: c.settings.startDate, weights: c.settings.rankingWeights, quotas: c.settings.visitQuotas, tasks: c.settings.tasks };
}

/** The template's rules (forms/ as shipped), for computing without a database campaign. */
export const DEFAULT_RULES: RankingRules = rulesOf({ id: 0, version: 0, settings: templateSettings() });

/** The rules of the current campaign, as the daily job and the office's recompute use them. */
export async function currentRules(db: Db): Promise<RankingRules> {
  return rulesOf(await currentCampaign(db));
}

const campaignOf = async (db: Db, campaignId: number | undefined) => campaignId ?? (await currentCampaign(db)).id;

export interface RankedUnit {
  unitCode: string;
  grp: RankingGroup;
  scoreX100: number;
  rank: number;
  metrics: Metrics;
}

interface Acc {
  v: { cadres: number; progress: number; visits: number; quota: number };
  h: { led: number; closed: number; onTime: number; overdue: number };
  a: { sNum: number; sDen: number; aNum: number; aDen: number; pNum: number; pDen: number };
  g: Map<string, number>;
  c: { places: number; patrolled: number; publicised: number };
}

const emptyAcc = (): Acc => ({
  v: { cadres: 0, progress: 0, visits: 0, quota: 0 },
  h: { led: 0, closed: 0, onTime: 0, overdue: 0 },
  a: { sNum: 0, sDen: 0, aNum: 0, aDen: 0, pNum: 0, pDen: 0 },
  g: new Map(),
  c: { places: 0, patrolled: 0, publicised: 0 },
});

function addInto<T extends object>(target: T, row: T) {
  for (const k of Object.keys(target) as (keyof T)[]) (target[k] as number) += Number(row[k] ?? 0);
}

/** Where the ranking's inputs come from: the daily rollups (the tests hold the raw-row reference to the same shape). */
export interface MetricSource {
  visits: typeof visitAggregates;
  hazards: typeof hazardAggregates;
  answers: typeof answerAggregates;
  tasks: typeof taskAggregates;
  /** Villages covered by patrol teams and publicity; the registers' own rows either way. */
  coverage?: typeof coverageAggregates;
}

export const ROLLUP_SOURCE: MetricSource = { visits: visitAggregates, hazards: hazardAggregates, answers: answerAggregates, tasks: taskAggregates };

/** Computes the ranking of day D (cumulative from the campaign start to the end of D) without writing it. */
export async function computeRanking(db: Db, day: string, rules: RankingRules = DEFAULT_RULES, source: MetricSource = ROLLUP_SOURCE): Promise<RankedUnit[]> {
  const range: DayRange = { from: rules.startDate, to: day };
  const unitRows = await db.select({ code: units.code, kind: units.kind, parent: units.parentCode, active: units.active }).from(units);
  const byCode = new Map(unitRows.map((u) => [u.code, u]));

  // A village's or community's figures count for the town/sub-district (or department) above it.
  const rankedOf = (code: string | null): string | null => {
    for (let c = code, hops = 0; c && hops < 8; hops++) {
      const u = byCode.get(c);
      if (!u) return null;
      if (GROUP_OF_KIND[u.kind]) return u.code;
      c = u.parent;
    }
    return null;
  };

  // The police branch answers for its stations' own tasks (R16): their reports against the target × its active stations.
  const stationsUnder = new Map<string, number>();
  for (const u of unitRows) if (u.kind === 'station' && u.active && u.parent) stationsUnder.set(u.parent, (stationsUnder.get(u.parent) ?? 0) + 1);

  const acc = new Map<string, Acc>();
  // A unit the office deactivated keeps its records but is ranked no more.
  for (const u of unitRows) if (GROUP_OF_KIND[u.kind] && u.active) acc.set(u.code, emptyAcc());
  const target = (code: string | null) => {
    const ranked = rankedOf(code);
    return ranked ? acc.get(ranked) : undefined;
  };

  const [visits, hazards, answers, reports, coverage] = await Promise.all([
    source.visits(db, range, rules.quotas),
    source.hazards(db, range),
    source.answers(db, range),
    source.tasks(db, range, rules.tasks),
    (source.coverage ?? coverageAggregates)(db, range),
  ]);
  for (const { unit, ...row } of visits) {
    const a = target(unit);
    if (a) addInto(a.v, row);
  }
  for (const { unit, ...row } of hazards) {
    const a = target(unit);
    if (a) addInto(a.h, row);
  }
  for (const { unit, ...row } of answers) {
    const a = target(unit);
    if (a) addInto(a.a, row);
  }
  for (const { unit, ...row } of coverage) {
    const a = target(unit);
    if (a) addInto(a.c, row);
  }
  for (const r of reports) {
    const a = target(r.unit);
    if (a) a.g.set(r.taskId, (a.g.get(r.taskId) ?? 0) + Number(r.reported));
  }

  const result: RankedUnit[] = [];
  for (const [code, a] of acc) {
    const grp = GROUP_OF_KIND[byCode.get(code)!.kind]!;
    const stations = stationsUnder.get(code) ?? 0;
    const own = rules.tasks.filter((t) => t.owner === code || (t.owner === 'towns' && grp === 'towns') || (t.owner === STATIONS_OWNER && stations > 0));
    const targetOf = (t: CampaignTask) => (t.owner === STATIONS_OWNER ? t.target * stations : t.target);
    const gNum = own.reduce((s, t) => s + (targetOf(t) > 0 ? Math.min((a.g.get(t.id) ?? 0) / targetOf(t), 1) : 1), 0);
    const metrics: Metrics = {
      V: figure(a.v.progress, a.v.cadres, { visits: a.v.visits, quota: a.v.quota }),
      H: figure(a.h.closed, a.h.led),
      T: figure(a.h.onTime, a.h.closed + a.h.overdue, { overdue: a.h.overdue }),
      S: figure(a.a.sNum, a.a.sDen),
      A: figure(a.a.aNum, a.a.aDen),
      P: figure(a.a.pNum, a.a.pDen),
      G: figure(gNum, own.length),
      C: figure(a.c.patrolled, a.c.places),
      U: figure(a.c.publicised, a.c.places),
    };
    result.push({ unitCode: code, grp, scoreX100: scoreX100(metrics, rules.weights), rank: 0, metrics: roundedFigures(metrics) });
  }
  for (const grp of RANKING_GROUPS) {
    const members = result.filter((r) => r.grp === grp);
    const ranks = competitionRanks(members, (r) => r.scoreX100);
    for (const r of members) r.rank = ranks.get(r)!;
  }
  const groupOrder = (g: RankingGroup) => RANKING_GROUPS.indexOf(g);
  return result.sort((x, y) => groupOrder(x.grp) - groupOrder(y.grp) || x.rank - y.rank || x.unitCode.localeCompare(y.unitCode));
}

/**
 * Computes day D and replaces its snapshot atomically (one batch: delete + insert), so a rerun
 * leaves exactly one row per unit and a run that dies halfway leaves the old snapshot intact.
 */
export async function computeSnapshot(deps: Pick<Deps, 'db' | 'now'>, day: string, rules?: RankingRules): Promise<RankedUnit[]> {
  const r0 = rules ?? (await currentRules(deps.db));
  const ranked = await computeRanking(deps.db, day, r0);
  const computedAt = deps.now().getTime();
  const weights = JSON.stringify(r0.weights);
  const rows = ranked.map((r) => ({
    campaignId: r0.campaignId,
    weights,
    day,
    unitCode: r.unitCode,
    grp: r.grp,
    score: r.scoreX100,
    rank: r.rank,
    metrics: JSON.stringify(r.metrics),
    computedAt,
  }));
  const db = deps.db;
  const inserts = [];
  for (let i = 0; i < rows.length; i += 200) inserts.push(db.insert(rankingSnapshots).values(rows.slice(i, i + 200)));
  await db.batch([
    db.delete(rankingSnapshots).where(and(eq(rankingSnapshots.campaignId, r0.campaignId), eq(rankingSnapshots.day, day))),
    ...inserts,
  ]);
  return ranked;
}

export interface RankingRow {
  rank: number;
  unitCode: string;
  unitName: string;
  group: RankingGroup;
  score: number;
  /** Places gained since the day before (positive = up); null when there is no earlier snapshot. */
  change: number | null;
  previousRank: number | null;
  metrics: Metrics;
}

export interface RankingView {
  date: string;
  /** The weights the day was scored with (null for snapshots from before weights were stored). */
  weights: MetricWeights | null;
  previousDate: string | null;
  computedAt: number;
  rows: RankingRow[];
}

/** The latest day with a snapshot, or null. */
export async function latestSnapshotDay(db: Db, campaignId?: number): Promise<string | null> {
  const id = await campaignOf(db, campaignId);
  const [row] = await db
    .select({ day: rankingSnapshots.day })
    .from(rankingSnapshots)
    .where(eq(rankingSnapshots.campaignId, id))
    .orderBy(desc(rankingSnapshots.day))
    .limit(1);
  return row?.day ?? null;
}

/** A stored snapshot with unit names and the change against the previous snapshot day; null when none. */
export async function readRanking(db: Db, day: string, group?: RankingGroup, campaignId?: number): Promise<RankingView | null> {
  const id = await campaignOf(db, campaignId);
  const ofDay = (d: string) =>
    and(eq(rankingSnapshots.campaignId, id), eq(rankingSnapshots.day, d), group ? eq(rankingSnapshots.grp, group) : undefined);
  const where = ofDay(day);
  const rows = await db
    .select({
      unitCode: rankingSnapshots.unitCode,
      grp: rankingSnapshots.grp,
      score: rankingSnapshots.score,
      rank: rankingSnapshots.rank,
      metrics: rankingSnapshots.metrics,
      computedAt: rankingSnapshots.computedAt,
      weights: rankingSnapshots.weights,
      unitName: units.name,
    })
    .from(rankingSnapshots)
    .leftJoin(units, eq(units.code, rankingSnapshots.unitCode))
    .where(where)
    .orderBy(desc(rankingSnapshots.grp), asc(rankingSnapshots.rank), asc(rankingSnapshots.unitCode));
  if (rows.length === 0) return null;

  // "Change" is against the calendar day before, the way a circular reads ("比前一日").
  const prevDay = addDays(day, -1);
  const previousRanks = new Map<string, number>();
  const prevRows = await db
    .select({ unitCode: rankingSnapshots.unitCode, rank: rankingSnapshots.rank })
    .from(rankingSnapshots)
    .where(ofDay(prevDay));
  for (const r of prevRows) previousRanks.set(r.unitCode, r.rank);

  return {
    date: day,
    weights: rows[0]!.weights ? (JSON.parse(rows[0]!.weights) as MetricWeights) : null,
    previousDate: prevRows.length > 0 ? prevDay : null,
    computedAt: Math.max(...rows.map((r) => r.computedAt)),
    rows: rows.map((r) => {
      const previousRank = previousRanks.get(r.unitCode) ?? null;
      return {
        rank: r.rank,
        unitCode: r.unitCode,
        unitName: r.unitName ?? r.unitCode,
        group: r.grp,
        score: r.score / 100,
        change: previousRank === null ? null : previousRank - r.rank,
        previousRank,
        metrics: JSON.parse(r.metrics) as Metrics,
      };
    }),
  };
}

/** Days in [from, to] that have at least one snapshot row. */
export async function snapshotDays(db: Db, from: string, to: string, campaignId?: number): Promise<Set<string>> {
  const id = await campaignOf(db, campaignId);
  const rows = await db.all<{ day: string }>(
    sql`SELECT DISTINCT day FROM ranking_snapshots WHERE campaign_id = ${id} AND day BETWEEN ${from} AND ${to}`,
  );
  return new Set(rows.map((r) => r.day));
}
