// Load: 50 clients submitting for 30 s against the real Node server over an embedded file database —
// zero errors, and afterwards exactly one stored row per created submission (none lost, none doubled).
import { afterEach, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { hazards, submissionPersonal, submissions } from '../../../src/db/schema.ts';
import { startNodeServer, type NodeServer } from '../../helpers/node-server.ts';

const CLIENTS = 50;
const DURATION_MS = 30_000;
/** Every Nth submission is retried with the same Idempotency-Key: sequentially, or while the first is still in flight. */
const RETRY_EVERY = 10;

export const BODIES = {
  'mass-feedback': { satisfaction: 'satisfied', aware: 'yes', participated: 'no', opinion: '希望晚上多开展巡逻，路灯也要修一修。' },
  'mass-feedback-personal': { satisfaction: 'basically_satisfied', aware: 'yes', participated: 'yes', name: '王五', phone: '13912345678' },
  'hazard-tip': { category: 'rental-housing', place: '中山东路12号出租屋', description: '楼道堆满杂物，堵住了消防通道' },
} as const;

interface Tally {
  created: number;
  replayed: number;
  /** Status → count of anything that was not a 201. */
  errors: Map<string, number>;
  /** Idempotency key → submission id of its first 201. */
  ids: Map<string, number>;
  /** Idempotency keys whose retry came back with a different id. */
  mismatched: string[];
  personal: number;
  tips: number;
  /** Deliberate misuse: a key sent again with a different body, answered 422 and stored nowhere. */
  reusedKeys: number;
}

let server: NodeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function post(url: string, key: string, body: unknown): Promise<{ status: number; id?: number; replayed: boolean; text: string }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    const id = res.status === 201 ? (JSON.parse(text) as { id: number }).id : undefined;
    return { status: res.status, id, replayed: res.headers.get('idempotent-replayed') === 'true', text };
  } catch (err) {
    return { status: 0, replayed: false, text: (err as Error).message };
  }
}

function record(t: Tally, key: string, r: Awaited<ReturnType<typeof post>>) {
  if (r.status !== 201 || r.id === undefined) {
    const k = `${r.status} ${r.text.slice(0, 120)}`;
    t.errors.set(k, (t.errors.get(k) ?? 0) + 1);
    return false;
  }
  const first = t.ids.get(key);
  if (first === undefined) t.ids.set(key, r.id);
  else if (first !== r.id) t.mismatched.push(key);
  if (r.replayed) t.replayed++;
  else t.created++;
  return true;
}

async function client(base: string, n: number, deadline: number, t: Tally) {
  for (let i = 0; Date.now() < deadline; i++) {
    const key = `load-${n}-${i}`;
    const kind = i % 7 === 3 ? 'hazard-tip' : i % 5 === 1 ? 'mass-feedback-personal' : 'mass-feedback';
    const form = kind === 'hazard-tip' ? 'hazard-tip' : 'mass-feedback';
    // Attribute some answers to a community so the roll-up lookup runs too.
    const url = `${base}/api/v1/forms/${form}/submissions${i % 3 === 0 ? '?u=zhongshan-east-c1' : ''}`;
    const body = BODIES[kind];
    if (i % RETRY_EVERY === RETRY_EVERY - 1) {
      // A phone that timed out and sent again while the first request was still being served.
      const both = await Promise.all([post(url, key, body), post(url, key, body)]);
      const ok = both.map((r) => record(t, key, r));
      if (ok.some(Boolean)) countKind(t, kind);
    } else {
      const ok = record(t, key, await post(url, key, body));
      if (ok) countKind(t, kind);
      if (ok && i % RETRY_EVERY === 4) record(t, key, await post(url, key, body));
      if (ok && i % 50 === 7) {
        const changed = kind === 'hazard-tip' ? { ...body, place: '另一个地点的出租屋' } : { ...body, satisfaction: 'dissatisfied' };
        const other = await post(url, key, changed);
        if (other.status === 422 && other.text.includes('"field":"Idempotency-Key"')) t.reusedKeys++;
        else record(t, `${key}-reused`, other);
      }
    }
  }
}

function countKind(t: Tally, kind: keyof typeof BODIES) {
  if (kind === 'hazard-tip') t.tips++;
  if (kind === 'mass-feedback-personal') t.personal++;
}

describe('load on the Node server', () => {
  it(`${CLIENTS} clients for ${DURATION_MS / 1000} s: no errors, one row per created submission, retries answered with the first id`, { timeout: DURATION_MS + 60_000 }, async () => {
    server = await startNodeServer({ config: { SUBMIT_RATE_LIMIT: '100000000' } });
    const t: Tally = { created: 0, replayed: 0, errors: new Map(), ids: new Map(), mismatched: [], personal: 0, tips: 0, reusedKeys: 0 };
    const deadline = Date.now() + DURATION_MS;
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(server!.url, n, deadline, t)));

    expect(Object.fromEntries(t.errors)).toEqual({});
    expect(t.mismatched).toEqual([]);
    // Enough traffic to mean something even on a slow, busy CI machine.
    expect(t.created).toBeGreaterThan(300);
    expect(t.replayed).toBeGreaterThan(30);
    expect(t.reusedKeys).toBeGreaterThan(0);
    expect(t.created).toBe(t.ids.size);

    const { db } = server;
    const [rows] = await db.select({ n: count() }).from(submissions);
    expect(rows!.n).toBe(t.created);
    const [distinctIds] = await db.select({ n: count() }).from(submissions).where(eq(submissions.source, 'api'));
    expect(distinctIds!.n).toBe(new Set(t.ids.values()).size);
    const [personal] = await db.select({ n: count() }).from(submissionPersonal);
    expect(personal!.n).toBe(t.personal);
    const [tips] = await db.select({ n: count() }).from(submissions).where(eq(submissions.formId, 'hazard-tip'));
    expect(tips!.n).toBe(t.tips);
    const [hazardRows] = await db.select({ n: count() }).from(hazards);
    expect(hazardRows!.n).toBe(t.tips);
    console.info(`load: ${t.created} created, ${t.replayed} replays answered, ${t.reusedKeys} reused keys refused, ${Math.round(t.created / (DURATION_MS / 1000))} submissions/s`);
  });
});
