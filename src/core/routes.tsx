// Health, the organisation API and the landing page.
import { Hono } from 'hono';
import { asc, eq, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import { Layout } from '../web/layout.tsx';
import { sheetHealth } from '../sheets/status.tsx';
import { formsOf } from '../forms/store.ts';
import { pageCampaign } from '../campaign/context.ts';

export function coreRoutes(deps: Deps) {
  const app = new Hono();

  app.get('/healthz', async (c) => {
    try {
      await deps.db.run(sql`select 1`);
      // The detail is opt-in so the plain probe answers exactly {ok, db}.
      if (c.req.query('detail') === '1') return c.json({ ok: true, db: 'ok', sheets: await sheetHealth(deps) });
      return c.json({ ok: true, db: 'ok' });
    } catch (err) {
      deps.log.error('healthz: database unreachable', { error: String((err as Error).message ?? err) });
      return c.json({ ok: false, db: 'unreachable' }, 503);
    }
  });

  app.get('/api/v1/units', async (c) => {
    const rows = await deps.db
      .select({ code: units.code, name: units.name, kind: units.kind, parent: units.parentCode })
      .from(units)
      .where(eq(units.active, true))
      .orderBy(asc(units.kind), asc(units.code));
    return c.json(rows);
  });

  app.get('/', async (c) => {
    const publicForms = (await formsOf(deps.db)).filter((f) => f.audience === 'public');
    return c.html(
      <Layout title="首页">
        <h1>{pageCampaign().district}平安建设</h1>
        <p class="muted">{pageCampaign().name}</p>
        <div class="card">
          <h2>群众参与</h2>
          {publicForms.length === 0 ? (
            <p>暂未开放在线表单，请稍后再来。</p>
          ) : (
            <ul class="actions">
              {publicForms.map((f) => (
                <li>
                  <a href={`/f/${f.id}`}>{f.title}</a>
                </li>
              ))}
            </ul>
          )}
          <p class="muted">扫描张贴的二维码也可直接打开表单，无需注册。</p>
          <ul class="actions">
            <li>
              <a href="/r">凭回执码查询办理进度</a>
            </li>
          </ul>
        </div>
        <div class="card">
          <h2>工作人员</h2>
          <p>
            镇街、区级部门、区综治办和领导凭访问码<a href="/signin">登录</a>，登录后进入各自的工作台。
          </p>
        </div>
      </Layout>,
    );
  });

  return app;
}
