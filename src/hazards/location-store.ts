// Hazards' places in the database: the statement a submission's batch adds for its hazard's point, the points of one
// hazard with links to 高德/百度, the hazards near another (duplicates) and the open hazards' points for the office map.
import { and, asc, between, eq, gte, inArray, lte, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import { coUnitList } from './co-unit-sql.ts';
import { hazardLocations, hazards, units, type LocationKind } from '../db/schema.ts';
import type { Stmt, StmtBuilder } from '../db/batch.ts';
import type { SubmissionHook } from '../submissions/hooks.ts';
import { degreesAround, distanceMetres, mapLinks } from '../lib/geo.ts';
import { addDays } from '../lib/time.ts';
import type { GeoPoint } from './location.ts';
import type { DbOrTx } from './service.ts';
import type { HazardRow } from './transition-reads.ts';
import { MERGED_STATES, OPEN_STATES } from './states.ts';

/** Tips this close, of the same category, within DUPLICATE_WINDOW_DAYS, are offered as duplicates. */
export const DUPLICATE_RADIUS_METRES = 200;
const WINDOW_DAYS = 7;

/** The statement storing a hazard's point; `hazardId` may be SQL that finds the hazard inside the same batch. */
export function locationStatement(q: StmtBuilder, hazardId: number | ReturnType<typeof sql>, p: GeoPoint, kind: LocationKind, at: number): Stmt {
  return q.insert(hazardLocations).values({ hazardId, kind, lat: p.lat, lng: p.lng, accuracy: Math.round(p.accuracy * 10) / 10, at });
}

/**
 * Runs after the hazard hook (src/plugins.ts): a tip or ledger row with a location stores it in the same batch, the
 * hazard found by its submission (hazards_submission_idx), so the point never costs a round trip of its own.
 */
export const hazardLocationHook: SubmissionHook = function hazardLocationHook(q, ctx) {
  if (!ctx.location || !ctx.hazard) return [];
  const hazardId = sql`(SELECT ${hazards.id} FROM ${hazards} WHERE ${hazards.submissionId} = ${ctx.submission.idSql})`;
  return [locationStatement(q, hazardId, ctx.location, 'report', ctx.submission.createdAt)];
};

export interface LocationView {
  kind: LocationKind;
  lat: number;
  lng: number;
  accuracy: number;
  at: string;
  mapLinks: { amap: string; baidu: string };
}

/** A hazard's points, the first of each kind: where it was reported and where it was reported fixed. */
export async function hazardLocationsOf(db: DbOrTx, hazardId: number): Promise<{ location: LocationView | null; fixLocation: LocationView | null }> {
  const rows = await db.select().from(hazardLocations).where(eq(hazardLocations.hazardId, hazardId)).orderBy(asc(hazardLocations.id));
  const view = (kind: LocationKind): LocationView | null => {
    const r = rows.find((x) => x.kind === kind);
    if (!r) return null;
    const title = kind === 'fix' ? '整改位置' : '隐患位置';
    return { kind, lat: r.lat, lng: r.lng, accuracy: r.accuracy, at: new Date(r.at).toISOString(), mapLinks: mapLinks(r, title) };
  };
  return { location: view('report'), fixLocation: view('fix') };
}

/**
 * Hazards of the same category within 200 m of this one's reported point and 7 days either side, not merged away,
 * nearest first: a box on the (lat, lng) index, then the exact distance.
 */
export async function nearbyHazards(
  db: DbOrTx,
  hazard: Pick<HazardRow, 'id' | 'category' | 'day'>,
  known?: { lat: number; lng: number } | null,
): Promise<{ row: HazardRow; co: string | null; metres: number }[]> {
  const here = known === undefined ? await reportPointOf(db, hazard.id) : known;
  if (!here) return [];
  const { dLat, dLng } = degreesAround(here.lat, DUPLICATE_RADIUS_METRES);
  const rows = await db
    .select({ hazard: hazards, co: coUnitList, lat: hazardLocations.lat, lng: hazardLocations.lng })
    .from(hazardLocations)
    .innerJoin(hazards, eq(hazards.id, hazardLocations.hazardId))
    .where(
      and(
        eq(hazardLocations.kind, 'report'),
        between(hazardLocations.lat, here.lat - dLat, here.lat + dLat),
        between(hazardLocations.lng, here.lng - dLng, here.lng + dLng),
        eq(hazards.category, hazard.category),
        gte(hazards.day, addDays(hazard.day, -WINDOW_DAYS)),
        lte(hazards.day, addDays(hazard.day, WINDOW_DAYS)),
        ne(hazards.id, hazard.id),
        notInArray(hazards.state, MERGED_STATES),
      ),
    )
    .limit(200);
  const seen = new Set<number>();
  return rows
    .map((r) => ({ row: r.hazard, co: r.co, metres: Math.round(distanceMetres(here, r)) }))
    .filter((r) => r.metres <= DUPLICATE_RADIUS_METRES && !seen.has(r.row.id) && seen.add(r.row.id))
    .sort((a, b) => a.metres - b.metres);
}

/** Where a hazard was reported (its first 'report' point), or null; `hazardId` may be SQL that finds the hazard. */
export async function reportPointOf(db: DbOrTx, hazardId: number | SQL): Promise<{ lat: number; lng: number } | null> {
  const [here] = await db
    .select({ lat: hazardLocations.lat, lng: hazardLocations.lng })
    .from(hazardLocations)
    .where(and(eq(hazardLocations.hazardId, hazardId), eq(hazardLocations.kind, 'report')))
    .orderBy(asc(hazardLocations.id))
    .limit(1);
  return here ?? null;
}

export interface MapPoint {
  id: number;
  number: string;
  category: string;
  state: string;
  overdue: boolean;
  lat: number;
  lng: number;
  /** The town or sub-district the hazard belongs to (through its lead or reporting unit), when there is one. */
  town: string | null;
}

/** The open hazards that have a reported point, with the town each belongs to; overdue by the flag or the deadline. */
export async function openHazardPoints(db: DbOrTx, today: string): Promise<MapPoint[]> {
  const [rows, unitRows] = await Promise.all([
    db
      .select({
        id: hazards.id,
        number: hazards.number,
        category: hazards.category,
        state: hazards.state,
        overdue: hazards.overdue,
        deadline: hazards.deadline,
        unit: sql<string | null>`coalesce(${hazards.leadUnitCode}, ${hazards.reportedUnitCode})`,
        reported: hazards.reportedUnitCode,
        lat: hazardLocations.lat,
        lng: hazardLocations.lng,
      })
      .from(hazardLocations)
      .innerJoin(hazards, eq(hazards.id, hazardLocations.hazardId))
      .where(and(eq(hazardLocations.kind, 'report'), inArray(hazards.state, OPEN_STATES)))
      .orderBy(asc(hazards.id)),
    db.select({ code: units.code, name: units.name, kind: units.kind, parent: units.parentCode }).from(units),
  ]);
  const byCode = new Map(unitRows.map((u) => [u.code, u]));
  const townOf = (code: string | null): string | null => {
    for (let u = code ? byCode.get(code) : undefined, i = 0; u && i < 8; u = u.parent ? byCode.get(u.parent) : undefined, i++) {
      if (u.kind === 'town' || u.kind === 'subdistrict') return u.name;
      if (u.kind === 'department' || u.kind === 'office') return null;
    }
    return null;
  };
  const seen = new Set<number>();
  return rows
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map((r) => ({ id: r.id, number: r.number, category: r.category, state: r.state, overdue: r.overdue || (r.deadline !== null && r.deadline < today), lat: r.lat, lng: r.lng, town: townOf(r.unit) ?? townOf(r.reported) }));
}
