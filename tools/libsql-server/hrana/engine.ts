// Hrana streams over libsql connections: statement execution, batches, and the write lock that serialises writers.
import Database from 'libsql';
import { WriteLock, LockTimeoutError } from './lock.ts';
import {
  HranaError,
  encodeValue,
  type BatchCond,
  type BatchResult,
  type BatchStep,
  type Col,
  type DescribeResult,
  type HranaErrorBody,
  type JsonValue,
  type SqlValue,
  type Stmt,
  type StmtResult,
  type StreamRequest,
  type StreamResponse,
} from './protocol.ts';

type Db = Database.Database;
type Statement = Database.Statement;

export const BUSY_TIMEOUT_MS = 5_000;

// The mode string @libsql/client sends for transaction("read") / batch(..., "read"). The libsql engine parses
// READONLY as a transaction name, so read-only-ness is enforced here with PRAGMA query_only.
const READ_BEGIN = /^\s*BEGIN\s+TRANSACTION\s+READONLY\s*;?\s*$/i;

const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*/;

function isExplain(sql: string): boolean {
  return /^EXPLAIN\b/i.test(sql.replace(LEADING_COMMENTS, ''));
}

/**
 * Runs an EXPLAIN statement to completion and resets it. SQLite never halts an EXPLAIN program, so an
 * EXPLAIN of a write stays counted as an active writer until reset, which keeps the connection's later
 * autocommit writes uncommitted and SQLite's write lock held. libsql has no reset(), but get() resets.
 */
function allExplained(stmt: Statement, params: SqlValue[] = []): unknown[][] {
  const rows = stmt.raw(true).all(params) as unknown[][];
  stmt.get(params);
  return rows;
}

class Connection {
  readonly db: Db;
  readonly #counters: Statement;
  #queryOnly = false;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.defaultSafeIntegers(true);
    this.db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (path !== ':memory:') this.db.exec('PRAGMA synchronous = NORMAL');
    this.#counters = this.db.prepare('SELECT changes(), last_insert_rowid(), total_changes()').raw(true);
  }

  setQueryOnly(on: boolean): void {
    if (on === this.#queryOnly) return;
    this.db.exec(`PRAGMA query_only = ${on ? 1 : 0}`);
    this.#queryOnly = on;
  }

  /** [changes(), last_insert_rowid(), total_changes()] */
  counters(): [bigint, bigint, bigint] {
    const row = this.#counters.get() as [bigint, bigint, bigint];
    return row;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export class Stream {
  readonly sqls = new Map<number, string>();
  /** Inside a `BEGIN TRANSACTION READONLY` transaction. */
  readTxn = false;
  closed = false;

  constructor(readonly conn: Connection) {}
}

function primaryCode(code: string): string {
  // Primary result code names are one word after the prefix; extended ones add `_DETAIL`.
  return code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
}

function hasCode(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

export function toHranaError(e: unknown): HranaErrorBody {
  if (e instanceof HranaError) return { message: e.message, code: e.code };
  if (e instanceof LockTimeoutError) return { message: e.message, code: 'SQLITE_BUSY' };
  if (hasCode(e)) return { message: e.message, code: primaryCode(e.code) };
  if (e instanceof Error) return { message: e.message, code: 'INTERNAL_ERROR' };
  return { message: String(e), code: 'INTERNAL_ERROR' };
}

function isReadonlyError(e: unknown): boolean {
  return hasCode(e) && e.code.startsWith('SQLITE_READONLY');
}

export class Engine {
  readonly lock = new WriteLock<Stream>();
  readonly #path: string;
  readonly #lockTimeoutMs: number;
  /** ':memory:' databases are per connection, so all streams share this one. */
  readonly #shared: Connection | null;
  /** Keeps a file database open between streams, so the WAL is not checkpointed and removed after every request. */
  readonly #anchor: Connection | null;
  readonly #streams = new Set<Stream>();
  readonly #paramIndexes = new Map<string, Map<string, number>>();

  constructor(path: string, lockTimeoutMs: number) {
    this.#path = path;
    this.#lockTimeoutMs = lockTimeoutMs;
    if (path === ':memory:') {
      this.#shared = new Connection(path);
      this.#anchor = null;
    } else {
      this.#shared = null;
      this.#anchor = new Connection(path);
      this.#anchor.db.exec('PRAGMA journal_mode = WAL');
    }
  }

  openStream(): Stream {
    const stream = new Stream(this.#shared ?? new Connection(this.#path));
    this.#streams.add(stream);
    return stream;
  }

  inTransaction(s: Stream): boolean {
    if (this.#shared !== null) return this.lock.owner === s && s.conn.db.inTransaction;
    return s.conn.db.inTransaction;
  }

  closeStream(s: Stream): void {
    if (s.closed) return;
    s.closed = true;
    this.#streams.delete(s);
    try {
      if (this.inTransaction(s)) s.conn.db.exec('ROLLBACK');
    } catch {
      // Nobody is left to tell: the stream is gone either way.
    } finally {
      this.lock.release(s);
      if (this.#shared === null) s.conn.close();
    }
  }

  close(): void {
    this.lock.cancelAll(new HranaError('The server is shutting down', 'STREAM_CLOSED'));
    for (const s of [...this.#streams]) this.closeStream(s);
    this.#shared?.close();
    this.#anchor?.close();
  }

  async handle(s: Stream, req: StreamRequest): Promise<StreamResponse> {
    switch (req.type) {
      case 'close':
        this.closeStream(s);
        return { type: 'close' };
      case 'execute':
        return { type: 'execute', result: await this.#execute(s, req.stmt) };
      case 'batch':
        return { type: 'batch', result: await this.#batch(s, req.steps) };
      case 'sequence': {
        const sql = this.#sqlText(s, req);
        await this.#run(s, false, false, () => s.conn.db.exec(sql));
        return { type: 'sequence' };
      }
      case 'describe':
        return { type: 'describe', result: this.#describe(s.conn, this.#sqlText(s, req)) };
      case 'store_sql':
        if (s.sqls.has(req.sqlId)) throw new HranaError(`SQL text ${req.sqlId} is already stored`, 'SQL_STORE_ERROR');
        s.sqls.set(req.sqlId, req.sql);
        return { type: 'store_sql' };
      case 'close_sql':
        s.sqls.delete(req.sqlId);
        return { type: 'close_sql' };
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: !this.inTransaction(s) };
    }
  }

  #sqlText(s: Stream, ref: { sql: string | undefined; sqlId: number | undefined }): string {
    if (ref.sql !== undefined) return ref.sql;
    const sql = ref.sqlId === undefined ? undefined : s.sqls.get(ref.sqlId);
    if (sql === undefined) throw new HranaError(`SQL text ${ref.sqlId} is not stored on this stream`, 'SQL_NOT_FOUND');
    return sql;
  }

  async #batch(s: Stream, steps: BatchStep[]): Promise<BatchResult> {
    const step_results: Array<StmtResult | null> = [];
    const step_errors: Array<HranaErrorBody | null> = [];
    const holds = (c: BatchCond): boolean => {
      switch (c.type) {
        case 'ok':
          return step_results[c.step] != null;
        case 'error':
          return step_errors[c.step] != null;
        case 'not':
          return !holds(c.cond);
        case 'and':
          return c.conds.every(holds);
        case 'or':
          return c.conds.some(holds);
        case 'is_autocommit':
          return !this.inTransaction(s);
      }
    };
    for (const step of steps) {
      if (step.condition !== undefined && !holds(step.condition)) {
        step_results.push(null);
        step_errors.push(null);
        continue;
      }
      try {
        step_results.push(await this.#execute(s, step.stmt));
        step_errors.push(null);
      } catch (e) {
        step_results.push(null);
        step_errors.push(toHranaError(e));
      }
    }
    return { step_results, step_errors };
  }

  #execute(s: Stream, stmt: Stmt): Promise<StmtResult> {
    const sql = this.#sqlText(s, stmt);
    return this.#run(s, READ_BEGIN.test(sql), true, () => this.#executeNow(s.conn, sql, stmt));
  }

  /**
   * Runs `fn` on the stream's connection under the write-lock rules. A stream owns the lock while it writes
   * or holds a write transaction. libsql is synchronous, so a statement blocked on SQLite's own lock would
   * freeze the event loop and with it the transaction it waits for; the lock turns that wait into an async one.
   * Without the lock a statement runs with PRAGMA query_only, so readers are not held up by a writer's open
   * transaction (WAL); if it turns out to write, it fails before touching anything and reruns once the lock is ours.
   */
  async #run<T>(s: Stream, readBegin: boolean, bypassable: boolean, fn: () => T): Promise<T> {
    const readOnly = s.readTxn || readBegin;
    if (this.#shared !== null) {
      // One shared connection: another stream's transaction is ours too, so everything waits.
      if (!this.lock.tryAcquire(s)) await this.#acquire(s);
      return this.#guarded(s, readOnly, readBegin, fn);
    }
    if (this.lock.owner === s || (!readOnly && this.lock.tryAcquire(s))) return this.#guarded(s, readOnly, readBegin, fn);
    if (bypassable || readOnly) {
      try {
        return this.#guarded(s, true, readBegin, fn);
      } catch (e) {
        if (readOnly || !isReadonlyError(e)) throw e;
      }
    }
    await this.#acquire(s);
    return this.#guarded(s, false, readBegin, fn);
  }

  async #acquire(s: Stream): Promise<void> {
    await this.lock.acquire(s, this.#lockTimeoutMs);
    if (s.closed) {
      this.lock.release(s);
      throw new HranaError('The stream is closed', 'STREAM_CLOSED');
    }
  }

  #guarded<T>(s: Stream, queryOnly: boolean, readBegin: boolean, fn: () => T): T {
    s.conn.setQueryOnly(queryOnly);
    try {
      const result = fn();
      if (readBegin && s.conn.db.inTransaction) s.readTxn = true;
      return result;
    } finally {
      if (!s.conn.db.inTransaction) {
        s.readTxn = false;
        this.lock.release(s);
      }
    }
  }

  #executeNow(conn: Connection, sql: string, stmt: Stmt): StmtResult {
    const params = this.#bind(conn, sql, stmt);
    const started = performance.now();
    const totalBefore = conn.counters()[2];
    const prepared = conn.db.prepare(sql);
    let cols: Col[] = [];
    let rows: JsonValue[][] = [];
    let rowsRead = 0;
    if (prepared.reader) {
      const all = isExplain(sql) ? allExplained(prepared, params) : (prepared.raw(true).all(params) as unknown[][]);
      rowsRead = all.length;
      cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type }));
      if (stmt.wantRows) rows = all.map((row) => row.map(encodeValue));
    } else {
      prepared.run(params);
    }
    const [changes, rowid, totalAfter] = conn.counters();
    // changes() keeps the count of the last INSERT/UPDATE/DELETE, so it only belongs to this statement if it wrote.
    const wrote = totalAfter !== totalBefore;
    const affected = wrote ? Number(changes) : 0;
    return {
      cols,
      rows,
      affected_row_count: affected,
      last_insert_rowid: wrote ? rowid.toString() : null,
      rows_read: rowsRead,
      rows_written: affected,
      query_duration_ms: performance.now() - started,
    };
  }

  /** Positional parameters for libsql; its object binding aborts the process on statements with `?` parameters. */
  #bind(conn: Connection, sql: string, stmt: Stmt): SqlValue[] {
    const params = [...stmt.args];
    if (stmt.namedArgs.length === 0) return params;
    const index = this.#paramIndex(conn, sql);
    for (const { name, value } of stmt.namedArgs) {
      const i = /^[:@$?]/.test(name) ? index.get(name) : (index.get(`:${name}`) ?? index.get(`@${name}`) ?? index.get(`$${name}`));
      // A name the compiled statement does not use (perhaps optimised away) binds nothing, as in SQLite.
      if (i === undefined) continue;
      while (params.length < i) params.push(null);
      params[i - 1] = value;
    }
    return params;
  }

  /** Parameter name → index, read from the statement's compiled program. */
  #paramIndex(conn: Connection, sql: string): Map<string, number> {
    const cached = this.#paramIndexes.get(sql);
    if (cached !== undefined) return cached;
    const index = new Map<string, number>();
    const program = explain(conn, sql);
    // If it does not compile, neither will the statement itself, and executing it reports the error. Not
    // cached: it may compile once the tables it names exist.
    if (program === null) return index;
    for (const { name, i } of variables(program)) if (name !== null) index.set(name, i);
    if (this.#paramIndexes.size >= 500) this.#paramIndexes.clear();
    this.#paramIndexes.set(sql, index);
    return index;
  }

  #describe(conn: Connection, sql: string): DescribeResult {
    const prepared = conn.db.prepare(sql);
    const cols = prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : [];
    if (isExplain(sql)) return { params: [], cols, is_explain: true, is_readonly: true };
    const program = explain(conn, sql) ?? [];
    const names = new Map<number, string | null>();
    for (const { name, i } of variables(program)) names.set(i, name);
    const count = Math.max(0, ...names.keys());
    return {
      params: Array.from({ length: count }, (_, k) => ({ name: names.get(k + 1) ?? null })),
      cols,
      is_explain: false,
      is_readonly: !program.some(([, opcode, , p2]) => opcode === 'Transaction' && Number(p2) !== 0),
    };
  }
}

function explain(conn: Connection, sql: string): unknown[][] | null {
  try {
    return allExplained(conn.db.prepare(`EXPLAIN ${sql}`));
  } catch {
    return null;
  }
}

/** OP_Variable carries the parameter index in P1 and, for named parameters, the name in P4. */
function variables(program: unknown[][]): Array<{ name: string | null; i: number }> {
  const out: Array<{ name: string | null; i: number }> = [];
  for (const [, opcode, p1, , , p4] of program) {
    if (opcode === 'Variable') out.push({ name: typeof p4 === 'string' ? p4 : null, i: Number(p1) });
  }
  return out;
}
