// The database gone while people keep using every page and API: each answers 503 with a Chinese message to retry
// (or works, where it needs no database) — never a 500, and never a 401/403/404 that would tell someone their code
// is wrong or their receipt does not exist.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { OFFICE_UNIT } from '../../../src/auth/codes.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { faultyDb, networkError } from '../../helpers/faulty-db.ts';
import { signIn } from '../../helpers/unit-portal.ts';

const JSON_ROUTES = [
  'GET /api/v1/units',
  'GET /api/v1/forms',
  'GET /api/v1/receipts/{receipt}',
  'GET /api/v1/rankings?date=2014-11-03&group=towns',
  'GET /api/v1/admin/hazards',
  'GET /api/v1/admin/hazards/{hazard}',
  'GET /api/v1/admin/access-codes',
  'GET /api/v1/unit/cadres',
  'GET /api/v1/unit/hazards',
  'GET /api/v1/unit/forms/household-visit/submissions',
  'POST /api/v1/admin/hazards/{hazard}/transitions',
  'POST /api/v1/unit/forms/task-report/submissions',
  'POST /api/v1/forms/mass-feedback/submissions?u=chencang-v1',
];
const BODIES: [string, unknown][] = [
  ['transitions', { action: 'assign', leadUnit: 'police', days: 3 }],
  ['task-report', { task: 'towns-law-lectures', quantity: 1, date: '2014-11-04' }],
  ['mass-feedback', { satisfaction: 'satisfied', aware: 'yes', participated: 'no' }],
];
const PAGES = ['/f/mass-feedback?u=chencang-v1', '/r/{receipt}', '/unit', '/unit/cadres', '/unit/forms/household-visit', '/unit/export', '/admin', '/admin/access', '/leader', '/leader/circular'];

describe('the database gone', () => {
  it('every API answers 503 with a message to retry; every page that needs the database says the same in Chinese', async () => {
    const { db, faults } = await faultyDb();
    const t = await makeTestApp({ seed: false, deps: { db } });
    const tip = await t.app.request('/api/v1/forms/hazard-tip/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'rental-housing', place: '中山东路12号出租屋', description: '楼道堆满杂物，堵住了消防通道' }),
    });
    const { receipt } = (await tip.json()) as { receipt: string };
    const [hazard] = await db.all<{ id: number }>(sql`select id from hazards`);
    const office = await signIn({ ...t, db }, OFFICE_UNIT);
    const unit = await signIn({ ...t, db }, 'chencang');
    const fill = (s: string) => s.replace('{receipt}', receipt).replace('{hazard}', String(hazard!.id));

    faults.set({ at: 1, sticky: true, error: networkError });
    const wrong: string[] = [];
    for (const route of JSON_ROUTES) {
      const [method, path] = route.split(' ') as [string, string];
      const session = path.includes('/admin/') || path.includes('/rankings') ? office : unit;
      const res = await t.app.request(fill(path), {
        method,
        headers: { authorization: `Bearer ${session.code}`, 'content-type': 'application/json' },
        body: method === 'POST' ? JSON.stringify(BODIES.find(([p]) => path.includes(p))![1]) : undefined,
      });
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      if (res.status !== 503 || !/请稍后/.test(body.message ?? '') || res.headers.get('retry-after') !== '30') wrong.push(`${route} → ${res.status} ${JSON.stringify(body)}`);
    }
    for (const path of PAGES) {
      const session = path.startsWith('/admin') || path.startsWith('/leader') ? office : unit;
      const res = await session.page(fill(path));
      const html = await res.text();
      if (res.status === 200) continue;
      if (res.status !== 503 || !/请稍后/.test(html)) wrong.push(`${path} → ${res.status} ${html.slice(0, 200)}`);
    }
    // Signing in with a good code during the outage: not "wrong code", and not counted as a guess.
    const signin = await t.app.request('/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: unit.code, next: '/unit' }).toString(),
    });
    if (signin.status !== 503) wrong.push(`POST /signin → ${signin.status} ${(await signin.text()).slice(0, 200)}`);
    faults.clear();
    expect(wrong).toEqual([]);
    expect(await db.all(sql`select * from sign_in_failures`)).toEqual([]);
    // And when it is back, the same codes and sessions still work.
    expect((await unit.page('/unit')).status).toBe(200);
    expect((await t.app.request(`/api/v1/receipts/${receipt}`)).status).toBe(200);
  });
});
