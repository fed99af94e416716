// Anonymous bursts held out of the ranking (more than RANKED_PER_ADDRESS answers from one address for one unit
// on one day): the office sees them on /admin/flagged and may accept a genuine one, such as a village meeting.
import { Hono } from 'hono';
import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import type { Db } from '../db/index.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { submissions, units } from '../db/schema.ts';
import { badRequest } from '../lib/errors.ts';
import { OfficePage } from '../admin/office-page.tsx';
import { RANKED_PER_ADDRESS } from './store.ts';
import { DataTable } from '../web/components.tsx';

export interface FlaggedBurst {
  addressKey: string;
  unitCode: string;
  unitName: string | null;
  day: string;
  answers: number;
  unranked: number;
}

const unrankedSum = sql<number>`coalesce(sum(${submissions.unranked}), 0)`;

/** Answers waiting for the office's decision: the count on /admin. */
export async function countFlagged(db: Db): Promise<number> {
  const [row] = await db.select({ n: count() }).from(submissions).where(eq(submissions.unranked, true));
  return row?.n ?? 0;
}

export async function listFlagged(db: Db): Promise<FlaggedBurst[]> {
  const rows = await db
    .select({ addressKey: submissions.addressKey, unitCode: submissions.unitCode, unitName: units.name, day: submissions.day, answers: count(), unranked: unrankedSum })
    .from(submissions)
    .leftJoin(units, eq(units.code, submissions.unitCode))
    .where(sql`${submissions.addressKey} is not null and ${submissions.unitCode} is not null and ${submissions.deletedAt} is null`)
    .groupBy(submissions.addressKey, submissions.unitCode, submissions.day)
    .having(gt(unrankedSum, 0))
    .orderBy(desc(submissions.day), submissions.unitCode)
    .limit(200);
  return rows.map((r) => ({ ...r, addressKey: r.addressKey!, unitCode: r.unitCode!, unranked: Number(r.unranked) }));
}

/** Counts every answer of one burst in the ranking; returns how many were accepted. */
export async function acceptFlagged(db: Db, burst: { addressKey: string; unitCode: string; day: string }): Promise<number> {
  const rows = await db
    .update(submissions)
    .set({ unranked: false })
    .where(and(eq(submissions.addressKey, burst.addressKey), eq(submissions.unitCode, burst.unitCode), eq(submissions.day, burst.day), eq(submissions.unranked, true)))
    .returning({ id: submissions.id });
  return rows.length;
}

export function flaggedRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  app.use('/admin/flagged', requireRole(deps, ['admin']));
  app.use('/admin/flagged/*', requireRole(deps, ['admin']));

  app.get('/admin/flagged', async (c) => {
    const bursts = await listFlagged(deps.db);
    return c.html(
      <OfficePage title="待确认的集中填报">
        <p>
          同一网络地址当天为同一单位匿名提交超过 {RANKED_PER_ADDRESS} 份时，之后的填报照常保存，但暂不计入排名。若确为群众会议等集中填报，可确认计入；确认后请重新计算相关日期的排名。
        </p>
        {c.req.query('accepted') !== undefined ? <p class="notice">已确认计入排名。</p> : null}
        {bursts.length === 0 ? (
          <p class="muted">目前没有待确认的集中填报。</p>
        ) : (
          <DataTable head={['日期', '单位', '当天份数', '暂不计入', '']} label="集中填报">
            {bursts.map((b) => (
              <tr>
                <td>{b.day}</td>
                <td>{b.unitName ?? b.unitCode}</td>
                <td>{b.answers}</td>
                <td>{b.unranked}</td>
                <td>
                  <form method="post" action="/admin/flagged/accept">
                    <input type="hidden" name="key" value={b.addressKey} />
                    <input type="hidden" name="unit" value={b.unitCode} />
                    <input type="hidden" name="day" value={b.day} />
                    <button type="submit">确认计入排名</button>
                  </form>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </OfficePage>,
    );
  });

  app.post('/admin/flagged/accept', async (c) => {
    const body = await c.req.parseBody();
    const [key, unit, day] = [body.key, body.unit, body.day].map((v) => (typeof v === 'string' ? v : ''));
    if (!/^[0-9a-f]{32}$/.test(key!) || !unit || !/^\d{4}-\d{2}-\d{2}$/.test(day!)) throw badRequest('请从列表中选择要确认的填报');
    const n = await acceptFlagged(deps.db, { addressKey: key!, unitCode: unit, day: day! });
    deps.log.info('flagged burst accepted', { unit, day, answers: n });
    return c.redirect('/admin/flagged?accepted', 303);
  });

  return app;
}
