// Issue 16 inside workerd over libSQL HTTP: one address's eleventh anonymous answer for a unit in a day is kept
// but not ranked (finding 1), and a tipster's "fixed" and "not fixed" sent at once apply once (finding 6).
import { env, SELF } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';

const BASE = 'https://pingan.example.org';
const db = () => createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
const randomIp = () => `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

const post = (path: string, body: unknown, ip: string) =>
  SELF.fetch(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip }, body: JSON.stringify(body) });

describe('issue 16 in workerd', () => {
  it('answers beyond ten from one address for one unit in a day are stored but unranked', async () => {
    const ip = randomIp();
    const answer = { satisfaction: 'satisfied', aware: 'yes', participated: 'yes' };
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await post('/api/v1/forms/mass-feedback/submissions?u=xiguan-c2', answer, ip);
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const rows = await db().execute(`SELECT id, unranked, address_key FROM submissions WHERE id IN (${ids.join(',')}) ORDER BY id`);
    expect(rows.rows.map((r) => r.unranked)).toEqual([...Array(10).fill(0), 1, 1]);
    expect(JSON.stringify(rows.rows)).not.toContain(ip);
    expect(new Set(rows.rows.map((r) => r.address_key)).size).toBe(1);
  });

  it('"fixed" and "not fixed" posted at the same instant apply once', async () => {
    const created = await post('/api/v1/forms/hazard-tip/submissions', { category: 'fire', place: `workerd 竞态 ${crypto.randomUUID().slice(0, 8)}`, description: '消防通道堵塞' }, randomIp());
    expect(created.status).toBe(201);
    const { id, receipt } = (await created.json()) as { id: number; receipt: string };
    const client = db();
    const hazard = await client.execute({ sql: 'SELECT id FROM hazards WHERE submission_id = ?', args: [id] });
    const hazardId = Number(hazard.rows[0]!.id);
    // Closed out as fixed, as the office's 核查销号 leaves it.
    await client.execute({ sql: "UPDATE hazards SET state = 'closed', closed_at = ?, closed_day = '2014-11-04' WHERE id = ?", args: [Date.now(), hazardId] });
    const results = await Promise.all([true, false, true, false].map((fixed) => post(`/api/v1/receipts/${receipt}/feedback`, { fixed }, randomIp())));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const s of statuses) expect([200, 409]).toContain(s);
    const events = await client.execute({ sql: "SELECT count(*) AS n FROM hazard_events WHERE hazard_id = ? AND action IN ('confirm_fixed', 'reopen')", args: [hazardId] });
    expect(events.rows[0]!.n).toBe(1);
  });
});
