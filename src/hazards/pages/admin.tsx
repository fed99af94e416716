// The district office's hazard pages: triage queue, supervision list (overdue first), one hazard with
// its history, duplicate candidates and the forms for assign / merge / close out / send back.
import { Hono, type Context } from 'hono';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../../deps.ts';
import { units } from '../../db/schema.ts';
import type { Principal } from '../../auth/codes.ts';
import { requireRole, type AuthEnv } from '../../auth/middleware.ts';
import { AppError } from '../../lib/errors.ts';
import { shanghaiDay } from '../../lib/time.ts';
import { transition } from '../service.ts';
import { hazardHead, readHazardDetail } from '../detail.ts';
import { PartsTable } from './parts.tsx';
import { findHazard, forReader, isStatusFilter, listHazards, STATUS_FILTERS, type StatusFilter } from '../queries.ts';
import { awaitsOffice, type HazardAction } from '../states.ts';
import { categoryLabel } from '../categories.ts';
import { hazardPhotoStore, takeHazardPhoto, PHOTO_BODY_LIMIT } from './photos.tsx';
import { ActionForms, FieldErrors, formInput, HazardLayout, HazardSummary, HazardTable, HistoryTable, LeadPhoto, StatePill, type UnitOption } from './views.tsx';
import { DataTable, SubmitButton } from '../../web/components.tsx';
import { SignOutButton } from '../../auth/routes.tsx';
import { distanceNote, HazardPlaces } from './location.tsx';

const HOME = '/admin/hazards';
const TABS: { status: StatusFilter; label: string }[] = [
  { status: 'triage', label: '待处理（分办 / 核查）' },
  { status: 'fixed_reported', label: '待核查销号' },
  { status: 'open', label: '督办中（逾期在前）' },
  { status: 'overdue', label: '已逾期' },
  { status: 'closed', label: '已办结' },
  { status: 'all', label: '全部' },
];

/** Units that can lead or help: towns, sub-districts and departments (they hold access codes). */
export async function leadUnitOptions(deps: Deps): Promise<UnitOption[]> {
  return deps.db
    .select({ code: units.code, name: units.name, kind: units.kind })
    .from(units)
    .where(and(inArray(units.kind, ['subdistrict', 'town', 'department']), eq(units.active, true)))
    .orderBy(asc(units.kind), asc(units.code));
}

function Who(props: { principal: Principal }) {
  return (
    <>
      区综治办{props.principal.role === 'leader' ? '（领导只读）' : ''} · <a href="/admin">工作台</a> ·{' '}
      {props.principal.role === 'admin' ? (
        <>
          <a href="/admin/access">访问码管理</a> ·{' '}
        </>
      ) : null}
      <SignOutButton />
    </>
  );
}

async function renderDetail(
  deps: Deps,
  c: Context<AuthEnv>,
  id: string,
  extra: { error?: string; errors?: { field: string; message: string }[]; failed?: string; values?: Record<string, string | string[]>; done?: string } = {},
  status = 200,
) {
  const principal = c.get('principal');
  const head = await hazardHead(deps, c, id);
  const { row } = head;
  const today = shanghaiDay(deps.now());
  const [detail, unitOptions, reportedIn] = await Promise.all([
    readHazardDetail(deps, principal, head, today, { duplicates: awaitsOffice(row.state) }),
    leadUnitOptions(deps),
    row.reportedUnitCode ? deps.db.select({ code: units.code, parent: units.parentCode, kind: units.kind }).from(units).where(eq(units.code, row.reportedUnitCode)) : Promise.resolve([]),
  ]);
  const { names, places } = detail;
  // The town or sub-district the tip came from: the village's parent, or the unit itself.
  const ownTown = reportedIn[0] ? (reportedIn[0].kind === 'village' || reportedIn[0].kind === 'community' ? reportedIn[0].parent : reportedIn[0].code) : null;
  const view = forReader(principal, detail.view);
  const history = detail.history.map((e) => forReader(principal, e));
  const duplicates = detail.duplicates.map((d) => forReader(principal, d));
  const allowed: HazardAction[] = principal.role === 'admin' ? detail.allowed : [];
  const post = `${HOME}/${row.id}/transitions`;
  return c.html(
    <HazardLayout title={`隐患 ${row.number}`} heading="隐患督办" home={HOME} who={<Who principal={principal} />}>
      <p>
        <a href={HOME}>← 返回隐患列表</a>
      </p>
      <h1>
        {row.number} {categoryLabel(row.category)}
      </h1>
      {extra.done ? (
        <div class="ok" role="status">
          已完成：{extra.done}
        </div>
      ) : null}
      <FieldErrors message={extra.error} errors={extra.errors} />
      <LeadPhoto events={history} hazardId={row.id} />
      <HazardSummary h={view!} today={today} names={names} />
      {principal.role === 'admin' ? <HazardPlaces {...places} /> : null}
      <PartsTable parts={detail.parts.map((p) => forReader(principal, p))} names={names} />
      {duplicates.length ? (
        <div class="card">
          <h2>可能重复的反映（同一类别、前后 7 天内，地点相同或相距 200 米内）</h2>
          <DataTable>
            {duplicates.map((d) => (
              <tr>
                <td>
                  <a href={`${HOME}/${d.id}`}>{d.number}</a>
                </td>
                <td>
                  {d.place}
                  {distanceNote(d)}
                </td>
                <td>
                  <StatePill h={d} />
                </td>
                <td class="num">反映 {d.reportCount} 次</td>
                <td>
                  {allowed.includes('duplicate') ? (
                    <form method="post" action={post}>
                      <input type="hidden" name="action" value="duplicate" />
                      <input type="hidden" name="duplicateOf" value={String(d.id)} />
                      <SubmitButton secondary>本条并入 {d.number}</SubmitButton>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      ) : null}
      {principal.role === 'admin' ? (
        <div class="card">
          <h2>办理</h2>
          <ActionForms actions={allowed} postTo={post} units={unitOptions} current={view!} today={today} values={extra.values} failed={extra.failed} ownTown={ownTown} />
        </div>
      ) : null}
      <h2>办理记录</h2>
      <HistoryTable events={history} hazardId={row.id} />
    </HazardLayout>,
    status as 200,
  );
}

export function hazardAdminPages(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['admin', 'leader']);
  const admin = requireRole(deps, ['admin']);

  app.get(HOME, readers, async (c) => {
    const raw = c.req.query('status') || 'triage';
    const status: StatusFilter = isStatusFilter(raw) ? raw : 'triage';
    const today = shanghaiDay(deps.now());
    const items = (await listHazards(deps.db, { status, today, limit: 500 })).map((h) => forReader(c.get('principal'), h));
    const tabLabel = TABS.find((t) => t.status === status)?.label ?? STATUS_FILTERS[status as keyof typeof STATUS_FILTERS]?.label ?? status;
    return c.html(
      <HazardLayout title="隐患督办" heading="隐患督办" home={HOME} who={<Who principal={c.get('principal')} />}>
        <h1>隐患督办</h1>
        <nav class="tabs" aria-label="筛选">
          {TABS.map((t) => (
            <a href={`${HOME}?status=${t.status}`} aria-current={t.status === status ? 'page' : undefined}>
              {t.label}
            </a>
          ))}
        </nav>
        <p class="muted">
          {tabLabel}：{items.length} 条。逾期的排在最前（按逾期天数），其次是被多次反映的。 <a href={`${HOME}/map`}>未办结隐患分布图</a>
        </p>
        <HazardTable items={items} today={today} hrefBase={HOME} empty="没有符合条件的隐患。" />
      </HazardLayout>,
    );
  });

  app.get(`${HOME}/:id`, readers, async (c) => {
    const done = c.req.query('done');
    return renderDetail(deps, c, c.req.param('id'), { done: done ? doneLabel(done) : undefined });
  });

  app.post(`${HOME}/:id/transitions`, admin, PHOTO_BODY_LIMIT, async (c) => {
    const row = await findHazard(deps, c.req.param('id'));
    const body = await c.req.parseBody({ all: true });
    const { action, input, values } = formInput(body);
    let photo: string | undefined;
    try {
      photo = await takeHazardPhoto(deps, body);
      if (photo) input.photo = photo;
      await transition(deps, { hazardId: row.id, actor: c.get('principal'), action, input });
    } catch (err) {
      // The move did not happen: its evidence photo would be an orphan.
      if (photo) await hazardPhotoStore(deps).delete?.(photo);
      if (err instanceof AppError && err.status !== 404) {
        const errors = (err.details?.errors as { field: string; message: string }[] | undefined) ?? undefined;
        return renderDetail(deps, c, String(row.id), { error: err.message, errors, failed: action, values }, err.status);
      }
      throw err;
    }
    return c.redirect(`${HOME}/${row.id}?done=${encodeURIComponent(action)}`, 303);
  });

  return app;
}

function doneLabel(action: string): string | undefined {
  const labels: Record<string, string> = {
    assign: '已交办',
    reassign: '已改派',
    reject: '已退回整改',
    close: '已销号',
    fix_on_spot: '已登记现场整改',
    duplicate: '已合并',
    not_a_hazard: '已登记为不属于隐患',
  };
  return Object.hasOwn(labels, action) ? labels[action] : undefined;
}
