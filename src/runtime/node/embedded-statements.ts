// One statement on a libsql connection, answered exactly as @libsql/client's embedded driver answers it (its
// `executeStmt`): the same rows (named and indexed values, integers as numbers), counts, argument checks and
// errors, so drizzle and the app cannot tell src/runtime/node/group-commit.ts from the driver. Node only.
import Database from 'libsql';
import { LibsqlBatchError, LibsqlError, type InArgs, type InStatement, type InValue, type ResultSet } from '@libsql/client';

export type BatchStatement = InStatement | [string, InArgs?];

export interface Connection {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  readonly inTransaction: boolean;
  readonly open: boolean;
  close(): void;
}

interface Statement {
  safeIntegers(on: boolean): unknown;
  readonly reader: boolean;
  columns(): { name: string; type: string | null }[];
  all(args: unknown): unknown[][];
  run(args: unknown): { changes: number; lastInsertRowid: number | bigint };
}

export function sqlOf(stmt: BatchStatement): string {
  return typeof stmt === 'string' ? stmt : Array.isArray(stmt) ? stmt[0] : stmt.sql;
}

/** Whether a prepared (and cached: src/runtime/node/statement-cache.ts) statement returns rows, asked once. */
const returnsRows = new WeakMap<Statement, boolean>();

/** One statement, as the driver runs it. */
export function execute(db: Connection, stmt: BatchStatement): ResultSet {
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
    const statement = db.prepare(sqlOf(stmt));
    let reader = returnsRows.get(statement);
    if (reader === undefined) {
      statement.safeIntegers(true);
      returnsRows.set(statement, (reader = statement.reader));
    }
    if (reader) {
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

/** A batch's statements in order on a connection already in a transaction; the error names the statement, as the driver's. */
export function executeAll(db: Connection, stmts: readonly BatchStatement[]): ResultSet[] {
  const results: ResultSet[] = [];
  for (let i = 0; i < stmts.length; i++) {
    // A statement of the batch that ended the transaction (a ROLLBACK, RAISE(ROLLBACK)) stops it, as in the driver.
    if (!db.inTransaction) throw new LibsqlBatchError('The transaction has been rolled back', i, 'TRANSACTION_CLOSED');
    try {
      results.push(execute(db, stmts[i]!));
    } catch (e) {
      if (!(e instanceof LibsqlError)) throw e;
      throw new LibsqlBatchError(e.message, i, e.code, e.extendedCode, e.rawCode, e.cause instanceof Error ? e.cause : undefined);
    }
  }
  return results;
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
    const cell = (v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v);
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows.map((row) => Array.prototype.slice.call(row).map(cell)),
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid === undefined ? null : String(this.lastInsertRowid),
    };
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

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

function valueFromSql(value: unknown): unknown {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
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
  if (typeof value === 'bigint') {
    if (value < MIN_INT64 || value > MAX_INT64) throw new RangeError('bigint is too large to be represented as a 64-bit integer and passed as argument');
    return value;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

/** The driver's error, as @libsql/client reports it: code `SQLITE_<BASE>`, the extended code beside it. */
export function mapSqliteError(e: unknown): unknown {
  if (!(e instanceof Database.SqliteError)) return e;
  const err = e as Error & { code?: string; rawCode?: number };
  const n = err.rawCode === undefined ? undefined : err.rawCode & 0xff;
  const base = n === undefined ? 'SQLITE_UNKNOWN' : BASE_CODES[n] ? `SQLITE_${BASE_CODES[n]}` : `SQLITE_UNKNOWN_${n}`;
  return new LibsqlError(err.message, base, err.code, err.rawCode, err);
}

/** Whether an error is SQLite's "the lock is held elsewhere" (SQLITE_BUSY or SQLITE_LOCKED). */
export function isLockError(err: unknown): boolean {
  const code = (err as { rawCode?: unknown } | null)?.rawCode;
  return typeof code === 'number' && ((code & 0xff) === 5 || (code & 0xff) === 6);
}

/** SQLite's primary result codes by number (sqlite3.h), as @libsql/client names them. */
const BASE_CODES: readonly string[] = [
  'OK', 'ERROR', 'INTERNAL', 'PERM', 'ABORT', 'BUSY', 'LOCKED', 'NOMEM', 'READONLY', 'INTERRUPT', 'IOERR', 'CORRUPT', 'NOTFOUND', 'FULL',
  'CANTOPEN', 'PROTOCOL', 'EMPTY', 'SCHEMA', 'TOOBIG', 'CONSTRAINT', 'MISMATCH', 'MISUSE', 'NOLFS', 'AUTH', 'FORMAT', 'RANGE', 'NOTADB',
  'NOTICE', 'WARNING',
];
