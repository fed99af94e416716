// Sign-in with an access code for towns, departments, the office and leaders; sign-out.
import { Hono } from 'hono';
import { eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import { accessCodeHash, verifyAccessCodeHash, type Principal } from './codes.ts';
import { endSession, sessionPrincipal, startSession } from './middleware.ts';
import { recordFailure, throttleState } from './throttle.ts';
import { Layout } from '../web/layout.tsx';
import { SubmitButton } from '../web/components.tsx';
import { limitBody } from '../lib/body-limit.ts';

export const ROLE_LABELS: Record<Principal['role'], string> = {
  admin: '区综治办（管理）',
  unit: '单位填报',
  leader: '领导查看（只读）',
};

/** Where each role starts when the sign-in link did not say where to go. */
const HOME_BY_ROLE: Record<Principal['role'], string> = { admin: '/admin', leader: '/leader', unit: '/unit' };

/** Only same-site paths: an open redirect would let a phishing link borrow our sign-in page. Empty means "the role's home". */
export function safeNext(next: string | undefined | null): string {
  // Visible ASCII only: a browser drops a tab or newline inside a URL, so "/<TAB>/evil" would become "//evil" (and a newline cannot go in a header at all).
  if (!next || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next)) return '';
  return next;
}

const waitText = (seconds: number) => (seconds >= 120 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`);

/** Staff pages' sign-out control: a button (so it may sit in a line of links) for the staff layout's POST form. */
export function SignOutButton(props: { label?: string }) {
  return (
    <button class="link" type="submit" form="signout-form">
      {props.label ?? '退出'}
    </button>
  );
}

function SignOutForm(props: { label: string }) {
  return (
    <form method="post" action="/signout">
      <button class="link" type="submit">
        {props.label}
      </button>
    </form>
  );
}

function SignOutPage() {
  return (
    <Layout title="退出登录">
      <h1>退出登录</h1>
      <div class="card">
        <p>退出后，这个浏览器需要重新输入访问码才能进入。</p>
        <SignOutForm label="确认退出" />
      </div>
    </Layout>
  );
}

function SignInPage(props: { next: string; error?: string; current?: { unitName: string; role: Principal['role'] } }) {
  return (
    <Layout title="工作人员登录">
      <h1>工作人员登录</h1>
      {props.current ? (
        <div class="ok">
          <p>
            您已登录：{props.current.unitName} · {ROLE_LABELS[props.current.role]}。<a href={props.next || HOME_BY_ROLE[props.current.role]}>继续</a>
          </p>
          <SignOutForm label="退出登录" />
        </div>
      ) : null}
      <div class="card">
        <p>访问码由区综治办发给各镇（街道）和区级部门，用于：</p>
        <ul>
          <li>登记干部花名册、入户下访登记表（附件1）；</li>
          <li>填报治安隐患台账、红袖标巡逻队、宣传、矛盾纠纷调处和任务进度；</li>
          <li>查看本单位的完成情况、截止时间，导出本单位记录。</li>
        </ul>
        <p class="muted">领导访问码只能查看，不能修改。访问码遗失或泄露请联系区综治办停用并重新发放。</p>
        <form method="post" action="/signin" class={props.error ? 'invalid' : undefined}>
          <input type="hidden" name="next" value={props.next} />
          <label for="code">访问码</label>
          <p class="help" id="code-help">
            形如 ACDE-FGHJ-KMNP-QRTU，不区分大小写，短横线可以不输。
          </p>
          <input
            type="text"
            id="code"
            name="code"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            autofocus
            required
            aria-describedby={props.error ? 'code-help code-err' : 'code-help'}
            aria-invalid={props.error ? 'true' : undefined}
          />
          {props.error ? (
            <p class="err" id="code-err" role="alert">
              {props.error}
            </p>
          ) : null}
          <p>
            <SubmitButton>登录</SubmitButton>
          </p>
        </form>
      </div>
    </Layout>
  );
}

export function unitSigninRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/signin', async (c) => {
    const next = safeNext(c.req.query('next'));
    // The cookie only: a Bearer code here would say "you are signed in" without the guessing throttle.
    const principal = await sessionPrincipal(deps, c);
    let current: { unitName: string; role: Principal['role'] } | undefined;
    if (principal) {
      const unit = await deps.db.query.units.findFirst({ where: eq(units.code, principal.unitCode) });
      current = { unitName: unit?.name ?? principal.unitCode, role: principal.role };
    }
    return c.html(<SignInPage next={next} current={current} />);
  });

  // Anyone can post here: cap the body before parsing it (a code and a path need far less than 16 KB).
  app.post('/signin', limitBody(16 * 1024), async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const code = typeof form.code === 'string' ? form.code : '';
    const client = deps.clientAddress(c);
    const now = deps.now();
    if (!code.trim()) return c.html(<SignInPage next={next} error="请输入访问码。" />, 422);
    // The right code always gets in: the throttle only answers wrong guesses, so nobody behind the same
    // carrier address can lock a town's staff out. Codes are 16 of 25 letters: guessing stays hopeless.
    // Both reads start together, so they travel as one round trip (src/db/coalesce.ts).
    const hash = await accessCodeHash(code);
    const [state, principal] = await Promise.all([throttleState(deps.db, client, now), verifyAccessCodeHash(deps.db, hash)]);
    if (!principal) {
      const wait = await recordFailure(deps.db, client, now);
      // A guess while the client should still be waiting is refused outright and makes the wait longer.
      if (state.retryAfter > 0) {
        const retryAfter = Math.max(wait, state.retryAfter);
        c.header('Retry-After', String(retryAfter));
        return c.html(<SignInPage next={next} error={`访问码不正确。错误次数过多，请 ${waitText(retryAfter)}后再试。`} />, 429);
      }
      return c.html(<SignInPage next={next} error="访问码不正确或已停用，请核对后重新输入。" />, 401);
    }
    await startSession(deps, c, principal);
    return c.redirect(next || HOME_BY_ROLE[principal.role], 303);
  });

  // Signing out changes state, so it is a POST (checked for its origin like every other); a GET only asks.
  app.get('/signout', (c) => c.html(<SignOutPage />));
  app.post('/signout', async (c) => {
    await endSession(deps, c);
    return c.redirect('/signin', 303);
  });

  return app;
}
