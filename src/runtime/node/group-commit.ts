// Concurrent writes on the embedded database share one commit (group commit). On Node the database runs on the
// main thread, and a commit is most of a write's cost: it writes every page the write touched to the WAL — for a
// submission the row's page and a page of each of its indexes, a dozen pages for one row. Write batches that
// arrive in the same turn of the event loop (sixteen residents posting at once) therefore run as ONE transaction:
// each batch inside its own savepoint, so one batch's failure (a retried idempotency key, a guard that refused a
// hazard move) rolls back that batch alone and reaches only its caller, with the error the driver would have
// given (src/runtime/node/embedded-statements.ts). Every caller is answered after the shared COMMIT, so an answered
// write is as durable as before. If the transaction itself fails (the commit, or an error SQLite answers by
// rolling everything back), each batch of the group runs again on its own, so no caller is blamed for another's
// failure. A batch that manages transactions itself (BEGIN, SAVEPOINT, PRAGMA…) always runs on its own.
//
// Single statements and batches run on one connection of this client's own, which reads too, so its page cache
// stays warm; interactive transactions, migrations and multi-statement scripts go to the wrapped @libsql/client,
// which gives each transaction a connection of its own. While such a transaction is open (a scheduled pass, a CLI
// command), writes here wait for it in JavaScript, up to the busy timeout: SQLite would wait for the lock inside
// a synchronous call, which on Node stops the event loop — and with it the transaction it waits for.
// Node only: never imported by the Worker.
import Database from 'libsql';
import { LibsqlError, LibsqlBatchError, type Client, type InArgs, type InStatement, type ResultSet, type Transaction, type TransactionMode } from '@libsql/client';
import { execute, executeAll, isLockError, mapSqliteError, sqlOf, type BatchStatement, type Connection } from './embedded-statements.ts';

/** How many batches shared how many commits, e.g. for the bench. */
export interface GroupCommitStats {
  batches: number;
  commits: number;
}

/** One batch's run: its statements and, once run, its results or its error. */
interface Run {
  stmts: readonly BatchStatement[];
  mode: TransactionMode;
  results?: ResultSet[];
  error?: unknown;
}

/** A batch waiting for its group, with the caller to answer. */
interface Job extends Run {
  resolve: (results: ResultSet[]) => void;
  reject: (err: unknown) => void;
}

const STATS = new WeakMap<Client, GroupCommitStats>();

/** The grouping figures of a client made by groupCommits (undefined for any other client). */
export function groupCommitStats(client: unknown): GroupCommitStats | undefined {
  return STATS.get(client as Client);
}

/** Leading blanks and SQL comments, which must not hide what a statement is. */
const LEAD = String.raw`^(?:\s|--[^\n]*(?:\n|$)|/\*[\s\S]*?\*/)*`;
/** A statement that only reads: it may run while a transaction holds the write lock (WAL readers never wait). */
const READS = new RegExp(`${LEAD}(SELECT|VALUES|EXPLAIN)\\b`, 'i');
/** Statements that manage transactions or the connection themselves: such a batch runs on its own, never grouped. */
const UNGROUPABLE = new RegExp(`${LEAD}(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|VACUUM|ATTACH|DETACH)\\b`, 'i');

const closedError = () => new LibsqlError('The client is closed', 'CLIENT_CLOSED');
/** What a write gets when a transaction elsewhere in the process held the lock past the busy timeout, as SQLite says it. */
const lockedError = () => new LibsqlError('database is locked', 'SQLITE_BUSY', 'SQLITE_BUSY', 5);

/**
 * A client for the database file at `path` whose batches share commits, beside `inner` (a client for the same file)
 * for transactions and migrations. Only integers as numbers (`intMode: 'number'`), as the app opens it.
 */
export function groupCommits(inner: Client, path: string, options: { timeout: number; pragmas?: readonly string[] }): Client {
  const stats: GroupCommitStats = { batches: 0, commits: 0 };
  let connection: Connection | null = null;
  let queue: Job[] = [];
  let closed = false;
  // Write transactions open on the wrapped client, and who waits for them all to end.
  let openTransactions = 0;
  let waiting: (() => void)[] = [];

  /** The connection, opened (again) when needed; a failure to open is the caller's error, as SQLITE_CANTOPEN. */
  function db(): Connection {
    if (closed) throw closedError();
    if (connection) return connection;
    try {
      const opened = new Database(path, { timeout: options.timeout }) as unknown as Connection;
      for (const pragma of options.pragmas ?? []) opened.exec(pragma);
      return (connection = opened);
    } catch (e) {
      throw new LibsqlError(`Cannot open the database: ${(e as Error).message}`, 'SQLITE_CANTOPEN', undefined, 14, e as Error);
    }
  }

  /**
   * A statement that failed with SQLITE_BUSY stays active in libsql (SQLite keeps it for a retry; libsql has no
   * reset), and an active statement makes every later COMMIT on the connection fail. After a lock held by another
   * process for longer than the busy timeout, the connection is therefore replaced.
   */
  function afterLockError(err: unknown): void {
    if (!isLockError(err) || !connection) return;
    rollback();
    try {
      connection.close();
    } catch {
      // already unusable
    }
    connection = null;
  }

  function rollback(): void {
    try {
      if (connection?.inTransaction) connection.exec('ROLLBACK');
    } catch {
      // The connection gave up the transaction itself; nothing is left to undo.
    }
  }

  /** Resolves once no write transaction is open here; refused as SQLITE_BUSY after the busy timeout, as SQLite would. */
  function noTransaction(): Promise<void> {
    if (openTransactions === 0 || closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting = waiting.filter((w) => w !== go);
        reject(lockedError());
      }, options.timeout);
      const go = () => {
        clearTimeout(timer);
        resolve();
      };
      waiting.push(go);
    });
  }

  function resumeWaiting(): void {
    const resume = waiting;
    waiting = [];
    for (const go of resume) go();
  }

  function transactionEnded(): void {
    if (--openTransactions === 0) resumeWaiting();
  }

  /** The driver's answer to `batch`: the batch in a transaction of its own. */
  function runAlone(job: Run): void {
    job.results = undefined;
    job.error = undefined;
    try {
      const c = db();
      c.exec(job.mode === 'write' ? 'BEGIN IMMEDIATE' : job.mode === 'read' ? 'BEGIN TRANSACTION READONLY' : 'BEGIN DEFERRED');
      job.results = executeAll(c, job.stmts);
      c.exec('COMMIT');
      stats.commits++;
    } catch (err) {
      job.results = undefined;
      job.error = err instanceof Database.SqliteError ? mapSqliteError(err) : err;
      rollback();
      afterLockError(job.error);
    }
  }

  /**
   * The group in one transaction. 'alone' when the transaction did not hold (nothing of it is committed then) and
   * each batch must run on its own; when even the lock cannot be had, every batch gets that error at once, as each
   * would only wait for the same lock again.
   */
  function runGroup(jobs: readonly Job[]): 'done' | 'alone' {
    let c: Connection;
    try {
      c = db();
      c.exec('BEGIN IMMEDIATE');
    } catch (e) {
      const err = e instanceof Database.SqliteError ? mapSqliteError(e) : e;
      for (const job of jobs) job.error = asBatchError(err);
      afterLockError(err);
      return 'done';
    }
    for (const job of jobs) {
      try {
        // Savepoints cannot wait for a lock (the group holds it), so their statements may be cached; BEGIN and
        // COMMIT can, and run uncached: see afterLockError.
        execute(c, 'SAVEPOINT pingan_batch');
        job.results = executeAll(c, job.stmts);
        execute(c, 'RELEASE pingan_batch');
      } catch (err) {
        job.error = err;
        job.results = undefined;
        // An error SQLite answers by rolling the whole transaction back ends the group: every batch runs alone.
        if (!c.inTransaction) return 'alone';
        try {
          execute(c, 'ROLLBACK TO pingan_batch');
          execute(c, 'RELEASE pingan_batch');
        } catch {
          rollback();
          return 'alone';
        }
      }
    }
    try {
      c.exec('COMMIT');
    } catch {
      rollback();
      return 'alone';
    }
    stats.commits++;
    return 'done';
  }

  /** Runs every batch queued since the last flush, in arrival order, as one transaction; answers each. */
  async function flush(): Promise<void> {
    let jobs: Job[] = [];
    try {
      // The group waits (and grows) while a transaction holds the lock; see the top of this file.
      while (openTransactions > 0 && !closed) await noTransaction();
      jobs = queue;
      queue = [];
      if (jobs.length === 0) return;
      if (closed) throw closedError();
      stats.batches += jobs.length;
      if (jobs.length === 1 || runGroup(jobs) === 'alone') for (const job of jobs) runAlone(job);
    } catch (err) {
      // Nothing ran (closed, or the lock never came): every batch still waiting is refused with why.
      jobs = jobs.length ? jobs : queue.splice(0);
      for (const job of jobs) job.error = job.error ?? asBatchError(err);
    }
    for (const job of jobs) {
      if (job.error !== undefined) job.reject(job.error);
      else job.resolve(job.results!);
    }
  }

  /** Before a write that does not join the group: the groups queued before it commit first, keeping call order. */
  function flushNow(): void {
    if (queue.length > 0 && openTransactions === 0) void flush();
  }

  // Opened at once, so a database that cannot be opened is the opener's error, not the first request's.
  db();

  const client = {
    async execute(stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> {
      const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      if (!READS.test(stmt.sql)) {
        while (openTransactions > 0 && !closed) await noTransaction();
        flushNow();
      }
      try {
        return execute(db(), stmt);
      } catch (err) {
        afterLockError(err);
        throw err;
      }
    },
    async batch(stmts: BatchStatement[], mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
      if (closed) throw closedError();
      if (mode === 'read' || stmts.some((s) => UNGROUPABLE.test(sqlOf(s)))) {
        // Not a write to share: in a transaction of its own, once no other transaction here holds the lock.
        if (mode !== 'read') {
          while (openTransactions > 0 && !closed) await noTransaction();
          flushNow();
        }
        const job: Run = { stmts, mode };
        stats.batches++;
        runAlone(job);
        if (job.error !== undefined) throw job.error;
        return job.results!;
      }
      return new Promise<ResultSet[]>((resolve, reject) => {
        queue.push({ stmts, mode, resolve, reject });
        // Everything that reaches a batch in this turn of the event loop joins the group.
        if (queue.length === 1) setImmediate(() => void flush());
      });
    },
    migrate: (stmts: InStatement[]) => inner.migrate(stmts),
    async transaction(mode?: TransactionMode): Promise<Transaction> {
      // Counted before the lock is taken, so no write of ours can start in between and wait for it inside SQLite.
      const writes = mode !== 'read';
      if (writes) openTransactions++;
      let tx: Transaction;
      try {
        tx = await inner.transaction(mode);
      } catch (err) {
        if (writes) transactionEnded();
        throw err;
      }
      let ended = !writes;
      const end = () => {
        if (ended) return;
        ended = true;
        transactionEnded();
      };
      return {
        execute: (stmt: InStatement, args?: InArgs) => (tx.execute as (stmt: InStatement, args?: InArgs) => Promise<ResultSet>)(stmt, args),
        batch: (stmts: InStatement[]) => tx.batch(stmts),
        executeMultiple: (sql: string) => tx.executeMultiple(sql),
        commit: () => tx.commit().finally(end),
        rollback: () => tx.rollback().finally(end),
        close() {
          tx.close();
          end();
        },
        get closed() {
          return tx.closed;
        },
      } as Transaction;
    },
    executeMultiple: (sql: string) => inner.executeMultiple(sql),
    sync: () => inner.sync(),
    close() {
      if (closed) return;
      closed = true;
      try {
        connection?.close();
      } catch {
        // closing anyway
      }
      connection = null;
      inner.close();
      // Whatever waits for a transaction or a group is refused now, not left hanging.
      resumeWaiting();
    },
    reconnect: () => inner.reconnect(),
    get closed() {
      return closed;
    },
    protocol: 'file',
  } as unknown as Client;
  STATS.set(client, stats);
  return client;
}

/** Each caller's own error object, shaped as a batch error of its first statement (as the driver's BEGIN failure is). */
function asBatchError(err: unknown): unknown {
  if (!(err instanceof LibsqlError)) return err;
  return new LibsqlBatchError(err.message, 0, err.code, err.extendedCode, err.rawCode, err.cause instanceof Error ? err.cause : undefined);
}
