// The channels API, the delivery log, the office's page (/admin/notifications) and a unit's own channels
// (/unit/notifications). Nothing is sent from here: a test message is queued for the next delivery pass.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { asc } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { NOTIFY_DELIVERY_STATUSES, units, type NotifyDeliveryStatus } from '../db/schema.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { AppError, notFound, validationFailed, type FieldError } from '../lib/errors.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { formatShanghai } from '../lib/time.ts';
import { Layout } from '../web/layout.tsx';
import { DataTable, SubmitButton } from '../web/components.tsx';
import { PortalLayout, portalScope } from '../unit/layout.tsx';
import { CHANNEL_KIND_LABELS, SPECIAL_TARGETS, createChannel, deleteChannel, listChannels, type ChannelAuthor, type ChannelView } from './channels.ts';
import { listDeliveries, pendingCount, queueTestMessage, type DeliveryView } from './service.ts';
import { SignOutButton } from '../auth/routes.tsx';

const STATUS_LABELS: Record<DeliveryView['status'], string> = { pending: '待发送', retrying: '重试中', sent: '已送达', failed: '失败' };

function id(c: Context): number {
  const n = Number(c.req.param('id'));
  if (!Number.isInteger(n) || n <= 0) throw notFound('找不到该通知渠道');
  return n;
}

function ChannelTable(props: { channels: ChannelView[]; names: Map<string, string>; action: string; query?: string; readOnly?: boolean }) {
  if (!props.channels.length) return <p class="muted">还没有设置通知渠道。</p>;
  return (
    <DataTable head={['单位', '类型', '地址或号码', '状态', '']}>
      {props.channels.map((ch) => (
        <tr>
          <td>{props.names.get(ch.unit) ?? ch.unit}</td>
          <td>{CHANNEL_KIND_LABELS[ch.kind]}</td>
          <td>
            {ch.url ?? ch.phones.join('、')}
            {ch.secret ? '（已设密钥）' : ''}
          </td>
          <td>
            {ch.broken ? <strong class="bad">已失效：连续一天发送失败</strong> : ch.failingSince ? '发送失败，重试中' : ch.lastOkAt ? `正常，最近送达 ${formatShanghai(ch.lastOkAt)}` : '未发送过'}
            {ch.lastError ? <div class="muted">{ch.lastError}</div> : null}
          </td>
          <td>
            {props.readOnly ? null : (
              <>
            <form method="post" action={`${props.action}/${ch.id}/test${props.query ?? ''}`}>
              <SubmitButton secondary>发送测试消息</SubmitButton>
            </form>
            <form method="post" action={`${props.action}/${ch.id}/delete${props.query ?? ''}`}>
              <button class="link" type="submit" aria-label={`删除通知渠道 ${ch.id}`}>
                删除
              </button>
            </form>
              </>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

function ChannelForm(props: { action: string; targets?: { code: string; name: string }[]; webhook: boolean; errors?: FieldError[] }) {
  const err = (f: string) => props.errors?.find((e) => e.field === f)?.message;
  const Err = (p: { f: string }) => (err(p.f) ? <p class="field-error" role="alert">{err(p.f)}</p> : null);
  return (
    <form method="post" action={props.action} class="card">
      <h2>添加通知渠道</h2>
      {props.targets ? (
        <>
          <label for="unit">通知谁</label>
          <select id="unit" name="unit" required>
            {props.targets.map((t) => (
              <option value={t.code}>{t.name}</option>
            ))}
          </select>
          <Err f="unit" />
        </>
      ) : null}
      <label for="kind">类型</label>
      <select id="kind" name="kind">
        {Object.entries(CHANNEL_KIND_LABELS)
          .filter(([k]) => props.webhook || k !== 'webhook')
          .map(([k, label]) => (
            <option value={k}>{label}</option>
          ))}
      </select>
      <Err f="kind" />
      <label for="url">机器人或 Webhook 地址</label>
      <input type="url" id="url" name="url" maxlength={1000} placeholder="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…" />
      <Err f="url" />
      <label for="secret">加签密钥（钉钉 SEC…，或 Webhook 签名密钥）</label>
      <input type="password" id="secret" name="secret" maxlength={200} autocomplete="off" />
      <Err f="secret" />
      <label for="phones">短信手机号（多个用逗号分隔）</label>
      <input type="text" id="phones" name="phones" inputmode="tel" maxlength={300} />
      <Err f="phones" />
      <p class="muted">保存后密钥和机器人地址只显示部分字符。群消息不含群众姓名、电话、住址。</p>
      <p>
        <SubmitButton>保存</SubmitButton>
      </p>
    </form>
  );
}

async function unitNames(deps: Deps): Promise<Map<string, string>> {
  const rows = await deps.db.select({ code: units.code, name: units.name, kind: units.kind }).from(units).orderBy(asc(units.kind), asc(units.code));
  return new Map([...Object.entries(SPECIAL_TARGETS), ...rows.filter((u) => u.code !== 'office').map((u) => [u.code, u.name] as [string, string])]);
}

function statusOf(raw: string | undefined): NotifyDeliveryStatus | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!(NOTIFY_DELIVERY_STATUSES as readonly string[]).includes(raw)) throw validationFailed([{ field: 'status', message: 'status 只能是 pending、sent 或 failed' }]);
  return raw as NotifyDeliveryStatus;
}

export function notificationRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const admin = requireRole(deps, ['admin']);
  app.use('/api/v1/admin/channels', admin);
  app.use('/api/v1/admin/channels/*', admin);
  app.use('/api/v1/admin/notifications', admin);
  app.use('/admin/notifications', admin);
  app.use('/admin/notifications/*', admin);
  // Leaders read a unit's settings; every write goes through portalScope({write: true}), which refuses them.
  const portal = requireRole(deps, ['admin', 'unit', 'leader']);
  app.use('/unit/notifications', portal);
  app.use('/unit/notifications/*', portal);

  app.post('/api/v1/admin/channels', vJson(JSON_OBJECT), async (c) => c.json(await createChannel(deps, { role: 'admin' }, c.req.valid('json')), 201));
  app.get('/api/v1/admin/channels', async (c) => c.json(await listChannels(deps)));
  app.delete('/api/v1/admin/channels/:id', async (c) => {
    await deleteChannel(deps, id(c));
    return c.body(null, 204);
  });
  app.post('/api/v1/admin/channels/:id/test', async (c) => c.json(await queueTestMessage(deps, id(c)), 202));
  app.get('/api/v1/admin/notifications', async (c) => {
    const status = statusOf(c.req.query('status'));
    const [pending, deliveries] = await Promise.all([pendingCount(deps), listDeliveries(deps, status)]);
    return c.json({ pending, deliveries });
  });

  const adminPage = async (c: Context<AuthEnv>, extra: { errors?: FieldError[]; notice?: string } = {}, code: 200 | 201 | 422 = 200) => {
    const [names, channels, log, pending] = await Promise.all([unitNames(deps), listChannels(deps), listDeliveries(deps, undefined, 100), pendingCount(deps)]);
    const targets = [...names].map(([code, name]) => ({ code, name }));
    return c.html(
      <Layout title="消息通知" heading="区综治办" headingHref="/admin" wide staff>
        <p class="who">
          <a href="/admin">工作台</a> · <SignOutButton />
        </p>
        <h1>消息通知</h1>
        {extra.notice ? <div class="ok" role="status">{extra.notice}</div> : null}
        {extra.errors?.length ? <div class="alert" role="alert">{extra.errors.map((e) => e.message).join('；')}</div> : null}
        <p>
          待发送 <strong id="pending">{pending}</strong> 条。通知每分钟发送一次；夜间 22:00 至次日 7:30 不发短信。
        </p>
        <h2>通知渠道</h2>
        <ChannelTable channels={channels} names={names} action="/admin/notifications/channels" />
        <ChannelForm action="/admin/notifications/channels" targets={targets} webhook errors={extra.errors} />
        <h2>发送记录</h2>
        <DeliveryLog log={log} names={names} />
      </Layout>,
      code,
    );
  };

  app.get('/admin/notifications', (c) => adminPage(c));
  app.post('/admin/notifications/channels', async (c) => {
    const form = await c.req.parseBody();
    try {
      await createChannel(deps, { role: 'admin' }, form);
      return c.redirect('/admin/notifications?saved=1', 303);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return adminPage(c, { errors: (err.details?.errors as FieldError[]) ?? [] }, 422);
      throw err;
    }
  });
  app.post('/admin/notifications/channels/:id/delete', async (c) => {
    await deleteChannel(deps, id(c));
    return c.redirect('/admin/notifications', 303);
  });
  app.post('/admin/notifications/channels/:id/test', async (c) => {
    await queueTestMessage(deps, id(c));
    return adminPage(c, { notice: '测试消息已排队，一分钟内发出，结果见发送记录。' });
  });

  // A unit's own channels: robots and SMS (webhooks are the office's to set).
  const unitPage = async (c: Context<AuthEnv>, extra: { errors?: FieldError[]; notice?: string } = {}, code: 200 | 422 = 200) => {
    const { principal, unit } = await portalScope(deps, c);
    const names = new Map([[unit.code, unit.name]]);
    const q = principal.unitCode === unit.code ? '' : `?unit=${encodeURIComponent(unit.code)}`;
    const [channels, log] = await Promise.all([listChannels(deps, unit.code), listDeliveries(deps, undefined, 50, unit.code)]);
    return c.html(
      <PortalLayout title="消息通知" principal={principal} unitName={unit.name} unitCode={unit.code} current="/unit/notifications">
        <h1>消息通知</h1>
        {extra.notice ? <div class="ok" role="status">{extra.notice}</div> : null}
        {extra.errors?.length ? <div class="alert" role="alert">{extra.errors.map((e) => e.message).join('；')}</div> : null}
        <p class="muted">交办、催办、期限提醒、超期和报送节点提醒会发到这里设置的企业微信群、钉钉群或手机。</p>
        <ChannelTable channels={channels} names={names} action="/unit/notifications/channels" query={q} readOnly={principal.role === 'leader'} />
        {principal.role === 'leader' ? null : <ChannelForm action={`/unit/notifications/channels${q}`} webhook={false} errors={extra.errors} />}
        <h2>发送记录</h2>
        <DeliveryLog log={log} names={names} />
      </PortalLayout>,
      code,
    );
  };
  const unitAuthor = async (c: Context<AuthEnv>): Promise<ChannelAuthor & { unitCode: string }> => {
    const { unit } = await portalScope(deps, c, { write: true });
    return { role: 'unit', unitCode: unit.code };
  };
  app.get('/unit/notifications', (c) => unitPage(c));
  app.post('/unit/notifications/channels', async (c) => {
    const author = await unitAuthor(c);
    const form = await c.req.parseBody();
    try {
      await createChannel(deps, author, form);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return unitPage(c, { errors: (err.details?.errors as FieldError[]) ?? [] }, 422);
      throw err;
    }
    return unitPage(c, { notice: '已保存。' });
  });
  app.post('/unit/notifications/channels/:id/delete', async (c) => {
    await deleteChannel(deps, id(c), (await unitAuthor(c)).unitCode);
    return unitPage(c, { notice: '已删除。' });
  });
  app.post('/unit/notifications/channels/:id/test', async (c) => {
    await queueTestMessage(deps, id(c), (await unitAuthor(c)).unitCode);
    return unitPage(c, { notice: '测试消息已排队，一分钟内发出。' });
  });
  return app;
}

function DeliveryLog(props: { log: DeliveryView[]; names: Map<string, string> }) {
  if (!props.log.length) return <p class="muted">还没有发送记录。</p>;
  return (
    <DataTable head={['时间', '通知', '发给', '渠道', '状态', '服务商答复']}>
      {props.log.map((d) => (
        <tr>
          <td>{formatShanghai(d.sentAt ?? d.createdAt)}</td>
          <td>{d.text}</td>
          <td>{d.target === 'tipster' ? '反映人' : (props.names.get(d.target) ?? d.target)}</td>
          <td>{d.kind ? CHANNEL_KIND_LABELS[d.kind as keyof typeof CHANNEL_KIND_LABELS] : '已删除'}</td>
          <td>
            {STATUS_LABELS[d.status]}
            {d.attempts > 1 ? `（第 ${d.attempts} 次）` : ''}
          </td>
          <td>{d.lastError ?? ''}</td>
        </tr>
      ))}
    </DataTable>
  );
}
