// Reads issued together travel together: on libSQL over HTTP (Turso from a Worker) every statement is a network
// round trip, so the SELECTs a request starts at the same moment — the session lookup and the cache checks of the
// middleware, the independent reads a page awaits with Promise.all — are sent as one batch. Writes, transactions
// and batches pass through untouched.
import type { Client, InArgs, InStatement, ResultSet, TransactionMode } from '@libsql/client';
import { tryGetContext } from 'hono/context-storage';

interface Pending {
  stmt: InStatement;
  resolve(r: ResultSet): void;
  reject(e: unknown): void;
}

/** A read the batch may carry: a plain SELECT (or WITH … SELECT) that writes nothing. */
export function isPlainRead(sql: string): boolean {
  const s = sql.trimStart().slice(0, 12).toLowerCase();
  if (!s.startsWith('select') && !s.startsWith('with')) return false;
  return !/\b(insert|update|delete|replace|returning)\b/i.test(sql);
}

const sqlOf = (stmt: InStatement): string => (typeof stmt === 'string' ? stmt : stmt.sql);

/** Runs `flush` once the current run of promise callbacks has settled (a macrotask later). */
const later: (fn: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (fn) => (globalThis as unknown as { setImmediate(f: () => void): void }).setImmediate(fn)
    : (fn) => setTimeout(fn, 0);

/**
 * A client that gathers the plain reads issued before the next macrotask into one `batch` (one round trip).
 * A batch that fails is retried statement by statement, so each caller gets its own result or error.
 */
export function coalescingClient(client: Client): Client {
  // One queue per request: on Workers a request may not use I/O begun for another, so two requests' reads
  // never share a batch. Outside a request (a scheduled job, the CLI) there is one queue.
  const queues = new WeakMap<object, Pending[]>();
  const outside = {};

  function flush(scope: object) {
    const taken = queues.get(scope) ?? [];
    queues.delete(scope);
    if (taken.length === 1) {
      const [p] = taken;
      client.execute(p!.stmt).then(p!.resolve, p!.reject);
      return;
    }
    client.batch(taken.map((p) => p.stmt), 'deferred').then(
      (results) => taken.forEach((p, i) => p.resolve(results[i]!)),
      () => {
        for (const p of taken) client.execute(p.stmt).then(p.resolve, p.reject);
      },
    );
  }

  function execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const stmt: InStatement = typeof stmtOrSql === 'string' && args !== undefined ? { sql: stmtOrSql, args } : stmtOrSql;
    if (!isPlainRead(sqlOf(stmt))) return client.execute(stmt);
    const scope: object = tryGetContext() ?? outside;
    return new Promise<ResultSet>((resolve, reject) => {
      let queue = queues.get(scope);
      if (!queue) {
        queues.set(scope, (queue = []));
        later(() => flush(scope));
      }
      queue.push({ stmt, resolve, reject });
    });
  }

  return {
    execute: execute as Client['execute'],
    batch: (stmts: Parameters<Client['batch']>[0], mode?: TransactionMode) => client.batch(stmts, mode),
    migrate: (stmts: InStatement[]) => client.migrate(stmts),
    transaction: (mode?: TransactionMode) => client.transaction(mode),
    executeMultiple: (sql: string) => client.executeMultiple(sql),
    sync: () => client.sync(),
    close: () => client.close(),
    reconnect: () => client.reconnect(),
    get closed() {
      return client.closed;
    },
    get protocol() {
      return client.protocol;
    },
  } as Client;
}
