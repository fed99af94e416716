// Hrana streams as sqld runs them: one libsql connection per stream on one WAL database, the write lock taken when a
// transaction first writes (BEGIN IMMEDIATE at once), and a transaction that holds it too long rolled back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { WriteLock } from './lock.ts';
import { beginsWrite, firstKeyword, isSyntaxError, parameters, splitStatements } from './sql.ts';
import {
  HranaError,
  ProtoError,
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

export interface EngineOptions {
  /** SQLite file, or ':memory:' for a database in a temporary file that is removed on close. */
  path: string;
  /** sqld's TXN_TIMEOUT: how long a transaction may hold the write lock. */
  txnTimeoutMs: number;
  now: () => number;
}

// The mode string @libsql/client sends for transaction("read") / batch(..., "read"). The libsql engine parses
// READONLY as a transaction name, so read-only-ness is enforced here with PRAGMA query_only.
const READ_BEGIN = /^\s*BEGIN\s+TRANSACTION\s+READONLY\s*;?\s*$/i;

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
    // The write lock keeps writers apart, so SQLite never has to wait; a wait here would freeze the event loop.
    this.db.exec('PRAGMA busy_timeout = 100');
    this.db.exec('PRAGMA synchronous = NORMAL');
    this.#counters = this.db.prepare('SELECT changes(), last_insert_rowid(), total_changes()').raw(true);
  }

  setQueryOnly(on: boolean): void {
    if (on === this.#queryOnly) return;
    this.db.exec(`PRAGMA query_only = ${on ? 1 : 0}`);
    this.#queryOnly = on;
  }

  /** [changes(), last_insert_rowid(), total_changes()] */
  counters(): [bigint, bigint, bigint] {
    return this.#counters.get() as [bigint, bigint, bigint];
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export class Stream {
  readonly sqls = new Map<number, string>();
  closed = false;
  /** Inside a `BEGIN TRANSACTION READONLY` transaction. */
  readTxn = false;
  /** Inside a transaction that has run a statement: SQLite holds a read snapshot that a write must upgrade. */
  hasRead = false;
  /** The database's data_version when that snapshot was taken. */
  snapshot: unknown = null;
  /** Holds a write transaction (and so the lock). */
  wrote = false;
  /** Its transaction was rolled back by a waiting writer; the next program reports TRANSACTION_TIMEOUT. */
  stolen = false;

  constructor(readonly conn: Connection) {}

  resetTxn(): void {
    this.readTxn = false;
    this.hasRead = false;
    this.snapshot = null;
    this.wrote = false;
  }
}

interface Query {
  sql: string;
  stmt: Stmt;
}

const TIMEOUT = () => new HranaError('Transaction timed out', 'TRANSACTION_TIMEOUT');

function hasCode(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string';
}

function primaryCode(code: string): string {
  // Primary result code names are one word after the prefix; extended ones add `_DETAIL`.
  return code.startsWith('SQLITE_') ? code.split('_').slice(0, 2).join('_') : code;
}

export function toHranaError(e: unknown): HranaErrorBody {
  if (e instanceof HranaError) return { message: e.message, code: e.code };
  if (hasCode(e)) return { message: e.message, code: primaryCode(e.code) };
  if (e instanceof Error) return { message: e.message, code: 'INTERNAL_ERROR' };
  return { message: String(e), code: 'INTERNAL_ERROR' };
}

function isReadonlyError(e: unknown): boolean {
  return hasCode(e) && e.code.startsWith('SQLITE_READONLY');
}

/** sqld parses before SQLite prepares: syntax errors are SQL_PARSE_ERROR, the rest of prepare's errors SQL_INPUT_ERROR. */
function prepareError(e: unknown): unknown {
  if (!hasCode(e) || e.code !== 'SQLITE_ERROR') return e;
  if (isSyntaxError(e.message)) return new HranaError(`SQL string could not be parsed: ${e.message}`, 'SQL_PARSE_ERROR');
  return new HranaError(`SQL input error: ${e.message}`, 'SQL_INPUT_ERROR');
}

function prepare(conn: Connection, sql: string): Statement {
  try {
    return conn.db.prepare(sql);
  } catch (e) {
    throw prepareError(e);
  }
}

/** sqld's Params::bind: exactly the parameters the statement has, positional or named, or ARGS_INVALID. */
function bind(sql: string, stmt: Stmt): SqlValue[] {
  const invalid = (why: string) => new HranaError(`Arguments do not match SQL parameters: ${why}`, 'ARGS_INVALID');
  const named = new Map(stmt.namedArgs.map((a) => [a.name, a.value]));
  const positional = stmt.namedArgs.length === 0;
  const supplied = positional ? stmt.args.length : named.size;
  const { count, names } = parameters(sql);
  if (supplied > count) throw invalid(`too many parameters, expected ${count} found ${supplied}`);
  const explain = firstKeyword(sql) === 'EXPLAIN';
  const out: SqlValue[] = [];
  for (let i = 1; i <= count; i++) {
    const name = names.get(i);
    let value: SqlValue | undefined;
    if (name === undefined) value = positional ? stmt.args[i - 1] : undefined;
    else if (name.startsWith('?')) value = positional ? stmt.args[Number(name.slice(1)) - 1] : undefined;
    else value = positional ? undefined : (named.get(name) ?? named.get(name.slice(1)));
    if (value === undefined) {
      if (explain) break;
      throw invalid(`value for parameter ${name ?? i} not found`);
    }
    out.push(value);
  }
  return out;
}

export class Engine {
  readonly lock: WriteLock<Stream>;
  readonly #path: string;
  readonly #tempDir: string | null;
  /** Keeps the database open between streams, so the WAL is not checkpointed and removed after every request. */
  readonly #anchor: Connection;
  readonly #dataVersion: Statement;
  readonly #streams = new Set<Stream>();

  constructor(options: EngineOptions) {
    this.#tempDir = options.path === ':memory:' ? mkdtempSync(join(tmpdir(), 'libsql-memory-')) : null;
    this.#path = this.#tempDir === null ? options.path : join(this.#tempDir, 'memory.db');
    this.#anchor = new Connection(this.#path);
    this.#anchor.db.exec('PRAGMA journal_mode = WAL');
    // On a connection that never writes, data_version changes whenever another connection commits.
    this.#dataVersion = this.#anchor.db.prepare('PRAGMA data_version').raw(true);
    this.lock = new WriteLock<Stream>({
      timeoutMs: options.txnTimeoutMs,
      now: options.now,
      steal: (s) => {
        this.#rollback(s);
        s.stolen = true;
      },
    });
  }

  openStream(): Stream {
    const stream = new Stream(new Connection(this.#path));
    this.#streams.add(stream);
    return stream;
  }

  closeStream(s: Stream): void {
    if (s.closed) return;
    s.closed = true;
    this.#streams.delete(s);
    this.#rollback(s);
    this.lock.release(s);
    this.lock.abandon(s, new HranaError('The stream is closed', 'STREAM_CLOSED'));
    s.conn.close();
  }

  close(): void {
    this.lock.cancelAll(new HranaError('The server is shutting down', 'STREAM_CLOSED'));
    for (const s of [...this.#streams]) this.closeStream(s);
    this.#anchor.close();
    if (this.#tempDir !== null) rmSync(this.#tempDir, { recursive: true, force: true });
  }

  async handle(s: Stream, req: StreamRequest): Promise<StreamResponse> {
    if (s.closed) throw new ProtoError('The stream for this baton was closed');
    switch (req.type) {
      case 'close':
        this.closeStream(s);
        return { type: 'close' };
      case 'execute': {
        const [result] = await this.#program(s, [{ condition: undefined, query: this.#query(s, req.stmt) }]);
        if (result instanceof Error) throw result;
        return { type: 'execute', result: result as StmtResult };
      }
      case 'batch':
        return { type: 'batch', result: await this.#batch(s, req.steps) };
      case 'sequence':
        await this.#sequence(s, this.#sqlText(s, req));
        return { type: 'sequence' };
      case 'describe':
        return { type: 'describe', result: this.#describe(s.conn, this.#sqlText(s, req)) };
      case 'store_sql':
        if (s.sqls.has(req.sqlId)) throw new ProtoError(`SQL text with id ${req.sqlId} already exists`);
        s.sqls.set(req.sqlId, req.sql);
        return { type: 'store_sql' };
      case 'close_sql':
        s.sqls.delete(req.sqlId);
        return { type: 'close_sql' };
      case 'get_autocommit':
        return { type: 'get_autocommit', is_autocommit: !s.conn.db.inTransaction };
    }
  }

  #sqlText(s: Stream, ref: { sql: string | undefined; sqlId: number | undefined }): string {
    if (ref.sql !== undefined) return ref.sql;
    const sql = ref.sqlId === undefined ? undefined : s.sqls.get(ref.sqlId);
    if (sql === undefined) throw new ProtoError(`SQL text with id ${ref.sqlId} was not found`);
    return sql;
  }

  /** sqld's proto_stmt_to_query: exactly one statement, positional or named arguments but not both. */
  #query(s: Stream, stmt: Stmt): Query {
    const text = this.#sqlText(s, stmt);
    const statements = splitStatements(text);
    const first = statements[0];
    if (first === undefined) throw new HranaError('SQL string does not contain any statement', 'SQL_NO_STATEMENT');
    if (statements.length > 1) {
      try {
        s.conn.db.prepare(first);
      } catch (e) {
        if (hasCode(e) && isSyntaxError(e.message)) throw prepareError(e);
      }
      throw new HranaError('SQL string contains more than one statement', 'SQL_MANY_STATEMENTS');
    }
    if (stmt.args.length > 0 && stmt.namedArgs.length > 0) {
      throw new HranaError('Specifying both positional and named arguments is not supported', 'ARGS_BOTH_POSITIONAL_AND_NAMED');
    }
    return { sql: text, stmt };
  }

  async #batch(s: Stream, steps: BatchStep[]): Promise<BatchResult> {
    const program = steps.map((step, i) => {
      if (step.condition !== undefined) checkCond(step.condition, i);
      return { condition: step.condition, query: this.#query(s, step.stmt) };
    });
    const results = await this.#program(s, program);
    return {
      step_results: results.map((r) => (r === null || r instanceof Error ? null : r)),
      step_errors: results.map((r) => (r instanceof Error ? toHranaError(r) : null)),
    };
  }

  /** Each statement runs only if the one before succeeded; the first error is the request's. */
  async #sequence(s: Stream, sql: string): Promise<void> {
    const statements = splitStatements(sql);
    for (const text of statements) {
      try {
        s.conn.db.prepare(text);
      } catch (e) {
        if (hasCode(e) && isSyntaxError(e.message)) throw prepareError(e);
      }
    }
    const program = statements.map((text) => ({ condition: undefined, query: { sql: text, stmt: { sql: text, sqlId: undefined, args: [], namedArgs: [], wantRows: false } } }));
    for (const r of await this.#program(s, program, true)) if (r instanceof Error) throw r;
  }

  /**
   * Runs steps as sqld's Connection::run does: a transaction that has held the write lock longer than the timeout
   * (or lost it to a waiting writer) is rolled back, and every remaining step of this program fails with TRANSACTION_TIMEOUT.
   */
  async #program(s: Stream, steps: Array<{ condition: BatchCond | undefined; query: Query }>, stopOnError = false): Promise<Array<StmtResult | Error | null>> {
    const results: Array<StmtResult | Error | null> = [];
    let timedOut = false;
    const holds = (c: BatchCond): boolean => {
      switch (c.type) {
        case 'ok':
          return results[c.step] != null && !(results[c.step] instanceof Error);
        case 'error':
          return results[c.step] instanceof Error;
        case 'not':
          return !holds(c.cond);
        case 'and':
          return c.conds.every(holds);
        case 'or':
          return c.conds.some(holds);
        case 'is_autocommit':
          return !s.conn.db.inTransaction;
      }
    };
    for (const step of steps) {
      if (!timedOut && (s.stolen || this.lock.expired(s))) {
        this.#rollback(s);
        this.lock.release(s);
        s.stolen = false;
        timedOut = true;
      }
      if (timedOut) {
        results.push(TIMEOUT());
        continue;
      }
      if (stopOnError && results.some((r) => r instanceof Error)) break;
      if (step.condition !== undefined && !holds(step.condition)) {
        results.push(null);
        continue;
      }
      try {
        results.push(await this.#run(s, step.query));
      } catch (e) {
        results.push(e instanceof Error ? e : new Error(String(e)));
      }
    }
    return results;
  }

  #rollback(s: Stream): void {
    try {
      if (s.conn.db.open && s.conn.db.inTransaction) s.conn.db.exec('ROLLBACK');
    } catch {
      // Nobody is left to tell: the transaction is gone either way.
    }
    s.resetTxn();
  }

  /**
   * Runs one statement under the write-lock rules. libsql is synchronous, so a statement blocked on SQLite's own lock
   * would freeze the event loop; instead a stream that does not hold the lock runs with PRAGMA query_only, and a
   * statement that turns out to write fails before touching anything and reruns once the lock is the stream's. As in
   * SQLite, a transaction that has already read cannot wait for the lock (its snapshot would be stale): SQLITE_BUSY.
   */
  async #run(s: Stream, q: Query): Promise<StmtResult> {
    if (this.lock.owner === s) return this.#withLock(s, q);
    const readBegin = READ_BEGIN.test(q.sql);
    if (s.readTxn || readBegin) return this.#readOnly(s, q, readBegin);
    if (!beginsWrite(q.sql)) {
      try {
        return this.#readOnly(s, q, false);
      } catch (e) {
        if (!isReadonlyError(e)) throw e;
      }
      // SQLite answers these itself, but leaves the failed statement active and the stale snapshot held (libsql
      // cannot reset it), so they are refused before SQLite sees them.
      if (s.conn.db.inTransaction && s.hasRead && (this.lock.owner !== null || this.#version() !== s.snapshot)) {
        throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      }
    }
    await this.lock.acquire(s);
    if (s.closed) {
      this.lock.release(s);
      throw new HranaError('The stream is closed', 'STREAM_CLOSED');
    }
    return this.#withLock(s, q);
  }

  #readOnly(s: Stream, q: Query, readBegin: boolean): StmtResult {
    s.conn.setQueryOnly(true);
    try {
      const result = this.#executeNow(s.conn, q);
      if (s.conn.db.inTransaction && !s.hasRead && firstKeyword(q.sql) !== 'BEGIN') {
        s.hasRead = true;
        s.snapshot = this.#version();
      }
      if (s.conn.db.inTransaction && readBegin) s.readTxn = true;
      return result;
    } finally {
      if (!s.conn.db.inTransaction) s.resetTxn();
    }
  }

  #version(): unknown {
    return (this.#dataVersion.get() as unknown[])[0];
  }

  #withLock(s: Stream, q: Query): StmtResult {
    s.conn.setQueryOnly(false);
    try {
      const result = this.#executeNow(s.conn, q);
      if (s.conn.db.inTransaction) s.wrote = s.hasRead = true;
      return result;
    } catch (e) {
      // A failed upgrade of a read snapshot (SQLITE_BUSY) never took SQLite's write lock.
      if (hasCode(e) && e.code.startsWith('SQLITE_BUSY') && !s.wrote) this.lock.release(s);
      throw e;
    } finally {
      if (!s.conn.db.inTransaction) {
        s.resetTxn();
        this.lock.release(s);
      }
    }
  }

  #executeNow(conn: Connection, q: Query): StmtResult {
    const prepared = prepare(conn, q.sql);
    const params = bind(q.sql, q.stmt);
    const started = performance.now();
    const totalBefore = conn.counters()[2];
    let cols: Col[] = [];
    let rows: JsonValue[][] = [];
    let rowsRead = 0;
    if (prepared.reader) {
      const all = firstKeyword(q.sql) === 'EXPLAIN' ? allExplained(prepared, params) : (prepared.raw(true).all(params) as unknown[][]);
      rowsRead = all.length;
      cols = prepared.columns().map((c) => ({ name: c.name, decltype: c.type }));
      if (q.stmt.wantRows) rows = all.map((row) => row.map(encodeValue));
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
      // libsql's npm binding exposes no sqlite3_stmt_status, so rows read is the rows returned, not the rows scanned.
      rows_read: rowsRead,
      rows_written: affected,
      query_duration_ms: performance.now() - started,
    };
  }

  #describe(conn: Connection, sql: string): DescribeResult {
    const prepared = prepare(conn, sql);
    const cols = prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : [];
    if (firstKeyword(sql) === 'EXPLAIN') return { params: [], cols, is_explain: true, is_readonly: true };
    const { count, names } = parameters(sql);
    let program: unknown[][] = [];
    try {
      program = allExplained(conn.db.prepare(`EXPLAIN ${sql}`));
    } catch {
      // Not explainable: reported as read-only, as the statement itself already compiled.
    }
    return {
      params: Array.from({ length: count }, (_, k) => ({ name: names.get(k + 1) ?? null })),
      cols,
      is_explain: false,
      is_readonly: !program.some(([, opcode, , p2]) => opcode === 'Transaction' && Number(p2) !== 0),
    };
  }
}

/** A condition may only name earlier steps; sqld refuses the whole request otherwise. */
function checkCond(c: BatchCond, index: number): void {
  switch (c.type) {
    case 'ok':
    case 'error':
      if (c.step < 0 || c.step >= index) throw new ProtoError(`Batch condition refers to step ${c.step}, which is not before step ${index}`);
      return;
    case 'not':
      return checkCond(c.cond, index);
    case 'and':
    case 'or':
      for (const inner of c.conds) checkCond(inner, index);
      return;
    case 'is_autocommit':
      return;
  }
}
