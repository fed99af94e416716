// Public submissions under autocannon on the real Node server and embedded database, next to the same number
// of bare single-row INSERTs into the same table through the same client (WAL, synchronous NORMAL, auto-commit).
import { availableParallelism, cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { count } from 'drizzle-orm';
import { submissions } from '../src/db/schema.ts';
import { startNodeServer } from '../test/helpers/node-server.ts';
import type { Bench } from './types.ts';
import { groupCommitStats } from '../src/runtime/node/group-commit.ts';

const DURATION_S = Number(process.env.BENCH_SUBMIT_SECONDS ?? 10);
const WARMUP_S = 2;
const HEALTHZ_S = 5;
const CONNECTIONS = 16;
const FORM = 'mass-feedback';
const BODY = { satisfaction: 'satisfied', aware: 'yes', participated: 'no', opinion: '希望晚上多开展巡逻，路灯也要修一修。' };
const AIM = 0.5;

/** The machine, so a figure is never quoted without it. */
export function machine() {
  return {
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function cannon(url: string, seconds: number, post = true): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        // Autocannon in its own thread, so the server has the main thread to itself.
        workers: 1,
        ...(post
          ? { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'bench-[<id>]' }, body: JSON.stringify(BODY), idReplacement: true }
          : {}),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

const bench: Bench = {
  name: 'submissions',
  async run(log) {
    const before = machine();
    log(`machine: ${before.cpus} × ${before.cpuModel}, load average ${before.loadavg.join(' ')}`);
    // The limiter stays in the path; its limit is only raised so that one address can be all the traffic.
    const server = await startNodeServer({ config: { SUBMIT_RATE_LIMIT: '1000000000' } });
    try {
      const url = `${server.url}/api/v1/forms/${FORM}/submissions`;
      await cannon(url, WARMUP_S);
      const [{ n: warm } = { n: 0 }] = await server.db.select({ n: count() }).from(submissions);
      const groupsBefore = { ...groupCommitStats(server.db.$client)! };

      const r = await cannon(url, DURATION_S);
      const [{ n: stored } = { n: 0 }] = await server.db.select({ n: count() }).from(submissions);
      const ok = r['2xx'];
      const appRate = ok / (r.duration || DURATION_S);
      const latency = { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, mean: r.latency.mean };
      log(`POST /api/v1/forms/${FORM}/submissions, ${CONNECTIONS} connections, ${DURATION_S} s: ${ok} × 201 (${r.non2xx} other, ${r.errors} errors, ${r.timeouts} timeouts)`);
      log(`  ${Math.round(appRate)} submissions/s, latency p50 ${latency.p50} ms, p99 ${latency.p99} ms; rows stored ${stored - warm}`);
      // Batches that arrived together shared a commit (src/runtime/node/group-commit.ts).
      const groups = groupCommitStats(server.db.$client)!;
      const groupCommit = { batches: groups.batches - groupsBefore.batches, commits: groups.commits - groupsBefore.commits };
      const perCommit = Math.round((groupCommit.batches / Math.max(1, groupCommit.commits)) * 10) / 10;
      log(`  ${groupCommit.batches} write batches in ${groupCommit.commits} commits: ${perCommit} per commit`);

      // The same number of bare inserts: one statement each, auto-commit, same client and connection settings.
      const { $client } = server.db;
      const payload = JSON.stringify(BODY);
      const now = Date.now();
      const t = performance.now();
      for (let i = 0; i < ok; i++) {
        await $client.execute({
          sql: `INSERT INTO submissions (form_id, form_version, source, created_at, day, payload, receipt, idempotency_key, satisfaction, aware, participated)
                VALUES (?, 1, 'api', ?, '2014-11-04', ?, ?, ?, 'satisfied', 1, 0)`,
          args: [FORM, now + i, payload, `BARE${String(i).padStart(10, '0')}`, `bare-${i}`],
        });
      }
      const bareSeconds = (performance.now() - t) / 1000;
      const bareRate = ok / bareSeconds;
      const ratio = Math.round((appRate / bareRate) * 1000) / 1000;
      log(`  ${ok} bare INSERTs in ${bareSeconds.toFixed(2)} s: ${Math.round(bareRate)} inserts/s`);
      log(`  ratio submissions / bare inserts: ${ratio} (for scale: no HTTP at all; the aim is against the minimal handler below)`);

      // The floor the issue measures against: a minimal Hono handler on the same Node server stack and the same
      // database client, inserting one row per POST under the same load.
      const floorServer = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const minimal = new Hono();
        let n = 0;
        minimal.post('/insert', async (c) => {
          const body = await c.req.json<Record<string, unknown>>();
          const i = n++;
          await $client.execute({
            sql: `INSERT INTO submissions (form_id, form_version, source, created_at, day, payload, receipt, idempotency_key, satisfaction, aware, participated)
                  VALUES (?, 1, 'api', ?, '2014-11-04', ?, ?, ?, 'satisfied', 1, 0)`,
            args: [FORM, Date.now(), JSON.stringify(body), `FLOOR${String(i).padStart(10, '0')}`, `floor-${i}`],
          });
          return c.json({ ok: true }, 201);
        });
        const srv = serve({ fetch: minimal.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(srv));
      });
      const floorUrl = `http://127.0.0.1:${(floorServer.address() as AddressInfo).port}/insert`;
      await cannon(floorUrl, WARMUP_S);
      const f = await cannon(floorUrl, DURATION_S);
      await new Promise<void>((resolve) => floorServer.close(() => resolve()));
      const floorRate = f['2xx'] / (f.duration || DURATION_S);
      const floorRatio = Math.round((appRate / floorRate) * 1000) / 1000;
      log(`  minimal Hono handler inserting one row, same server stack and client: ${Math.round(floorRate)} inserts/s, p50 ${f.latency.p50} ms`);
      log(`  ratio submissions / minimal handler: ${floorRatio} (aim ≥ ${AIM})`);

      // The floor under any route: the same server answering GET /healthz (one SELECT 1), for scale.
      const h = await cannon(`${server.url}/healthz`, HEALTHZ_S, false);
      const healthzRate = Math.round(h['2xx'] / (h.duration || HEALTHZ_S));
      log(`  for scale, GET /healthz on the same server: ${healthzRate} requests/s, p50 ${h.latency.p50} ms, p99 ${h.latency.p99} ms`);
      return {
        machine: { ...before, loadavgAfter: machine().loadavg },
        route: `POST /api/v1/forms/${FORM}/submissions`,
        connections: CONNECTIONS,
        durationS: r.duration,
        requests: r.requests.total,
        created: ok,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        rowsStored: stored - warm,
        submissionsPerSecond: Math.round(appRate),
        latencyMs: latency,
        groupCommit: { ...groupCommit, batchesPerCommit: perCommit },
        bareInserts: ok,
        bareInsertsPerSecond: Math.round(bareRate),
        ratio,
        minimalHandler: { insertsPerSecond: Math.round(floorRate), latencyMs: { p50: f.latency.p50, p99: f.latency.p99 } },
        floorRatio,
        aim: AIM,
        durability: { journalMode: 'wal', synchronous: 'normal' },
        healthz: { requestsPerSecond: healthzRate, latencyMs: { p50: h.latency.p50, p99: h.latency.p99 } },
      };
    } finally {
      await server.close();
    }
  },
};

export default bench;
