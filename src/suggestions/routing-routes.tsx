// Suggestions routed to departments over HTTP: the office forwards and decides (API and its detail page's
// card), a department lists what was forwarded to it and drafts its answer (API and /unit/suggestions).
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { AppError } from '../lib/errors.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { shanghaiDay } from '../lib/time.ts';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { PortalLayout } from '../unit/layout.tsx';
import { Layout } from '../web/layout.tsx';
import { getUnit } from '../unit/roster/roster.ts';
import { MAX_NOTE_LENGTH } from './service.ts';
import { FORWARD_STATE_LABELS, listForwards, officeTransition, unitTransition, type ForwardView } from './routing.ts';

const UNIT_HOME = '/unit/suggestions';

/** A form post the service refused: the reason in Chinese and the way back (the form's values are short). */
function Refused(props: { message: string; back: string }) {
  return (
    <Layout title="未能保存" heading="代表委员建议" staff>
      <div class="alert" role="alert">
        <p>{props.message}</p>
        {props.back ? (
          <p>
            <a href={props.back}>返回修改</a>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}

/** The office's card on a suggestion's page: each department's share, its draft to approve or return, and the forward form. */
export function ForwardsCard(props: { id: number; forwards: ForwardView[]; office: boolean; today: string }) {
  const post = `/admin/suggestions/${props.id}/transitions`;
  return (
    <div class="card">
      <h2>转办部门答复</h2>
      {props.forwards.length ? (
        <DataTable head={['承办单位', '答复期限', '状态', '拟答复', '']}>
          {props.forwards.map((f) => (
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
                {props.office && f.state === 'drafted' ? (
                  <>
                    <form method="post" action={post}>
                      <input type="hidden" name="action" value="approve" />
                      <input type="hidden" name="unit" value={f.unit} />
                      <SubmitButton>审核通过，答复代表委员</SubmitButton>
                    </form>
                    <form method="post" action={post}>
                      <input type="hidden" name="action" value="return" />
                      <input type="hidden" name="unit" value={f.unit} />
                      <label>
                        退回原因 <input name="reason" maxlength={MAX_NOTE_LENGTH} required />
                      </label>
                      <SubmitButton secondary>退回修改</SubmitButton>
                    </form>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p class="muted">尚未转办。</p>
      )}
      {props.office ? (
        <form method="post" action={post}>
          <input type="hidden" name="action" value="forward" />
          <label>
            承办单位代码（可填多个，用逗号分隔） <input name="units" required />
          </label>
          <label>
            答复期限 <input type="date" name="deadline" min={props.today} required />
          </label>
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

  app.post('/admin/suggestions/:id/transitions', admin, async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    const body = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string'));
    try {
      await officeTransition(deps, id, body);
      return c.redirect(`/admin/suggestions/${encodeURIComponent(id)}?done=1`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.status === 422 || err.status === 409)) return c.html(<Refused message={err.message} back={`/admin/suggestions/${encodeURIComponent(id)}`} />, err.status);
      throw err;
    }
  });

  app.get('/api/v1/unit/suggestions', unit, async (c) => {
    const items = await listForwards(deps, { unit: c.get('principal').unitCode, today: today(), office: false });
    return c.json({ today: today(), count: items.length, suggestions: items });
  });

  app.post('/api/v1/unit/suggestions/:id/transitions', unit, vJson(JSON_OBJECT), async (c) =>
    c.json(await unitTransition(deps, c.get('principal'), c.req.param('id'), c.req.valid('json'))),
  );

  app.get(UNIT_HOME, unit, async (c) => {
    const principal = c.get('principal');
    const info = await getUnit(deps.db, principal.unitCode);
    const items = await listForwards(deps, { unit: principal.unitCode, today: today(), office: false });
    return c.html(
      <PortalLayout title="代表委员建议" principal={principal} unitName={info?.name ?? principal.unitCode} unitCode={principal.unitCode} current={UNIT_HOME}>
        <h1>转办本单位的代表委员建议</h1>
        {c.req.query('done') === '1' ? (
          <div class="ok" role="status">
            已提交，等待区综治办审核。
          </div>
        ) : null}
        {items.length ? (
          items.map((i) => (
            <div class="card">
              <h2>{i.subject}</h2>
              <p class="text">{i.suggestion}</p>
              <p>
                答复期限 {i.deadline}
                {i.overdue ? <span class="pill overdue"> 已逾期</span> : null} · {FORWARD_STATE_LABELS[i.state]}
              </p>
              {i.reason ? <p class="muted">退回原因：{i.reason}</p> : null}
              {i.state === 'forwarded' || i.state === 'returned' ? (
                <form method="post" action={`${UNIT_HOME}/${i.id}/answer`}>
                  <label for={`a-${i.id}`}>拟答复内容（经区综治办审核后答复代表委员）</label>
                  <textarea id={`a-${i.id}`} name="text" maxlength={MAX_NOTE_LENGTH} required>
                    {i.draft ?? ''}
                  </textarea>
                  <SubmitButton>提交审核</SubmitButton>
                </form>
              ) : (
                <p class="text">{i.draft ?? ''}</p>
              )}
            </div>
          ))
        ) : (
          <p class="card">没有转办本单位的建议。</p>
        )}
      </PortalLayout>,
    );
  });

  app.post(`${UNIT_HOME}/:id/answer`, unit, async (c) => {
    const form = await c.req.parseBody();
    try {
      await unitTransition(deps, c.get('principal'), c.req.param('id'), { action: 'answer', text: form.text });
      return c.redirect(`${UNIT_HOME}?done=1`, 303);
    } catch (err) {
      if (err instanceof AppError && (err.status === 422 || err.status === 409)) return c.html(<Refused message={err.message} back={UNIT_HOME} />, err.status);
      throw err;
    }
  });

  return app;
}
