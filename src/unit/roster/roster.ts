// A unit's cadre roster (R1): who visits households, with which quota, in which village or community.
import { cleanText } from '../../lib/text.ts';
import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { cadres, CADRE_ROLES, units, type CadreRole } from '../../db/schema.ts';
import { currentCampaign } from '../../campaign/store.ts';
import type { Deps } from '../../deps.ts';
import { runOrganisationBatch } from '../../core/changes.ts';
import type { FieldError } from '../../lib/errors.ts';

export const CADRE_ROLE_LABELS: Record<CadreRole, string> = {
  district_leader: '区级领导',
  unit_leader: '单位领导',
  cadre: '干部',
};

export function quotaOf(role: CadreRole, quotas: Readonly<Record<CadreRole, number>>): number {
  return quotas[role];
}

/** A role as an office writes it: the Chinese label or the id. */
export function parseRole(input: string): CadreRole | null {
  const s = input.trim();
  if ((CADRE_ROLES as readonly string[]).includes(s)) return s as CadreRole;
  const found = (Object.entries(CADRE_ROLE_LABELS) as [CadreRole, string][]).find(([, label]) => label === s);
  if (found) return found[0];
  // Common variants in offices' own sheets.
  if (/^(区领导|区级领导干部)$/.test(s)) return 'district_leader';
  if (/^(部门领导|镇街领导|镇领导|街道领导|领导)$/.test(s)) return 'unit_leader';
  if (/^(一般干部|工作人员|干部职工)$/.test(s)) return 'cadre';
  return null;
}

export interface Place {
  code: string;
  name: string;
  kind: 'village' | 'community';
  population: number | null;
  parentCode: string | null;
}

export interface UnitInfo {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
}

export async function getUnit(db: Db, code: string): Promise<UnitInfo | undefined> {
  const row = await db.query.units.findFirst({ where: eq(units.code, code) });
  return row ? { code: row.code, name: row.name, kind: row.kind, parentCode: row.parentCode } : undefined;
}

/**
 * The villages and communities a unit's cadres may be assigned to: a town's or sub-district's own,
 * any of the district's for departments and the office (their cadres are spread across it).
 */
export async function placesFor(db: Db, unit: UnitInfo | null): Promise<Place[]> {
  const scope = unit ? placeScope(unit) : 'all';
  const rows = await db
    .select({ code: units.code, name: units.name, kind: units.kind, population: units.population, parentCode: units.parentCode })
    .from(units)
    .where(scope === 'itself' ? eq(units.code, unit!.code) : scope === 'children' ? eq(units.parentCode, unit!.code) : or(eq(units.kind, 'village'), eq(units.kind, 'community')))
    .orderBy(asc(units.parentCode), asc(units.code));
  return rows.filter((r): r is Place => r.kind === 'village' || r.kind === 'community');
}

/**
 * Which villages a unit's cadres go to: a village or community signed in with its own code enters its own records
 * only; a town's or sub-district's are its own; a department's and the office's, any of the district's.
 */
function placeScope(unit: UnitInfo): 'itself' | 'children' | 'all' {
  if (unit.kind === 'village' || unit.kind === 'community') return 'itself';
  return unit.kind === 'town' || unit.kind === 'subdistrict' ? 'children' : 'all';
}

/** The same choice made from every village and community (placesFor(db, null)), once the unit is known. */
export function placesWithin(unit: UnitInfo, all: readonly Place[]): Place[] {
  const scope = placeScope(unit);
  return all.filter((p) => (scope === 'itself' ? p.code === unit.code : scope === 'children' ? p.parentCode === unit.code : true));
}

export interface CadreRow {
  id: number;
  unitCode: string;
  name: string;
  post: string;
  role: CadreRole;
  assignedCode: string | null;
  assignedName: string | null;
  active: boolean;
  quota: number;
}

export async function listCadres(
  db: Db,
  unitCode: string,
  opts: { activeOnly?: boolean; quotas?: Readonly<Record<CadreRole, number>>; /** Also the cadres of other units assigned (包抓) to this village. */ assignedHere?: boolean } = {},
): Promise<CadreRow[]> {
  const quotas = opts.quotas ?? (await currentCampaign(db)).settings.visitQuotas;
  const rows = await db
    .select({
      id: cadres.id,
      unitCode: cadres.unitCode,
      name: cadres.name,
      post: cadres.post,
      role: cadres.role,
      assignedCode: cadres.assignedCode,
      assignedName: units.name,
      active: cadres.active,
    })
    .from(cadres)
    .leftJoin(units, eq(units.code, cadres.assignedCode))
    .where(
      and(
        opts.assignedHere ? or(eq(cadres.unitCode, unitCode), eq(cadres.assignedCode, unitCode)) : eq(cadres.unitCode, unitCode),
        opts.activeOnly ? eq(cadres.active, true) : undefined,
      ),
    )
    .orderBy(asc(cadres.id));
  return rows.map((r) => ({ ...r, quota: quotaOf(r.role, quotas) }));
}

export interface CadreInput {
  name: string;
  post: string;
  role: CadreRole;
  assignedCode: string;
}

/** Checks a cadre typed into the portal or sent to the API; every problem, in Chinese, by field. */
export function checkCadre(
  input: { name?: unknown; post?: unknown; role?: unknown; assignedCode?: unknown },
  places: readonly Place[],
): { ok: true; value: CadreInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  // Control characters (pasted from other systems) would break the CSV and sheet a name ends up in.
  const clean = (v: unknown) => cleanText(typeof v === 'string' ? v.replace(/\n/g, '') : v) ?? '';
  const name = clean(input.name);
  const post = clean(input.post);
  const role = typeof input.role === 'string' ? parseRole(input.role) : null;
  const assigned = typeof input.assignedCode === 'string' ? input.assignedCode.trim() : '';
  if (!name) errors.push({ field: 'name', message: '请填写姓名' });
  else if ([...name].length > 30) errors.push({ field: 'name', message: '姓名不能超过 30 个字' });
  if ([...post].length > 40) errors.push({ field: 'post', message: '职务不能超过 40 个字' });
  if (!role) errors.push({ field: 'role', message: '请选择角色：区级领导、单位领导或干部' });
  if (!assigned) errors.push({ field: 'assignedCode', message: '请选择包抓的村或社区' });
  else if (!places.some((p) => p.code === assigned)) errors.push({ field: 'assignedCode', message: '包抓村社区不在本单位可选范围内' });
  if (errors.length) return { ok: false, errors };
  return { ok: true, value: { name, post, role: role!, assignedCode: assigned } };
}

// Every roster change also marks the sheet's visit-progress tabs stale, in the same batch (one round trip): the
// sheet lists cadres and their quotas.
export async function addCadre(deps: Pick<Deps, 'db' | 'plugins'>, unitCode: string, input: CadreInput, now: Date): Promise<number> {
  const { db } = deps;
  const [rows] = (await runOrganisationBatch(
    db,
    deps,
    [
      db
        .insert(cadres)
        .values({ unitCode, ...input, active: true, createdAt: now.getTime() })
        .returning({ id: cadres.id }),
    ],
    now.getTime(),
  )) as [{ id: number }[]];
  return rows[0]!.id;
}

/** The cadre's details and, when given, whether they are active — with the sheet's note, one batch. */
export async function updateCadre(deps: Pick<Deps, 'db' | 'now' | 'plugins'>, id: number, input: CadreInput, opts: { active?: boolean } = {}): Promise<void> {
  const { db } = deps;
  await runOrganisationBatch(
    db,
    deps,
    [
      db
        .update(cadres)
        .set(opts.active === undefined ? input : { ...input, active: opts.active })
        .where(eq(cadres.id, id)),
    ],
    deps.now().getTime(),
  );
}

/** Deactivated cadres keep their visits (they count in history) but leave the entry lists and the quota. */
export async function setCadreActive(deps: Pick<Deps, 'db' | 'now' | 'plugins'>, id: number, active: boolean): Promise<void> {
  const { db } = deps;
  await runOrganisationBatch(db, deps, [db.update(cadres).set({ active }).where(eq(cadres.id, id))], deps.now().getTime());
}

export async function getCadre(db: Db, id: number) {
  return db.query.cadres.findFirst({ where: eq(cadres.id, id) });
}

/** A cadre's unit, read by the cadre's id (one statement, issued with the cadre's own read). */
export async function cadreUnit(db: Db, id: number): Promise<UnitInfo | undefined> {
  const [row] = await db
    .select({ code: units.code, name: units.name, kind: units.kind, parentCode: units.parentCode })
    .from(cadres)
    .innerJoin(units, eq(units.code, cadres.unitCode))
    .where(eq(cadres.id, id));
  return row;
}

export async function cadresByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db.select().from(cadres).where(inArray(cadres.id, ids));
}
