// Group commit on the embedded database (src/runtime/node/group-commit.ts): batches that arrive together share one
// transaction, each in its own savepoint; a failing batch rolls back alone with the driver's own error; a
// transaction that cannot hold makes every batch run alone. Real libSQL files, and the plain @libsql/client beside
// it as the reference for what callers used to get.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, LibsqlBatchError, type Client, type InStatement } from '@libsql/client';
import { openNodeDb } from '../../../src/runtime/node/db.ts';
import { groupCommits, groupCommitStats } from '../../../src/runtime/node/group-commit.ts';

const dirs: string[] = [];
const clients: Client[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SCHEMA = [
  'CREATE TABLE parent (id INTEGER PRIMARY KEY)',
  'CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, n INTEGER NOT NULL DEFAULT 0)',
  // A child whose parent is checked only at COMMIT: the way to make a shared commit fail.
  'CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)',
  // A write SQLite answers by rolling back the whole transaction, not just the statement.
  'CREATE TABLE doomed (x INTEGER)',
  "CREATE TRIGGER doomed_ai AFTER INSERT ON doomed BEGIN SELECT RAISE(ROLLBACK, 'DOOMED'); END",
];

async function files(): Promise<{ grouped: Client; path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-group-'));
  dirs.push(dir);
  const path = join(dir, 'g.db');
  const db = await openNodeDb(`file:${path}`);
  const grouped = db.$client;
  clients.push(grouped);
  for (const s of SCHEMA) await grouped.execute(s);
  return { grouped, path };
}

/** A plain @libsql/client on a database of the same schema: what a batch answered before grouping. */
async function reference(): Promise<Client> {
  const dir = mkdtempSync(join(tmpdir(), 'pingan-plain-'));
  dirs.push(dir);
  const plain = createClient({ url: `file:${join(dir, 'p.db')}`, intMode: 'number' });
  clients.push(plain);
  for (const s of SCHEMA) await plain.execute(s);
  return plain;
}

/** A grouped client with its own busy timeout (the app's is 5 s), on a fresh database of the schema. */
async function groupedWithTimeout(timeout: number): Promise<{ grouped: Client; path: string }> {
  const { path } = await files();
  const grouped = groupCommits(createClient({ url: `file:${path}`, intMode: 'number' }), path, { timeout });
  clients.push(grouped);
  return { grouped, path };
}

/** Another process's client on the same file, holding the write lock until the returned transaction ends. */
async function lockHeldElsewhere(path: string) {
  const otherProcess = createClient({ url: `file:${path}`, intMode: 'number' });
  clients.push(otherProcess);
  return otherProcess.transaction('write');
}

const insert = (k: string, n = 0): InStatement => ({ sql: 'INSERT INTO t (k, n) VALUES (?, ?) RETURNING id, k', args: [k, n] });
const keys = async (c: Client) => (await c.execute('SELECT k FROM t ORDER BY k')).rows.map((r) => r.k);

describe('group commit', () => {
  it('batches posted in the same turn share one commit, each answered with its own rows in arrival order', async () => {
    const { grouped } = await files();
    const before = { ...groupCommitStats(grouped)! };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => grouped.batch([insert(`k${i}`, i), { sql: 'SELECT count(*) AS n FROM t', args: [] }])),
    );
    const stats = groupCommitStats(grouped)!;
    expect(stats.batches - before.batches).toBe(8);
    expect(stats.commits - before.commits).toBe(1);
    answers.forEach(([inserted, counted], i) => {
      expect(inserted!.rows[0]).toMatchObject({ k: `k${i}` });
      // Each batch sees the batches before it in the group, as if they had committed one after another.
      expect(counted!.rows[0]!.n).toBe(i + 1);
    });
    expect(new Set(answers.map(([r]) => r!.rows[0]!.id)).size).toBe(8);
  });

  it('an answered batch is on disk: another connection reads it at once', async () => {
    const { grouped, path } = await files();
    await Promise.all([grouped.batch([insert('a')]), grouped.batch([insert('b')])]);
    const other = createClient({ url: `file:${path}`, intMode: 'number' });
    clients.push(other);
    expect(await keys(other)).toEqual(['a', 'b']);
  });

  it('a batch that fails rolls back alone, with the error and statement index the driver gives', async () => {
    const { grouped } = await files();
    await grouped.execute("INSERT INTO t (k) VALUES ('taken')");
    const failing = [insert('half-written'), insert('taken')];
    const results = await Promise.allSettled([grouped.batch([insert('first')]), grouped.batch(failing), grouped.batch([insert('last')])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Nothing of the failing batch is stored, not even the statement before the one that failed.
    expect(await keys(grouped)).toEqual(['first', 'last', 'taken']);

    const plain = await reference();
    await plain.execute("INSERT INTO t (k) VALUES ('taken')");
    const expected = await plain.batch(failing).catch((e: unknown) => e as LibsqlBatchError);
    const got = (results[1] as PromiseRejectedResult).reason as LibsqlBatchError;
    expect(got).toBeInstanceOf(LibsqlBatchError);
    expect(expected).toBeInstanceOf(LibsqlBatchError);
    expect({ message: got.message, code: got.code, extendedCode: got.extendedCode, rawCode: got.rawCode, index: got.statementIndex }).toEqual({
      message: (expected as LibsqlBatchError).message,
      code: 'SQLITE_CONSTRAINT',
      extendedCode: 'SQLITE_CONSTRAINT_UNIQUE',
      rawCode: 2067,
      index: 1,
    });
    expect(got.message).toContain('UNIQUE constraint failed: t.k');
  });

  it('an error that rolls back the whole transaction makes every batch of the group run alone: none lost, none doubled', async () => {
    const { grouped } = await files();
    const before = { ...groupCommitStats(grouped)! };
    const results = await Promise.allSettled([
      grouped.batch([insert('a')]),
      grouped.batch([insert('b'), { sql: 'INSERT INTO doomed VALUES (1)', args: [] }]),
      grouped.batch([insert('c')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('DOOMED');
    expect(await keys(grouped)).toEqual(['a', 'c']);
    // The group was abandoned, then a and c each committed on their own.
    expect(groupCommitStats(grouped)!.commits - before.commits).toBe(2);
  });

  it('a commit that fails (a deferred foreign key) blames only the batch that broke it', async () => {
    const { grouped } = await files();
    await grouped.execute('INSERT INTO parent (id) VALUES (1)');
    const results = await Promise.allSettled([
      grouped.batch([insert('a'), { sql: 'INSERT INTO child (parent) VALUES (1)', args: [] }]),
      grouped.batch([insert('b'), { sql: 'INSERT INTO child (parent) VALUES (99)', args: [] }]),
      grouped.batch([insert('c')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('FOREIGN KEY constraint failed');
    expect(await keys(grouped)).toEqual(['a', 'c']);
    expect((await grouped.execute('SELECT parent FROM child')).rows.map((r) => r.parent)).toEqual([1]);
  });

  it('a batch that manages its own transaction state runs alone and at once, never inside a group', async () => {
    const { grouped } = await files();
    const before = { ...groupCommitStats(grouped)! };
    // PRAGMA defer_foreign_keys lasts for the transaction it is set in: shared, it would reach other batches.
    const own = grouped.batch(['PRAGMA defer_foreign_keys = ON', { sql: 'INSERT INTO child (parent) VALUES (7)', args: [] }, { sql: 'INSERT INTO parent (id) VALUES (7)', args: [] }]);
    const other = grouped.batch([{ sql: 'INSERT INTO child (parent) VALUES (8)', args: [] }]);
    const results = await Promise.allSettled([own, other]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    expect(groupCommitStats(grouped)!.commits - before.commits).toBe(1);
    expect((await grouped.execute('SELECT parent FROM child')).rows.map((r) => r.parent)).toEqual([7]);
  });

  it('interactive transactions still work beside the grouped batches, and the batches see what they committed', async () => {
    const { grouped } = await files();
    const tx = await grouped.transaction('write');
    await tx.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['in-tx'] });
    await tx.commit();
    const [r] = await grouped.batch([{ sql: 'SELECT k FROM t', args: [] }]);
    expect(r!.rows.map((row) => row.k)).toEqual(['in-tx']);
  });

  it('rows read through the grouped client have the driver shape: named and indexed values, numbers as numbers', async () => {
    const { grouped } = await files();
    const plain = await reference();
    const stmt: InStatement = { sql: "SELECT 1 AS one, 'x' AS x, 2.5 AS f, NULL AS empty, x'0102' AS blob", args: [] };
    const [got, expected] = [(await grouped.execute(stmt)).rows[0]!, (await plain.execute(stmt)).rows[0]!];
    expect(Object.keys(got)).toEqual(Object.keys(expected));
    expect([got.one, got.x, got.f, got.empty, got.length]).toEqual([1, 'x', 2.5, null, 5]);
    expect(Array.prototype.slice.call(got, 0, 4)).toEqual(Array.prototype.slice.call(expected, 0, 4));
    expect([...new Uint8Array(got.blob as ArrayBuffer)]).toEqual([1, 2]);
    const run = await grouped.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['z'] });
    expect([run.rowsAffected, typeof run.lastInsertRowid]).toEqual([1, 'bigint']);
  });

  it('a closed client refuses batches with CLIENT_CLOSED, including one already waiting for its group', async () => {
    const { grouped } = await files();
    const waiting = grouped.batch([insert('late')]);
    grouped.close();
    await expect(waiting).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(grouped.batch([insert('later')])).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});

describe('group commit beside an interactive transaction', () => {
  it('a write waits for an open transaction in JavaScript instead of blocking the event loop on the lock', async () => {
    const { grouped } = await files();
    const tx = await grouped.transaction('write');
    await tx.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['tx'] });
    let batchDone = false;
    let executeDone = false;
    const batch = grouped.batch([insert('batch')]).then(() => (batchDone = true));
    const single = grouped.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['single'] }).then(() => (executeDone = true));
    // Reads go on: a WAL reader sees the last commit, not the transaction's row.
    expect(await keys(grouped)).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect([batchDone, executeDone]).toEqual([false, false]);
    await tx.execute({ sql: 'UPDATE t SET n = 1 WHERE k = ?', args: ['tx'] });
    await tx.commit();
    await Promise.all([batch, single]);
    expect(await keys(grouped)).toEqual(['batch', 'single', 'tx']);
  });

  it('a rolled-back transaction lets the waiting writes through too', async () => {
    const { grouped } = await files();
    const tx = await grouped.transaction('write');
    await tx.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['gone'] });
    const batch = grouped.batch([insert('kept')]);
    await tx.rollback();
    await batch;
    expect(await keys(grouped)).toEqual(['kept']);
  });
});

describe('group commit when another process holds the lock', () => {
  it('every batch of the group is refused with SQLITE_BUSY once, not retried alone against the same lock', async () => {
    const { grouped, path } = await groupedWithTimeout(20);
    const held = await lockHeldElsewhere(path);
    const results = await Promise.allSettled([grouped.batch([insert('a')]), grouped.batch([insert('b')])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    const [first, second] = results.map((r) => (r as PromiseRejectedResult).reason as LibsqlBatchError);
    // As the driver refuses a batch whose first statement cannot have the lock: each caller its own error.
    for (const err of [first, second]) expect(err).toMatchObject({ name: 'LibsqlBatchError', code: 'SQLITE_BUSY', statementIndex: 0 });
    expect(first).not.toBe(second);
    expect(groupCommitStats(grouped)).toEqual({ batches: 2, commits: 0 });
    await held.rollback();
    await grouped.batch([insert('c')]);
    expect(await keys(grouped)).toEqual(['c']);
  });

  it('a single write refused with SQLITE_BUSY leaves the connection usable for the next commit', async () => {
    const { grouped, path } = await groupedWithTimeout(20);
    const held = await lockHeldElsewhere(path);
    await expect(grouped.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['refused'] })).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    await held.rollback();
    await Promise.all([grouped.batch([insert('a')]), grouped.batch([insert('b')])]);
    await grouped.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['refused'] });
    expect(await keys(grouped)).toEqual(['a', 'b', 'refused']);
  });
});

describe('group commit, as the driver would answer', () => {
  it('a batch that ends its own transaction is stopped where the driver stops it, and leaves nothing behind', async () => {
    const batch: InStatement[] = [insert('r1'), 'ROLLBACK', insert('r2')];
    const { grouped } = await files();
    const plain = await reference();
    const outcome = async (c: Client) => {
      const err = (await c.batch(batch).catch((e: unknown) => e)) as LibsqlBatchError;
      return { name: err.name, code: err.code, index: err.statementIndex, message: err.message, rows: await keys(c) };
    };
    const expected = await outcome(plain);
    expect(expected).toMatchObject({ code: 'TRANSACTION_CLOSED', index: 2, rows: [] });
    expect(await outcome(grouped)).toEqual(expected);
  });

  it.each(['/* tidy */ COMMIT', '-- note\nROLLBACK', '  /* a */ -- b\n SAVEPOINT x'])(
    'a batch holding %j runs on its own, and the batches beside it are written once',
    async (control) => {
      const { grouped } = await files();
      const plain = await reference();
      const middle: InStatement[] = [insert('b1'), control, insert('b2')];
      const settle = async (c: Client) =>
        (await Promise.allSettled([c.batch([insert('a')]), c.batch(middle), c.batch([insert('c')])])).map((r) => r.status);
      const [expectedStatus, gotStatus] = [await settle(plain), await settle(grouped)];
      expect(gotStatus).toEqual(expectedStatus);
      expect(await keys(grouped)).toEqual(await keys(plain));
    },
  );

  it('a write issued after a batch is committed after it: call order is kept', async () => {
    const { grouped } = await files();
    const first = grouped.batch([insert('first')]);
    const second = grouped.execute({ sql: 'INSERT INTO t (k) VALUES (?) RETURNING id', args: ['second'] });
    const [[a], b] = await Promise.all([first, second]);
    expect(Number(a!.rows[0]!.id)).toBeLessThan(Number(b.rows[0]!.id));
  });

  it('execute(sql, args) on a transaction binds its arguments', async () => {
    const { grouped } = await files();
    const tx = await grouped.transaction('write');
    const r = await (tx.execute as unknown as (sql: string, args: unknown[]) => Promise<{ rows: { x: unknown }[] }>)('SELECT ? AS x', [42]);
    await tx.commit();
    expect(r.rows[0]!.x).toBe(42);
  });

  it('a database named with escapes in its URL is one file for batches and transactions alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pingan-url-'));
    dirs.push(dir);
    const db = await openNodeDb(`file:${join(dir, 'a%20b.db')}`);
    clients.push(db.$client);
    await db.$client.batch(['CREATE TABLE t (k TEXT)', { sql: 'INSERT INTO t VALUES (?)', args: ['x'] }]);
    const tx = await db.$client.transaction('read');
    expect((await tx.execute('SELECT k FROM t')).rows.map((r) => r.k)).toEqual(['x']);
    await tx.commit();
  });
});

describe('group commit and a transaction that takes long', () => {
  it('a write issued while a transaction is being opened waits for it, instead of for the lock inside SQLite', async () => {
    const { grouped } = await groupedWithTimeout(2000);
    const opening = grouped.transaction('write');
    const write = grouped.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['outside'] });
    const tx = await opening;
    await tx.execute({ sql: 'INSERT INTO t (k) VALUES (?)', args: ['inside'] });
    await tx.commit();
    await write;
    expect(await keys(grouped)).toEqual(['inside', 'outside']);
  });

  it('a transaction never ended refuses the waiting writes with SQLITE_BUSY after the busy timeout, as SQLite would', async () => {
    const { grouped } = await groupedWithTimeout(30);
    await grouped.transaction('write');
    const results = await Promise.allSettled([grouped.batch([insert('a')]), grouped.execute({ sql: "INSERT INTO t (k) VALUES ('b')", args: [] })]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
  });

  it('closing the client refuses the writes still waiting for a transaction', async () => {
    const { grouped } = await groupedWithTimeout(5000);
    await grouped.transaction('write');
    const waiting = [grouped.batch([insert('a')]), grouped.execute({ sql: "INSERT INTO t (k) VALUES ('b')", args: [] }), grouped.batch(['PRAGMA user_version = 1'])];
    grouped.close();
    const results = await Promise.allSettled(waiting);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});
