import { env, SELF, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/workers/entry.ts';

describe('the Worker entry in workerd', () => {
  it('answers /healthz from the libSQL HTTP server', async () => {
    const res = await SELF.fetch('https://pingan.example.org/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'ok' });
  });

  it('lists the seeded organisation', async () => {
    const res = await SELF.fetch('https://pingan.example.org/api/v1/units');
    expect(res.status).toBe(200);
    const units = (await res.json()) as { code: string; kind: string; parent: string | null }[];
    expect(units.find((u) => u.code === 'office')).toMatchObject({ kind: 'office', parent: null });
    expect(units.filter((u) => u.kind === 'department')).toHaveLength(20);
  });

  it('runs scheduled() for both crons', async () => {
    for (const cron of ['*/5 * * * *', '5 16 * * *']) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.UTC(2014, 10, 4, 16, 5) }), env as never, ctx);
      await waitOnExecutionContext(ctx);
    }
  });
});
