// Slows down guessing of access codes: after a few wrong codes a client waits, longer each time.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { signInFailures } from '../db/schema.ts';

/** Wrong codes a client may enter before it has to wait. */
export const FREE_FAILURES = 5;
const BASE_DELAY_S = 30;
const MAX_DELAY_S = 60 * 60;
/** A client that stopped guessing a day ago starts afresh. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

/** How long a client with this many failures waits after its last one: 0, then 30 s, 60 s, 120 s… up to an hour. */
export function delaySeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(BASE_DELAY_S * 2 ** (failures - FREE_FAILURES), MAX_DELAY_S);
}

export interface ThrottleState {
  failures: number;
  /** Seconds the client must still wait; 0 when it may try. */
  retryAfter: number;
}

export async function throttleState(db: Db, client: string, now: Date): Promise<ThrottleState> {
  const row = await db.query.signInFailures.findFirst({ where: eq(signInFailures.client, client) });
  if (!row || now.getTime() - row.lastAt > FORGET_AFTER_MS) return { failures: 0, retryAfter: 0 };
  const until = row.lastAt + delaySeconds(row.failures) * 1000;
  return { failures: row.failures, retryAfter: Math.max(0, Math.ceil((until - now.getTime()) / 1000)) };
}

/** Counts a wrong code; returns how long the client now waits before its next try. */
export async function recordFailure(db: Db, client: string, now: Date): Promise<number> {
  const at = now.getTime();
  const [row] = await db
    .insert(signInFailures)
    .values({ client, failures: 1, lastAt: at })
    .onConflictDoUpdate({
      target: signInFailures.client,
      // A stale record restarts at one instead of carrying yesterday's count.
      set: {
        failures: sql`case when ${signInFailures.lastAt} < ${at - FORGET_AFTER_MS} then 1 else ${signInFailures.failures} + 1 end`,
        lastAt: at,
      },
    })
    .returning({ failures: signInFailures.failures });
  return delaySeconds(row!.failures);
}

export async function clearFailures(db: Db, client: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.client, client));
}
