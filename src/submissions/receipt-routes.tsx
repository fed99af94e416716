// Receipts: the page a resident lands on after submitting (/r/:receipt), a lookup box (/r), and the JSON API.
// A receipt shows the form, time and handling status, never the answers or personal data.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { Deps } from '../deps.ts';
import { notFound } from '../lib/errors.ts';
import { formatShanghai } from '../lib/time.ts';
import { findReceipt, type Receipt } from './receipts.ts';
import { Layout } from '../web/layout.tsx';
import { formById } from '../forms/store.ts';
import { hazardReceiptExtra } from '../hazards/pages/feedback.tsx';
import { limitByAddress } from './abuse/address-limit.ts';

/** `extra`: what a form's own module adds below the steps (the hazard tipster's feedback form). */
function ReceiptPage(props: { r: Receipt; thanks?: string; extra?: Child }) {
  const { r } = props;
  return (
    <Layout title="已收到您的提交">
      <div class="ok" role="status">
        <p>
          <strong>已收到您的提交。</strong>
          {props.thanks ?? '感谢您的参与！'}
        </p>
      </div>
      <div class="card">
        <p>您的回执码（请截图或抄下保存）：</p>
        <p class="code" aria-label={`回执码 ${r.receipt.split('').join(' ')}`}>{r.receipt}</p>
        <p class="muted">凭回执码可随时在本网站查询处理进度。回执码不包含您的任何个人信息。</p>
      </div>
      <div class="card">
        <h2>{r.formTitle}</h2>
        <p>
          提交时间：{formatShanghai(Date.parse(r.createdAt))}
          <br />
          当前状态：<strong>{r.status}</strong>
        </p>
        <ol class="steps">
          {r.history.map((h) => (
            <li>
              {formatShanghai(Date.parse(h.at))} {h.status}
              {h.note ? `：${h.note}` : ''}
            </li>
          ))}
        </ol>
      </div>
      {props.extra}
      <p>
        <a href={`/f/${r.form}`}>再填一份</a> · <a href="/r">查询其他回执</a> · <a href="/">回到首页</a>
      </p>
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
    const extra = await hazardReceiptExtra(deps, r.receipt, c.req.query('feedback'));
    const form = await formById(deps.db, r.form);
    return c.html(<ReceiptPage r={r} thanks={form?.thanks} extra={extra} />);
  });

  app.get('/api/v1/receipts/:receipt', async (c) => {
    const r = await findReceipt(deps, c.req.param('receipt'));
    if (!r) throw notFound('找不到这个回执码');
    return c.json({ receipt: r.receipt, form: r.form, formTitle: r.formTitle, status: r.status, createdAt: r.createdAt, history: r.history });
  });

  return app;
}
