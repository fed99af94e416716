// The office's list of flagged household visits (a household visited again, a visit outside the cadre's 包抓
// village) on /admin/visit-flags and GET /api/v1/admin/visit-flags; clearing a flag is a POST.
import { Hono } from 'hono';
import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { Db } from '../db/index.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { cadres, submissions, units } from '../db/schema.ts';
import { notFound } from '../lib/errors.ts';
import { formatShanghai } from '../lib/time.ts';
import { currentCampaign } from '../campaign/store.ts';
import { OfficePage } from '../admin/office-page.tsx';
import { VISIT_FORM } from './checks.ts';
import { DataTable } from '../web/components.tsx';

export interface VisitFlag {
  id: number;
  unitCode: string | null;
  unitName: string | null;
  place: string | null;
  cadreName: string | null;
  day: string;
  createdAt: string;
  repeat: boolean;
  outside: boolean;
}

/** The current campaign's live visits with a flag the office has not cleared, newest first; no personal data. */
export async function listVisitFlags(db: Db): Promise<VisitFlag[]> {
  const { settings } = await currentCampaign(db);
  const rows = await db
    .select({
      id: submissions.id,
      unitCode: submissions.unitCode,
      unitName: units.name,
      payload: submissions.payload,
      cadreName: cadres.name,
      day: submissions.day,
      createdAt: submissions.createdAt,
      repeat: submissions.repeatVisit,
      outside: submissions.outsideAssignment,
    })
    .from(submissions)
    .leftJoin(units, eq(units.code, submissions.unitCode))
    .leftJoin(cadres, eq(cadres.id, submissions.cadreId))
    .where(
      and(
        eq(submissions.formId, VISIT_FORM),
        isNull(submissions.deletedAt),
        isNull(submissions.flagsClearedAt),
        or(eq(submissions.repeatVisit, true), eq(submissions.outsideAssignment, true)),
        sql`${submissions.day} BETWEEN ${settings.startDate} AND ${settings.endDate}`,
      ),
    )
    .orderBy(desc(submissions.id))
    .limit(500);
  return rows.map(({ payload, createdAt, ...r }) => {
    const place = (JSON.parse(payload) as { place?: unknown }).place;
    return { ...r, place: typeof place === 'string' ? place : null, createdAt: formatShanghai(createdAt) };
  });
}

/** The office has checked the visit: its flags no longer show and a repeat counts again. */
export async function clearVisitFlags(db: Db, id: number, at: number): Promise<boolean> {
  if (!Number.isSafeInteger(id)) return false;
  const rows = await db
    .update(submissions)
    .set({ flagsClearedAt: at })
    .where(and(eq(submissions.id, id), eq(submissions.formId, VISIT_FORM), isNull(submissions.flagsClearedAt)))
    .returning({ id: submissions.id });
  return rows.length > 0;
}

export function visitFlagRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  for (const path of ['/admin/visit-flags', '/admin/visit-flags/*', '/api/v1/admin/visit-flags', '/api/v1/admin/visit-flags/*']) {
    app.use(path, requireRole(deps, ['admin']));
  }

  app.get('/api/v1/admin/visit-flags', async (c) => {
    return c.json(await listVisitFlags(deps.db));
  });

  app.post('/api/v1/admin/visit-flags/:id/clear', async (c) => {
    if (!(await clearVisitFlags(deps.db, Number(c.req.param('id')), deps.now().getTime()))) throw notFound('找不到这条待核实的走访记录');
    return c.json({ ok: true });
  });

  app.post('/admin/visit-flags/:id/clear', async (c) => {
    if (!(await clearVisitFlags(deps.db, Number(c.req.param('id')), deps.now().getTime()))) throw notFound('找不到这条待核实的走访记录');
    return c.redirect('/admin/visit-flags?cleared', 303);
  });

  app.get('/admin/visit-flags', async (c) => {
    const flags = await listVisitFlags(deps.db);
    return c.html(
      <OfficePage title="待核实的入户走访">
        <p>同一户在本次活动中再次登记的，只按一户计入排名和进度；干部走访的村（社区）不是其包抓村（社区）的，在此提示。核实无误后可清除提示（重复登记清除后照常计数）。</p>
        {c.req.query('cleared') !== undefined ? <p class="notice">已清除提示。</p> : null}
        {flags.length === 0 ? (
          <p class="muted">目前没有待核实的走访。</p>
        ) : (
          <DataTable head={['编号', '登记时间', '单位', '走访干部', '提示', '']} label="待核实的走访">
            {flags.map((f) => (
              <tr>
                <td>{f.id}</td>
                <td>{f.createdAt}</td>
                <td>{f.unitName ?? f.unitCode}</td>
                <td>{f.cadreName ?? ''}</td>
                <td>{[f.repeat ? '重复走访同一户' : '', f.outside ? '非包抓村（社区）' : ''].filter(Boolean).join('；')}</td>
                <td>
                  <form method="post" action={`/admin/visit-flags/${f.id}/clear`}>
                    <button type="submit">核实无误，清除提示</button>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </OfficePage>,
    );
  });

  return app;
}
