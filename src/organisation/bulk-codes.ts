// Access codes for many units in one step: every town, sub-district, department and police station, or those without a working code.
import { and, asc, eq, inArray, isNull, notExists } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { accessCodes, units, type UnitKind } from '../db/schema.ts';
import { randomCode, sha256Hex } from '../lib/crypto.ts';
import { formatAccessCode } from '../auth/codes.ts';
import { validationFailed } from '../lib/errors.ts';

/** The units that sign in: villages and communities are worked by their town, the office issues its own codes one by one. */
export const SIGN_IN_KINDS: readonly UnitKind[] = ['town', 'subdistrict', 'department', 'station'];

export type BulkSelection = 'all' | 'missing' | readonly string[];

export interface BulkCode {
  unit: string;
  name: string;
  code: string;
}

/** Which active units a selection names; an explicit list must name only active towns, sub-districts, departments and police stations. */
export async function selectUnits(db: Db, selection: BulkSelection): Promise<{ code: string; name: string }[]> {
  const base = and(eq(units.active, true), inArray(units.kind, [...SIGN_IN_KINDS]));
  if (selection === 'all') return db.select({ code: units.code, name: units.name }).from(units).where(base).orderBy(asc(units.kind), asc(units.code));
  if (selection === 'missing') {
    const working = db
      .select({ one: accessCodes.id })
      .from(accessCodes)
      .where(and(eq(accessCodes.unitCode, units.code), isNull(accessCodes.revokedAt)));
    return db.select({ code: units.code, name: units.name }).from(units).where(and(base, notExists(working))).orderBy(asc(units.kind), asc(units.code));
  }
  const wanted = [...new Set(selection)];
  if (wanted.length === 0) throw validationFailed([{ field: 'units', message: '请至少选择一个单位' }]);
  const found = await db.select({ code: units.code, name: units.name }).from(units).where(and(base, inArray(units.code, wanted)));
  const known = new Set(found.map((u) => u.code));
  const errors = wanted.map((code, i) => ({ code, i })).filter((w) => !known.has(w.code));
  if (errors.length) throw validationFailed(errors.map((e) => ({ field: `units[${e.i}]`, message: `“${e.code.slice(0, 64)}”不是在用的镇（街道）或区级部门` })));
  const order = new Map(wanted.map((c, i) => [c, i]));
  return found.sort((a, b) => order.get(a.code)! - order.get(b.code)!);
}

/** Issues one unit code for each unit in one batch; the codes are returned once, only their hashes are stored. */
export async function issueBulkCodes(db: Db, list: readonly { code: string; name: string }[], opts: { label: string; now: Date }): Promise<BulkCode[]> {
  const issued = await Promise.all(
    list.map(async (u) => {
      const raw = randomCode(16);
      return { unit: u.code, name: u.name, code: formatAccessCode(raw), hash: await sha256Hex(raw) };
    }),
  );
  const at = opts.now.getTime();
  const rows = issued.map((i) => ({ codeHash: i.hash, role: 'unit' as const, unitCode: i.unit, label: opts.label, createdAt: at }));
  const chunks = [];
  for (let i = 0; i < rows.length; i += 100) chunks.push(db.insert(accessCodes).values(rows.slice(i, i + 100)));
  if (chunks.length) await db.batch(chunks as [(typeof chunks)[0], ...(typeof chunks)[0][]]);
  return issued.map(({ unit, name, code }) => ({ unit, name, code }));
}
