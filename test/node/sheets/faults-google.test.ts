// Faults on Google's side: down, slow, answering 429 or 5xx, refusing tokens. Submissions never wait for Google:
// they answer 201 and store their rows; the outbox keeps the jobs until a later flush gets them through.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { count, sql } from 'drizzle-orm';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sheetOutbox, submissions } from '../../../src/db/schema.ts';
import type { Deps } from '../../../src/deps.ts';
import { createGoogleSheetsGateway, sheetsGatewayFromConfig } from '../../../src/sheets/client.ts';
import { flushSheets } from '../../../src/sheets/flush.ts';
import { TAB_TITLES } from '../../../src/sheets/tabs.ts';
import { startFakeGoogle, type FakeGoogle, type Injection } from '../../fakes/google/index.ts';
import { makeTestApp, testConfig, type TestContext } from '../../helpers/app.ts';

const noSleep = async () => {};
const PHONE = '13987654321';

let google: FakeGoogle;
beforeAll(async () => {
  google = await startFakeGoogle();
});
afterAll(async () => {
  await google.close();
});
beforeEach(() => google.reset());

function googleConfig(apiRoot = google.apiRoot): Record<string, string> {
  return { GOOGLE_SERVICE_ACCOUNT: google.serviceAccountJson, SHEET_ID: google.spreadsheetId, GOOGLE_API_ROOT: apiRoot, GOOGLE_TOKEN_URL: google.tokenUrl };
}

async function appWithSheets(apiRoot?: string): Promise<TestContext> {
  const config = googleConfig(apiRoot);
  return makeTestApp({ config, deps: { sheets: sheetsGatewayFromConfig(testConfig(config)) } });
}

async function submit(t: TestContext, opinion: string) {
  const started = performance.now();
  const res = await t.app.request('/api/v1/forms/mass-feedback/submissions?u=zhongshan-east-c1', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ satisfaction: 'satisfied', aware: 'yes', participated: 'no', opinion, phone: PHONE }),
  });
  return { res, ms: performance.now() - started };
}

async function state(t: TestContext) {
  const [s] = await t.db.select({ n: count() }).from(submissions);
  const jobs = await t.db.select({ tab: sheetOutbox.tab, attempts: sheetOutbox.attempts }).from(sheetOutbox);
  return { submissions: s!.n, jobs };
}

const opinionsTab = () => JSON.stringify(google.readTab(TAB_TITLES.opinions));

/** A port nothing listens on: Google unreachable. */
async function deadRoot(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return `http://127.0.0.1:${port}/`;
}

describe('Google failing', () => {
  it.each<[string, Injection]>([
    ['answering 429 with Retry-After', { status: 429, retryAfter: '1' }],
    ['answering 503', { status: 503 }],
    ['refusing tokens (500 from the token endpoint)', { status: 500, target: 'token' }],
  ])('%s: submissions answer 201 and are stored, the flush fails and keeps every job, the next flush sends them', async (_name, injection) => {
    const t = await appWithSheets();
    google.inject(injection);

    const first = await submit(t, '第一条意见：路灯坏了');
    expect(first.res.status).toBe(201);
    const pending = await state(t);
    expect(pending.submissions).toBe(1);
    expect(pending.jobs.map((j) => j.tab).sort()).toEqual(['opinions', 'overview']);

    const failed = await flushSheets(t.deps, { sleep: noSleep });
    expect(failed.status).toBe('failed');
    // Google saw requests and refused them all; nothing reached a tab.
    expect(google.requests.some((r) => r.status === (injection.status ?? 200))).toBe(true);
    expect(google.sheetTitles()).not.toContain(TAB_TITLES.opinions);
    // Every tab that was waiting still is (the flush may add tabs of its own, e.g. the day's hazards).
    const kept = await state(t);
    expect(kept.jobs.map((j) => j.tab)).toEqual(expect.arrayContaining(['opinions', 'overview']));
    expect(kept.jobs.every((j) => j.attempts === 1)).toBe(true);

    // Still failing: people keep submitting without noticing.
    const second = await submit(t, '第二条意见：巡逻要加强');
    expect(second.res.status).toBe(201);
    expect((await state(t)).submissions).toBe(2);

    google.clearInjections();
    // The next cron run after the backoff.
    t.setNow(new Date(t.deps.now().getTime() + 31 * 60_000));
    const sent = await flushSheets(t.deps, { sleep: noSleep });
    expect(sent.status).toBe('sent');
    expect((await state(t)).jobs).toEqual([]);
    expect(opinionsTab()).toContain('第一条意见：路灯坏了');
    expect(opinionsTab()).toContain('第二条意见：巡逻要加强');
    expect(google.receivedText()).not.toContain(PHONE);
  });

  it('down (nothing listening): submissions are unaffected and the jobs wait for Google to come back', async () => {
    const t = await appWithSheets(await deadRoot());
    const first = await submit(t, '谷歌不通时的意见');
    expect(first.res.status).toBe(201);
    const failed = await flushSheets(t.deps, { sleep: noSleep });
    expect(failed).toMatchObject({ status: 'failed' });
    expect((await state(t)).jobs.map((j) => j.tab)).toEqual(expect.arrayContaining(['opinions', 'overview']));
    expect((await submit(t, '又一条')).res.status).toBe(201);

    // Google reachable again (a relay fixed, a network back).
    const back: Deps = { ...t.deps, sheets: sheetsGatewayFromConfig(testConfig(googleConfig())) };
    t.setNow(new Date(t.deps.now().getTime() + 31 * 60_000));
    expect((await flushSheets(back, { sleep: noSleep })).status).toBe('sent');
    expect((await state(t)).jobs).toEqual([]);
    expect(opinionsTab()).toContain('谷歌不通时的意见');
  });

  it('slow (a call that takes 1.5 s): a submission during a flush answers at once, and its change is not lost to the running flush', async () => {
    const t = await appWithSheets();
    expect((await submit(t, '慢之前的意见')).res.status).toBe(201);
    google.inject({ delayMs: 1500, times: 1 });

    const flushing = flushSheets(t.deps, { sleep: noSleep });
    // Let the flush claim its jobs and reach Google.
    await new Promise((r) => setTimeout(r, 200));
    const during = await submit(t, '刷新进行中提交的意见');
    expect(during.res.status).toBe(201);
    expect(during.ms).toBeLessThan(1000);
    expect((await flushing).status).toBe('sent');

    // The flush sent what it had claimed; the change made during it waits as a new job.
    const after = await state(t);
    expect(after.submissions).toBe(2);
    expect(after.jobs.map((j) => j.tab).sort()).toEqual(['opinions', 'overview']);
    google.clearInjections();
    expect((await flushSheets(t.deps, { sleep: noSleep })).status).toBe('sent');
    expect((await state(t)).jobs).toEqual([]);
    expect(opinionsTab()).toContain('刷新进行中提交的意见');
    const [{ n } = { n: 0 }] = await t.db.all<{ n: number }>(sql`select count(*) as n from submissions`);
    expect(n).toBe(2);
  });

  it('hung (accepts, never answers): the flush gives up after its request timeout, keeps its jobs, and the next run is not blocked', async () => {
    const t = await appWithSheets();
    const hungGateway = createGoogleSheetsGateway({
      serviceAccountJson: google.serviceAccountJson,
      spreadsheetId: google.spreadsheetId,
      apiRoot: google.apiRoot,
      tokenUrl: google.tokenUrl,
      timeoutMs: 300,
    });
    const deps: Deps = { ...t.deps, sheets: hungGateway };
    expect((await submit(t, '谷歌不回话时的意见')).res.status).toBe(201);
    // Far longer than any test: without a timeout the flush, and on Node every later */5 run behind it, would wait forever.
    google.inject({ delayMs: 60_000, times: 100 });
    const started = performance.now();
    const result = await flushSheets(deps, { sleep: noSleep });
    expect(result.status).toBe('failed');
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await state(t)).jobs.map((j) => j.tab)).toEqual(expect.arrayContaining(['opinions', 'overview']));
    google.clearInjections();
    t.setNow(new Date(t.deps.now().getTime() + 31 * 60_000));
    expect((await flushSheets(deps, { sleep: noSleep })).status).toBe('sent');
    expect(opinionsTab()).toContain('谷歌不回话时的意见');
  }, 20_000);
});
