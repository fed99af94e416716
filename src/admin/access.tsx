// The office's page for access codes: issue (shown once), list, revoke.
import { Hono } from 'hono';
import { asc, eq } from 'drizzle-orm';
import * as v from 'valibot';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import { WriteTrustedCache } from '../core/request-memo.ts';
import { issueAccessCode, listAccessCodes, revokeAccessCode, type AccessCodeRow, type IssuedCode } from '../auth/codes.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { listSessions, revokeSession, type SessionRow } from '../auth/sessions.ts';
import { AppError, notFound, validationFailed } from '../lib/errors.ts';
import { formatShanghai } from '../lib/time.ts';
import { vJson } from '../lib/validation.ts';
import { Layout } from '../web/layout.tsx';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { ROLE_LABELS, SignOutButton } from '../auth/routes.tsx';

const KIND_LABELS: Record<string, string> = {
  office: '区综治办',
  town: '镇',
  subdistrict: '街道',
  department: '区级部门',
  station: '派出所',
  village: '村',
  community: '社区',
};

type UnitOption = { code: string; name: string; kind: string };

function SessionsTable(props: { sessions: SessionRow[] }) {
  if (props.sessions.length === 0) return <p class="muted">目前没有已登录的浏览器。</p>;
  return (
    <DataTable head={['访问码编号', '备注', '单位', '权限', '登录时间', '最近活动', '最迟失效', '']}>
      {props.sessions.map((s) => (
        <tr>
          <td>{s.codeId}</td>
          <td>{s.label || '—'}</td>
          <td>{s.unitName}</td>
          <td>{ROLE_LABELS[s.role]}</td>
          <td>{formatShanghai(s.createdAt)}</td>
          <td>{formatShanghai(s.lastSeenAt)}</td>
          <td>{formatShanghai(s.expiresAt)}</td>
          <td>
            <form method="post" action={`/admin/access/sessions/${s.idHash}/revoke`}>
              <button class="link" type="submit" aria-label={`强制退出：访问码 ${s.codeId} 的这次登录`}>
                强制退出
              </button>
            </form>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function AccessPage(props: { codes: AccessCodeRow[]; sessions: SessionRow[]; unitOptions: UnitOption[]; issued?: IssuedCode & { unitName: string }; notice?: string; error?: string }) {
  return (
    <Layout title="访问码管理" heading="区综治办" headingHref="/admin/access" wide staff>
      <p class="who">
        <a href="/admin">工作台</a> · <a href="/unit">单位工作台</a> · <SignOutButton />
      </p>
      <h1>访问码管理</h1>
      {props.issued ? (
        <div class="ok" role="status">
          <p>
            已为 <strong>{props.issued.unitName}</strong> 发放{ROLE_LABELS[props.issued.role]}访问码：
          </p>
          <p style="font-size:24px;font-family:monospace;letter-spacing:2px">
            <strong id="new-code">{props.issued.code}</strong>
          </p>
          <p class="muted">访问码只显示这一次，系统只保存其摘要。请现在抄录或转交，遗失后只能停用并重新发放。</p>
        </div>
      ) : null}
      {props.notice ? (
        <div class="ok" role="status">
          {props.notice}
        </div>
      ) : null}
      {props.error ? (
        <div class="alert" role="alert">
          {props.error}
        </div>
      ) : null}
      <div class="card">
        <h2>发放访问码</h2>
        <form method="post" action="/admin/access">
          <label for="unit">单位</label>
          <select id="unit" name="unit" required>
            {props.unitOptions.map((u) => (
              <option value={u.code}>
                {u.name}（{KIND_LABELS[u.kind] ?? u.kind}）
              </option>
            ))}
          </select>
          <label for="label">备注（持有人或用途）</label>
          <input type="text" id="label" name="label" maxlength={60} placeholder="如：综治办联络员王某" />
          <label class="opt">
            <input type="checkbox" name="leader" value="1" /> 领导只读访问码（可查看所有单位，不能修改）
          </label>
          <p>
            <SubmitButton>发放</SubmitButton>
          </p>
        </form>
      </div>
      <h2>已发放的访问码</h2>
      {props.codes.length === 0 ? (
        <p class="muted">还没有发放访问码。在上方选择单位后点“发放”，把访问码交给该单位的联络员。</p>
      ) : (
        <DataTable head={['编号', '备注', '单位', '权限', '发放时间', '最近使用', '状态']}>
          {props.codes.map((r) => (
            <tr>
              <td>{r.id}</td>
              <td>{r.label || '—'}</td>
              <td>{r.unitName}</td>
              <td>{ROLE_LABELS[r.role]}</td>
              <td>{formatShanghai(r.createdAt)}</td>
              <td>{r.lastUsedAt ? formatShanghai(r.lastUsedAt) : '未使用'}</td>
              <td>
                {r.revokedAt ? (
                  `已停用 ${formatShanghai(r.revokedAt)}`
                ) : (
                  <form method="post" action={`/admin/access/${r.id}/revoke`}>
                    <button class="link" type="submit" aria-label={`停用访问码 ${r.id}`}>
                      停用
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h2>已登录的浏览器</h2>
      <p class="muted">每次用访问码登录算一个。连续 12 小时未使用或登录满 14 天自动退出；停用访问码会让它的登录全部退出。</p>
      <SessionsTable sessions={props.sessions} />
    </Layout>
  );
}

const IssueBody = v.object(
  { unit: v.string('必填'), leader: v.optional(v.boolean('应为 true 或 false'), false), label: v.optional(v.string('应为文字'), '') },
  '必填',
);

export function adminAccessRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  app.use('/admin/access', requireRole(deps, ['admin']));
  app.use('/admin/access/*', requireRole(deps, ['admin']));
  app.use('/api/v1/admin/access-codes', requireRole(deps, ['admin']));
  app.use('/api/v1/admin/access-codes/*', requireRole(deps, ['admin']));
  app.use('/api/v1/admin/sessions', requireRole(deps, ['admin']));
  app.use('/api/v1/admin/sessions/*', requireRole(deps, ['admin']));

  const unitOptions = () =>
    deps.db
      .select({ code: units.code, name: units.name, kind: units.kind })
      .from(units)
      .where(eq(units.active, true))
      .orderBy(asc(units.kind), asc(units.code));

  const unitList = new WriteTrustedCache<Awaited<ReturnType<typeof unitOptions>>>();

  const render = async (extra: { issued?: IssuedCode & { unitName: string }; notice?: string; error?: string }) => {
    const [codes, sessions, options] = await Promise.all([listAccessCodes(deps.db), listSessions(deps.db, deps.now()), unitList.get(deps.db, 'active-units', unitOptions)]);
    // Villages and communities do not sign in; their town does the work.
    const pickable = options.filter((u) => u.kind !== 'village' && u.kind !== 'community');
    return <AccessPage codes={codes} sessions={sessions} unitOptions={pickable} {...extra} />;
  };

  const issue = async (unitCode: string, leader: boolean, label: string) => {
    // The office picked the unit from the list its page read a moment before: the issue trusts that read.
    const unit = (await unitList.get(deps.db, 'active-units', unitOptions)).find((u) => u.code === unitCode);
    if (!unit || unit.kind === 'village' || unit.kind === 'community') {
      throw validationFailed([{ field: 'unit', message: '请选择有效的单位' }], '请选择镇（街道）、区级部门、派出所或区综治办');
    }
    // A leader code reads every unit's records, so it is the district's to hold, not a town's or a department's.
    if (leader && unit.kind !== 'office') {
      throw validationFailed([{ field: 'leader', message: '领导访问码请选择区综治办' }], '领导只读访问码只能在“区综治办”下发放');
    }
    const issued = await issueAccessCode(deps.db, { unitCode, leader, label: label.trim().slice(0, 60), now: deps.now(), unit });
    return { ...issued, unitName: unit.name };
  };

  app.get('/admin/access', async (c) => {
    // A fixed message: a link could carry any text into this box, which the office would trust.
    const notice = c.req.query('revoked')
      ? '访问码已停用，使用它的登录已全部失效。'
      : c.req.query('ended')
        ? '该登录已强制退出。'
        : undefined;
    return c.html(await render({ notice }));
  });

  app.post('/admin/access', async (c) => {
    const form = await c.req.parseBody();
    const unitCode = typeof form.unit === 'string' ? form.unit : '';
    try {
      const issued = await issue(unitCode, form.leader === '1', typeof form.label === 'string' ? form.label : '');
      // The code is in this response only: keep it out of caches and history.
      return c.html(await render({ issued }), 201);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return c.html(await render({ error: err.message }), 422);
      throw err;
    }
  });

  app.post('/admin/access/:id/revoke', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || !(await revokeAccessCode(deps.db, id, deps.now()))) {
      return c.html(await render({ error: '该访问码不存在或已经停用。' }), 404);
    }
    return c.redirect(`/admin/access?revoked=${id}`, 303);
  });

  app.post('/admin/access/sessions/:hash/revoke', async (c) => {
    if (!(await revokeSession(deps.db, c.req.param('hash')))) return c.html(await render({ error: '该登录不存在或已经退出。' }), 404);
    return c.redirect('/admin/access?ended=1', 303);
  });

  app.get('/api/v1/admin/access-codes', async (c) => c.json(await listAccessCodes(deps.db)));

  app.post('/api/v1/admin/access-codes', vJson(IssueBody, '请提供单位代码'), async (c) => {
    const body = c.req.valid('json');
    const issued = await issue(body.unit, body.leader, body.label);
    return c.json({ id: issued.id, code: issued.code, role: issued.role, unitCode: issued.unitCode }, 201);
  });

  app.post('/api/v1/admin/access-codes/:id/revoke', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isInteger(id) || !(await revokeAccessCode(deps.db, id, deps.now()))) {
      throw notFound('该访问码不存在或已经停用');
    }
    return c.json({ id, revoked: true });
  });

  app.get('/api/v1/admin/sessions', async (c) => c.json(await listSessions(deps.db, deps.now())));

  app.post('/api/v1/admin/sessions/:hash/revoke', async (c) => {
    if (!(await revokeSession(deps.db, c.req.param('hash')))) throw notFound('该登录不存在或已经退出');
    return c.json({ idHash: c.req.param('hash'), revoked: true });
  });

  return app;
}
