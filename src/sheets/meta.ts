// The sheet mirror's small state in the meta table: last success, last error, backoff, tab shapes, the flush lease.
import { eq, inArray, like, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { meta } from '../db/schema.ts';

export const META = {
  lastSuccessAt: 'sheets.last_success_at',
  lastError: 'sheets.last_error',
  failures: 'sheets.failures',
  retryAt: 'sheets.retry_at',
  /** JSON {tabId: {rows, cols}}: what each tab held after the last confirmed write, to clear what shrank. */
  shapes: 'sheets.shapes',
  lease: 'sheets.lease',
  /** JSON [ms…]: the requests of the last minute, shared by every process and isolate. */
  requests: 'sheets.requests',
  /** What the flush has already seen without an outbox job: newest ranking, newest hazard change, the day. */
  seenRankings: 'sheets.seen_rankings',
  seenHazards: 'sheets.seen_hazards',
  seenDay: 'sheets.seen_day',
} as const;

export async function readMeta(db: Db): Promise<Record<string, string>> {
  const rows = await db.select({ key: meta.key, value: meta.value }).from(meta).where(like(meta.key, 'sheets.%'));
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}

export async function writeMeta(db: Db, values: Record<string, string | null>, at: number): Promise<void> {
  const set = Object.entries(values).filter(([, v]) => v !== null) as [string, string][];
  const unset = Object.entries(values).filter(([, v]) => v === null).map(([k]) => k);
  const stmts = [
    ...set.map(([key, value]) => db.insert(meta).values({ key, value, updatedAt: at }).onConflictDoUpdate({ target: meta.key, set: { value, updatedAt: at } })),
    ...(unset.length ? [db.delete(meta).where(inArray(meta.key, unset))] : []),
  ];
  if (stmts.length) await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
}

/** Takes the flush lease unless another flush holds an unexpired one. */
export async function acquireLease(db: Db, owner: string, now: number, ttlMs: number): Promise<boolean> {
  const value = `${now + ttlMs}:${owner}`;
  const res = await db.run(sql`insert into ${meta} (key, value, updated_at) values (${META.lease}, ${value}, ${now})
    on conflict(key) do update set value = excluded.value, updated_at = excluded.updated_at
    where cast(substr(${meta.value}, 1, instr(${meta.value}, ':') - 1) as integer) <= ${now}`);
  return res.rowsAffected > 0;
}

export async function releaseLease(db: Db, owner: string): Promise<void> {
  const [row] = await db.select({ value: meta.value }).from(meta).where(eq(meta.key, META.lease));
  if (row?.value.endsWith(`:${owner}`)) await db.delete(meta).where(eq(meta.key, META.lease));
}
