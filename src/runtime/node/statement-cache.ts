// Statements prepared once per connection on Node. @libsql/client's embedded driver prepares every statement
// afresh, BEGIN and COMMIT included; preparing costs about as much as running a short statement. libsql's
// Statement is reusable (every run binds, steps to the end and resets it), so each connection keeps its
// most recently used statements by SQL text. SQLite re-prepares a cached statement itself after a schema change,
// but libsql reads a statement's column names before it runs: so every cache in the process is emptied when this
// process changes the schema (migrations do, at start). Run `pingan migrate` with the server stopped.
import Database from 'libsql';

/** Per connection: enough for every statement the app issues, small enough that generated SQL cannot grow it. */
const PER_CONNECTION = 256;

type Prepare = (this: object, sql: string) => unknown;
let caches = new WeakMap<object, Map<string, unknown>>();
let installed = false;
const SCHEMA_CHANGE = /^\s*(CREATE|ALTER|DROP)\b/i;

/** Makes libsql's Database#prepare reuse statements; idempotent. Node only: never imported by the Worker. */
export function cachePreparedStatements(): void {
  if (installed) return;
  installed = true;
  const proto = (Database as unknown as { prototype: { prepare: Prepare } }).prototype;
  const prepare = proto.prepare;
  proto.prepare = function cachedPrepare(sql) {
    if (SCHEMA_CHANGE.test(sql)) {
      caches = new WeakMap();
      return prepare.call(this, sql);
    }
    let cache = caches.get(this);
    if (!cache) caches.set(this, (cache = new Map()));
    const hit = cache.get(sql);
    if (hit) {
      // Most recently used last, so the first key is the one to drop.
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = prepare.call(this, sql) as { raw: (on?: boolean) => unknown };
    refuseRawOnce(statement);
    cache.set(sql, statement);
    if (cache.size > PER_CONNECTION) cache.delete(cache.keys().next().value!);
    return statement;
  };
}

/**
 * The driver asks every statement for raw rows and takes the refusal as "returns no data": for an INSERT or UPDATE
 * that is an exception built, with its stack, on every run. A cached statement refuses with the same error at once.
 */
function refuseRawOnce(statement: { raw: (on?: boolean) => unknown }): void {
  let refusal: unknown;
  try {
    statement.raw(true);
    return;
  } catch (err) {
    refusal = err;
  }
  statement.raw = () => {
    throw refusal;
  };
}
