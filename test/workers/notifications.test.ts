// The delivery job inside workerd: a tip written through the Worker puts an event in the outbox, and the
// every-minute scheduled() sends it to the office's WeCom and (signed) DingTalk robots at the fake providers.
import { env, SELF, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/workers/entry.ts';

const root = (env as unknown as { WECOM_API_ROOT: string }).WECOM_API_ROOT;

interface Received {
  wecom: { key: string; text: string }[];
  dingtalk: { key: string; text: string }[];
  refused: { provider: string; why: string }[];
}

describe('notifications in workerd', () => {
  it('scheduled("* * * * *") delivers a new tip to the office robots, DingTalk signed with WebCrypto', async () => {
    const db = createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
    const key = `wk-${crypto.randomUUID()}`;
    await db.execute({
      sql: "INSERT INTO notify_channels (target, kind, url, secret, created_at, created_by) VALUES ('office', 'wecom', ?, NULL, ?, 'workers test')",
      args: [`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${key}`, Date.now()],
    });
    await db.execute({
      sql: "INSERT INTO notify_channels (target, kind, url, secret, created_at, created_by) VALUES ('office', 'dingtalk', ?, ?, ?, 'workers test')",
      args: ['https://oapi.dingtalk.com/robot/send?access_token=ding-token-1', 'SECfake0123456789abcdef', Date.now()],
    });
    const res = await SELF.fetch('https://pingan.example.org/api/v1/forms/hazard-tip/submissions?u=chencang-v2', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'rental-housing', place: '陈仓路口', description: '电动车楼道充电', contactPhone: '13912345678' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const number = String((await db.execute({ sql: 'SELECT number FROM hazards WHERE submission_id = ?', args: [id] })).rows[0]!.number);

    let got: Received = { wecom: [], dingtalk: [], refused: [] };
    // Other files share the database: run the job until this tip has gone out (each run is idempotent).
    for (let run = 0; run < 5; run++) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: '* * * * *', scheduledTime: Date.now() }), env as never, ctx);
      await waitOnExecutionContext(ctx);
      got = (await (await fetch(new URL('/_fake/notify', root))).json()) as Received;
      if (got.wecom.some((m) => m.key === key && m.text.includes(number)) && got.dingtalk.some((m) => m.text.includes(number))) break;
    }
    expect(got.wecom.filter((m) => m.key === key && m.text.includes(number))).toHaveLength(1);
    expect(got.dingtalk.filter((m) => m.text.includes(number))).toHaveLength(1);
    expect(got.refused).toEqual([]);
    expect(JSON.stringify(got)).not.toContain('13912345678');
  });
});
