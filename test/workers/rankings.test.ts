// The nightly ranking inside workerd: worker.scheduled() at 00:05 Beijing time stores the day's snapshot, read back through the Worker.
import { env, SELF, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/workers/entry.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';

const BASE = 'https://pingan.example.org';
const DAY = '2014-11-09';

describe('the daily ranking in workerd', () => {
  it("'5 16 * * *' snapshots the Beijing day that just ended and the API serves it", async () => {
    const db = createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
    const code = `WKRANK${crypto.randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
    try {
      await db.execute({
        sql: "INSERT INTO access_codes (code_hash, role, unit_code, label, created_at) VALUES (?, 'leader', 'office', 'workers rankings test', ?)",
        args: [await sha256Hex(code), Date.now()],
      });
      // One resident answer for a department at 23:59:59 on the day, in Beijing time.
      await db.execute({
        sql: `INSERT INTO submissions (form_id, form_version, unit_code, rollup_code, source, created_at, day, payload, receipt, satisfaction, aware, participated)
              VALUES ('mass-feedback', 1, 'credit-union', 'credit-union', 'public', ?, ?, '{}', ?, 'basically_satisfied', 1, 0)`,
        args: [Date.parse(`${DAY}T23:59:59+08:00`), DAY, `WK-${code}`],
      });
      await db.execute({ sql: 'DELETE FROM ranking_snapshots WHERE day = ?', args: [DAY] });
      const get = (path: string) => SELF.fetch(`${BASE}${path}`, { headers: { authorization: `Bearer ${code}` } });
      expect((await get(`/api/v1/rankings?date=${DAY}`)).status).toBe(404);

      // 2014-11-09 16:05 UTC is 00:05 on the 10th in Beijing.
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: '5 16 * * *', scheduledTime: Date.UTC(2014, 10, 9, 16, 5) }), env as never, ctx);
      await waitOnExecutionContext(ctx);

      const stored = await db.execute({ sql: 'SELECT grp, count(*) AS n FROM ranking_snapshots WHERE day = ? GROUP BY grp ORDER BY grp', args: [DAY] });
      expect(stored.rows.map((r) => `${r.grp}:${r.n}`)).toEqual(['departments:20', 'towns:11']);
      // Missed days since the campaign start were filled too.
      const days = await db.execute({ sql: "SELECT count(DISTINCT day) AS n FROM ranking_snapshots WHERE day BETWEEN '2014-10-29' AND ?", args: [DAY] });
      expect(days.rows[0]!.n).toBe(12);

      const res = await get(`/api/v1/rankings?date=${DAY}&group=departments`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { date: string; rows: { rank: number; unitCode: string; unitName: string; score: number; metrics: Record<string, unknown> }[] };
      expect(body.date).toBe(DAY);
      expect(body.rows).toHaveLength(20);
      const cu = body.rows.find((r) => r.unitCode === 'credit-union')!;
      expect(cu.unitName).toBe('金台信用联社');
      expect(cu.metrics.S).toMatchObject({ num: 1, den: 1, value: 1 });
      expect(body.rows.map((r) => r.rank)).toEqual([...body.rows.map((r) => r.rank)].sort((a, b) => a - b));
      expect(body.rows[0]!.rank).toBe(1);

      const page = await get(`/leader?date=${DAY}&group=departments`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('金台信用联社');
    } finally {
      db.close();
    }
  });
});
