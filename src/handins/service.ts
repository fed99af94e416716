// Hand-ins (R3, R7): each campaign deadline a unit hands its records in for becomes a step — the unit submits a
// frozen, masked snapshot of its ledger or visit register; after the deadline day (Asia/Shanghai) it is marked late.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { handIns, units } from '../db/schema.ts';
import type { Principal } from '../auth/codes.ts';
import { currentCampaign } from '../campaign/store.ts';
import { formsOf } from '../forms/store.ts';
import { AppError, forbidden, notFound } from '../lib/errors.ts';
import { shanghaiDay } from '../lib/time.ts';
import { exportTable, type ExportTable } from '../unit/export/rows.ts';
import type { UnitInfo } from '../unit/roster/roster.ts';
import { HAND_IN_KINDS, type HandInKind } from './kinds.ts';

export { HAND_IN_KINDS, type HandInKind };

export interface HandInStep {
  id: string;
  date: string;
  label: string;
  rule: string;
  kind: HandInKind;
}

/** The current campaign's deadlines that are hand-ins (a deadline such as the campaign's end is not). */
export async function handInSteps(db: Db): Promise<{ campaignId: number; steps: HandInStep[] }> {
  const { id, settings } = await currentCampaign(db);
  const steps = settings.deadlines.flatMap((d) => (HAND_IN_KINDS[d.rule] ? [{ ...d, kind: HAND_IN_KINDS[d.rule]! }] : []));
  return { campaignId: id, steps };
}

export const stepsFor = (steps: HandInStep[], unit: UnitInfo) => steps.filter((s) => (s.kind.unitKinds as readonly string[]).includes(unit.kind));

export interface HandInRow {
  id: number;
  deadlineId: string;
  unitCode: string;
  formId: string;
  at: number;
  day: string;
  late: boolean;
  rowCount: number;
}

const summary = {
  id: handIns.id,
  deadlineId: handIns.deadlineId,
  unitCode: handIns.unitCode,
  formId: handIns.formId,
  at: handIns.at,
  day: handIns.day,
  late: handIns.late,
  rowCount: handIns.rowCount,
};

/**
 * Freezes the unit's register for a deadline. One statement: the unique index makes a second hand-in of the
 * same step fail (409), so two simultaneous clicks store one snapshot.
 */
export async function handIn(db: Db, unit: UnitInfo, deadlineId: string, by: Principal, now: Date): Promise<{ id: number; late: boolean }> {
  const { campaignId, steps } = await handInSteps(db);
  const step = steps.find((s) => s.id === deadlineId);
  if (!step) throw notFound('没有这个报送节点');
  if (!(step.kind.unitKinds as readonly string[]).includes(unit.kind)) throw forbidden('本单位不需要报送这个节点');
  const form = (await formsOf(db)).find((f) => f.id === step.kind.formId);
  if (!form) throw notFound('找不到该表单');
  const table = await exportTable(db, form, unit, { unmasked: false });
  const day = shanghaiDay(now);
  const late = day > step.date;
  const [row] = await db
    .insert(handIns)
    .values({ campaignId, deadlineId, unitCode: unit.code, formId: form.id, at: now.getTime(), day, late, rowCount: table.rows.length, snapshot: JSON.stringify(table), codeId: by.codeId })
    .onConflictDoNothing()
    .returning({ id: handIns.id });
  if (!row) throw new AppError(409, 'ALREADY_HANDED_IN', '本单位已报送过这个节点');
  return { id: row.id, late };
}

/** The current campaign's hand-ins of one unit, or of every unit. */
export async function listHandIns(db: Db, unitCode?: string): Promise<HandInRow[]> {
  const { campaignId } = await handInSteps(db);
  return db
    .select(summary)
    .from(handIns)
    .where(and(eq(handIns.campaignId, campaignId), unitCode ? eq(handIns.unitCode, unitCode) : undefined))
    .orderBy(asc(handIns.at));
}

/** Hand-ins of the steps a reader unit (the police branch) reads for every unit. */
export async function handInsReadBy(db: Db, readerCode: string): Promise<HandInRow[]> {
  const { campaignId, steps } = await handInSteps(db);
  const ids = steps.filter((s) => s.kind.readers.includes(readerCode)).map((s) => s.id);
  if (!ids.length) return [];
  return db.select(summary).from(handIns).where(and(eq(handIns.campaignId, campaignId), inArray(handIns.deadlineId, ids))).orderBy(asc(handIns.at));
}

export interface HandInBoard {
  id: string;
  date: string;
  label: string;
  rule: string;
  formId: string;
  handedIn: { id: number; unit: string; name: string; at: string; late: boolean; rows: number }[];
  missing: { unit: string; name: string }[];
}

/** The office's view: per hand-in step, who has handed in (late marked) and who has not. */
export async function handInBoard(db: Db): Promise<HandInBoard[]> {
  const { steps } = await handInSteps(db);
  const [rows, unitRows] = await Promise.all([
    listHandIns(db),
    db.select({ code: units.code, name: units.name, kind: units.kind }).from(units).where(eq(units.active, true)).orderBy(asc(units.code)),
  ]);
  const names = new Map(unitRows.map((u) => [u.code, u.name]));
  return steps.map((s) => {
    const mine = rows.filter((r) => r.deadlineId === s.id);
    const done = new Set(mine.map((r) => r.unitCode));
    return {
      id: s.id,
      date: s.date,
      label: s.label,
      rule: s.rule,
      formId: s.kind.formId,
      handedIn: mine.map((r) => ({ id: r.id, unit: r.unitCode, name: names.get(r.unitCode) ?? r.unitCode, at: new Date(r.at).toISOString(), late: r.late, rows: r.rowCount })),
      missing: unitRows.filter((u) => s.kind.unitKinds.includes(u.kind) && !done.has(u.code)).map((u) => ({ unit: u.code, name: u.name })),
    };
  });
}

/** One hand-in with its snapshot, for its unit, the office, leaders and the step's readers (the police branch). */
export async function readHandIn(db: Db, principal: Principal, id: number): Promise<HandInRow & { table: ExportTable }> {
  const [row] = Number.isInteger(id) ? await db.select({ ...summary, snapshot: handIns.snapshot }).from(handIns).where(eq(handIns.id, id)) : [];
  if (!row) throw notFound('找不到这份报送');
  if (principal.role === 'unit' && row.unitCode !== principal.unitCode) {
    const readers = Object.values(HAND_IN_KINDS).find((k) => k.formId === row.formId)?.readers ?? [];
    if (!readers.includes(principal.unitCode)) throw forbidden('只能查看本单位的报送');
  }
  const { snapshot, ...rest } = row;
  return { ...rest, table: JSON.parse(snapshot) as ExportTable };
}
