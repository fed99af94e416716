// Importing a roster from the CSV an office keeps in Excel: every bad line reported, nothing stored unless all are good.
import { cleanText } from '../../lib/text.ts';
import { and, eq } from 'drizzle-orm';
import { cadres } from '../../db/schema.ts';
import { decodeCsv, parseCsv, type CsvEncoding } from './csv.ts';
import { parseRole, placesFor, type CadreInput, type Place, type UnitInfo } from './roster.ts';
import type { Deps } from '../../deps.ts';
import { runOrganisationBatch } from '../../core/changes.ts';
import type { Stmt } from '../../db/batch.ts';

export const ROSTER_COLUMNS = ['姓名', '职务', '角色', '包抓村社区'] as const;
const MAX_LINES = 2000;

export interface LineError {
  line: number;
  message: string;
}

export type ImportResult =
  | { ok: true; added: number; updated: number }
  | { ok: false; errors: LineError[] };

/** "陈仓示范村一（演示）", "陈仓示范村一", or the code all find the same village. */
function placeMatcher(places: readonly Place[]) {
  const bare = (s: string) => s.replace(/\s+/g, '').replace(/[（(][^）)]*[）)]$/, '');
  return (input: string): Place[] => {
    const s = input.trim();
    const byCode = places.filter((p) => p.code === s);
    if (byCode.length) return byCode;
    const exact = places.filter((p) => p.name === s);
    if (exact.length) return exact;
    return places.filter((p) => bare(p.name) === bare(s));
  };
}

/** Reads and checks the file; returns cadres to store, or an error for each bad line. */
export function checkRosterCsv(text: string, unit: UnitInfo, places: readonly Place[]): { ok: true; rows: CadreInput[] } | { ok: false; errors: LineError[] } {
  const rows = parseCsv(text);
  if (rows.length === 0) return { ok: false, errors: [{ line: 1, message: '文件是空的，第一行应为表头：姓名,职务,角色,包抓村社区' }] };
  const header = rows[0]!.cells.map((c) => c.trim());
  const col = Object.fromEntries(ROSTER_COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<(typeof ROSTER_COLUMNS)[number], number>;
  const missing = ROSTER_COLUMNS.filter((name) => col[name] < 0);
  if (missing.length) {
    return { ok: false, errors: [{ line: rows[0]!.line, message: `表头缺少“${missing.join('”“')}”列（应为：${ROSTER_COLUMNS.join(',')}）；如果看到乱码，请选择正确的文件编码` }] };
  }
  if (rows.length - 1 > MAX_LINES) return { ok: false, errors: [{ line: rows[MAX_LINES + 1]!.line, message: `一次最多导入 ${MAX_LINES} 行` }] };

  const find = placeMatcher(places);
  const where = unit.kind === 'town' || unit.kind === 'subdistrict' ? `${unit.name}所辖村、社区` : '本区村、社区';
  const errors: LineError[] = [];
  const out: CadreInput[] = [];
  const seen = new Map<string, number>();
  for (const row of rows.slice(1)) {
    const cell = (name: (typeof ROSTER_COLUMNS)[number]) => cleanText((row.cells[col[name]] ?? '').replace(/\n/g, '')) ?? '';
    const problems: string[] = [];
    const name = cell('姓名');
    const post = cell('职务');
    const roleText = cell('角色');
    const placeText = cell('包抓村社区');
    if (!name) problems.push('姓名为空');
    else if ([...name].length > 30) problems.push('姓名超过 30 个字');
    else if (seen.has(name)) problems.push(`姓名“${name}”与第 ${seen.get(name)} 行重复`);
    if ([...post].length > 40) problems.push('职务超过 40 个字');
    const role = parseRole(roleText);
    if (!roleText) problems.push('角色为空（应为 区级领导、单位领导 或 干部）');
    else if (!role) problems.push(`角色“${roleText}”无法识别（应为 区级领导、单位领导 或 干部）`);
    let assignedCode = '';
    if (!placeText) problems.push('包抓村社区为空');
    else {
      const matches = find(placeText);
      if (matches.length === 0) problems.push(`包抓村社区“${placeText}”不在${where}中`);
      else if (matches.length > 1) problems.push(`包抓村社区“${placeText}”有多个同名，请填写代码（${matches.map((m) => m.code).join('、')}）`);
      else assignedCode = matches[0]!.code;
    }
    if (name && !seen.has(name)) seen.set(name, row.line);
    if (problems.length) errors.push({ line: row.line, message: `第 ${row.line} 行：${problems.join('；')}` });
    else out.push({ name, post, role: role!, assignedCode });
  }
  if (errors.length) return { ok: false, errors };
  if (out.length === 0) return { ok: false, errors: [{ line: 2, message: '文件中没有干部，请在表头下逐行填写' }] };
  return { ok: true, rows: out };
}

/**
 * Imports a roster file for a unit. A cadre already on the roster under the same name is updated
 * (and reactivated); others are added; no one is removed. One transaction: all or nothing.
 */
export async function importRoster(deps: Pick<Deps, 'db' | 'plugins'>, unit: UnitInfo, bytes: Uint8Array, opts: { encoding?: CsvEncoding; now: Date }): Promise<ImportResult> {
  const { db } = deps;
  let text: string;
  try {
    text = decodeCsv(bytes, opts.encoding ?? 'auto');
  } catch {
    return { ok: false, errors: [{ line: 1, message: '文件不是 UTF-8 编码；从 Excel 另存的 CSV 请选择 GBK 编码或自动识别' }] };
  }
  const checked = checkRosterCsv(text, unit, await placesFor(db, unit));
  if (!checked.ok) return checked;
  const existing = new Map(
    (await db.select({ id: cadres.id, name: cadres.name }).from(cadres).where(eq(cadres.unitCode, unit.code))).map((r) => [r.name, r.id]),
  );
  let added = 0;
  let updated = 0;
  const stmts: Stmt[] = [];
  for (const row of checked.rows) {
    const id = existing.get(row.name);
    if (id !== undefined) {
      stmts.push(db.update(cadres).set({ ...row, active: true }).where(and(eq(cadres.id, id), eq(cadres.unitCode, unit.code))));
      updated++;
    } else {
      stmts.push(db.insert(cadres).values({ unitCode: unit.code, ...row, active: true, createdAt: opts.now.getTime() }));
      added++;
    }
  }
  // One batch: every row of the file, or none.
  await runOrganisationBatch(db, deps, stmts, opts.now.getTime());
  return { ok: true, added, updated };
}
