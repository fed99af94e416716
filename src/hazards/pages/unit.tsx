// A unit's hazard pages: what it leads or helps with, deadlines first, and the lead unit's actions
// (sign for it, return it with a reason, report it fixed). Another unit's hazard is a 404.
import type { Child } from 'hono/jsx';
import { Hono, type Context } from 'hono';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../auth/codes.ts';
import { requireRole, type AuthEnv } from '../../auth/middleware.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { shanghaiDay } from '../../lib/time.ts';
import { transition, type TransitionResult } from '../service.ts';
import { readTransitionState, visibleIn } from '../transition-reads.ts';
import { findVisibleHazard, forReader, listUnitHazards, unitNames } from '../queries.ts';
import { ACTIONS, allowedActions, type ActionDefinition, type HazardAction } from '../states.ts';
import { categoryLabel } from '../categories.ts';
import { hazardHead, readHazardDetail } from '../detail.ts';
import { PartsTable } from './parts.tsx';
import { hazardPhotoStore, takeHazardPhoto, PHOTO_BODY_LIMIT } from './photos.tsx';
import { ActionForms, FieldErrors, formInput, HazardLayout, HazardSummary, HazardTable, HistoryTable, LeadPhoto } from './views.tsx';
import { SubmitButton } from '../../web/components.tsx';
import { SignOutButton } from '../../auth/routes.tsx';
import { locationStatement } from '../location-store.ts';
import { FIX_ACTIONS, locationFromForm } from '../location.ts';
import { LocationField } from '../../web/location.tsx';
import { HazardPlaces } from './location.tsx';

const FIX_PURPOSE = '可选：在整改现场点“使用我的位置”，区综治办核查时可以在地图上找到这里。不用位置也可以报告。';

const HOME = '/unit/hazards';

function Who(props: { principal: Principal; names: Map<string, string> }) {
  return (
    <>
      {props.names.get(props.principal.unitCode) ?? props.principal.unitCode} · <a href="/unit">工作台</a> · <SignOutButton />
    </>
  );
}

/** Actions with no fields can be done from the list with one button (e.g. 签收). */
const oneClick = (a: HazardAction) => {
  const def: ActionDefinition = ACTIONS[a];
  return def.requires.length === 0;
};

async function renderDetail(
  deps: Deps,
  c: Context<AuthEnv>,
  id: string,
  extra: { error?: string; failed?: string; values?: Record<string, string | string[]>; done?: string } = {},
  status = 200,
) {
  const principal = c.get('principal');
  const head = await hazardHead(deps, c, id);
  const { row } = head;
  const today = shanghaiDay(deps.now());
  const detail = await readHazardDetail(deps, principal, head, today, { duplicates: false });
  const { names, places, parts, allowed } = detail;
  const view = forReader(principal, detail.view);
  const history = detail.history.map((e) => forReader(principal, e));
  const role = row.leadUnitCode === principal.unitCode ? '牵头单位' : '配合单位';
  return c.html(
    <HazardLayout title={`隐患 ${row.number}`} heading="本单位隐患" home={HOME} who={<Who principal={principal} names={names} />}>
      <p>
        <a href={HOME}>← 返回本单位隐患</a>
      </p>
      <h1>
        {row.number} {categoryLabel(row.category)}
      </h1>
      <p class="muted">本单位为{role}。</p>
      {extra.done ? (
        <div class="ok" role="status">
          已完成：{extra.done}
        </div>
      ) : null}
      <FieldErrors message={extra.error} />
      <LeadPhoto events={history} hazardId={row.id} />
      <HazardSummary h={view} today={today} names={names} />
      <HazardPlaces {...places} />
      <PartsTable parts={parts.map((p) => forReader(principal, p))} names={names} />
      <div class="card">
        <h2>办理</h2>
        {role === '配合单位' ? <p class="muted">配合单位签收本单位承担的部分，报告进展和完成情况；隐患的签收、整改完成由牵头单位报告。</p> : null}
        <ActionForms actions={allowed} postTo={`${HOME}/${row.id}/transitions`} units={[]} current={view} today={today} values={extra.values} failed={extra.failed}
          extra={Object.fromEntries(FIX_ACTIONS.map((a) => [a, <LocationField purpose={FIX_PURPOSE} />])) as Partial<Record<HazardAction, Child>>}
        />
      </div>
      <h2>办理记录</h2>
      <HistoryTable events={history} hazardId={row.id} />
    </HazardLayout>,
    status as 200,
  );
}

export function hazardUnitPages(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const unit = requireRole(deps, ['unit']);

  app.get(HOME, unit, async (c) => {
    const principal = c.get('principal');
    const today = shanghaiDay(deps.now());
    const showClosed = c.req.query('closed') === '1';
    const [all, names] = await Promise.all([listUnitHazards(deps.db, principal.unitCode, { today, includeClosed: showClosed }), unitNames(deps.db)]);
    const items = all.map((h) => forReader(principal, h));
    const lead = items.filter((h) => h.leadUnit === principal.unitCode);
    const helping = items.filter((h) => h.leadUnit !== principal.unitCode);
    const overdue = lead.filter((h) => h.overdue).length;
    return c.html(
      <HazardLayout title="本单位隐患" heading="本单位隐患" home={HOME} who={<Who principal={principal} names={names} />}>
        <h1>本单位隐患</h1>
        {c.req.query('returned') ? (
          <div class="ok" role="status">
            已将该隐患退回区综治办。
          </div>
        ) : null}
        {overdue ? (
          <div class="alert" role="alert">
            有 {overdue} 条隐患已超过整改期限，请尽快整改并报告。
          </div>
        ) : null}
        <p>
          {showClosed ? <a href={HOME}>只看未办结</a> : <a href={`${HOME}?closed=1`}>包括已办结</a>}
        </p>
        <h2>牵头整改（{lead.length}）</h2>
        <HazardTable items={lead} today={today} hrefBase={HOME} empty="目前没有交办给本单位牵头的隐患。" showLead={false} />
        {lead.some((h) => allowedActions(h.state, ['lead']).some(oneClick)) ? (
          <div class="card noprint">
            <h3>待签收</h3>
            {lead
              .filter((h) => allowedActions(h.state, ['lead']).some(oneClick))
              .map((h) => (
                <form method="post" action={`${HOME}/${h.id}/transitions`} class="row">
                  <input type="hidden" name="action" value={allowedActions(h.state, ['lead']).find(oneClick)} />
                  <span>
                    {h.number} {h.place}
                  </span>
                  <SubmitButton>{ACTIONS[allowedActions(h.state, ['lead']).find(oneClick)!].label}</SubmitButton>
                  <a href={`${HOME}/${h.id}`}>退单或查看</a>
                </form>
              ))}
          </div>
        ) : null}
        <h2>配合整改（{helping.length}）</h2>
        <HazardTable items={helping} today={today} hrefBase={HOME} empty="目前没有需要本单位配合的隐患。" />
      </HazardLayout>,
    );
  });

  app.get(`${HOME}/:id`, unit, async (c) => {
    const done = c.req.query('done');
    const label = done && Object.hasOwn(ACTIONS, done) ? ACTIONS[done as HazardAction].label : undefined;
    return renderDetail(deps, c, c.req.param('id'), { done: label });
  });

  app.post(`${HOME}/:id/transitions`, unit, PHOTO_BODY_LIMIT, async (c) => {
    const principal = c.get('principal');
    const body = await c.req.parseBody({ all: true });
    const { action, input, values } = formInput(body);
    // The move's reads find the hazard too (one round trip): a unit that neither leads nor helps with it gets 404.
    const param = c.req.param('id');
    const reads = /^\d{1,12}$/.test(param) ? await readTransitionState(deps.db, Number(param), input) : null;
    const row = reads ? reads.hazard : await findVisibleHazard(deps, principal, param);
    if (!row || (reads && !visibleIn(reads, principal))) throw notFound('找不到该隐患');
    // Where the fix was reported from, when the unit chose to give it: stored in the move's own batch.
    const place = FIX_ACTIONS.includes(action) ? locationFromForm(body as Record<string, unknown>) : { errors: [] };
    if (place.errors.length) return renderDetail(deps, c, String(row.id), { error: place.errors[0]!.message, failed: action, values }, 422);
    const fixAt = place.location;
    let photo: string | undefined;
    let result: TransitionResult;
    try {
      photo = await takeHazardPhoto(deps, body);
      if (photo) input.photo = photo;
      result = await transition(deps, {
        hazardId: row.id,
        actor: principal,
        action,
        input,
        reads: reads ?? undefined,
        also: fixAt ? (q, at) => [locationStatement(q, row.id, fixAt, 'fix', at)] : undefined,
      });
    } catch (err) {
      // The move did not happen: its evidence photo would be an orphan.
      if (photo) await hazardPhotoStore(deps).delete?.(photo);
      if (err instanceof AppError && err.status !== 404) {
        return renderDetail(deps, c, String(row.id), { error: err.message, failed: action, values }, err.status);
      }
      throw err;
    }
    // A returned hazard is no longer the unit's: back to its list.
    if ((ACTIONS[result.action] as ActionDefinition).releasesLead) return c.redirect(`${HOME}?returned=${encodeURIComponent(row.number)}`, 303);
    return c.redirect(`${HOME}/${row.id}?done=${encodeURIComponent(action)}`, 303);
  });

  return app;
}
