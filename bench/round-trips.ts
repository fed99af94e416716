// Round trips to the database per operation, and what they cost at Turso's distance: the app on libSQL over HTTP
// (the @libsql/client/web path the Worker uses) against the project's local libSQL server, behind a proxy that
// counts each request and adds a fixed delay to it. Reports trips per submission form, hazard action and main
// page; the p50 of a tip at 40 ms per trip; and 16 concurrent clients submitting for a few seconds, with every
// accepted submission checked to be stored exactly once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { hazards, submissions } from '../src/db/schema.ts';
import { issueAccessCode } from '../src/auth/codes.ts';
import { makeHttpTestApp, type HttpTestContext } from '../test/helpers/round-trips.ts';
import { VALID } from '../test/helpers/public-forms.ts';
import { machine } from './submissions.ts';
import type { Bench } from './types.ts';

const DELAY_MS = Number(process.env.BENCH_TRIP_DELAY_MS ?? 40);
const CONCURRENCY = 16;
const LOAD_SECONDS = Number(process.env.BENCH_TRIPS_SECONDS ?? 5);
const ORIGIN = { origin: 'https://pingan.example.org' };

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function expectStatus(res: Response | Promise<Response>, status: number, what: string): Promise<Response> {
  const r = await res;
  if (r.status !== status) throw new Error(`${what}: ${r.status} ${(await r.text()).slice(0, 200)}`);
  return r;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** Sends a request to the app: in process (app.request) or to the Worker in workerd (wrangler's dev server). */
type Requester = (path: string, init?: RequestInit) => Promise<Response>;

async function signIn(t: HttpTestContext, request: Requester, unitCode: string) {
  const issued = await issueAccessCode(t.db, { unitCode, label: 'bench' });
  const res = await expectStatus(
    request('/signin', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...ORIGIN },
      body: new URLSearchParams({ code: issued.code, next: '/unit' }).toString(),
    }),
    303,
    'sign-in',
  );
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return { code: issued.code, cookie };
}

/** Trips per operation, a tip's latency and concurrent throughput at DELAY_MS per round trip, through `request`. */
async function scenario(t: HttpTestContext, request: Requester, log: (line: string) => void) {
  const office = await signIn(t, request, 'office');
  const police = await signIn(t, request, 'police');
  const town = await signIn(t, request, 'chencang');
  const bearer = (s: { code: string }) => ({ authorization: `Bearer ${s.code}` });
  // A running isolate has checked its campaign and forms once: warm it as production would be.
  // (The suggestion form's page lists the departments: a post trusts the list its isolate last read.)
  for (const form of ['mass-feedback', 'hazard-tip', 'deputy-suggestion']) await request(`/f/${form}`);
  await request('/api/v1/forms/mass-feedback/submissions', json(VALID['mass-feedback']));

  const trips: Record<string, number> = {};
  const measure = async (name: string, status: number, fn: () => Response | Promise<Response>) => {
    trips[name] = await t.trips(() => expectStatus(fn(), status, name));
  };
  for (const form of ['mass-feedback', 'hazard-tip', 'deputy-suggestion'] as const) {
    await measure(`POST ${form}`, 201, () => request(`/api/v1/forms/${form}/submissions`, json(VALID[form])));
  }
  await measure('POST mass-feedback ?u=village', 201, () => request('/api/v1/forms/mass-feedback/submissions?u=chencang-v1', json(VALID['mass-feedback'])));
  const tip = (await (await request('/api/v1/forms/hazard-tip/submissions', json(VALID['hazard-tip']))).json()) as { id: number };
  const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, tip.id) }))!;
  const move = (who: 'admin' | 'unit', s: { code: string }, body: unknown) => request(`/api/v1/${who}/hazards/${h.id}/transitions`, json(body, bearer(s)));
  await measure('hazard assign', 200, () => move('admin', office, { action: 'assign', leadUnit: 'police', coUnits: ['education'], days: 5 }));
  await measure('hazard accept (签收)', 200, () => move('unit', police, { action: 'accept' }));
  await measure('hazard report_fixed', 200, () => move('unit', police, { action: 'report_fixed', note: '已清理' }));
  await measure('hazard close (销号)', 200, () => move('admin', office, { action: 'close', note: '核查属实' }));
  const page = (s: { cookie: string }, path: string) => request(path, { headers: { cookie: s.cookie } });
  await measure('GET /f/mass-feedback', 200, () => request('/f/mass-feedback'));
  await measure('GET /unit', 200, () => page(town, '/unit'));
  await measure('GET /unit/hazards', 200, () => page(police, '/unit/hazards'));
  await measure('GET /admin', 200, () => page(office, '/admin'));
  await measure('GET /admin/hazards', 200, () => page(office, '/admin/hazards'));
  await measure('GET /api/v1/admin/hazards', 200, () => request('/api/v1/admin/hazards', { headers: bearer(office) }));
  for (const [name, n] of Object.entries(trips)) log(`${name}: ${n} round trip${n === 1 ? '' : 's'}`);

  // At Turso's distance: every round trip costs DELAY_MS more.
  await t.setDelay(DELAY_MS);
  const tipTimes: number[] = [];
  for (let i = 0; i < 15; i++) {
    const started = performance.now();
    await expectStatus(request('/api/v1/forms/hazard-tip/submissions', json(VALID['hazard-tip'])), 201, 'tip');
    tipTimes.push(performance.now() - started);
  }
  tipTimes.sort((a, b) => a - b);
  const tipP50 = Math.round(percentile(tipTimes, 50));
  log(`tip at ${DELAY_MS} ms per round trip: p50 ${tipP50} ms (aim ≤ 120)`);

  const [{ n: storedBefore } = { n: 0 }] = await t.db.select({ n: count() }).from(submissions);
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  const until = performance.now() + LOAD_SECONDS * 1000;
  const startedAt = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, client) => {
      for (let i = 0; performance.now() < until; i++) {
        const started = performance.now();
        const res = await request(
          '/api/v1/forms/mass-feedback/submissions',
          json(VALID['mass-feedback'], { 'idempotency-key': `bench-${client}-${i}`, 'x-forwarded-for': `10.0.${client}.${i % 250}` }),
        );
        latencies.push(performance.now() - started);
        if (res.status === 201) ok++;
        else failed++;
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - startedAt) / 1000;
  await t.setDelay(0);
  const [{ n: storedAfter } = { n: 0 }] = await t.db.select({ n: count() }).from(submissions);
  latencies.sort((a, b) => a - b);
  const load = {
    clients: CONCURRENCY,
    seconds: Math.round(seconds * 10) / 10,
    accepted: ok,
    failed,
    rowsStored: storedAfter - storedBefore,
    submissionsPerSecond: Math.round(ok / seconds),
    latencyMs: { p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)) },
  };
  log(
    `${CONCURRENCY} clients at ${DELAY_MS} ms per round trip: ${load.submissionsPerSecond} submissions/s (aim ≥ 100), p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms (aim ≤ 500); ${failed} failed; ${load.rowsStored} rows for ${ok} accepted`,
  );
  return { delayPerRoundTripMs: DELAY_MS, trips, tipP50Ms: tipP50, load, lostOrDoubled: load.rowsStored - ok };
}

const WORKER_VARS = { PUBLIC_BASE_URL: ORIGIN.origin, SESSION_SECRET: 'bench-secret-0123456789abcdef', SUBMIT_RATE_LIMIT: '1000000000', SHEET_ID: '' };

/**
 * The same in workerd: the Worker as `wrangler deploy` bundles it, run by Miniflare (no dev proxy in between: wrangler's
 * dev server adds a Node proxy and a proxy worker that cost more CPU than the app). BENCH_WORKERD=dev uses wrangler's
 * dev server instead. Its database is the counted, delayed proxy.
 */
async function inWorkerd(log: (line: string) => void) {
  const t = await makeHttpTestApp({ config: { SUBMIT_RATE_LIMIT: '1000000000' }, separateProcess: process.env.BENCH_DB_PROCESS !== '0' });
  try {
    if (process.env.BENCH_WORKERD === 'dev') {
      const { unstable_dev } = await import('wrangler');
      const worker = await unstable_dev('src/runtime/workers/entry.ts', {
        config: 'wrangler.toml',
        vars: { LIBSQL_URL: t.url, ...WORKER_VARS },
        experimental: { disableExperimentalWarning: true },
        logLevel: 'error',
      } as never);
      try {
        log('in workerd (wrangler dev):');
        // Redirects are the app's answer (a sign-in's 303): not followed.
        const request: Requester = (path, init) => worker.fetch(path, { ...init, redirect: 'manual' } as never) as unknown as Promise<Response>;
        return { runtime: 'workerd (wrangler unstable_dev), @libsql/client/web', ...(await scenario(t, request, log)) };
      } finally {
        await worker.stop();
      }
    }
    const outdir = mkdtempSync(join(tmpdir(), 'pingan-worker-'));
    execFileSync(process.execPath, ['node_modules/wrangler/bin/wrangler.js', 'deploy', '--dry-run', '--outdir', outdir], { stdio: 'ignore' });
    const { Miniflare } = await import('miniflare');
    const mf = new Miniflare({
      // One ES module, named inside the bundle's own folder (a path with '..' would break out of workerd's root).
      modulesRoot: outdir,
      modules: [{ type: 'ESModule', path: join(outdir, 'entry.js'), contents: readFileSync(join(outdir, 'entry.js'), 'utf8') }],
      compatibilityDate: '2026-04-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings: { LIBSQL_URL: t.url, ...WORKER_VARS },
      // The Worker's log lines would land in the bench's JSON on stdout: its errors go to stderr, the rest is dropped.
      handleRuntimeStdio(stdout, stderr) {
        stdout.resume();
        stderr.pipe(process.stderr);
      },
    });
    try {
      await mf.ready;
      log('in workerd (the deploy bundle under Miniflare):');
      const request: Requester = (path, init) => mf.dispatchFetch(new URL(path, ORIGIN.origin), { ...init, redirect: 'manual' } as never) as unknown as Promise<Response>;
      return { runtime: 'workerd (Miniflare, the `wrangler deploy` bundle), @libsql/client/web', ...(await scenario(t, request, log)) };
    } finally {
      await mf.dispose();
      rmSync(outdir, { recursive: true, force: true });
    }
  } finally {
    await t.close();
  }
}

const bench: Bench = {
  name: 'round-trips',
  async run(log) {
    const before = machine();
    const t = await makeHttpTestApp({ config: { SUBMIT_RATE_LIMIT: '1000000000' }, separateProcess: process.env.BENCH_DB_PROCESS !== '0' });
    try {
      log('in process on Node:');
      const node = await scenario(t, (path, init) => Promise.resolve(t.app.request(path, init)), log);
      let workerd: Record<string, unknown>;
      try {
        workerd = await inWorkerd(log);
      } catch (err) {
        log(`workerd: not measured (${(err as Error).message})`);
        workerd = { error: (err as Error).message };
      }
      return { machine: { ...before, loadavgAfter: machine().loadavg }, node: { runtime: 'node, app in process, @libsql/client/web', ...node }, workerd };
    } finally {
      await t.close();
    }
  },
};

export default bench;
