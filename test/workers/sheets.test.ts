// Inside workerd: the Worker signs its service-account JWT, gets a token from the fake Google and writes the sheet.
import { env, SELF, createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/runtime/workers/entry.ts';
import { shanghaiDay } from '../../src/lib/time.ts';

const google = (env as unknown as { GOOGLE_API_ROOT: string }).GOOGLE_API_ROOT;

interface Recorded {
  kind: string;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

async function fake<T>(path: string): Promise<T> {
  const res = await fetch(new URL(path, google));
  return (await res.json()) as T;
}

describe('the sheet mirror in workerd', () => {
  it('flushes from scheduled() with a signed JWT, one batched write, and no personal data', async () => {
    // A marker without digits: runs of 7+ digits are masked on the way to the sheet.
    const opinion = `路口缺少路灯，晚上不安全（workerd ${Math.random().toString(36).slice(2).replace(/[0-9]/g, 'x')}）`;
    const res = await SELF.fetch('https://pingan.example.org/api/v1/forms/mass-feedback/submissions?u=chencang-v2', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ satisfaction: 'basically_satisfied', aware: true, participated: true, opinion, name: '王秀英', phone: '13912345678' }),
    });
    expect(res.status).toBe(201);

    // Other test files share this fake and database, and may hold the flush lease for a moment: run the
    // cron again until the opinion is in the sheet (each run is idempotent).
    let requests: Recorded[] = [];
    for (let run = 0; run < 10; run++) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env as never, ctx);
      await waitOnExecutionContext(ctx);
      requests = await fake<Recorded[]>('/_fake/requests');
      if (requests.some((r) => r.kind === 'valuesBatchUpdate' && r.status === 200 && JSON.stringify(r.body).includes(opinion))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const token = requests.find((r) => r.kind === 'token' && r.status === 200);
    expect(token, 'a token granted for a JWT whose RS256 signature the fake verified').toBeDefined();
    const assertion = String((token!.body as { assertion: string }).assertion);
    const [header, claims] = assertion.split('.').slice(0, 2).map((p) => JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>);
    expect(header).toMatchObject({ alg: 'RS256' });
    expect(claims).toMatchObject({ iss: 'pingan-sync@pingan-test.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/spreadsheets' });

    const writes = requests.filter((r) => r.kind === 'valuesBatchUpdate' && r.status === 200);
    expect(writes.length).toBeGreaterThanOrEqual(1);
    const carrying = writes.filter((w) => JSON.stringify(w.body).includes(opinion));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]!.body).toMatchObject({ valueInputOption: 'RAW' });
    // One call carries every tab: the six tab ranges, quoted, in one values.batchUpdate.
    const ranges = (carrying[0]!.body as { data: { range: string }[] }).data.map((d) => d.range);
    expect(ranges).toContain(ranges.find((r) => r.startsWith("'群众意见'!A1:E")));
    expect(requests.filter((r) => r.kind === 'batchUpdate' && r.status === 200).length).toBe(1);

    const tab = await fake<(string | number)[][]>(`/_fake/tab?title=${encodeURIComponent('群众意见')}`);
    const row = tab.find((r) => r[4] === opinion);
    expect(row).toEqual([shanghaiDay(new Date()), '陈仓示范村二（演示）', '平安建设群众满意度调查', '基本满意', opinion]);
    const everything = requests.map((r) => JSON.stringify(r.body)).join('\n');
    expect(everything).not.toContain('王秀英');
    expect(everything).not.toContain('13912345678');

    const health = await SELF.fetch('https://pingan.example.org/healthz?detail=1');
    const detail = (await health.json()) as { sheets: { configured: boolean; lastSuccessAt: string | null; pending: number } };
    expect(detail.sheets.configured).toBe(true);
    expect(detail.sheets.lastSuccessAt).not.toBeNull();
  });
});
