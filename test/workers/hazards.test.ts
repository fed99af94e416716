// Hazard supervision inside workerd over libSQL HTTP: a tip becomes a hazard in the submission's
// transaction, transitions run as interactive transactions, and the */5 job marks it overdue.
import { env, SELF, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/workers/entry.ts';
import { sha256Hex } from '../../src/lib/crypto.ts';

const BASE = 'https://pingan.example.org';

describe('hazards in workerd', () => {
  it('tip → assign → accept, the receipt follows, and the scheduled job marks it overdue once', async () => {
    const db = createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
    const suffix = crypto.randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
    const codes = { office: `WKHZA${suffix}`, police: `WKHZP${suffix}` };
    for (const [unit, code] of Object.entries(codes)) {
      await db.execute({
        sql: "INSERT INTO access_codes (code_hash, role, unit_code, label, created_at) VALUES (?, ?, ?, 'workers hazards test', ?)",
        args: [await sha256Hex(code), unit === 'office' ? 'admin' : 'unit', unit, Date.now()],
      });
    }
    const call = (path: string, code: string | null, body?: unknown) =>
      SELF.fetch(`${BASE}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', ...(code ? { authorization: `Bearer ${code}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    const created = await call('/api/v1/forms/hazard-tip/submissions', null, {
      category: 'fire',
      place: `workerd 测试地点 ${suffix}`,
      description: '消防栓被杂物遮挡，无法使用',
      contactPhone: '13800138000',
    });
    expect(created.status).toBe(201);
    const { id: submissionId, receipt } = (await created.json()) as { id: number; receipt: string };
    const row = await db.execute({ sql: 'SELECT id, state, number FROM hazards WHERE submission_id = ?', args: [submissionId] });
    expect(row.rows).toHaveLength(1);
    const hazardId = Number(row.rows[0]!.id);
    expect(row.rows[0]!.state).toBe('reported');

    let res = await call(`/api/v1/admin/hazards/${hazardId}/transitions`, codes.office, { action: 'assign', leadUnit: 'police', days: 1, deadlineKind: 'calendar' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { state: string }).state).toBe('assigned');
    res = await call(`/api/v1/unit/hazards/${hazardId}/transitions`, codes.police, { action: 'accept' });
    expect(res.status).toBe(200);
    res = await call(`/api/v1/unit/hazards/${hazardId}/transitions`, codes.police, { action: 'close' });
    expect(res.status).toBe(409);
    // Once signed for, the unit cannot hand it back (退单 is only before signing): it reports it fixed or its progress.
    expect(((await res.json()) as { allowed: string[] }).allowed).toEqual(['report_fixed', 'progress']);

    const status = (await (await call(`/api/v1/receipts/${receipt}`, null)).json()) as { status: string; history: { status: string }[] };
    // The receipt speaks residents' words, not the office's state names.
    expect(status.status).toBe('责任单位正在整改');
    expect(status.history.map((s) => s.status)).toEqual(['已受理，正在分派', '已交责任单位整改', '责任单位正在整改']);
    expect(JSON.stringify(status)).not.toContain('13800138000');

    // Ten days on, the deadline has passed: one overdue event however many runs.
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() + 10 * 86_400_000 + i * 300_000 }), env as never, ctx);
      await waitOnExecutionContext(ctx);
    }
    const marked = await db.execute({ sql: 'SELECT overdue FROM hazards WHERE id = ?', args: [hazardId] });
    expect(marked.rows[0]!.overdue).toBe(1);
    const events = await db.execute({ sql: "SELECT count(*) AS n FROM hazard_events WHERE hazard_id = ? AND action = 'overdue'", args: [hazardId] });
    expect(events.rows[0]!.n).toBe(1);
  });
});
