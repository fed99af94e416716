// Importing the organisation: a preview of what changes, then one transaction. Units are never deleted:
// one missing from the file is deactivated, so its records and its printed QR codes survive.
import { and, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { auditEvents, cadres, units, type UnitKind } from '../db/schema.ts';
import { runOrganisationBatch } from '../core/changes.ts';
import type { Stmt } from '../db/batch.ts';
import { checkOrganisation, OFFICE_CODE, readTables, type RowError, type UnitRow } from './sheet.ts';

export interface UnitChange {
  code: string;
  name: string;
  /** What changed, in Chinese: 改名 原名、调整上级 原上级 → 新上级、人口、重新启用. */
  changes: string[];
}

export interface ImportPlan {
  created: UnitChange[];
  updated: UnitChange[];
  deactivated: UnitChange[];
  unchanged: number;
  cadres: { created: number; updated: number };
}

export interface ImportSummary {
  created: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  cadres: { created: number; updated: number };
}

export type ImportOutcome = { ok: true; plan: ImportPlan; summary: ImportSummary; applied: boolean } | { ok: false; errors: RowError[] };

export const summarise = (p: ImportPlan): ImportSummary => ({
  created: p.created.length,
  updated: p.updated.length,
  deactivated: p.deactivated.length,
  unchanged: p.unchanged,
  cadres: p.cadres,
});

type Stored = { code: string; name: string; kind: UnitKind; parentCode: string | null; population: number | null; active: boolean };

function diff(file: UnitRow[], stored: Stored[], storedCadres: Set<string>, fileCadres: string[]): ImportPlan {
  const byCode = new Map(stored.map((s) => [s.code, s]));
  const inFile = new Set(file.map((u) => u.code));
  const plan: ImportPlan = { created: [], updated: [], deactivated: [], unchanged: 0, cadres: { created: 0, updated: 0 } };
  for (const u of file) {
    const s = byCode.get(u.code);
    if (!s) {
      plan.created.push({ code: u.code, name: u.name, changes: [] });
      continue;
    }
    const changes: string[] = [];
    if (s.name !== u.name) changes.push(`改名（原名 ${s.name}）`);
    if ((s.parentCode ?? null) !== (u.parentCode ?? null) && !(s.parentCode === OFFICE_CODE && !u.parentCode) && !(!s.parentCode && u.parentCode === OFFICE_CODE)) {
      changes.push(`调整上级（${s.parentCode ?? '无'} → ${u.parentCode ?? '无'}）`);
    }
    if ((s.population ?? null) !== u.population) changes.push(`人口 ${s.population ?? '—'} → ${u.population ?? '—'}`);
    if (!s.active) changes.push('重新启用');
    if (changes.length) plan.updated.push({ code: u.code, name: u.name, changes });
    else plan.unchanged++;
  }
  for (const s of stored) {
    if (!inFile.has(s.code) && s.active && s.kind !== 'office') plan.deactivated.push({ code: s.code, name: s.name, changes: ['停用（保留全部记录）'] });
  }
  for (const name of fileCadres) {
    if (storedCadres.has(name)) plan.cadres.updated++;
    else plan.cadres.created++;
  }
  return plan;
}

/**
 * Checks a file and, unless `dryRun`, applies it in one batch: new units inserted, existing ones renamed,
 * moved, given their population and reactivated, units missing from the file deactivated, district cadres
 * (under the office) added or updated by name, and one audit row with the counts.
 */
export async function importOrganisation(
  deps: Pick<Deps, 'db' | 'plugins' | 'now'>,
  bytes: Uint8Array,
  opts: { dryRun?: boolean; actor: string },
): Promise<ImportOutcome> {
  const { db } = deps;
  const stored: Stored[] = await db
    .select({ code: units.code, name: units.name, kind: units.kind, parentCode: units.parentCode, population: units.population, active: units.active })
    .from(units);
  let tables;
  try {
    tables = await readTables(bytes);
  } catch (err) {
    const message = err instanceof Error && /[\u4e00-\u9fff]/.test(err.message) ? err.message : '无法读取这个文件，请上传 xlsx，或 UTF-8 / GB18030 编码的 CSV';
    return { ok: false, errors: [{ row: 1, column: '', field: 'file', message }] };
  }
  const checked = checkOrganisation(tables, new Map(stored.map((s) => [s.code, s.kind])));
  if (!checked.ok) return checked;
  const { file } = checked;
  const office = file.units.find((u) => u.kind === 'office') ?? stored.find((s) => s.kind === 'office');
  const officeCode = office?.code ?? OFFICE_CODE;
  const storedCadres = new Set(
    (await db.select({ name: cadres.name }).from(cadres).where(and(eq(cadres.unitCode, officeCode), eq(cadres.role, 'district_leader')))).map((c) => c.name),
  );
  const plan = diff(file.units, stored, storedCadres, file.cadres.map((c) => c.name));
  const summary = summarise(plan);
  if (opts.dryRun) return { ok: true, plan, summary, applied: false };

  const at = deps.now().getTime();
  const rows = new Map(file.units.map((u) => [u.code, u]));
  // Top-level units hang under the office, as the demo organisation does.
  const parentOf = (u: UnitRow) => (u.kind === 'office' ? null : (u.parentCode ?? (office ? officeCode : null)));
  // The office first, so district cadres' foreign key finds it.
  const created = plan.created.map((c) => rows.get(c.code)!).sort((a, b) => (a.kind === 'office' ? -1 : b.kind === 'office' ? 1 : 0));
  const stmts: Stmt[] = [];
  for (let i = 0; i < created.length; i += 100) {
    stmts.push(
      db.insert(units).values(
        created.slice(i, i + 100).map((u) => ({ code: u.code, name: u.name, kind: u.kind, parentCode: parentOf(u), population: u.population, active: true })),
      ),
    );
  }
  for (const c of plan.updated) {
    const u = rows.get(c.code)!;
    stmts.push(db.update(units).set({ name: u.name, parentCode: parentOf(u), population: u.population, active: true }).where(eq(units.code, u.code)));
  }
  const gone = plan.deactivated.map((d) => d.code);
  for (let i = 0; i < gone.length; i += 200) stmts.push(db.update(units).set({ active: false }).where(inArray(units.code, gone.slice(i, i + 200))));
  if (office) {
    for (const c of file.cadres) {
      stmts.push(
        storedCadres.has(c.name)
          ? db.update(cadres).set({ post: c.post, active: true }).where(and(eq(cadres.unitCode, officeCode), eq(cadres.role, 'district_leader'), eq(cadres.name, c.name)))
          : db.insert(cadres).values({ unitCode: officeCode, name: c.name, post: c.post, role: 'district_leader', active: true, createdAt: at }),
      );
    }
  }
  stmts.push(
    db.insert(auditEvents).values({ at, actor: opts.actor, kind: 'organisation_import', subject: `${file.units.length} 个单位`, detail: JSON.stringify(summary) }),
  );
  // One batch: the whole file applies, or nothing does.
  await runOrganisationBatch(db, deps, stmts, at);
  return { ok: true, plan, summary, applied: true };
}
