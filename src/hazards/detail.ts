// One hazard as its detail pages and the detail API show it, in two round trips: the hazard itself (with its
// co-units and reported point) travels with the sign-in check, then everything else is read together.
import type { Context, MiddlewareHandler } from 'hono';
import type { Deps } from '../deps.ts';
import type { Principal } from '../auth/codes.ts';
import type { AuthEnv } from '../auth/middleware.ts';
import { hazards } from '../db/schema.ts';
import { notFound } from '../lib/errors.ts';
import { readAlongsideAuth, readStartedAlongsideAuth } from '../core/request-memo.ts';
import { coUnitList, splitCoUnits } from './co-unit-sql.ts';
import { reportPointOf, hazardLocationsOf } from './location-store.ts';
import { allowedGivenParts, partsOf } from './parts.ts';
import { duplicateCandidates, hazardHistory, hazardNamed, toView, unitNames } from './queries.ts';
import { actorsFor, type DbOrTx, type HazardRow } from './service.ts';
import { visibleIn } from './transition-reads.ts';
import type { HazardAction } from './states.ts';

export interface HazardHead {
  row: HazardRow;
  co: string[];
  here: { lat: number; lng: number } | null;
}

const KEY = 'hazard-head';

/** The hazard with its co-units and its reported point: two statements issued together. */
export async function readHazardHead(db: DbOrTx, param: string): Promise<HazardHead | null> {
  const ref = hazardNamed(param);
  if (!ref) return null;
  const [rows, here] = await Promise.all([db.select({ h: hazards, co: coUnitList }).from(hazards).where(ref.where).limit(1), reportPointOf(db, ref.id)]);
  const [first] = rows;
  return first ? { row: first.h, co: splitCoUnits(first.co), here } : null;
}

/** The pages and API that show one hazard: their hazard is read in the sign-in check's round trip. */
const DETAIL_PATH = /^\/(?:api\/v1\/)?(?:admin|unit)\/hazards\/([^/]+)$/;

/**
 * App middleware, after prefetchSession and before anything that waits for the database: on a GET of a hazard's
 * page or detail API, starts the hazard's read at once, so it travels with the session lookup.
 */
export function hazardHeadPrefetch(deps: Pick<Deps, 'db'>): MiddlewareHandler {
  return readAlongsideAuth(KEY, async (c) => {
    const param = c.req.method === 'GET' ? DETAIL_PATH.exec(c.req.path)?.[1] : undefined;
    return param ? () => readHazardHead(deps.db, decodeURIComponent(param)).then((head) => ({ param: decodeURIComponent(param), head })) : null;
  });
}

/** The hazard the request names (read with the sign-in check on a detail GET, else now); 404 when a unit may not see it. */
export async function hazardHead(deps: Pick<Deps, 'db'>, c: Context<AuthEnv>, param: string): Promise<HazardHead> {
  const started = await readStartedAlongsideAuth<{ param: string; head: HazardHead | null }>(c, KEY);
  const head = started?.param === param ? started.head : await readHazardHead(deps.db, param);
  const reader = c.get('principal');
  if (!head || !visibleIn({ hazard: head.row, coUnits: head.co }, reader)) throw notFound('找不到该隐患');
  return head;
}

/** Everything else a detail shows, read together: names, history, parts, places and (for the office) duplicates. */
export async function readHazardDetail(deps: Pick<Deps, 'db'>, principal: Principal, head: HazardHead, today: string, opts: { duplicates: boolean }) {
  const { db } = deps;
  const { row } = head;
  const names = unitNames(db);
  const [nameMap, history, parts, places, duplicates] = await Promise.all([
    names,
    hazardHistory(db, row.id, names),
    partsOf(db, row.id),
    hazardLocationsOf(db, row.id),
    opts.duplicates ? duplicateCandidates(db, row, today, head.here, names) : Promise.resolve([]),
  ]);
  const view = toView(row, today, nameMap, head.co);
  const allowed: HazardAction[] = allowedGivenParts(row.state, actorsFor(principal, row, head.co), parts, principal.role === 'unit' ? principal.unitCode : undefined);
  return { row, view, names: nameMap, history, parts, places, duplicates, allowed };
}
