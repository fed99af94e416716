// createApp(deps): the one Hono app both runtimes serve. Imports nothing runtime-specific.
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Deps } from './deps.ts';
import { AppError, isDatabaseUnavailable, loggableError } from './lib/errors.ts';
import { Layout } from './web/layout.tsx';
import { limitBody, MAX_MULTIPART_BYTES } from './lib/body-limit.ts';
import { coreRoutes } from './core/routes.tsx';
import { sheetsRoutes } from './sheets/routes.tsx';
import { publicFormRoutes } from './submissions/routes.tsx';
import { receiptRoutes } from './submissions/receipt-routes.tsx';
import { qrRoutes } from './submissions/qr.tsx';
import { flaggedRoutes } from './submissions/flagged.tsx';
import { unitSigninRoutes } from './auth/routes.tsx';
import { adminAccessRoutes } from './admin/access.tsx';
import { unitCadreRoutes } from './unit/roster/routes.tsx';
import { unitDashboardRoutes } from './unit/dashboard-routes.tsx';
import { unitDutyRoutes } from './unit/duty.tsx';
import { unitFormRoutes } from './unit/forms-routes.tsx';
import { unitExportRoutes } from './unit/export/routes.tsx';
import { rankingsRoutes } from './rankings/routes.tsx';
import { hazardsRoutes } from './hazards/routes.tsx';
import { adminHomeRoutes } from './admin/home.tsx';
import { suggestionRoutes } from './suggestions/routes.tsx';
import { campaignRoutes } from './campaign/routes.tsx';
import { auditRoutes } from './admin/audit.tsx';
import { formRoutes } from './forms/routes.tsx';
import { notificationRoutes } from './notifications/routes.tsx';
import { handInRoutes } from './handins/routes.tsx';
import { visitFlagRoutes } from './visits/routes.tsx';
import { organisationRoutes } from './organisation/routes.tsx';
import { campaignWithApiAuth, campaignContext } from './campaign/context.ts';
import { contextStorage } from 'hono/context-storage';
import { securityHeaders } from './web/security-headers.ts';
import { pageScriptRoutes } from './web/page-script.ts';
import { locationScriptRoutes } from './web/location.tsx';
import { offlineRoutes } from './web/offline.tsx';
import { sameOriginWrites } from './auth/csrf.ts';
import { prefetchSession } from './auth/middleware.ts';
import { hazardHeadPrefetch } from './hazards/detail.ts';
import { portalUnitPrefetch } from './unit/layout.tsx';

export type AppEnv = { Variables: Record<string, never> };

const wantsJson = (path: string, accept: string | undefined) =>
  path.startsWith('/api/') || path === '/healthz' || (accept?.includes('application/json') ?? false);

function ErrorPage(props: { status: number; message: string }) {
  return (
    <Layout title="出错了">
      <div class="alert" role="alert">
        <p>{props.message}</p>
      </div>
      <p>
        <a href="/" data-back>返回上一页</a> · <a href="/">回到首页</a>
      </p>
    </Layout>
  );
}

export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();

  // No route takes more than a phone photo and its form; routes with smaller bodies cap themselves lower.
  app.use('*', limitBody(MAX_MULTIPART_BYTES));
  // Headers on every answer, errors included; then no cross-site write reaches a route.
  app.use('*', securityHeaders());
  app.use('*', sameOriginWrites(deps.config.PUBLIC_BASE_URL));
  // Pages show the current campaign's name and brand: load it (one cached version check) before any page renders.
  app.use('*', contextStorage());
  app.use('*', prefetchSession(deps));
  app.use('*', hazardHeadPrefetch(deps));
  app.use('*', portalUnitPrefetch(deps));
  app.use('*', campaignContext(deps.db));
  app.use('*', campaignWithApiAuth(deps.db));
  app.route('/', pageScriptRoutes());
  app.route('/', locationScriptRoutes());
  app.route('/', offlineRoutes());
  app.route('/', coreRoutes(deps));
  app.route('/', sheetsRoutes(deps));
  app.route('/', publicFormRoutes(deps));
  app.route('/', receiptRoutes(deps));
  app.route('/', qrRoutes(deps));
  app.route('/', unitSigninRoutes(deps));
  app.route('/', adminAccessRoutes(deps));
  app.route('/', unitCadreRoutes(deps));
  app.route('/', unitDashboardRoutes(deps));
  app.route('/', unitDutyRoutes(deps));
  app.route('/', unitFormRoutes(deps));
  app.route('/', unitExportRoutes(deps));
  app.route('/', adminHomeRoutes(deps));
  app.route('/', flaggedRoutes(deps));
  app.route('/', suggestionRoutes(deps));
  app.route('/', rankingsRoutes(deps));
  app.route('/', hazardsRoutes(deps));
  app.route('/', campaignRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', formRoutes(deps));
  app.route('/', notificationRoutes(deps));
  app.route('/', handInRoutes(deps));
  app.route('/', visitFlagRoutes(deps));
  app.route('/', organisationRoutes(deps));

  app.notFound((c) => {
    if (wantsJson(c.req.path, c.req.header('accept'))) return c.json({ error: 'NOT_FOUND', message: '找不到该地址' }, 404);
    return c.html(<ErrorPage status={404} message="找不到您要的页面，请检查链接是否完整。" />, 404);
  });

  app.onError((err, c) => {
    let status: number;
    let code: string;
    let message: string;
    let details: Record<string, unknown> | undefined;
    if (err instanceof AppError) {
      ({ status, code, message, details } = err);
    } else if (err instanceof HTTPException) {
      status = err.status;
      code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 401 ? 'UNAUTHORIZED' : 'HTTP_ERROR';
      message = status === 413 ? '提交的内容太大，请缩小照片或删减文字后再试' : err.message || '请求有误';
    } else if (err instanceof TypeError && /FormData|multipart|boundary/i.test(err.message)) {
      // A broken multipart body (bad or missing boundary) fails inside c.req.parseBody(): the client's fault, not ours.
      status = 400;
      code = 'BAD_BODY';
      message = '提交的内容无法读取，请刷新页面后重新填写';
    } else if (isDatabaseUnavailable(err)) {
      status = 503;
      code = 'UNAVAILABLE';
      message = '系统繁忙，您的内容尚未保存，请稍后重试';
      deps.log.error('database unavailable', { path: c.req.path, ...loggableError(err), stack: undefined });
    } else {
      status = 500;
      code = 'INTERNAL';
      message = '系统出错了，请稍后重试';
      deps.log.error('unhandled error', { path: c.req.path, ...loggableError(err) });
    }
    if (status === 503) c.header('Retry-After', '30');
    if (wantsJson(c.req.path, c.req.header('accept'))) {
      return c.json({ error: code, message, ...details }, status as 400);
    }
    return c.html(<ErrorPage status={status} message={message} />, status as 400);
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
