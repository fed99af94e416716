// Exports of a unit's own records (the office: any unit's, with ?unit=): CSV for one form, XLSX for one or all.
import { Hono } from 'hono';
import type { Deps } from '../../deps.ts';
import { requireRole, type AuthEnv } from '../../auth/middleware.ts';
import type { FormDefinition } from '../../forms/types.ts';
import { notFound } from '../../lib/errors.ts';
import { shanghaiDay } from '../../lib/time.ts';
import { toCsv } from './csv.ts';
import { exportTable } from './rows.ts';
import { toXlsx } from './xlsx.ts';
import { PortalLayout, portalScope, unitQuery } from '../layout.tsx';
import { campaignFromQuery } from '../../campaign/store.ts';
import { attachment } from '../../web/attachment.ts';
import { formsOf } from '../../forms/store.ts';

const UNIT_FORMS = async (deps: Deps) => (await formsOf(deps.db)).filter((f) => f.audience === 'unit');

async function formOf(deps: Deps, id: string | undefined): Promise<FormDefinition | undefined> {
  if (id === undefined || id === '') return undefined;
  const form = (await UNIT_FORMS(deps)).find((f) => f.id === id);
  if (!form) throw notFound('找不到该表单');
  return form;
}

export function unitExportRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['unit', 'admin', 'leader']);

  app.get('/unit/export', readers, async (c) => {
    const { principal, unit } = await portalScope(deps, c);
    const q = unitQuery(principal, unit.code, '&');
    const masked = principal.role !== 'admin';
    const list = await UNIT_FORMS(deps);
    return c.html(
      <PortalLayout title="导出记录" principal={principal} unitName={unit.name} unitCode={unit.code} current="/unit/export">
        <h1>导出{unit.name}的记录</h1>
        <p class="muted">
          {masked
            ? '导出文件中的户主姓名、住址、电话等个人信息已脱敏（如 张**、138****1234）。完整信息只有区综治办可以导出。'
            : '区综治办导出的文件含完整个人信息，请妥善保管，不要转发。'}
        </p>
        <p>
          <a class="btn" href={`/unit/export.xlsx?${q.slice(1)}`}>
            全部表单（Excel）
          </a>
        </p>
        <table>
          <tbody>
            {list.map((f) => (
              <tr>
                <td>{f.title}</td>
                <td>
                  <a href={`/unit/export.xlsx?form=${f.id}${q}`}>Excel</a>
                </td>
                <td>
                  <a href={`/unit/export.csv?form=${f.id}${q}`}>CSV</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </PortalLayout>,
    );
  });

  app.get('/unit/export.csv', readers, async (c) => {
    const { principal, unit } = await portalScope(deps, c);
    const form = (await formOf(deps, c.req.query('form'))) ?? (await formOf(deps, 'household-visit'))!;
    const { campaign } = await campaignFromQuery(deps.db, c.req.query('campaign'));
    const table = await exportTable(deps.db, form, unit, { unmasked: principal.role === 'admin', window: campaign.settings });
    const day = shanghaiDay(deps.now());
    attachment(c, `${unit.name}-${form.title}-${day}.csv`, `${unit.code}-${form.id}-${day}.csv`);
    return c.body(toCsv(table), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
  });

  app.get('/unit/export.xlsx', readers, async (c) => {
    const { principal, unit } = await portalScope(deps, c);
    const one = await formOf(deps, c.req.query('form'));
    const chosen = one ? [one] : await UNIT_FORMS(deps);
    const { campaign } = await campaignFromQuery(deps.db, c.req.query('campaign'));
    const tables = await Promise.all(chosen.map((f) => exportTable(deps.db, f, unit, { unmasked: principal.role === 'admin', window: campaign.settings })));
    const day = shanghaiDay(deps.now());
    const label = one ? one.title : '全部表单';
    attachment(c, `${unit.name}-${label}-${day}.xlsx`, `${unit.code}-${one?.id ?? 'all'}-${day}.xlsx`);
    const bytes = await toXlsx(tables);
    return c.body(bytes as unknown as ArrayBuffer, 200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  });

  return app;
}
