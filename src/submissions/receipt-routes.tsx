// Receipts: the page a resident lands on after submitting (/r/:receipt), a lookup box (/r), and the JSON API.
// A receipt shows the form, time and handling status, never the answers or personal data.
import { Hono } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import type { Deps } from '../deps.ts';
import { notFound } from '../lib/errors.ts';
import { formatShanghai } from '../lib/time.ts';
import { findReceipt, type Receipt } from './receipts.ts';
import { Layout } from '../web/layout.tsx';
import { formById } from '../forms/store.ts';
import { hazardReceiptExtra } from '../hazards/pages/feedback.tsx';
import { limitByAddress } from './abuse/address-limit.ts';
import { JUST_SENT_COOKIE } from './routes.tsx';

/**
 * `sent`: the person has just submitted (the form's redirect says so), so the page opens with the thanks; a later
 * lookup opens with the form's title and status instead. `tracked`: the form has a handling status (tips, suggestions);
 * a survey answer has none, so its receipt promises no progress and does not invite a second answer.
 * `notice`: what the form's own module says at the top (the tipster's feedback result); `extra` goes below the steps.
 */
function ReceiptPage(props: { r: Receipt; sent: boolean; tracked: boolean; thanks?: string; notice?: Child; extra?: Child }) {
  const { r, sent, tracked } = props;
  return (
    <Layout title={sent ? '已收到您的提交' : `${r.formTitle} · 回执`}>
      <h1>{sent ? '已收到您的提交' : r.formTitle}</h1>
      {props.notice}
      {sent ? (
        <div class="ok" role="status">
          <p>{props.thanks ?? '感谢您的参与！'}</p>
        </div>
      ) : null}
      {tracked ? (
        <div class="card">
          <p>{sent ? '您的回执码（请截图或抄下保存）：' : '回执码：'}</p>
          <p class="code" aria-label={`回执码 ${r.receipt.split('').join(' ')}`}>{r.receipt}</p>
          <p class="muted">凭回执码可随时在本网站查询处理进度。回执码不包含您的任何个人信息。</p>
        </div>
      ) : null}
      <div class="card">
        {sent ? <h2>{r.formTitle}</h2> : <h2>办理情况</h2>}
        <p>
          提交时间：{formatShanghai(Date.parse(r.createdAt))}
          {tracked ? (
            <>
              <br />
              当前状态：<strong>{r.status}</strong>
            </>
          ) : null}
        </p>
        {tracked ? (
          <ol class="steps">
            {r.history.map((h) => (
              <li>
                {formatShanghai(Date.parse(h.at))} {h.status}
                {h.note ? `：${h.note}` : ''}
              </li>
            ))}
          </ol>
        ) : (
          <p>您的意见已经收到，将计入本地平安建设群众满意度的统计。每人填写一次即可。</p>
        )}
      </div>
      {props.extra}
      <ul class="actions">
        {tracked ? (
          <li>
            <a href="/r">查询其他回执</a>
          </li>
        ) : null}
        <li>
          <a href="/">回到首页</a>
        </li>
      </ul>
    </Layout>
  );
}

function LookupPage(props: { code?: string; missing?: boolean }) {
  return (
    <Layout title="查询回执">
      <h1>查询处理进度</h1>
      {props.missing ? (
        <div class="alert" role="alert" id="error-summary">
          <p>没有找到这个回执码，请核对后重新输入（回执码为10位字母和数字）。</p>
        </div>
      ) : null}
      <form method="get" action="/r">
        <label for="code">回执码</label>
        <input type="text" id="code" name="code" value={props.code ?? ''} autocomplete="off" autocapitalize="characters" maxlength={20} required aria-invalid={props.missing ? 'true' : undefined} autofocus={props.missing} />
        <p style="margin-top:16px">
          <button type="submit" class="btn">查询</button>
        </p>
      </form>
    </Layout>
  );
}

export function receiptRoutes(deps: Deps) {
  const app = new Hono();
  // A receipt is a 10-character key: lookups and feedback (POST /api/v1/receipts/:r/feedback) share one per-address budget.
  const limit = limitByAddress(deps, 'receipt');
  app.use('/r', limit);
  app.use('/r/*', limit);
  app.use('/api/v1/receipts/*', limit);

  app.get('/r', async (c) => {
    const code = c.req.query('code');
    // An empty box submitted is a person who has not typed yet, not an unknown receipt.
    if (code === undefined || !code.trim()) return c.html(<LookupPage />);
    const r = await findReceipt(deps, code);
    if (!r) return c.html(<LookupPage code={code.slice(0, 20)} missing />, 404);
    return c.redirect(`/r/${r.receipt}`, 303);
  });

  app.get('/r/:receipt', async (c) => {
    const r = await findReceipt(deps, c.req.param('receipt'));
    if (!r) return c.html(<LookupPage code={c.req.param('receipt').slice(0, 20)} missing />, 404);
    // The code is the key to the status: keep it out of caches and out of Referer headers.
    c.header('Referrer-Policy', 'no-referrer');
    const hazard = await hazardReceiptExtra(deps, r.receipt, c.req.query('feedback'));
    const form = await formById(deps.db, r.form);
    const tracked = Object.hasOwn(deps.plugins.receiptStatus, r.form);
    const sent = getCookie(c, JUST_SENT_COOKIE) === '1';
    if (sent) deleteCookie(c, JUST_SENT_COOKIE, { path: `/r/${r.receipt}` });
    return c.html(<ReceiptPage r={r} sent={sent} tracked={tracked} thanks={form?.thanks} notice={hazard?.notice} extra={hazard?.extra} />);
  });

  app.get('/api/v1/receipts/:receipt', async (c) => {
    const r = await findReceipt(deps, c.req.param('receipt'));
    if (!r) throw notFound('找不到这个回执码');
    return c.json({ receipt: r.receipt, form: r.form, formTitle: r.formTitle, status: r.status, createdAt: r.createdAt, history: r.history });
  });

  return app;
}
