// Suggestions routed to departments over HTTP: the office forwards and decides (API and its detail page's
// card), a department lists what was forwarded to it and drafts its answer (API and /unit/suggestions).
import { Hono, type Context } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { shanghaiDay } from '../lib/time.ts';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { PortalLayout } from '../unit/layout.tsx';
import { getUnit } from '../unit/roster/roster.ts';
import { MAX_NOTE_LENGTH } from './service.ts';
import { FORWARD_STATE_LABELS, listForwards, officeTransition, unitTransition, type ForwardView } from './routing.ts';

const UNIT_HOME = '/unit/suggestions';

/** A move the service refused, shown again on its page: the action, the share it was about, what was wrong and what was typed. */
export interface ForwardFailure {
  action: string;
  unit: string;
  /** Field errors (422), or one error under `action` for a state conflict (409). */
  errors: FieldError[];
  values: Record<string, string>;
}

/** A refused service call as a failure to show beside its fields; anything else is rethrown. */
export function failureOf(err: unknown, body: Record<string, string>): ForwardFailure {
  if (!(err instanceof AppError) || (err.status !== 422 && err.status !== 409)) throw err;
  const fields = err.status === 422 ? (err.details?.errors as FieldError[] | undefined) : undefined;
  return { action: body.action ?? '', unit: body.unit ?? '', errors: fields?.length ? fields : [{ field: 'action', message: err.message }], values: body };
}

function Err(props: { id: string; message?: string }) {
  return props.message ? (
    <p class="err" id={props.id}>
      {props.message}
    </p>
  ) : null;
}

/** The office's card on a suggestion's page: each department's share, its draft to approve or return, and the forward form. */
export function ForwardsCard(props: { id: number; forwards: ForwardView[]; office: boolean; today: string; failed?: ForwardFailure }) {
  const post = `/admin/suggestions/${props.id}/transitions`;
  const failed = props.failed;
  const forwardFailed = failed?.action === 'forward' ? failed : undefined;
  const fwErr = (field: string) => forwardFailed?.errors.find((e) => e.field === field)?.message;
  // A decision on a share: its errors stay with that share's row, or above the table when no row is the share's.
  const rowFailed = failed && failed.action !== 'forward' && props.forwards.some((f) => f.unit === failed.unit) ? failed : undefined;
  const rowErr = (unit: string, field: string) => (rowFailed?.unit === unit ? rowFailed.errors.find((e) => e.field === field)?.message : undefined);
  const loose = failed && !forwardFailed && !rowFailed ? failed : undefined;
  return (
    <div class="card" id="forwards">
      <h2>转办部门答复</h2>
      {failed ? (
        <div class="alert" role="alert">
          <p>未能保存，有 {failed.errors.length} 处需要处理：</p>
          <ul>
            {failed.errors.map((e) => (
              <li>{loose ? e.message : <a href={`#${forwardFailed ? `fw-${e.field}` : `sh-${failed.unit}-${e.field}`}`}>{e.message}</a>}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.forwards.length ? (
        <DataTable head={['承办单位', '答复期限', '状态', '拟答复', '']}>
          {props.forwards.map((f) => {
            const reasonErr = rowErr(f.unit, 'reason');
            const kept = rowFailed?.unit === f.unit && rowFailed.action === 'return' ? (rowFailed.values.reason ?? '') : '';
            return (
              <tr>
                <td>{f.unitName}</td>
                <td>
                  {f.deadline}
                  {f.overdue ? <span class="pill overdue"> 已逾期</span> : null}
                </td>
                <td>{f.stateLabel}</td>
                <td class="text">
                  {f.draft ?? ''}
                  {f.reason ? <p class="muted">退回原因：{f.reason}</p> : null}
                </td>
                <td>
                  <Err id={`sh-${f.unit}-action`} message={rowErr(f.unit, 'action') ?? rowErr(f.unit, 'unit')} />
                  {props.office && f.state === 'drafted' ? (
                    <>
                      <form method="post" action={post}>
                        <input type="hidden" name="action" value="approve" />
                        <input type="hidden" name="unit" value={f.unit} />
                        <SubmitButton>审核通过，答复代表委员</SubmitButton>
                      </form>
                      <form method="post" action={post} class={reasonErr ? 'invalid' : undefined}>
                        <input type="hidden" name="action" value="return" />
                        <input type="hidden" name="unit" value={f.unit} />
                        <label for={`sh-${f.unit}-reason`}>退回原因</label>
                        <Err id={`sh-${f.unit}-reason-err`} message={reasonErr} />
                        <input
                          id={`sh-${f.unit}-reason`}
                          name="reason"
                          maxlength={MAX_NOTE_LENGTH}
                          required
                          value={kept}
                          aria-invalid={reasonErr ? 'true' : undefined}
                          aria-describedby={reasonErr ? `sh-${f.unit}-reason-err` : undefined}
                        />
                        <SubmitButton secondary>退回修改</SubmitButton>
                      </form>
                    </>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : (
        <p class="muted">尚未转办。</p>
      )}
      {props.office ? (
        <form method="post" action={post} id="fw">
          <input type="hidden" name="action" value="forward" />
          <Err id="fw-action" message={fwErr('action')} />
          <div class={fwErr('units') ? 'invalid' : undefined}>
            <label for="fw-units">承办单位代码（可填多个，用逗号分隔）</label>
            <Err id="fw-units-err" message={fwErr('units')} />
            <input id="fw-units" name="units" required value={forwardFailed?.values.units ?? ''} aria-invalid={fwErr('units') ? 'true' : undefined} aria-describedby={fwErr('units') ? 'fw-units-err' : undefined} />
          </div>
          <div class={fwErr('deadline') ? 'invalid' : undefined}>
            <label for="fw-deadline">答复期限</label>
            <Err id="fw-deadline-err" message={fwErr('deadline')} />
            <input
              type="date"
              id="fw-deadline"
              name="deadline"
              min={props.today}
              required
              value={forwardFailed?.values.deadline ?? ''}
              aria-invalid={fwErr('deadline') ? 'true' : undefined}
              aria-describedby={fwErr('deadline') ? 'fw-deadline-err' : undefined}
            />
          </div>
          <SubmitButton>转办</SubmitButton>
        </form>
      ) : null}
    </div>
  );
}

export function suggestionRoutingRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['admin', 'leader']);
  const admin = requireRole(deps, ['admin']);
  const unit = requireRole(deps, ['unit']);
  const today = () => shanghaiDay(deps.now());

  app.post('/api/v1/admin/suggestions/:id/transitions', admin, vJson(JSON_OBJECT), async (c) => c.json(await officeTransition(deps, c.req.param('id'), c.req.valid('json'))));

  app.get('/api/v1/admin/suggestion-forwards', readers, async (c) => {
    const items = await listForwards(deps, { today: today(), overdueOnly: c.req.query('overdue') === '1', office: c.get('principal').role === 'admin' });
    return c.json({ today: today(), count: items.length, overdue: items.filter((i) => i.overdue).length, forwards: items });
  });

  app.get('/api/v1/unit/suggestions', unit, async (c) => {
    const items = await listForwards(deps, { unit: c.get('principal').unitCode, today: today(), office: false });
    return c.json({ today: today(), count: items.length, suggestions: items });
  });

  app.post('/api/v1/unit/suggestions/:id/transitions', unit, vJson(JSON_OBJECT), async (c) =>
    c.json(await unitTransition(deps, c.get('principal'), c.req.param('id'), c.req.valid('json'))),
  );

  /** The department's page: what was forwarded to it; a refused answer comes back beside its text, as typed. */
  async function unitPage(c: Context<AuthEnv>, failed?: { id: number; message: string; text: string }, status: 200 | 409 | 422 = 200) {
    const principal = c.get('principal');
    // The unit came with the session; its forwards are the page's one read.
    const [info, items] = await Promise.all([
      principal.unit ?? getUnit(deps.db, principal.unitCode),
      listForwards(deps, { unit: principal.unitCode, today: today(), office: false }),
    ]);
    return c.html(
      <PortalLayout title="代表委员建议" principal={principal} unitName={info?.name ?? principal.unitCode} unitCode={principal.unitCode} current={UNIT_HOME}>
        <h1>转办本单位的代表委员建议</h1>
        {c.req.query('done') === '1' && !failed ? (
          <div class="ok" role="status">
            已提交，等待区综治办审核。
          </div>
        ) : null}
        {failed ? (
          <div class="alert" role="alert">
            <p>
              未能提交：<a href={`#a-${failed.id}`}>{failed.message}</a>
            </p>
          </div>
        ) : null}
        {items.length ? (
          items.map((i) => {
            const err = failed?.id === i.id ? failed.message : undefined;
            const answerable = i.state === 'forwarded' || i.state === 'returned';
            return (
              <div class="card">
                <h2>{i.subject}</h2>
                <p class="text">{i.suggestion}</p>
                <p>
                  答复期限 {i.deadline}
                  {i.overdue ? <span class="pill overdue"> 已逾期</span> : null} · {FORWARD_STATE_LABELS[i.state]}
                </p>
                {i.reason ? <p class="muted">退回原因：{i.reason}</p> : null}
                {answerable ? (
                  <form method="post" action={`${UNIT_HOME}/${i.id}/answer`} class={err ? 'invalid' : undefined}>
                    <label for={`a-${i.id}`}>拟答复内容（经区综治办审核后答复代表委员）</label>
                    {err ? (
                      <p class="err" id={`a-${i.id}-err`}>
                        {err}
                      </p>
                    ) : null}
                    <textarea id={`a-${i.id}`} name="text" maxlength={MAX_NOTE_LENGTH} required aria-invalid={err ? 'true' : undefined} aria-describedby={err ? `a-${i.id}-err` : undefined}>
                      {err ? failed!.text : (i.draft ?? '')}
                    </textarea>
                    <SubmitButton>提交审核</SubmitButton>
                  </form>
                ) : (
                  <>
                    {err ? (
                      <p class="err" id={`a-${i.id}`}>
                        {err}
                      </p>
                    ) : null}
                    <p class="text">{i.draft ?? ''}</p>
                    {err && failed!.text ? <p class="muted">您刚填写的内容（未保存）：{failed!.text}</p> : null}
                  </>
                )}
              </div>
            );
          })
        ) : (
          <p class="card">没有转办本单位的建议。</p>
        )}
      </PortalLayout>,
      status,
    );
  }

  app.get(UNIT_HOME, unit, async (c) => unitPage(c));

  app.post(`${UNIT_HOME}/:id/answer`, unit, async (c) => {
    const form = await c.req.parseBody();
    const text = typeof form.text === 'string' ? form.text : '';
    try {
      await unitTransition(deps, c.get('principal'), c.req.param('id'), { action: 'answer', text: form.text });
      return c.redirect(`${UNIT_HOME}?done=1`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.status === 422 || err.status === 409)) {
        const message = err.status === 422 ? ((err.details?.errors as FieldError[] | undefined)?.map((e) => e.message).join('；') || err.message) : err.message;
        return unitPage(c, { id: Number(c.req.param('id')), message, text }, err.status);
      }
      throw err;
    }
  });

  return app;
}
