// Hazard supervision over HTTP: the JSON API of DESIGN.md (office, unit, tipster feedback) and the
// office's and units' pages, mounted together by hazardsRoutes(deps).
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { AppError, notFound, validationFailed } from '../lib/errors.ts';
import { limitBody, MAX_ANSWERS_BYTES } from '../lib/body-limit.ts';
import { shanghaiDay } from '../lib/time.ts';
import { vJson } from '../lib/validation.ts';
import { actorsFor, transition, type TransitionInput, type TransitionRequest, type TransitionResult } from './service.ts';
import { readTransitionState, visibleIn, type TransitionReads } from './transition-reads.ts';
import { readAlongsideAuth, readStartedAlongsideAuth } from '../core/request-memo.ts';
import { findHazard, findVisibleHazard, forReader, isStatusFilter, listHazards, listUnitHazards } from './queries.ts';
import { allowedActions, awaitsOffice, stateLabel } from './states.ts';
import { tipsterFeedback } from './receipt.ts';
import { hazardHead, readHazardDetail } from './detail.ts';
import { hazardAdminPages } from './pages/admin.tsx';
import { hazardMapPages } from './pages/map.tsx';
import { hazardUnitPages } from './pages/unit.tsx';
import { hazardPhotoRoutes } from './pages/photos.tsx';
import { safeBack } from './pages/feedback.tsx';
import { locationStatement } from './location-store.ts';
import { FIX_ACTIONS, LOCATION_MESSAGES, parseLocation } from './location.ts';

/** A move: the action and its fields, which service.ts checks against the action's definition. */
const TransitionBody = v.looseObject({ action: v.optional(v.string('操作（action）应为文字，例如 "accept"')) });
const FeedbackBody = v.object({ fixed: v.boolean('应为 true 或 false') }, '应为 true 或 false');

/** A paging parameter: absent means the default; anything but a small whole number is a 422 (1e20 made SQLite fail). */
function pageNumber(raw: string | undefined, field: string, fallback: number, min: number, max: number, message: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw validationFailed([{ field, message }], message);
  }
  return n;
}

export function transitionJson(r: TransitionResult) {
  return { id: r.id, number: r.number, from: r.from, action: r.action, state: r.state, stateLabel: stateLabel(r.state), allowed: r.allowed };
}

async function detailJson(deps: Deps, c: Context<AuthEnv>) {
  const principal = c.get('principal');
  const head = await hazardHead(deps, c, c.req.param('id')!);
  const today = shanghaiDay(deps.now());
  const detail = await readHazardDetail(deps, principal, head, today, { duplicates: principal.role !== 'unit' && awaitsOffice(head.row.state) });
  const shown = <T extends object>(x: T) => forReader(principal, x);
  // A place is shown to the office and the hazard's units, as precisely as it was given; leaders read the list without it.
  const hidePlace = principal.role === 'leader';
  const { places } = detail;
  return {
    ...shown(detail.view),
    allowed: detail.allowed,
    location: hidePlace ? null : places.location,
    fixLocation: hidePlace ? null : places.fixLocation,
    parts: detail.parts.map(shown),
    history: detail.history.map(shown),
    duplicates: detail.duplicates.map(shown),
  };
}

export function hazardsRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['admin', 'leader']);
  const admin = requireRole(deps, ['admin']);
  const unit = requireRole(deps, ['unit']);

  app.get('/api/v1/admin/hazards', readers, async (c) => {
    const status = c.req.query('status') || 'open';
    if (!isStatusFilter(status)) {
      throw validationFailed([{ field: 'status', message: 'open、triage、overdue、closed、all 或某一状态' }], '状态筛选无效');
    }
    const limit = pageNumber(c.req.query('limit'), 'limit', 200, 1, 1000, '每页条数应为 1 到 1000 的整数');
    const offset = pageNumber(c.req.query('offset'), 'offset', 0, 0, 1_000_000, '起始位置应为 0 到 1000000 的整数');
    const today = shanghaiDay(deps.now());
    const items = await listHazards(deps.db, { status, today, limit, offset });
    return c.json({ status, today, count: items.length, hazards: items.map((h) => forReader(c.get('principal'), h)) });
  });

  app.get('/api/v1/admin/hazards/:id', readers, async (c) => c.json(await detailJson(deps, c)));

  const move = (role: 'admin' | 'unit') =>
    async function moveHazard(c: Context<AuthEnv>, body: v.InferOutput<typeof TransitionBody>) {
      const principal = c.get('principal');
      // The photo key is only ever set from an uploaded file (takeHazardPhoto): a client-chosen key
      // could attach a photo the unit saw on another hazard.
      const { action, photo: _photo, location: rawPlace, ...input } = body;
      // A fix report may say where the unit stood (stored in the move's own batch); no other move takes a place.
      const place = parseLocation(rawPlace);
      if (rawPlace !== undefined && rawPlace !== null && action && !FIX_ACTIONS.includes(action)) throw validationFailed([{ field: 'location', message: LOCATION_MESSAGES.action }]);
      if (place.errors.length) throw validationFailed(place.errors);
      // By id, the move's reads were started with the sign-in check: the transition checks that the hazard
      // exists and that a unit may see it. By number, it is found first.
      const reads = readStartedAlongsideAuth<TransitionReads>(c, 'transition');
      const read = reads && (await reads);
      const row = read ? read.hazard : role === 'unit' ? await findVisibleHazard(deps, principal, c.req.param('id')!) : await findHazard(deps, c.req.param('id')!);
      if (!action) {
        if (!row || (read && !visibleIn(read, principal))) throw notFound('找不到该隐患');
        throw validationFailed([{ field: 'action', message: '必填' }], '请指定操作（action）', { allowed: allowedActions(row.state, actorsFor(principal, row)) });
      }
      const hazardId = reads ? Number(c.req.param('id')) : row!.id;
      const fixAt = place.location;
      const also = fixAt ? (q: Parameters<NonNullable<TransitionRequest['also']>>[0], at: number) => [locationStatement(q, hazardId, fixAt, 'fix', at)] : undefined;
      const result = await transition(deps, { hazardId, actor: principal, action, input: input as TransitionInput, reads, also });
      return c.json(transitionJson(result));
    };

  /** Starts a move's reads with the sign-in check, when the hazard is named by id and the body is JSON. */
  const transitionReads = readAlongsideAuth('transition', async (c) => {
    const id = c.req.param('id') ?? '';
    if (!/^\d{1,12}$/.test(id)) return null;
    const body = (await c.req.json()) as unknown;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
    const { photo: _photo, location: _place, ...input } = body as Record<string, unknown>;
    return () => readTransitionState(deps.db, Number(id), input as TransitionInput);
  });

  const moveAsAdmin = move('admin');
  const moveAsUnit = move('unit');
  app.post('/api/v1/admin/hazards/:id/transitions', transitionReads, admin, vJson(TransitionBody), (c) => moveAsAdmin(c, c.req.valid('json')));
  app.post('/api/v1/unit/hazards/:id/transitions', transitionReads, unit, vJson(TransitionBody), (c) => moveAsUnit(c, c.req.valid('json')));

  app.get('/api/v1/unit/hazards', unit, async (c) => {
    const principal = c.get('principal');
    const today = shanghaiDay(deps.now());
    const items = await listUnitHazards(deps.db, principal.unitCode, { today, includeClosed: c.req.query('closed') === '1' });
    return c.json({
      unit: principal.unitCode,
      today,
      count: items.length,
      hazards: items.map((h) => ({ ...forReader(principal, h), role: h.leadUnit === principal.unitCode ? 'lead' : 'co-unit' })),
    });
  });

  app.get('/api/v1/unit/hazards/:id', unit, async (c) => c.json(await detailJson(deps, c)));

  // The tipster's callback after close-out: JSON from the API, or the small form on the receipt page.
  // Anyone holding a receipt can post here: cap the body before parsing it.
  app.post('/api/v1/receipts/:receipt/feedback', limitBody(MAX_ANSWERS_BYTES), async (c, next) => {
    const receipt = c.req.param('receipt');
    const type = c.req.header('content-type') ?? '';
    // The receipt page's form answers by redirect; anything else is the JSON API below.
    if (!(type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data'))) return next();
    const form = await c.req.parseBody();
    const fixed = form.fixed === 'yes' || form.fixed === 'true' ? true : form.fixed === 'no' || form.fixed === 'false' ? false : undefined;
    const back = safeBack(typeof form.back === 'string' ? form.back : '', receipt);
    if (fixed === undefined) return c.redirect(`${back}${back.includes('?') ? '&' : '?'}feedback=missing`, 303);
    try {
      await tipsterFeedback(deps, receipt, fixed);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return c.redirect(`${back}${back.includes('?') ? '&' : '?'}feedback=closed`, 303);
      throw err;
    }
    return c.redirect(`${back}${back.includes('?') ? '&' : '?'}feedback=${fixed ? 'fixed' : 'not-fixed'}`, 303);
  }, vJson(FeedbackBody, '请说明是否已整改（fixed: true 或 false）'), async (c) => {
    const { fixed } = c.req.valid('json');
    const result = await tipsterFeedback(deps, c.req.param('receipt'), fixed);
    return c.json({ state: result.state, stateLabel: stateLabel(result.state), fixed });
  });

  // Before the office's pages: /admin/hazards/map is not a hazard id.
  app.route('/', hazardMapPages(deps));
  app.route('/', hazardAdminPages(deps));
  app.route('/', hazardUnitPages(deps));
  app.route('/', hazardPhotoRoutes(deps));
  return app;
}
