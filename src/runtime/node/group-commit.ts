// Concurrent writes on the embedded database share one commit (group commit). On Node the database runs on the
// main thread, and a commit is most of a write's cost: it writes every page the write touched to the WAL — for a
// submission the row's page and a page of each of its indexes, a dozen pages for one row. Write batches that
// arrive in the same turn of the event loop (sixteen residents posting at once) therefore run as ONE transaction:
// each batch inside its own savepoint, so one batch's failure (a retried idempotency key, a guard that refused a
// hazard move) rolls back that batch alone and reaches only its caller, with the error the driver would have
// given. Every caller is answered after the shared COMMIT, so an answered write is as durable as before. If the
// transaction itself fails (the commit, or an error SQLite answers by rolling everything back), each batch of the
// group runs again on its own, so no caller is blamed for another's failure.
//
// Single statements and batches run on one connection of this client's own, which reads too, so its page cache
// stays warm; interactive transactions, migrations and multi-statement scripts go to the wrapped @libsql/client,
// which gives each transaction a connection of its own. While such a transaction is open (a scheduled pass, a CLI
// command), writes here wait for it in JavaScript: SQLite would wait for its lock inside a synchronous call, which
// on Node stops the event loop — and with it the transaction it waits for — until the busy timeout.
// Node only: never imported by the Worker.
import Database from 'libsql';
import { LibsqlBatchError, LibsqlError, type Client, type InArgs, type InStatement, type InValue, type ResultSet, type Transaction, type TransactionMode } from '@libsql/client';

/** How many batches shared how many commits, e.g. for the bench. */
export interface GroupCommitStats {
  batches: number;
  commits: number;
}

type BatchStatement = InStatement | [string, InArgs?];

interface Job {
  stmts: readonly BatchStatement[];
  mode: TransactionMode;
  resolve: (results: ResultSet[]) => void;
  reject: (err: unknown) => void;
  results?: ResultSet[];
  error?: unknown;
}

interface Connection {
  prepare(sql: string): Statement;
  readonly inTransaction: boolean;
  readonly open: boolean;
  close(): void;
}

interface Statement {
  safeIntegers(on: boolean): unknown;
  raw(on: boolean): unknown;
  columns(): { name: string; type: string | null }[];
  all(args: unknown): unknown[][];
  run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
}

const STATS = new WeakMap<Client, GroupCommitStats>();

/** The grouping figures of a client made by groupCommits (undefined for any other client). */
export function groupCommitStats(client: unknown): GroupCommitStats | undefined {
  return STATS.get(client as Client);
}

/** A statement that only reads: it may run while a transaction holds the write lock (WAL readers never wait). */
const READS = /^\s*(SELECT|VALUES|EXPLAIN)\b/i;

/** Statements that manage transactions or the connection themselves: such a batch runs on its own, never grouped. */
const UNGROUPABLE = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|VACUUM|ATTACH|DETACH)\b/i;

/**
 * A client for the database file at `path` whose batches share commits, beside `inner` (a client for the same file)
 * for transactions and migrations. Only integers as numbers (`intMode: 'number'`), as the app opens it.
 */
export function groupCommits(inner: Client, path: string, options: { timeout: number; pragmas?: readonly string[] }): Client {
  const open = () => {
    const connection = new Database(path, { timeout: options.timeout }) as unknown as Connection & { exec(sql: string): void };
    for (const pragma of options.pragmas ?? []) connection.exec(pragma);
    return connection;
  };
  let db: Connection = open();
  /**
   * A statement that failed with SQLITE_BUSY stays active in libsql (SQLite keeps it for a retry; libsql has no
   * reset), and an active statement makes every later COMMIT on the connection fail. After a lock held elsewhere
   * for longer than the busy timeout, the connection is therefore replaced.
   */
  const afterBusy = (err: unknown) => {
    const code = (err as { rawCode?: unknown } | null)?.rawCode;
    if (typeof code !== 'number' || ((code & 0xff) !== 5 && (code & 0xff) !== 6)) return;
    rollback();
    try {
      db.close();
    } catch {
      // already unusable
    }
    db = open();
  };
  const stats: GroupCommitStats = { batches: 0, commits: 0 };
  let queue: Job[] = [];
  let closed = false;
  // Interactive transactions open on the wrapped client, and who waits for them all to end.
  let openTransactions = 0;
  let waiting: (() => void)[] = [];
  const whenNoTransaction = () => new Promise<void>((resolve) => waiting.push(resolve));
  const resumeWaiting = () => {
    const resume = waiting;
    waiting = [];
    for (const go of resume) go();
  };
  const transactionEnded = () => {
    if (--openTransactions === 0) resumeWaiting();
  };

  const checkOpen = () => {
    if (closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
  };

  /** The client's own answer to `batch`: the batch in a transaction of its own, with the error mapped as the driver maps it. */
  function runAlone(job: Job): void {
    try {
      execute(db, beginFor(job.mode));
      job.results = runStatements(job.stmts);
      execute(db, 'COMMIT');
      stats.commits++;
    } catch (err) {
      job.results = undefined;
      job.error = err;
      rollback();
    }
  }

  function rollback(): void {
    try {
      if (db.inTransaction) execute(db, 'ROLLBACK');
    } catch {
      // The connection gave up the transaction itself; nothing is left to undo.
    }
  }

  function runStatements(stmts: readonly BatchStatement[]): ResultSet[] {
    const results: ResultSet[] = [];
    for (let i = 0; i < stmts.length; i++) {
      try {
        results.push(execute(db, stmts[i]!));
      } catch (e) {
        const err = e instanceof LibsqlError ? e : undefined;
        if (!err) throw e;
        throw new LibsqlBatchError(err.message, i, err.code, err.extendedCode, err.rawCode, err.cause instanceof Error ? err.cause : undefined);
      }
    }
    return results;
  }

  /** Runs every batch that arrived since the last flush, in arrival order, as one transaction. */
  function flush(): void {
    if (openTransactions > 0 && !closed) {
      // The group waits (and grows) until the transaction is over; see the top of this file.
      void whenNoTransaction().then(flush);
      return;
    }
    const jobs = queue;
    queue = [];
    if (closed) {
      for (const job of jobs) job.reject(new LibsqlError('The client is closed', 'CLIENT_CLOSED'));
      return;
    }
    stats.batches += jobs.length;
    const grouped = jobs.length > 1 ? groupRun(jobs) : 'alone';
    if (grouped === 'alone') {
      for (const job of jobs) {
        job.results = undefined;
        job.error = undefined;
        runAlone(job);
      }
    }
    for (const job of jobs) afterBusy(job.error);
    for (const job of jobs) {
      if (job.error !== undefined) job.reject(job.error);
      else job.resolve(job.results!);
    }
  }

  /**
   * The group in one transaction. 'alone' when the transaction did not hold (nothing of it is committed then) and
   * each batch must run on its own; when even the lock cannot be had, every batch gets that error at once, as each
   * would only wait for the same lock again.
   */
  function groupRun(jobs: readonly Job[]): 'done' | 'alone' {
    try {
      execute(db, 'BEGIN IMMEDIATE');
    } catch (err) {
      for (const job of jobs) job.error = err;
      return 'done';
    }
    for (const job of jobs) {
      try {
        execute(db, 'SAVEPOINT pingan_batch');
        job.results = runStatements(job.stmts);
        execute(db, 'RELEASE pingan_batch');
      } catch (err) {
        job.error = err;
        job.results = undefined;
        // An error SQLite answers by rolling the whole transaction back ends the group: every batch runs alone.
        if (!db.inTransaction) return 'alone';
        try {
          execute(db, 'ROLLBACK TO pingan_batch');
          execute(db, 'RELEASE pingan_batch');
        } catch {
          rollback();
          return 'alone';
        }
      }
    }
    try {
      execute(db, 'COMMIT');
    } catch {
      rollback();
      return 'alone';
    }
    stats.commits++;
    return 'done';
  }

  const client: Client = {
    async execute(stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> {
      checkOpen();
      const stmt = typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      while (openTransactions > 0 && !READS.test(stmt.sql)) await whenNoTransaction();
      checkOpen();
      try {
        return execute(db, stmt);
      } catch (err) {
        afterBusy(err);
        throw err;
      }
    },
    async batch(stmts: BatchStatement[], mode: TransactionMode = 'deferred'): Promise<ResultSet[]> {
      checkOpen();
      if (mode === 'read' || stmts.some((s) => UNGROUPABLE.test(sqlOf(s)))) {
        // Not a write to share: in a transaction of its own, as soon as no other transaction holds the lock.
        while (openTransactions > 0 && mode !== 'read') await whenNoTransaction();
        checkOpen();
        const job: Job = { stmts, mode, resolve: () => {}, reject: () => {} };
        stats.batches++;
        runAlone(job);
        afterBusy(job.error);
        if (job.error !== undefined) throw job.error;
        return job.results!;
      }
      return new Promise((resolve, reject) => {
        queue.push({ stmts, mode, resolve, reject });
        // Everything that reaches a batch in this turn of the event loop joins the group.
        if (queue.length === 1) setImmediate(flush);
      });
    },
    migrate: (stmts) => inner.migrate(stmts),
    async transaction(mode?: TransactionMode): Promise<Transaction> {
      const tx = await inner.transaction(mode);
      openTransactions++;
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        transactionEnded();
      };
      return {
        execute: (stmt: InStatement) => tx.execute(stmt),
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
    executeMultiple: (sql) => inner.executeMultiple(sql),
    sync: () => inner.sync(),
    close() {
      if (closed) return;
      closed = true;
      if (db.open) db.close();
      inner.close();
      // Whatever waits for a transaction or a group is refused now, not left hanging.
      resumeWaiting();
    },
    reconnect: () => inner.reconnect(),
    get closed() {
      return closed;
    },
    protocol: 'file',
  } as Client;
  STATS.set(client, stats);
  return client;
}

function sqlOf(stmt: BatchStatement): string {
  return typeof stmt === 'string' ? stmt : Array.isArray(stmt) ? stmt[0] : stmt.sql;
}

function beginFor(mode: TransactionMode): string {
  return mode === 'write' ? 'BEGIN IMMEDIATE' : mode === 'read' ? 'BEGIN TRANSACTION READONLY' : 'BEGIN DEFERRED';
}

class Results implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: ResultSet['rows'],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}
  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) => Array.prototype.slice.call(row).map((v) => (typeof v === 'bigint' ? String(v) : v instanceof ArrayBuffer ? null : v))),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : String(this.lastInsertRowid),
    };
  }
}

/** One statement, as @libsql/client's embedded driver runs it: the same rows, counts and errors. */
function execute(db: Connection, stmt: BatchStatement): ResultSet {
  const sql = sqlOf(stmt);
  const given = typeof stmt === 'string' ? [] : Array.isArray(stmt) ? (stmt[1] ?? []) : (stmt.args ?? []);
  let args: unknown;
  if (Array.isArray(given)) {
    args = given.map(valueToSql);
  } else {
    const named: Record<string, unknown> = {};
    for (const name in given) named[/^[@$:]/.test(name) ? name.slice(1) : name] = valueToSql(given[name]!);
    args = named;
  }
  try {
    const statement = db.prepare(sql);
    statement.safeIntegers(true);
    let returnsData = true;
    try {
      statement.raw(true);
    } catch {
      // raw() refuses a statement that returns no data
      returnsData = false;
    }
    if (returnsData) {
      const columns = statement.columns();
      const names = columns.map((c) => c.name);
      const rows = statement.all(args).map((row) => rowFromSql(row, names));
      return new Results(names, columns.map((c) => c.type ?? ''), rows, 0, undefined);
    }
    const info = statement.run(args);
    return new Results([], [], [], info.changes, BigInt(info.lastInsertRowid));
  } catch (e) {
    throw mapSqliteError(e);
  }
}

function rowFromSql(raw: unknown[], columns: string[]): ResultSet['rows'][number] {
  const row = {} as Record<string | number, unknown>;
  // Indexed and named like the driver's rows; `length` and the indexes are not enumerable, the names are.
  Object.defineProperty(row, 'length', { value: raw.length });
  for (let i = 0; i < raw.length; i++) {
    const value = valueFromSql(raw[i]);
    Object.defineProperty(row, i, { value });
    const column = columns[i]!;
    if (!Object.hasOwn(row, column)) Object.defineProperty(row, column, { value, enumerable: true, configurable: true, writable: true });
  }
  return row as unknown as ResultSet['rows'][number];
}

function valueFromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < BigInt(Number.MIN_SAFE_INTEGER) || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    }
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function valueToSql(value: InValue): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

/** The driver's error, as @libsql/client reports it: code `SQLITE_<BASE>`, the extended code beside it. */
function mapSqliteError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const err = e as Error & { code?: string; rawCode?: number };
  const n = err.rawCode === undefined ? undefined : err.rawCode & 0xff;
  const base = n === undefined ? 'SQLITE_UNKNOWN' : BASE_CODES[n] ? `SQLITE_${BASE_CODES[n]}` : `SQLITE_UNKNOWN_${n}`;
  return new LibsqlError(err.message, base, err.code, err.rawCode, err);
}

/** SQLite's primary result codes by number (sqlite3.h), as @libsql/client names them. */
const BASE_CODES: readonly string[] = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT', 'NOTFOUND', 'FULL',
  'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB',
  'NOTICE', 'WARNING',
];
