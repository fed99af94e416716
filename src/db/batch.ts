// Writes as one round trip: a request's statements go to the database as one atomic `batch` (on Turso one HTTP
// request, the write lock held only while the server runs it) instead of an interactive transaction that
// costs a round trip per statement. What the batch relied on is asserted inside it (`guard`), so a move that
// lost a race aborts as a whole and is reported from the error, never half-written.
import { sql, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './index.ts';

/** One statement of a batch: any drizzle query built from the database handle (or from a transaction). */
export type Stmt = BatchItem<'sqlite'>;

/** What statements are built from: the database, or a transaction for callers still inside one. */
export type StmtBuilder = Pick<Db, 'insert' | 'update' | 'delete' | 'select' | 'run' | 'all'>;

/**
 * A statement that aborts the batch with GUARD_FAILED unless `ok` holds (drizzle/0013_batch_guard.sql); `reason`
 * names it in the statement for whoever reads the SQL (SQLite's RAISE takes only a fixed message). `changes()` in
 * `ok` is the row count of the statement just before it, e.g. a guarded UPDATE.
 */
export function guard(q: StmtBuilder, ok: SQL, reason: string): Stmt {
  return q.run(sql`INSERT INTO batch_guard (ok, reason) VALUES (${ok}, ${reason})`);
}

/** Whether a batch failed on one of its guards (anywhere in the error's cause chain). */
export function guardFailed(err: unknown): boolean {
  for (let e = err as { message?: unknown; cause?: unknown } | undefined, i = 0; e && i < 6; e = e.cause as typeof e, i++) {
    if (String(e.message ?? '').includes('GUARD_FAILED')) return true;
  }
  return false;
}

/** Sends the statements as one atomic batch (one round trip); results in order. */
export async function runBatch(db: Db, stmts: readonly Stmt[]): Promise<unknown[]> {
  if (stmts.length === 0) return [];
  return db.batch(stmts as [Stmt, ...Stmt[]]);
}

/** Runs statements built from a transaction handle, in order, inside that transaction. */
export async function runInOrder(stmts: readonly Stmt[]): Promise<void> {
  for (const s of stmts) await s;
}
