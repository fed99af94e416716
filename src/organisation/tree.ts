// The organisation as a tree with counts, and the template an office fills in.
import { asc, count, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { cadres, submissions, units, type UnitKind } from '../db/schema.ts';
import { writeXlsx } from '../lib/xlsx.ts';
import { CADRE_COLUMNS, CADRES_SHEET, KIND_LABELS, UNIT_COLUMNS, UNITS_SHEET } from './sheet.ts';

export interface TreeUnit {
  code: string;
  name: string;
  kind: UnitKind;
  parent: string | null;
  population: number | null;
  active: boolean;
  records: number;
  cadres: number;
  children: TreeUnit[];
}

/** Every unit (inactive ones too, marked), nested under its parent; counts by two GROUP BYs. */
export async function organisationTree(db: Db): Promise<TreeUnit[]> {
  const [rows, recs, cads] = await Promise.all([
    db
      .select({ code: units.code, name: units.name, kind: units.kind, parent: units.parentCode, population: units.population, active: units.active })
      .from(units)
      .orderBy(asc(sql`rowid`)),
    db.select({ code: submissions.unitCode, n: count() }).from(submissions).where(isNotNull(submissions.unitCode)).groupBy(submissions.unitCode),
    db.select({ code: cadres.unitCode, n: count() }).from(cadres).groupBy(cadres.unitCode),
  ]);
  const recMap = new Map(recs.map((r) => [r.code, r.n]));
  const cadMap = new Map(cads.map((r) => [r.code, r.n]));
  const nodes = new Map<string, TreeUnit>(rows.map((r) => [r.code, { ...r, records: recMap.get(r.code) ?? 0, cadres: cadMap.get(r.code) ?? 0, children: [] }]));
  const roots: TreeUnit[] = [];
  for (const n of nodes.values()) {
    const parent = n.parent ? nodes.get(n.parent) : undefined;
    if (parent && parent !== n) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

/** Depth-first: each unit followed by its children, with its depth. */
export function flatten(tree: readonly TreeUnit[], depth = 0): { unit: TreeUnit; depth: number }[] {
  return tree.flatMap((u) => [{ unit: u, depth }, ...flatten(u.children, depth + 1)]);
}

/** The template: the units sheet (with the current organisation when there is one) and the district cadres sheet. */
export async function organisationTemplate(db: Db): Promise<Uint8Array> {
  const rows = flatten(await organisationTree(db)).filter((r) => r.unit.active);
  const example: (string | number)[][] = rows.length
    ? rows.map(({ unit: u }) => [u.code, u.name, KIND_LABELS[u.kind], u.parent ?? '', u.population ?? ''])
    : [
        ['office', 'XX区综治办', '区综治办', '', ''],
        ['town-a', 'XX镇', '镇', 'office', ''],
        ['town-a-v1', 'XX村', '村', 'town-a', 1200],
        ['street-b', 'XX街道', '街道', 'office', ''],
        ['street-b-c1', 'XX社区', '社区', 'street-b', 3400],
        ['dept-police', '区公安分局', '区级部门', 'office', ''],
      ];
  const kinds = Object.values(KIND_LABELS);
  return writeXlsx([
    { name: UNITS_SHEET, header: true, rows: [[...UNIT_COLUMNS], ...example], widths: [18, 28, 10, 18, 10] },
    { name: CADRES_SHEET, header: true, rows: [[...CADRE_COLUMNS], ['张三', '区委副书记']], widths: [14, 24] },
    {
      name: '说明',
      header: true,
      rows: [
        ['说明'],
        ['“单位”表每行一个单位：代码（小写字母、数字和连字符，一经使用不要更改，二维码里用的就是它）、名称、类型、上级代码、人口（整数，村、社区填写）。'],
        [`类型只能是：${kinds.join('、')}。`],
        ['镇、街道、区级部门的上级是区综治办（office，可不填）；村、社区的上级是镇或街道。'],
        ['重新导入时按代码更新名称、上级和人口；表中没有的单位会被停用（记录全部保留），不会删除。'],
        ['“区级干部”表每行一名区级领导：姓名、职务。'],
        ['也可以只上传“单位”表另存的 CSV（UTF-8 或 GB18030 编码）。'],
      ],
      widths: [100],
    },
  ]);
}
