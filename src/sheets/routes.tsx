// The leaders' workbook download (the sheet's six tabs as XLSX, for where Google is unreachable).
import { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import { shanghaiDay } from '../lib/time.ts';
import { buildWorkbook, XLSX_TYPE } from './workbook.ts';

export const WORKBOOK_PATH = '/leader/workbook.xlsx';

export function sheetsRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();

  app.get(WORKBOOK_PATH, requireRole(deps, ['leader', 'admin']), async (c) => {
    const body = await buildWorkbook(deps);
    const name = `平安建设汇总-${shanghaiDay(deps.now())}.xlsx`;
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'content-type': XLSX_TYPE,
      'content-disposition': `attachment; filename="pingan-${shanghaiDay(deps.now())}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
      'cache-control': 'private, no-store',
    });
  });

  return app;
}
