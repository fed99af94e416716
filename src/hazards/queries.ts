// Reading hazards: the office's supervision and triage lists, a unit's list, one hazard with its
// history, and duplicate candidates. Ordering and filtering happen in SQL.
import { and, asc, desc, eq, gte, inArray, lte, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { hazardCoUnits, hazardEvents, hazards, units } from '../db/schema.ts';
import { addDays } from '../lib/time.ts';
import { daysOverdue } from './deadlines.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/codes.ts';
import { notFound } from '../lib/errors.ts';
import { maskDigits } from '../forms/personal.ts';
import { canSee, type DbOrTx, type HazardRow } from './service.ts';
import { nearbyHazards } from './location-store.ts';
import { coUnitList, splitCoUnits } from './co-unit-sql.ts';
import {
  CLOSED_STATES,
  isClosed,
  isHazardState,
  isOpen,
  MERGED_STATES,
  OFFICE_QUEUE_STATES,
  OPEN_STATES,
  SYSTEM_EVENTS,
  ACTIONS,
  isHazardAction,
  stateLabel,
  awaitsOffice,
  UNIT_HELD_STATES,
  type HazardState,
} from './states.ts';

export interface HazardView {
  id: number;
  number: string;
  source: 'tip' | 'ledger';
  category: string;
  place: string;
  description: string;
  state: HazardState;
  stateLabel: string;
  open: boolean;
  reportedUnit: string | null;
  leadUnit: string | null;
  leadUnitName: string | null;
  coUnits: string[];
  deadline: string | null;
  deadlineKind: 'calendar' | 'working' | null;
  overdue: boolean;
  daysOverdue: number;
  reportCount: number;
  duplicateOf: number | null;
  createdAt: string;
  day: string;
  closedAt: string | null;
  closedOnTime: boolean | null;
}

/** Status filters of the office list: a group, or one state. */
export const STATUS_FILTERS = {
  open: { label: '未办结', states: OPEN_STATES },
  triage: { label: '待区综治办处理', states: OFFICE_QUEUE_STATES },
  overdue: { label: '已逾期', states: OPEN_STATES },
  closed: { label: '已办结', states: CLOSED_STATES },
  all: { label: '全部', states: [...OPEN_STATES, ...CLOSED_STATES] },
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS | HazardState;

export function isStatusFilter(s: string): s is StatusFilter {
  return Object.hasOwn(STATUS_FILTERS, s) || isHazardState(s);
}

/**
 * Days past the deadline on `today` for hazards a unit holds, in SQL (0 for closed, not yet due, or
 * waiting on the office — a fix reported in time is not late while the office verifies it).
 */
function overdueDaysSql(today: string): SQL<number> {
  return sql<number>`case when ${hazards.state} in (${sql.join(
    UNIT_HELD_STATES.map((s) => sql`${s}`),
    sql`, `,
  )}) and ${hazards.deadline} is not null and ${hazards.deadline} < ${today} then cast(julianday(${today}) - julianday(${hazards.deadline}) as integer) else 0 end`;
}

export async function unitNames(db: DbOrTx): Promise<Map<string, string>> {
  return new Map((await db.select({ code: units.code, name: units.name }).from(units)).map((u) => [u.code, u.name]));
}

export function toView(h: HazardRow, today: string, names: Map<string, string>, co: string[]): HazardView {
  const open = isOpen(h.state);
  const late = open && !awaitsOffice(h.state) ? daysOverdue(h.deadline, today) : 0;
  return {
    id: h.id,
    number: h.number,
    source: h.source,
    category: h.category,
    place: h.place,
    description: h.description,
    state: h.state as HazardState,
    stateLabel: stateLabel(h.state),
    open,
    reportedUnit: h.reportedUnitCode,
    leadUnit: h.leadUnitCode,
    leadUnitName: h.leadUnitCode ? (names.get(h.leadUnitCode) ?? h.leadUnitCode) : null,
    coUnits: co,
    deadline: h.deadline,
    deadlineKind: h.deadlineKind,
    overdue: late > 0,
    daysOverdue: late,
    reportCount: h.reportCount,
    duplicateOf: h.duplicateOf,
    createdAt: new Date(h.createdAt).toISOString(),
    day: h.day,
    closedAt: h.closedAt ? new Date(h.closedAt).toISOString() : null,
    closedOnTime: h.closedOnTime,
  };
}

/**
 * A hazard, event or list item as one reader may see it: only the office reads free text as typed; units,
 * co-units and leaders get the phone and ID numbers a tipster typed into a place, description or note masked.
 */
export function forReader<T extends { place?: string; description?: string; note?: string | null }>(reader: Pick<Principal, 'role'>, item: T): T {
  if (reader.role === 'admin') return item;
  const out = { ...item };
  if (typeof out.place === 'string') out.place = maskDigits(out.place);
  if (typeof out.description === 'string') out.description = maskDigits(out.description);
  if (typeof out.note === 'string') out.note = maskDigits(out.note);
  return out;
}

/** A list's rows with their co-units, read together with the unit names: one round trip. */
async function listViews(db: DbOrTx, query: Promise<{ h: HazardRow; co: string | null }[]>, today: string): Promise<HazardView[]> {
  const [names, rows] = await Promise.all([unitNames(db), query]);
  return rows.map((r) => toView(r.h, today, names, splitCoUnits(r.co)));
}

export interface ListOptions {
  status?: StatusFilter;
  today: string;
  limit?: number;
  offset?: number;
}

/**
 * The office's list. Overdue first, by days overdue; then the triage priority (more reports first)
 * and the nearest deadline; then the oldest. Closed-only lists: latest close-out first.
 */
export async function listHazards(db: DbOrTx, opts: ListOptions): Promise<HazardView[]> {
  const status = opts.status ?? 'open';
  const states: readonly string[] = isHazardState(status) ? [status] : STATUS_FILTERS[status].states;
  const late = overdueDaysSql(opts.today);
  const where = [inArray(hazards.state, [...states])];
  if (status === 'overdue') where.push(sql`${late} > 0`);
  // Closed lists read as a log: the latest close-out first.
  const order = states.every(isClosed)
    ? [desc(hazards.closedAt), desc(hazards.id)]
    : [desc(late), desc(hazards.reportCount), sql`${hazards.deadline} is null`, asc(hazards.deadline), asc(hazards.createdAt), asc(hazards.id)];
  const rows = db
    .select({ h: hazards, co: coUnitList })
    .from(hazards)
    .where(and(...where))
    .orderBy(...order)
    .limit(Math.min(opts.limit ?? 200, 1000))
    .offset(opts.offset ?? 0);
  return listViews(db, rows.then((r) => r), opts.today);
}

/** A unit's hazards: those it leads and those it helps with (co-unit); open ones first, overdue on top. */
export async function listUnitHazards(db: DbOrTx, unitCode: string, opts: { today: string; includeClosed?: boolean }): Promise<HazardView[]> {
  const late = overdueDaysSql(opts.today);
  const mine = or(
    eq(hazards.leadUnitCode, unitCode),
    inArray(hazards.id, db.select({ id: hazardCoUnits.hazardId }).from(hazardCoUnits).where(eq(hazardCoUnits.unitCode, unitCode))),
  );
  const rows = db
    .select({ h: hazards, co: coUnitList })
    .from(hazards)
    .where(opts.includeClosed ? mine : and(mine, inArray(hazards.state, OPEN_STATES)))
    .orderBy(
      sql`case when ${hazards.state} in (${sql.join(OPEN_STATES.map((s) => sql`${s}`), sql`, `)}) then 0 else 1 end`,
      desc(late),
      sql`${hazards.deadline} is null`,
      asc(hazards.deadline),
      desc(hazards.id),
    )
    .limit(500);
  return listViews(db, rows.then((r) => r), opts.today);
}

export interface EventView {
  at: string;
  action: string;
  actionLabel: string;
  fromState: string | null;
  toState: string;
  stateLabel: string;
  actorRole: string;
  actorUnit: string | null;
  actorUnitName: string | null;
  note: string | null;
  data: Record<string, unknown> | null;
}

export function actionLabel(action: string): string {
  if (isHazardAction(action)) return ACTIONS[action].label;
  return (SYSTEM_EVENTS as Record<string, { label: string }>)[action]?.label ?? action;
}

/** Every event of a hazard, oldest first (for staff; the receipt shows a filtered projection). */
export async function hazardHistory(db: DbOrTx, id: number, knownNames?: Promise<Map<string, string>>): Promise<EventView[]> {
  const [names, rows] = await Promise.all([
    knownNames ?? unitNames(db),
    db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, id)).orderBy(asc(hazardEvents.at), asc(hazardEvents.id)),
  ]);
  return rows.map((e) => ({
    at: new Date(e.at).toISOString(),
    action: e.action,
    actionLabel: actionLabel(e.action),
    fromState: e.fromState,
    toState: e.toState,
    stateLabel: stateLabel(e.toState),
    actorRole: e.actorRole,
    actorUnit: e.actorUnitCode,
    actorUnitName: e.actorUnitCode ? (names.get(e.actorUnitCode) ?? e.actorUnitCode) : null,
    note: e.note,
    data: e.data ? (JSON.parse(e.data) as Record<string, unknown>) : null,
  }));
}

/** Full-width letters, case, spaces and punctuation do not make two places different. */
export function normalisePlace(place: string): string {
  return place
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

export const DUPLICATE_WINDOW_DAYS = 7;

/**
 * Other hazards of the same category within 7 days either side, not themselves merged away, at the same place
 * (normalised) or within 200 m of this one's point (those carry `distanceMetres`): what the office sees while triaging.
 * `here` is the hazard's reported point when the caller has already read it (the detail page reads it with the
 * hazard), and the unit names when it has started that read; the names and both searches go together, one round trip.
 */
export async function duplicateCandidates(
  db: DbOrTx,
  hazard: HazardRow,
  today: string,
  here?: { lat: number; lng: number } | null,
  knownNames?: Promise<Map<string, string>>,
): Promise<(HazardView & { distanceMetres?: number })[]> {
  const [names, sameRows, near] = await Promise.all([knownNames ?? unitNames(db), samePlaceRows(db, hazard), nearbyHazards(db, hazard, here)]);
  const key = normalisePlace(hazard.place);
  const byPlace = sameRows.filter((r) => normalisePlace(r.h.place) === key).map((r) => toView(r.h, today, names, splitCoUnits(r.co)));
  const metres = new Map(near.map((n) => [n.row.id, n.metres]));
  const placeIds = new Set(byPlace.map((h) => h.id));
  const nearViews = near.filter((n) => !placeIds.has(n.row.id)).map((n) => toView(n.row, today, names, splitCoUnits(n.co)));
  return [...byPlace, ...nearViews].map((h) => (metres.has(h.id) ? { ...h, distanceMetres: metres.get(h.id)! } : h));
}

function samePlaceRows(db: DbOrTx, hazard: HazardRow) {
  return db
    .select({ h: hazards, co: coUnitList })
    .from(hazards)
    .where(
      and(
        eq(hazards.category, hazard.category),
        gte(hazards.day, addDays(hazard.day, -DUPLICATE_WINDOW_DAYS)),
        lte(hazards.day, addDays(hazard.day, DUPLICATE_WINDOW_DAYS)),
        ne(hazards.id, hazard.id),
        notInArray(hazards.state, MERGED_STATES),
      ),
    )
    .orderBy(desc(hazards.reportCount), asc(hazards.createdAt))
    .limit(200);
}

/**
 * How a route names a hazard: by numeric id or by its readable number (YH-…); null for anything else. `id` is the
 * id itself, or SQL that finds it by number (for reads keyed by the hazard's id).
 */
export function hazardNamed(param: string): { where: SQL; id: number | SQL } | null {
  if (/^\d{1,12}$/.test(param)) return { where: eq(hazards.id, Number(param)), id: Number(param) };
  if (!/^YH-\d{8}-\d{4,}$/i.test(param)) return null;
  const number = param.toUpperCase();
  return { where: eq(hazards.number, number), id: sql`(SELECT ${hazards.id} FROM ${hazards} WHERE ${hazards.number} = ${number})` };
}

/** A hazard by numeric id or by its readable number (YH-…). */
export async function findHazard(deps: Deps, param: string): Promise<HazardRow> {
  const ref = hazardNamed(param);
  const row = ref ? await deps.db.query.hazards.findFirst({ where: ref.where }) : undefined;
  if (!row) throw notFound('找不到该隐患');
  return row;
}

/** A hazard a principal may see: a unit sees the ones it leads or helps with, and gets 404 for the rest. */
export async function findVisibleHazard(deps: Deps, principal: Principal, param: string): Promise<HazardRow> {
  const row = await findHazard(deps, param);
  if (!(await canSee(deps.db, principal, row))) throw notFound('找不到该隐患');
  return row;
}
