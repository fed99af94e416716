// Hand-in pages and API: a unit's steps (/unit/hand-ins), the office's board (/admin/hand-ins), the frozen
// snapshot as XLSX for its unit, the office, leaders and the step's readers (the police branch for the ledger).
import { Hono, type Context } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { formatShanghai } from '../lib/time.ts';
import { PortalLayout, portalScope, unitQuery } from '../unit/layout.tsx';
import { toXlsx } from '../unit/export/xlsx.ts';
import { attachment } from '../web/attachment.ts';
import { OfficePage } from '../admin/office-page.tsx';
import { handIn, handInBoard, handInSteps, handInsReadBy, listHandIns, readHandIn, stepsFor } from './service.ts';
import { DataTable } from '../web/components.tsx';

async function unitView(deps: Deps, c: Context<AuthEnv>) {
  const { principal, unit } = await portalScope(deps, c);
  const [{ steps }, mine, readable] = await Promise.all([handInSteps(deps.db), listHandIns(deps.db, unit.code), handInsReadBy(deps.db, unit.code)]);
  const own = stepsFor(steps, unit).map((s) => {
    const h = mine.find((r) => r.deadlineId === s.id);
    return { id: s.id, date: s.date, label: s.label, rule: s.rule, formId: s.kind.formId, handIn: h ? { id: h.id, at: new Date(h.at).toISOString(), late: h.late, rows: h.rowCount } : null };
  });
  return { principal, unit, own, readable };
}

export function handInRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['unit', 'admin', 'leader']);
  const office = requireRole(deps, ['admin', 'leader']);
  for (const path of ['/unit/hand-ins', '/unit/hand-ins/*', '/api/v1/unit/hand-ins', '/api/v1/unit/hand-ins/*']) app.use(path, readers);
  for (const path of ['/admin/hand-ins', '/api/v1/admin/hand-ins']) app.use(path, office);

  app.post('/api/v1/unit/hand-ins/:deadlineId', async (c) => {
    const { principal, unit } = await portalScope(deps, c, { write: true });
    const result = await handIn(deps.db, unit, c.req.param('deadlineId'), principal, deps.now());
    deps.log.info('hand-in', { unit: unit.code, deadline: c.req.param('deadlineId'), late: result.late });
    return c.json(result, 201);
  });

  app.post('/unit/hand-ins/:deadlineId', async (c) => {
    const { principal, unit } = await portalScope(deps, c, { write: true });
    await handIn(deps.db, unit, c.req.param('deadlineId'), principal, deps.now());
    return c.redirect(`/unit/hand-ins?done${unitQuery(principal, unit.code, '&')}`, 303);
  });

  app.get('/api/v1/unit/hand-ins', async (c) => {
    const { own, readable } = await unitView(deps, c);
    return c.json({ steps: own, readable: readable.map((r) => ({ id: r.id, deadlineId: r.deadlineId, unit: r.unitCode, at: new Date(r.at).toISOString(), late: r.late, rows: r.rowCount })) });
  });

  app.get('/api/v1/unit/hand-ins/:id', async (c) => {
    const h = await readHandIn(deps.db, c.get('principal'), Number(c.req.param('id')));
    return c.json({ id: h.id, deadlineId: h.deadlineId, unit: h.unitCode, formId: h.formId, at: new Date(h.at).toISOString(), late: h.late, headers: h.table.headers, rows: h.table.rows });
  });

  app.get('/unit/hand-ins/:id/export.xlsx', async (c) => {
    const h = await readHandIn(deps.db, c.get('principal'), Number(c.req.param('id')));
    const body = await toXlsx([h.table]);
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    attachment(c, `hand-in-${h.id}.xlsx`);
    return c.body(body as Uint8Array<ArrayBuffer>);
  });

  app.get('/unit/hand-ins', async (c) => {
    const { principal, unit, own, readable } = await unitView(deps, c);
    const q = unitQuery(principal, unit.code, '?');
    return c.html(
      <PortalLayout title="报送" principal={principal} unitName={unit.name} unitCode={unit.code} current="/unit/hand-ins">
        <h1>报送节点</h1>
        {c.req.query('done') !== undefined ? <p class="notice">已报送。</p> : null}
        {own.length === 0 ? <p class="muted">本单位没有需要报送的节点。</p> : null}
        {own.map((s) => (
          <section class="card">
            <h2>
              {s.label}（{s.date} 前）
            </h2>
            {s.handIn ? (
              <p>
                已于 {formatShanghai(Date.parse(s.handIn.at))} 报送 {s.handIn.rows} 条{s.handIn.late ? '（逾期报送）' : ''} ·{' '}
                <a href={`/unit/hand-ins/${s.handIn.id}/export.xlsx`}>下载报送的 Excel</a>
              </p>
            ) : (
              <>
                <p>
                  报送前请先核对：<a href={`/unit/export.xlsx?form=${s.formId}${unitQuery(principal, unit.code, '&')}`}>下载当前记录（Excel）</a>。报送后内容即固定，不再随记录修改而变化。
                </p>
                {principal.role === 'leader' ? null : (
                  <form method="post" action={`/unit/hand-ins/${encodeURIComponent(s.id)}${q}`}>
                    <button type="submit">确认报送</button>
                  </form>
                )}
              </>
            )}
          </section>
        ))}
        {readable.length ? (
          <section class="card">
            <h2>各镇街报送的隐患台账</h2>
            <DataTable head={['单位', '报送时间', '是否按时', '下载']} label="各镇街报送的隐患台账">
              {readable.map((r) => (
                <tr>
                  <td>{r.unitCode}</td>
                  <td>{formatShanghai(r.at)}</td>
                  <td>{r.late ? '逾期' : '按时'}</td>
                  <td>
                    <a href={`/unit/hand-ins/${r.id}/export.xlsx`}>Excel</a>
                  </td>
                </tr>
              ))}
            </DataTable>
          </section>
        ) : null}
      </PortalLayout>,
    );
  });

  app.get('/api/v1/admin/hand-ins', async (c) => {
    return c.json(await handInBoard(deps.db));
  });

  app.get('/admin/hand-ins', async (c) => {
    const board = await handInBoard(deps.db);
    return c.html(
      <OfficePage title="报送情况">
        {board.map((s) => (
          <section class="card">
            <h2>
              {s.label}（{s.date}，已报 {s.handedIn.length}，未报 {s.missing.length}）
            </h2>
            <DataTable head={['单位', '报送时间', '是否按时', '条数', '下载']} label={s.label}>
              {s.handedIn.map((h) => (
                <tr>
                  <td>{h.name}</td>
                  <td>{formatShanghai(Date.parse(h.at))}</td>
                  <td>{h.late ? '逾期报送' : '按时报送'}</td>
                  <td>{h.rows} 条</td>
                  <td>
                    <a href={`/unit/hand-ins/${h.id}/export.xlsx`}>Excel</a>
                  </td>
                </tr>
              ))}
              {s.missing.map((m) => (
                <tr>
                  <td>{m.name}</td>
                  <td colspan={4}>尚未报送</td>
                </tr>
              ))}
            </DataTable>
          </section>
        ))}
      </OfficePage>,
    );
  });

  return app;
}
