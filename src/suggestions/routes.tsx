// The office's suggestion pages and reply API (R9): the list, one suggestion with the deputy's contact and the
// reply form, and POST /api/v1/admin/suggestions/:id/replies. Leaders read; only the office answers.
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { AppError, notFound, type FieldError } from '../lib/errors.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { formatShanghai } from '../lib/time.ts';
import { Layout } from '../web/layout.tsx';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { maskDigits, maskName, maskPhone } from '../forms/personal.ts';
import { findSuggestion, listSuggestions, MAX_NOTE_LENGTH, replyToSuggestion, STATUS_LABELS, suggestionDetail } from './service.ts';
import { SignOutButton } from '../auth/routes.tsx';
import { shanghaiDay } from '../lib/time.ts';
import { forwardsOf, officeTransition } from './routing.ts';
import { failureOf, ForwardsCard, suggestionRoutingRoutes, type ForwardFailure } from './routing-routes.tsx';

const HOME = '/admin/suggestions';
function Page(props: { title: string; role: string; children?: Child }) {
  return (
    <Layout title={props.title} heading="代表委员建议" headingHref={HOME} wide staff>
      <p class="who">
        区综治办{props.role === 'leader' ? '（领导只读）' : ''} · <a href="/admin">返回工作台</a> · <SignOutButton />
      </p>
      {props.children}
    </Layout>
  );
}

function Pill(props: { status: keyof typeof STATUS_LABELS }) {
  return <span class={`pill${props.status === 'answered' ? ' answered' : ''}`}>{STATUS_LABELS[props.status]}</span>;
}

async function renderDetail(
  deps: Deps,
  c: Context<AuthEnv>,
  id: string,
  extra: { errors?: FieldError[]; values?: { status?: string; note?: string }; done?: boolean; forward?: ForwardFailure } = {},
  status = 200,
) {
  const principal = c.get('principal');
  const today = shanghaiDay(deps.now());
  // The suggestion and its forwards are read together (one round trip); an id that names none is a 404 from the first.
  const [detail, forwards] = await Promise.all([suggestionDetail(deps, id), /^\d{1,12}$/.test(id) ? forwardsOf(deps, Number(id), today) : Promise.resolve([])]);
  const err = (field: string) => extra.errors?.find((e) => e.field === field)?.message;
  const answered = detail.status === 'answered';
  // Personal data is the office's alone: leaders read the suggestion but see the deputy's contact masked.
  const isOffice = principal.role === 'admin';
  // Leaders read the suggestion with any phone or ID number typed into it masked, and without the deputy's receipt.
  const s = isOffice ? detail : { ...detail, subject: maskDigits(detail.subject), suggestion: maskDigits(detail.suggestion), receipt: '（仅区综治办可见）' };
  const name = isOffice ? s.name : maskName(s.name);
  const phone = isOffice ? s.phone : maskPhone(s.phone);
  const chosen = extra.values?.status ?? (answered ? 'answered' : s.status === 'received' ? 'in_progress' : 'answered');
  return c.html(
    <Page title={`建议：${s.subject}`} role={principal.role}>
      <p>
        <a href={HOME}>← 返回建议列表</a>
      </p>
      <h1>{s.subject}</h1>
      {extra.done ? (
        <div class="ok" role="status">
          已保存，代表委员凭回执码即可看到。
        </div>
      ) : null}
      {extra.errors?.length ? (
        <div class="alert" role="alert">
          <p>有 {extra.errors.length} 处需要修改：</p>
          <ul>
            {extra.errors.map((e) => (
              <li>
                <a href={`#r-${e.field}`}>{e.message}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="card">
        <dl class="kv">
          <dt>办理状态</dt>
          <dd>
            <Pill status={s.status} />
          </dd>
          <dt>提交时间</dt>
          <dd>{formatShanghai(s.createdAt)}</dd>
          <dt>回执码</dt>
          <dd>{s.receipt}</dd>
          <dt>身份</dt>
          <dd>{s.identity}</dd>
          <dt>代表团/界别</dt>
          <dd>{s.delegation}</dd>
          <dt>姓名</dt>
          <dd>{name}</dd>
          <dt>联系电话</dt>
          <dd>{phone}</dd>
          <dt>涉及部门</dt>
          <dd>{s.department || '未选，由区综治办确定'}</dd>
        </dl>
        <h2>建议内容</h2>
        <p class="text">{s.suggestion}</p>
        <p class="help">
          {isOffice ? '姓名和联系电话只在本页显示，不会出现在回执、汇总表或导出中。' : '姓名和联系电话已隐去，完整联系方式仅区综治办可见。'}
        </p>
        {isOffice && (name || phone) ? (
          <form method="post" action={`/admin/records/${s.id}/forget-contact`} class="noprint">
            <SubmitButton secondary>应本人要求删除姓名和联系电话</SubmitButton>
            <span class="help">建议内容和答复保留；删除记入操作记录，不能撤销。</span>
          </form>
        ) : null}
      </div>
      <ForwardsCard id={s.id} forwards={isOffice ? forwards : forwards.map((f) => ({ ...f, draft: f.draft && maskDigits(f.draft) }))} office={isOffice} today={today} failed={extra.forward} />
      <h2>办理记录</h2>
      <DataTable head={['时间', '状态', '答复（代表委员可见）', '答复单位']}>
        <tr>
          <td>{formatShanghai(s.createdAt)}</td>
          <td>{STATUS_LABELS.received}</td>
          <td></td>
          <td></td>
        </tr>
        {s.replies.map((r) => (
          <tr>
            <td>{formatShanghai(r.at)}</td>
            <td>{STATUS_LABELS[r.status]}</td>
            <td class="text">{r.note ?? ''}</td>
            <td>{r.unitName ?? r.unitCode}</td>
          </tr>
        ))}
      </DataTable>
      {principal.role === 'admin' ? (
        <form class="card" method="post" action={`${HOME}/${s.id}/replies`}>
          <h2>{answered ? '补充答复' : '办理与答复'}</h2>
          <fieldset class={err('status') ? 'invalid' : undefined} id="r-status">
            <legend>
              办理状态 <span class="req">*</span>
            </legend>
            {err('status') ? <p class="err">{err('status')}</p> : null}
            {answered ? null : (
              <label class="opt">
                <input type="radio" name="status" value="in_progress" checked={chosen === 'in_progress'} /> 办理中（已交有关部门办理）
              </label>
            )}
            <label class="opt">
              <input type="radio" name="status" value="answered" checked={chosen === 'answered'} /> 已答复
            </label>
          </fieldset>
          <div class={err('note') ? 'invalid' : undefined}>
            <label for="r-note">答复内容（“已答复”时必填）</label>
            <p class="help" id="r-note-help">
              代表委员凭回执码可以看到这段文字，也会写入汇总表。请勿填写个人姓名、电话等信息。最多 {MAX_NOTE_LENGTH} 字。
            </p>
            {err('note') ? (
              <p class="err" id="r-note-err">
                {err('note')}
              </p>
            ) : null}
            <textarea id="r-note" name="note" maxlength={MAX_NOTE_LENGTH} aria-describedby={err('note') ? 'r-note-help r-note-err' : 'r-note-help'}>
              {extra.values?.note ?? ''}
            </textarea>
          </div>
          <p>
            <SubmitButton>保存</SubmitButton>
          </p>
        </form>
      ) : null}
    </Page>,
    status as 200,
  );
}

export function suggestionRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['admin', 'leader']);
  const admin = requireRole(deps, ['admin']);

  app.get(HOME, readers, async (c) => {
    const unanswered = c.req.query('filter') === 'unanswered';
    const items = await listSuggestions(deps, { unanswered });
    return c.html(
      <Page title="代表委员建议" role={c.get('principal').role}>
        <h1>“两代表一委员”意见建议</h1>
        <nav class="tabs" aria-label="筛选">
          <a href={HOME} aria-current={unanswered ? undefined : 'page'}>
            全部
          </a>
          <a href={`${HOME}?filter=unanswered`} aria-current={unanswered ? 'page' : undefined}>
            未答复
          </a>
        </nav>
        <p class="muted">共 {items.length} 条，最新的在前。</p>
        {items.length ? (
          <DataTable head={['提交日期', '身份', '代表团/界别', '题目', '涉及部门', '状态', '最后办理']}>
            {items.map((i) => (
              <tr>
                <td>{i.day}</td>
                <td>{i.identity}</td>
                <td>{i.delegation}</td>
                <td>
                  <a href={`${HOME}/${i.id}`}>{c.get('principal').role === 'admin' ? i.subject : maskDigits(i.subject)}</a>
                </td>
                <td>{i.department}</td>
                <td>
                  <Pill status={i.status} />
                </td>
                <td>{i.lastReplyAt ? formatShanghai(i.lastReplyAt) : ''}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p class="card">{unanswered ? '没有未答复的建议。' : '还没有收到建议。'}</p>
        )}
      </Page>,
    );
  });

  app.get(`${HOME}/:id`, readers, async (c) => renderDetail(deps, c, c.req.param('id'), { done: c.req.query('done') === '1' }));

  app.post(`${HOME}/:id/replies`, admin, async (c) => {
    const id = c.req.param('id');
    const body = await c.req.parseBody();
    const values = { status: typeof body.status === 'string' ? body.status : undefined, note: typeof body.note === 'string' ? body.note : undefined };
    try {
      const { id: sid } = await findSuggestion(deps, id);
      await replyToSuggestion(deps, { submissionId: sid, principal: c.get('principal'), status: values.status, note: values.note });
      return c.redirect(`${HOME}/${sid}?done=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) {
        return renderDetail(deps, c, id, { errors: err.details?.errors as FieldError[], values }, 422);
      }
      throw err;
    }
  });

  // Forward, approve or return: a refused move shows the page again, its error beside the field, what was typed kept.
  app.post(`${HOME}/:id/transitions`, admin, async (c) => {
    const id = c.req.param('id');
    const form = await c.req.parseBody();
    const body = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));
    try {
      await officeTransition(deps, id, body);
      return c.redirect(`${HOME}/${encodeURIComponent(id)}?done=1`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw err;
      const forward = failureOf(err, body);
      return renderDetail(deps, c, id, { forward }, (err as AppError).status);
    }
  });

  app.post(`/api/v1/admin/suggestions/:id/replies`, admin, vJson(JSON_OBJECT), async (c) => {
    const id = c.req.param('id');
    if (!/^\d{1,12}$/.test(id)) throw notFound('找不到这条建议');
    const b = c.req.valid('json');
    const reply = await replyToSuggestion(deps, { submissionId: Number(id), principal: c.get('principal'), status: b.status, note: b.note });
    return c.json({ id: reply.id, submissionId: reply.submissionId, status: reply.status, statusLabel: STATUS_LABELS[reply.status], note: reply.note, at: new Date(reply.at).toISOString() }, 201);
  });

  app.route('/', suggestionRoutingRoutes(deps));

  return app;
}
