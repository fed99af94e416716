// Reading and checking an organisation file (XLSX from Excel/WPS, or CSV in UTF-8 or GB18030): every bad cell named by row and column.
import { decodeCsv, parseCsv } from '../unit/roster/csv.ts';
import { readXlsx } from '../lib/xlsx-read.ts';
import { columnName } from '../lib/xlsx.ts';
import { cleanText } from '../lib/text.ts';
import { UNIT_KINDS, type UnitKind } from '../db/schema.ts';

export const UNITS_SHEET = '单位';
export const CADRES_SHEET = '区级干部';
export const UNIT_COLUMNS = ['代码', '名称', '类型', '上级代码', '人口'] as const;
export const CADRE_COLUMNS = ['姓名', '职务'] as const;
export const OFFICE_CODE = 'office';
const MAX_ROWS = 3000;
const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const KIND_LABELS: Record<UnitKind, string> = {
  office: '区综治办',
  town: '镇',
  subdistrict: '街道',
  village: '村',
  community: '社区',
  department: '区级部门',
  station: '派出所',
};
const KIND_ALIASES: Record<string, UnitKind> = { 乡: 'town', 乡镇: 'town', 镇街: 'town', 部门: 'department', 居委会: 'community', 村委会: 'village', 行政村: 'village', 综治办: 'office', 公安派出所: 'station' };

export function parseKind(input: string): UnitKind | null {
  const s = input.trim();
  if ((UNIT_KINDS as readonly string[]).includes(s)) return s as UnitKind;
  const found = (Object.entries(KIND_LABELS) as [UnitKind, string][]).find(([, label]) => label === s);
  return found ? found[0] : (KIND_ALIASES[s] ?? null);
}

/** Which kinds a unit of each kind may sit under ('' = at the top, under the office). */
const PARENT_KINDS: Record<UnitKind, readonly (UnitKind | '')[]> = {
  office: [''],
  town: ['', 'office'],
  subdistrict: ['', 'office'],
  department: ['', 'office'],
  // A police station (派出所) sits under the police branch, a department.
  station: ['department'],
  village: ['town', 'subdistrict'],
  community: ['subdistrict', 'town'],
};

export interface RowError {
  row: number;
  column: string;
  /** The cell as a spreadsheet names it, e.g. 单位!D5. */
  field: string;
  message: string;
}

export interface UnitRow {
  row: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
  population: number | null;
}

export interface CadreRow {
  row: number;
  name: string;
  post: string;
}

export interface OrganisationFile {
  units: UnitRow[];
  cadres: CadreRow[];
}

type Table = { sheet: string; rows: { line: number; cells: string[] }[] };

/** The file's tables: an XLSX's 单位 (else first) and 区级干部 sheets, or a CSV as the 单位 sheet. */
export async function readTables(bytes: Uint8Array): Promise<{ units: Table; cadres: Table | null }> {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!isZip) {
    return { units: { sheet: UNITS_SHEET, rows: parseCsv(decodeCsv(bytes)) }, cadres: null };
  }
  const sheets = await readXlsx(bytes);
  const table = (name: string, rows: string[][]): Table => ({
    sheet: name,
    rows: rows.map((cells, i) => ({ line: i + 1, cells })).filter((r) => r.cells.some((c) => c.trim() !== '')),
  });
  const unitSheet = sheets.find((s) => s.name.trim() === UNITS_SHEET) ?? sheets[0];
  const cadreSheet = sheets.find((s) => s.name.trim() === CADRES_SHEET);
  return { units: table(unitSheet?.name ?? UNITS_SHEET, unitSheet?.rows ?? []), cadres: cadreSheet ? table(cadreSheet.name, cadreSheet.rows) : null };
}

function columnsOf<C extends string>(t: Table, names: readonly C[], errors: RowError[]): Record<C, number> | null {
  const header = t.rows[0];
  if (!header) {
    errors.push({ row: 1, column: '', field: `${t.sheet}!A1`, message: `“${t.sheet}”表是空的，第一行应为表头：${names.join('、')}` });
    return null;
  }
  const cells = header.cells.map((c) => c.trim().replace(/^\uFEFF/, ''));
  const col = Object.fromEntries(names.map((n) => [n, cells.indexOf(n)])) as Record<C, number>;
  const missing = names.filter((n) => col[n] < 0 && n !== '人口');
  if (missing.length) {
    errors.push({ row: header.line, column: '', field: `${t.sheet}!A${header.line}`, message: `“${t.sheet}”表的表头缺少“${missing.join('”“')}”列（应为：${names.join('、')}）；如果看到乱码，请另存为 UTF-8 或 GB18030 编码的 CSV，或直接上传 xlsx` });
    return null;
  }
  return col;
}

/**
 * Checks the whole file against itself and the units the database already has; returns the rows or every error.
 * `existing` is every unit stored (active or not) with its kind, so a unit's kind cannot silently change.
 */
export function checkOrganisation(tables: { units: Table; cadres: Table | null }, existing: ReadonlyMap<string, UnitKind>): { ok: true; file: OrganisationFile } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const t = tables.units;
  const col = columnsOf(t, UNIT_COLUMNS, errors);
  if (!col) return { ok: false, errors };
  if (t.rows.length - 1 > MAX_ROWS) return { ok: false, errors: [{ row: t.rows[MAX_ROWS + 1]!.line, column: '', field: `${t.sheet}!A${t.rows[MAX_ROWS + 1]!.line}`, message: `一次最多导入 ${MAX_ROWS} 个单位` }] };
  const fail = (row: number, column: (typeof UNIT_COLUMNS)[number], message: string) =>
    errors.push({ row, column, field: `${t.sheet}!${columnName(Math.max(col[column], 0))}${row}`, message: `第 ${row} 行“${column}”：${message}` });
  const units: UnitRow[] = [];
  const seen = new Map<string, number>();
  for (const r of t.rows.slice(1)) {
    const cell = (name: (typeof UNIT_COLUMNS)[number]) => (col[name] < 0 ? '' : (cleanText((r.cells[col[name]] ?? '').replace(/\s*\n\s*/g, '')) ?? '').trim());
    const code = cell('代码');
    const name = cell('名称');
    const kindText = cell('类型');
    const parentCode = cell('上级代码');
    const popText = cell('人口').replace(/[,，\s]/g, '');
    const before = errors.length;
    if (!code) fail(r.line, '代码', '代码为空');
    else if (!CODE.test(code)) fail(r.line, '代码', `代码“${code}”只能包含小写字母、数字和连字符（如 chencang-v1）`);
    else if (seen.has(code)) fail(r.line, '代码', `代码“${code}”与第 ${seen.get(code)} 行重复`);
    if (!name) fail(r.line, '名称', '名称为空');
    else if ([...name].length > 40) fail(r.line, '名称', '名称超过 40 个字');
    const kind = parseKind(kindText);
    if (!kindText) fail(r.line, '类型', `类型为空（应为 ${Object.values(KIND_LABELS).join('、')}）`);
    else if (!kind) fail(r.line, '类型', `类型“${kindText}”无法识别（应为 ${Object.values(KIND_LABELS).join('、')}）`);
    else if (kind === 'office' && code && code !== OFFICE_CODE) fail(r.line, '代码', `区综治办的代码必须是 ${OFFICE_CODE}`);
    else if (code && existing.has(code) && existing.get(code) !== kind) fail(r.line, '类型', `单位“${code}”原为${KIND_LABELS[existing.get(code)!]}，类型不能改为${KIND_LABELS[kind]}；如确需调整，请用新代码新建单位`);
    let population: number | null = null;
    if (popText) {
      if (!/^\d{1,9}$/.test(popText)) fail(r.line, '人口', `人口“${cell('人口')}”不是整数`);
      else population = Number(popText);
    }
    if (code && !seen.has(code)) seen.set(code, r.line);
    if (errors.length === before) units.push({ row: r.line, code, name, kind: kind!, parentCode: parentCode || null, population });
    else if (kind && code) units.push({ row: r.line, code, name, kind, parentCode: parentCode || null, population }); // still a parent for its children
  }
  // Parents are checked once every row is known: a village may come before its town.
  const byCode = new Map(units.map((u) => [u.code, u]));
  for (const u of units) {
    const allowed = PARENT_KINDS[u.kind];
    const parentKind: UnitKind | '' | undefined = !u.parentCode ? '' : byCode.get(u.parentCode)?.kind ?? (u.parentCode === OFFICE_CODE && existing.get(OFFICE_CODE) === 'office' ? 'office' : undefined);
    if (parentKind === undefined) fail(u.row, '上级代码', `上级单位“${u.parentCode}”不在表中`);
    else if (u.parentCode === u.code) fail(u.row, '上级代码', '上级单位不能是自己');
    else if (!allowed.includes(parentKind)) {
      const want = allowed.filter((k) => k !== '').map((k) => KIND_LABELS[k as UnitKind]);
      fail(u.row, '上级代码', parentKind === '' ? `${KIND_LABELS[u.kind]}必须填写上级单位（${want.join('或')}）` : `${KIND_LABELS[u.kind]}不能隶属于${KIND_LABELS[parentKind]}“${u.parentCode}”${want.length ? `，上级应为${want.join('或')}` : ''}`);
    }
  }
  if (units.filter((u) => u.kind === 'office').length > 1) fail(units.filter((u) => u.kind === 'office')[1]!.row, '类型', '表中只能有一个区综治办');
  if (t.rows.length <= 1 && errors.length === 0) errors.push({ row: 2, column: '', field: `${t.sheet}!A2`, message: '表中没有单位，请在表头下逐行填写' });

  const cadres: CadreRow[] = [];
  if (tables.cadres && tables.cadres.rows.length > 0) {
    const ct = tables.cadres;
    const cc = columnsOf(ct, CADRE_COLUMNS, errors);
    const names = new Map<string, number>();
    for (const r of cc ? ct.rows.slice(1) : []) {
      const cell = (n: (typeof CADRE_COLUMNS)[number]) => (cleanText(r.cells[cc![n]] ?? '') ?? '').trim();
      const cfail = (n: (typeof CADRE_COLUMNS)[number], message: string) =>
        errors.push({ row: r.line, column: n, field: `${ct.sheet}!${columnName(cc![n])}${r.line}`, message: `“${ct.sheet}”表第 ${r.line} 行“${n}”：${message}` });
      const name = cell('姓名');
      const post = cell('职务');
      if (!name) cfail('姓名', '姓名为空');
      else if ([...name].length > 30) cfail('姓名', '姓名超过 30 个字');
      else if (names.has(name)) cfail('姓名', `姓名“${name}”与第 ${names.get(name)} 行重复`);
      else {
        names.set(name, r.line);
        if ([...post].length > 40) cfail('职务', '职务超过 40 个字');
        else cadres.push({ row: r.line, name, post });
      }
    }
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.row - b.row) };
  return { ok: true, file: { units, cadres } };
}
