import { env, SELF, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import worker from '../../src/runtime/workers/entry.ts';
import type { ScheduledResult } from '../../src/core/scheduled.ts';

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

  it('runs scheduled() for both crons, and each job reports what it did', async () => {
    // What scheduled() hands to waitUntil is runScheduled's promise: it never rejects, it reports each job.
    const run = async (cron: string): Promise<ScheduledResult> => {
      const ctx = createExecutionContext();
      const waitUntil = vi.spyOn(ctx, 'waitUntil');
      await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.UTC(2014, 10, 4, 16, 5) }), env as never, ctx);
      await waitOnExecutionContext(ctx);
      return (await waitUntil.mock.calls[0]![0]) as ScheduledResult;
    };
    const res = await SELF.fetch('https://pingan.example.org/api/v1/forms/mass-feedback/submissions?u=chencang-v2', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ satisfaction: 'satisfied', aware: true, participated: true }),
    });
    expect(res.status).toBe(201);

    // Other test files share the database and may hold the flush lease for a moment: run again while busy.
    let every5 = await run('*/5 * * * *');
    for (let i = 0; i < 10 && (every5.jobs[1] as { result?: { status?: string } }).result?.status === 'busy'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      every5 = await run('*/5 * * * *');
    }
    expect(every5.jobs.map((j) => j.name)).toEqual(['hazards-overdue', 'sheets-flush']);
    expect(every5.jobs[0]).toEqual({ name: 'hazards-overdue', ok: true, result: { reminded: expect.any(Number), overdue: expect.any(Number) } });
    const flush = every5.jobs[1]!;
    expect(flush).toMatchObject({ name: 'sheets-flush', ok: true });
    // The new opinion went out in this run, or a flush of another test file carried it already.
    const flushed = (flush as { result: { status: string; jobs?: number; tabs?: string[] } }).result;
    expect(['sent', 'idle']).toContain(flushed.status);
    if (flushed.status === 'sent') {
      expect(flushed.jobs).toBeGreaterThan(0);
      expect(flushed.tabs).toContain('overview');
    }

    const daily = await run('5 16 * * *');
    expect(daily.jobs.map((j) => j.name)).toEqual(['rankings', 'form-tokens', 'retention']);
    // 00:05 on 5 November in Beijing: the snapshot of 4 November, the day that just ended, is (re)written.
    expect(daily.jobs[0]).toMatchObject({ ok: true, result: expect.arrayContaining(['2014-11-04']) });
    expect(daily.jobs[1]).toEqual({ name: 'form-tokens', ok: true, result: expect.any(Number) });
    // The 2014 campaign is stored by no one here: nothing is past its retention, nothing is purged.
    expect(daily.jobs[2]).toEqual({ name: 'retention', ok: true, result: { campaigns: 0, personal: 0, photos: 0 } });
  });
});
