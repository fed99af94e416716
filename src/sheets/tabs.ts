// The six tabs leaders read, built from the database. The sheet flush and the XLSX workbook both use these builders,
// so what is in the sheet and what is in the download are the same rows.
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { cadres, hazards, rankingSnapshots, submissions, units } from '../db/schema.ts';
import type { FormContext } from '../forms/context.ts';
import { displayValue, sheetColumns } from '../forms/projections.ts';
import type { FieldDefinition, FormDefinition } from '../forms/types.ts';
import { STATES } from '../hazards/states.ts';
import { formatShanghai, shanghaiDay } from '../lib/time.ts';
import { currentCampaign } from '../campaign/store.ts';
import type { CurrentCampaign } from '../campaign/settings.ts';
import { HAZARD_CATEGORY_OPTIONS, SATISFIED_VALUES } from '../../forms/options.ts';
import { countedVisit } from '../visits/checks.ts';
import { cell, freeTextCell, percentCell, textCell, type CellValue } from './cells.ts';

export const TAB_TITLES = {
  overview: '总览',
  rankings: '每日排名',
  hazards: '隐患台账',
  visits: '入户下访',
  opinions: '群众意见',
  suggestions: '代表委员建议',
} as const;
export type TabId = keyof typeof TAB_TITLES;
/** In the order the tabs appear in the spreadsheet. */
export const TAB_IDS = Object.keys(TAB_TITLES) as TabId[];
export const isTabId = (s: string): s is TabId => s in TAB_TITLES;

export const HOUSEHOLD_VISIT_FORM = 'household-visit';
export const DEPUTY_SUGGESTION_FORM = 'deputy-suggestion';
/** Forms whose free-text answers are shown as residents' opinions. */
export const OPINION_FORMS = ['mass-feedback', HOUSEHOLD_VISIT_FORM] as const;
export const RECENT_OPINIONS = 50;
/** The column of 隐患台账 that says 逾期; the conditional format colours the row from it. */
export const HAZARD_OVERDUE_COLUMN = 6;
export const OVERDUE_TEXT = '逾期';

export interface BuiltTab {
  id: TabId;
  title: string;
  /** Pixel widths per column, for the sheet and the workbook. */
  widths: number[];
  /** The header is row 0. */
  rows: CellValue[][];
}

type Ctx = TabContext & { campaign: CurrentCampaign };

export interface TabContext {
  db: Db;
  now: Date;
  forms: readonly FormDefinition[];
  /** The version of a form an answer was given under, so old answers keep their own labels; the current one when absent. */
  formAt?: (id: string, version: number) => Promise<FormDefinition | null>;
  /** The campaign whose window and rankings the tabs show; read from the database when absent. */
  campaign?: CurrentCampaign;
  /** Status and answer of a suggestion, when the suggestion workflow provides one. */
  suggestionStatus?: (submission: { id: number; receipt: string; formId: string; unitCode: string | null; createdAt: number; day: string }) => Promise<{ status: string; answer: string | null } | null>;
}

const CLOSED_STATES = Object.entries(STATES)
  .filter(([, s]) => s.type === 'closed')
  .map(([id]) => id);
const stateLabel = (state: string) => (STATES as Record<string, { label: string }>)[state]?.label ?? state;
const categoryLabel = (value: string) => HAZARD_CATEGORY_OPTIONS.find((o) => o.value === value)?.label ?? value;
const notDeleted = isNull(submissions.deletedAt);
const RANK_UNIT_KINDS = ['subdistrict', 'town', 'department'] as const;

export async function buildTab(ctx: TabContext, id: TabId): Promise<BuiltTab> {
  return BUILDERS[id]({ ...ctx, campaign: ctx.campaign ?? (await currentCampaign(ctx.db)) });
}


/** Submissions recorded during the campaign: the tabs count the current campaign only. */
const inWindow = ({ settings }: CurrentCampaign) => sql`${submissions.day} BETWEEN ${settings.startDate} AND ${settings.endDate}`;

export async function buildAllTabs(ctx: TabContext, ids: readonly TabId[] = TAB_IDS): Promise<BuiltTab[]> {
  const out: BuiltTab[] = [];
  const campaign = ctx.campaign ?? (await currentCampaign(ctx.db));
  for (const id of ids) out.push(await buildTab({ ...ctx, campaign }, id));
  return out;
}

const BUILDERS: Record<TabId, (ctx: Ctx) => Promise<BuiltTab>> = {
  overview: buildOverview,
  rankings: buildRankings,
  hazards: buildHazards,
  visits: buildVisits,
  opinions: buildOpinions,
  suggestions: buildSuggestions,
};

/** Units in the order of forms/organisation.ts (insertion order), with their names. */
async function unitList(db: Db) {
  return db.select({ code: units.code, name: units.name, kind: units.kind }).from(units).orderBy(sql`rowid`);
}

/** Counts for the rates of 两率一度 over whatever rows the where-clause selects. */
const RATE_COLUMNS = {
  answers: sql<number>`count(*)`,
  satDen: sql<number>`count(${submissions.satisfaction})`,
  satNum: sql<number>`coalesce(sum(case when ${inArray(submissions.satisfaction, [...SATISFIED_VALUES])} then 1 else 0 end), 0)`,
  awareDen: sql<number>`count(${submissions.aware})`,
  awareNum: sql<number>`coalesce(sum(case when ${submissions.aware} = 1 then 1 else 0 end), 0)`,
  partDen: sql<number>`count(${submissions.participated})`,
  partNum: sql<number>`coalesce(sum(case when ${submissions.participated} = 1 then 1 else 0 end), 0)`,
};
/** Answers that carry a rate and count: a flagged anonymous burst (unranked) stays out until the office accepts it. */
const HAS_RATE = sql`(${submissions.satisfaction} is not null or ${submissions.aware} is not null or ${submissions.participated} is not null) and ${submissions.unranked} = 0`;

async function buildOverview({ db, now, forms, campaign: current }: Ctx): Promise<BuiltTab> {
  const campaign = current.settings;
  const today = shanghaiDay(now);
  const perForm = await db
    .select({ formId: submissions.formId, n: count() })
    .from(submissions)
    .where(and(notDeleted, inWindow(current)))
    .groupBy(submissions.formId);
  const formCount = (id: string) => perForm.find((r) => r.formId === id)?.n ?? 0;
  const [h] = await db
    .select({
      total: count(),
      closed: sql<number>`coalesce(sum(case when ${inArray(hazards.state, CLOSED_STATES)} then 1 else 0 end), 0)`,
      onTime: sql<number>`coalesce(sum(case when ${hazards.closedOnTime} = 1 then 1 else 0 end), 0)`,
      overdue: sql<number>`coalesce(sum(case when ${notInArray(hazards.state, CLOSED_STATES)} and (${hazards.overdue} = 1 or (${hazards.deadline} is not null and ${hazards.deadline} < ${today})) then 1 else 0 end), 0)`,
    })
    .from(hazards)
    .where(isNull(hazards.duplicateOf));
  const [r] = await db.select(RATE_COLUMNS).from(submissions).where(and(notDeleted, HAS_RATE, inWindow(current)));
  const [latest] = await db
    .select({ day: sql<string | null>`max(${rankingSnapshots.day})` })
    .from(rankingSnapshots)
    .where(eq(rankingSnapshots.campaignId, current.id));
  const leaders = latest?.day
    ? await db
        .select({ grp: rankingSnapshots.grp, name: units.name })
        .from(rankingSnapshots)
        .innerJoin(units, eq(units.code, rankingSnapshots.unitCode))
        .where(and(eq(rankingSnapshots.campaignId, current.id), eq(rankingSnapshots.day, latest.day), eq(rankingSnapshots.rank, 1)))
        .orderBy(asc(rankingSnapshots.unitCode))
    : [];
  const first = (grp: string) => leaders.filter((l) => l.grp === grp).map((l) => l.name).join('、');
  const total = h?.total ?? 0;
  const closed = Number(h?.closed ?? 0);

  const rows: CellValue[][] = [
    ['项目', '数值'],
    ['活动', textCell(campaign.name)],
    ['地区', textCell(campaign.district)],
    ['活动期间', textCell(`${campaign.startDate} 至 ${campaign.endDate}`)],
    ['更新时间', textCell(formatShanghai(now))],
    ...forms.map((f) => [textCell(`${f.title}（份）`), formCount(f.id)]),
    ['隐患总数（件）', total],
    ['已办结（件）', closed],
    ['未办结（件）', total - closed],
    ['逾期未办结（件）', Number(h?.overdue ?? 0)],
    ['按期办结率（%）', percentCell(Number(h?.onTime ?? 0), closed)],
    ['知晓率（%）', percentCell(Number(r?.awareNum ?? 0), Number(r?.awareDen ?? 0))],
    ['参与率（%）', percentCell(Number(r?.partNum ?? 0), Number(r?.partDen ?? 0))],
    ['满意度（%）', percentCell(Number(r?.satNum ?? 0), Number(r?.satDen ?? 0))],
    ['最新排名日期', textCell(latest?.day ?? '')],
    ['镇街第一名', textCell(first('towns'))],
    ['部门第一名', textCell(first('departments'))],
  ];
  return { id: 'overview', title: TAB_TITLES.overview, widths: [220, 420], rows };
}

const METRIC_KEYS = ['V', 'H', 'T', 'S', 'A', 'P', 'G'] as const;
/** Patrol and publicity coverage: columns only while the campaign weights them (as on the leader page). */
const OPTIONAL_COLUMNS = [
  ['C', '巡逻覆盖(%)'],
  ['U', '宣传覆盖(%)'],
] as const;
const GROUP_LABELS: Record<string, string> = { towns: '镇街', departments: '部门' };

async function buildRankings({ db, campaign }: Ctx): Promise<BuiltTab> {
  const list = await db
    .select({ day: rankingSnapshots.day, grp: rankingSnapshots.grp, rank: rankingSnapshots.rank, name: units.name, score: rankingSnapshots.score, metrics: rankingSnapshots.metrics })
    .from(rankingSnapshots)
    .innerJoin(units, eq(units.code, rankingSnapshots.unitCode))
    .where(eq(rankingSnapshots.campaignId, campaign.id))
    .orderBy(desc(rankingSnapshots.day), desc(rankingSnapshots.grp), asc(rankingSnapshots.rank), asc(rankingSnapshots.unitCode));
  const weights = campaign.settings.rankingWeights as Partial<Record<string, number>>;
  const optional = OPTIONAL_COLUMNS.filter(([k]) => (weights[k] ?? 0) > 0);
  const keys = [...METRIC_KEYS, ...optional.map(([k]) => k)];
  const rows: CellValue[][] = [['日期', '分组', '名次', '单位', '得分', '入户走访(%)', '隐患办结(%)', '按期办结(%)', '满意度(%)', '知晓率(%)', '参与率(%)', '任务完成(%)', ...optional.map(([, label]) => label)]];
  for (const r of list) {
    let metrics: Record<string, { value?: number } | null> = {};
    try {
      metrics = JSON.parse(r.metrics) as typeof metrics;
    } catch {
      // A malformed snapshot still shows its score and rank.
    }
    rows.push([
      textCell(r.day),
      textCell(GROUP_LABELS[r.grp] ?? r.grp),
      r.rank,
      textCell(r.name),
      r.score / 100,
      ...keys.map((k) => {
        const v = metrics[k]?.value;
        return typeof v === 'number' ? Math.round(v * 1000) / 10 : '';
      }),
    ]);
  }
  return { id: 'rankings', title: TAB_TITLES.rankings, widths: [100, 60, 60, 160, 70, 90, 90, 90, 80, 80, 80, 90, ...optional.map(() => 90)], rows };
}

async function buildHazards({ db, now }: TabContext): Promise<BuiltTab> {
  const today = shanghaiDay(now);
  const list = await db
    .select({ number: hazards.number, category: hazards.category, place: hazards.place, lead: units.name, state: hazards.state, deadline: hazards.deadline, overdue: hazards.overdue, day: hazards.day })
    .from(hazards)
    .leftJoin(units, eq(units.code, hazards.leadUnitCode))
    .orderBy(asc(hazards.id));
  const rows: CellValue[][] = [['编号', '类别', '地点', '牵头单位', '状态', '整改期限', '是否逾期', '上报日期']];
  for (const h of list) {
    const open = !CLOSED_STATES.includes(h.state);
    const overdue = open && (h.overdue || (h.deadline !== null && h.deadline < today));
    rows.push([
      textCell(h.number),
      textCell(categoryLabel(h.category)),
      freeTextCell(h.place),
      textCell(h.lead ?? ''),
      textCell(stateLabel(h.state)),
      textCell(h.deadline ?? ''),
      overdue ? OVERDUE_TEXT : '',
      textCell(h.day),
    ]);
  }
  return { id: 'hazards', title: TAB_TITLES.hazards, widths: [150, 100, 240, 160, 170, 100, 70, 100], rows };
}

async function buildVisits({ db, campaign: current }: Ctx): Promise<BuiltTab> {
  const campaign = current.settings;
  const unitRows = await unitList(db);
  const names = new Map(unitRows.map((u) => [u.code, u.name]));
  const cadreRows = await db
    .select({ id: cadres.id, unitCode: cadres.unitCode, name: cadres.name, post: cadres.post, role: cadres.role, assigned: cadres.assignedCode })
    .from(cadres)
    .where(eq(cadres.active, true))
    .orderBy(asc(cadres.id));
  const visits = await db
    .select({ cadreId: submissions.cadreId, n: count() })
    .from(submissions)
    .where(and(eq(submissions.formId, HOUSEHOLD_VISIT_FORM), notDeleted, isNotNull(submissions.cadreId), inWindow(current), countedVisit('submissions')))
    .groupBy(submissions.cadreId);
  const visitsOf = new Map(visits.map((v) => [v.cadreId, v.n]));
  const rows: CellValue[][] = [['单位', '干部', '职务', '包抓村（社区）', '应访户数', '已访户数', '完成率（%）']];
  for (const u of unitRows) {
    const mine = cadreRows.filter((c) => c.unitCode === u.code);
    if (!mine.length) continue;
    const quota = mine.reduce((n, c) => n + campaign.visitQuotas[c.role], 0);
    const done = mine.reduce((n, c) => n + (visitsOf.get(c.id) ?? 0), 0);
    rows.push([textCell(u.name), '（合计）', '', '', quota, done, percentCell(done, quota)]);
    for (const c of mine) {
      const q = campaign.visitQuotas[c.role];
      const d = visitsOf.get(c.id) ?? 0;
      rows.push([textCell(u.name), textCell(c.name), textCell(c.post), textCell(c.assigned ? (names.get(c.assigned) ?? c.assigned) : ''), q, d, percentCell(d, q)]);
    }
  }
  return { id: 'visits', title: TAB_TITLES.visits, widths: [160, 90, 140, 200, 80, 80, 90], rows };
}

/** The free-text answers of a form that may be shown: not personal, not kept out of the sheet, not a metric. */
function opinionFields(form: FormDefinition): FieldDefinition[] {
  return sheetColumns(form)
    .map((c) => c.field)
    .filter((f) => (f.type === 'textarea' || f.type === 'text') && !f.metric);
}

function parsePayload(payload: string): Record<string, unknown> {
  try {
    const v = JSON.parse(payload) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function buildOpinions({ db, forms, formAt, campaign }: Ctx): Promise<BuiltTab> {
  const unitRows = await unitList(db);
  const names = new Map(unitRows.map((u) => [u.code, u.name]));
  const perUnit = await db
    .select({ code: submissions.rollupCode, ...RATE_COLUMNS })
    .from(submissions)
    .where(and(notDeleted, HAS_RATE, inWindow(campaign)))
    .groupBy(submissions.rollupCode);
  const rates = (r: (typeof perUnit)[number] | undefined): CellValue[] => [
    Number(r?.answers ?? 0),
    percentCell(Number(r?.awareNum ?? 0), Number(r?.awareDen ?? 0)),
    percentCell(Number(r?.partNum ?? 0), Number(r?.partDen ?? 0)),
    percentCell(Number(r?.satNum ?? 0), Number(r?.satDen ?? 0)),
  ];
  const rows: CellValue[][] = [['单位', '答卷数', '知晓率（%）', '参与率（%）', '满意度（%）']];
  for (const u of unitRows) {
    if (!(RANK_UNIT_KINDS as readonly string[]).includes(u.kind)) continue;
    rows.push([textCell(u.name), ...rates(perUnit.find((r) => r.code === u.code))]);
  }
  const [all] = await db.select(RATE_COLUMNS).from(submissions).where(and(notDeleted, HAS_RATE, inWindow(campaign)));
  rows.push(['全区', ...rates(all as (typeof perUnit)[number])]);

  rows.push([]);
  rows.push([`最近群众意见（最新 ${RECENT_OPINIONS} 条）`]);
  rows.push(['日期', '单位', '来源', '满意度', '意见']);
  const sources = forms.filter((f) => (OPINION_FORMS as readonly string[]).includes(f.id));
  if (sources.length) {
    // Scan newest first until enough have text; most answers carry none, so read in pages.
    let picked = 0;
    let offset = 0;
    const PAGE = 200;
    while (picked < RECENT_OPINIONS) {
      const page = await db
        .select({ formId: submissions.formId, formVersion: submissions.formVersion, day: submissions.day, unitCode: submissions.unitCode, satisfaction: submissions.satisfaction, payload: submissions.payload })
        .from(submissions)
        .where(and(notDeleted, inArray(submissions.formId, sources.map((f) => f.id))))
        .orderBy(desc(submissions.createdAt), desc(submissions.id))
        .limit(PAGE)
        .offset(offset);
      for (const s of page) {
        const current = sources.find((f) => f.id === s.formId)!;
        const form = (await formAt?.(s.formId, s.formVersion)) ?? current;
        const answers = parsePayload(s.payload);
        const text = opinionFields(form)
          .map((f) => answers[f.name])
          .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
          .join('；');
        if (!text) continue;
        const satField = form.fields.find((f) => f.metric === 'satisfaction');
        rows.push([
          textCell(s.day),
          textCell(s.unitCode ? (names.get(s.unitCode) ?? '') : ''),
          textCell(form.title),
          textCell(satField ? displayValue(satField, s.satisfaction) : ''),
          freeTextCell(text),
        ]);
        if (++picked >= RECENT_OPINIONS) break;
      }
      if (page.length < PAGE) break;
      offset += PAGE;
    }
  }
  return { id: 'opinions', title: TAB_TITLES.opinions, widths: [160, 160, 200, 90, 520], rows };
}

async function buildSuggestions({ db, forms, formAt, suggestionStatus }: TabContext): Promise<BuiltTab> {
  const form = forms.find((f) => f.id === DEPUTY_SUGGESTION_FORM);
  const columns = form ? sheetColumns(form) : [];
  const rows: CellValue[][] = [['提交日期', ...columns.map((c) => textCell(c.header)), '办理状态', '答复']];
  if (form) {
    const unitRows = await unitList(db);
    const fctx: FormContext = { units: unitRows, places: unitRows };
    const list = await db
      .select({ id: submissions.id, receipt: submissions.receipt, formId: submissions.formId, formVersion: submissions.formVersion, unitCode: submissions.unitCode, createdAt: submissions.createdAt, day: submissions.day, payload: submissions.payload })
      .from(submissions)
      .where(and(eq(submissions.formId, form.id), notDeleted))
      .orderBy(desc(submissions.createdAt), desc(submissions.id));
    for (const s of list) {
      const answers = parsePayload(s.payload);
      const status = suggestionStatus ? await suggestionStatus(s) : null;
      const own = (await formAt?.(form.id, s.formVersion)) ?? form;
      rows.push([
        textCell(s.day),
        ...columns.map((c) => answerCell(own.fields.find((f) => f.name === c.name) ?? c.field, answers[c.name], fctx)),
        textCell(status?.status ?? '已收到'),
        freeTextCell(status?.answer ?? ''),
      ]);
    }
  }
  const widths = [100, ...columns.map((c) => (c.field.type === 'textarea' ? 480 : 140)), 110, 360];
  return { id: 'suggestions', title: TAB_TITLES.suggestions, widths, rows };
}

/** One answer as a cell: never a personal field, option labels for choices, numbers as numbers, free text masked. */
export function answerCell(field: FieldDefinition, value: unknown, ctx: FormContext): CellValue {
  if (field.personal || field.sheetColumn === false || field.type === 'phone') return '';
  if (value === undefined || value === null || value === '') return '';
  if (field.type === 'integer' && typeof value === 'number') return cell(value);
  if (field.type === 'text' || field.type === 'textarea') return freeTextCell(value);
  return textCell(displayValue(field, value, ctx));
}
