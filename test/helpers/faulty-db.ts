// A libSQL client that fails on cue: the Nth statement from now (BEGIN and COMMIT included) throws the error a
// lost connection or a failing disk gives, so tests can cut the database at every point of a request.
import { LibsqlError, type Client, type InStatement, type InArgs, type ResultSet, type Transaction, type TransactionMode } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import type { Db } from '../../src/db/index.ts';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import * as schema from '../../src/db/schema.ts';
import { seedOrganisation } from '../../src/core/seed.ts';
import organisation from '../../forms/organisation.ts';

/** What the local file database says when the disk fails under it. */
export const diskError = () => new LibsqlError('SQLITE_IOERR: disk I/O error', 'SQLITE_IOERR');
/** What @libsql/client/web says when the libSQL server cannot be reached. */
export const networkError = () =>
  new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }) });

export interface FaultPlan {
  /** 1-based: the statement (counting from when the plan is set) that fails. */
  at: number;
  error?: () => Error;
  /** Every statement from `at` on fails too (the database is gone), until clear(). */
  sticky?: boolean;
  /** Count only COMMITs: `at: 1, only: 'commit'` cuts the next commit. */
  only?: 'commit';
  /** When the failing statement is a COMMIT, let it commit and lose only the answer (the connection dropped after). */
  afterCommit?: boolean;
}

export interface Faults {
  set(plan: FaultPlan): void;
  clear(): void;
  /** Statements seen since the last set() or clear(). */
  readonly count: number;
  /** True once the current plan has fired. */
  readonly fired: boolean;
}

class Controller implements Faults {
  plan: FaultPlan | undefined;
  count = 0;
  matched = 0;
  fired = false;
  set(plan: FaultPlan) {
    this.plan = plan;
    this.count = 0;
    this.matched = 0;
    this.fired = false;
  }
  clear() {
    this.plan = undefined;
    this.count = 0;
    this.matched = 0;
    this.fired = false;
  }
  /** Counts one statement; returns the error to throw, if this one fails. */
  next(kind: 'statement' | 'commit' = 'statement'): Error | undefined {
    this.count++;
    const p = this.plan;
    if (!p) return undefined;
    if (p.only && p.only !== kind) return undefined;
    this.matched++;
    if (this.matched === p.at || (p.sticky && this.matched > p.at)) {
      this.fired = true;
      return (p.error ?? diskError)();
    }
    return undefined;
  }
  get down() {
    return !!this.plan?.sticky && this.fired;
  }
}

class FaultyTransaction implements Transaction {
  constructor(
    private readonly inner: Transaction,
    private readonly faults: Controller,
  ) {}
  async execute(stmt: InStatement): Promise<ResultSet> {
    const err = this.faults.next();
    if (err) throw err;
    return this.inner.execute(stmt);
  }
  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    const err = this.faults.next();
    if (err) throw err;
    return this.inner.batch(stmts);
  }
  async executeMultiple(sql: string): Promise<void> {
    const err = this.faults.next();
    if (err) throw err;
    return this.inner.executeMultiple(sql);
  }
  async commit(): Promise<void> {
    const afterCommit = this.faults.plan?.afterCommit;
    const err = this.faults.next('commit');
    if (err && afterCommit) {
      await this.inner.commit();
      throw err;
    }
    if (err) throw err;
    return this.inner.commit();
  }
  async rollback(): Promise<void> {
    // A dead connection cannot answer ROLLBACK, but the server drops the transaction all the same.
    const down = this.faults.down;
    await this.inner.rollback();
    if (down) throw (this.faults.plan?.error ?? diskError)();
  }
  close(): void {
    this.inner.close();
  }
  get closed(): boolean {
    return this.inner.closed;
  }
}

class FaultyClient {
  constructor(
    private readonly inner: Client,
    private readonly faults: Controller,
  ) {}
  get closed() {
    return this.inner.closed;
  }
  get protocol() {
    return this.inner.protocol;
  }
  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    const err = this.faults.next();
    if (err) throw err;
    return args === undefined ? this.inner.execute(stmtOrSql as InStatement) : this.inner.execute(stmtOrSql as string, args);
  }
  /** A batch is one request that commits on its own: it counts as a commit (a write's one round trip). */
  async batch(stmts: InStatement[], mode?: TransactionMode): Promise<ResultSet[]> {
    const afterCommit = this.faults.plan?.afterCommit;
    const err = this.faults.next('commit');
    if (err && afterCommit) {
      await this.inner.batch(stmts, mode);
      throw err;
    }
    if (err) throw err;
    return this.inner.batch(stmts, mode);
  }
  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    return this.inner.migrate(stmts);
  }
  async transaction(mode?: TransactionMode): Promise<Transaction> {
    const err = this.faults.next();
    if (err) throw err;
    return new FaultyTransaction(await this.inner.transaction(mode), this.faults);
  }
  async executeMultiple(sql: string): Promise<void> {
    const err = this.faults.next();
    if (err) throw err;
    return this.inner.executeMultiple(sql);
  }
  async sync() {
    return this.inner.sync();
  }
  async reconnect() {
    return this.inner.reconnect();
  }
  close(): void {
    this.inner.close();
  }
}

/** A migrated, seeded in-memory database behind a client that fails on cue; `faults` starts disarmed. */
export async function faultyDb(opts: { seed?: boolean } = {}): Promise<{ db: Db; faults: Faults }> {
  const real = await openNodeDb(':memory:');
  await migrateDb(real);
  if (opts.seed !== false) await seedOrganisation(real, organisation);
  const faults = new Controller();
  const client = new FaultyClient(real.$client, faults) as unknown as Client;
  const db = drizzle(client, { schema }) as Db;
  return { db, faults };
}
