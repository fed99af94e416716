// The local Hrana-over-HTTP server, driven by the real @libsql/client/web and drizzle-orm/libsql/web clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createClient, type Client, type InValue } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import { eq, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { startLibsqlServer, type LibsqlServer } from '../../../tools/libsql-server/server.ts';
import { rejection } from '../../helpers/libsql-errors.ts';

interface PipelineAnswer {
  baton: string | null;
  base_url: string | null;
  results: Array<{ type: string; response?: Record<string, unknown>; error?: { message: string; code: string } }>;
}

async function pipeline(server: LibsqlServer, baton: string | null, requests: unknown[]): Promise<{ status: number; body: PipelineAnswer }> {
  const res = await fetch(`${server.url}/v2/pipeline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ baton, requests }),
  });
  return { status: res.status, body: (await res.json()) as PipelineAnswer };
}

const stmt = (sqlText: string, args: unknown[] = []) => ({ sql: sqlText, args, named_args: [], want_rows: true });

let dir: string;
let server: LibsqlServer;
let client: Client;
let big: Client;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pingan-libsql-server-'));
  server = await startLibsqlServer({ path: join(dir, 'test.db'), port: 0 });
  client = createClient({ url: server.url });
  big = createClient({ url: server.url, intMode: 'bigint' });
});

afterAll(async () => {
  client.close();
  big.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HTTP surface', () => {
  it('answers the version and health probes, and 404 for v3 so clients fall back to v2', async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(404);
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${server.url}/v3/pipeline`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('rejects malformed JSON and malformed pipelines with 400 and a plain-text message, as sqld does', async () => {
    for (const body of ['{not json', JSON.stringify({ requests: [{ type: 'frobnicate' }] }), JSON.stringify({ baton: null })]) {
      const res = await fetch(`${server.url}/v2/pipeline`, { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('text/plain');
      expect((await res.text()).length).toBeGreaterThan(0);
    }
  });

  it('issues a fresh baton on every response, refuses a reused one with 400, and returns null after close', async () => {
    const first = await pipeline(server, null, [{ type: 'execute', stmt: stmt('SELECT 1 AS one, ? AS two', [{ type: 'text', value: 'x' }]) }]);
    expect(first.status).toBe(200);
    expect(first.body.base_url).toBeNull();
    expect(first.body.results[0]).toEqual({
      type: 'ok',
      response: {
        type: 'execute',
        result: expect.objectContaining({
          cols: [
            { name: 'one', decltype: null },
            { name: 'two', decltype: null },
          ],
          rows: [[{ type: 'integer', value: '1' }, { type: 'text', value: 'x' }]],
          affected_row_count: 0,
          last_insert_rowid: null,
        }),
      },
    });
    const b1 = first.body.baton;
    expect(typeof b1).toBe('string');
    const second = await pipeline(server, b1, [{ type: 'get_autocommit' }]);
    const b2 = second.body.baton;
    expect(typeof b2).toBe('string');
    expect(b2).not.toBe(b1);
    expect(second.body.results[0]).toEqual({ type: 'ok', response: { type: 'get_autocommit', is_autocommit: true } });

    const stale = await fetch(`${server.url}/v2/pipeline`, { method: 'POST', body: JSON.stringify({ baton: b1, requests: [] }) });
    expect(stale.status).toBe(400);
    expect(stale.headers.get('content-type')).toBe('text/plain');

    const third = await pipeline(server, b2, [{ type: 'execute', stmt: stmt('SELECT 2') }]);
    expect(third.body.baton).not.toBe(b2);
    const closed = await pipeline(server, third.body.baton, [{ type: 'close' }]);
    expect(closed.body.baton).toBeNull();
    expect(closed.body.results[0]).toEqual({ type: 'ok', response: { type: 'close' } });
  });

  it('runs stored SQL, batch conditions, describe and sequence on one stream', async () => {
    const { body } = await pipeline(server, null, [
      { type: 'store_sql', sql_id: 1, sql: 'SELECT :a + 1 AS n' },
      {
        type: 'batch',
        batch: {
          steps: [
            { stmt: { sql_id: 1, args: [], named_args: [{ name: 'a', value: { type: 'integer', value: '41' } }], want_rows: true } },
            { stmt: stmt('SELECT nope FROM nowhere') },
            { condition: { type: 'error', step: 1 }, stmt: stmt('SELECT 1') },
            { condition: { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'ok', step: 1 }] }, stmt: stmt('SELECT 2') },
            { condition: { type: 'or', conds: [{ type: 'not', cond: { type: 'ok', step: 3 } }, { type: 'ok', step: 2 }] }, stmt: stmt('SELECT 3') },
            { condition: { type: 'is_autocommit' }, stmt: stmt('SELECT 4') },
          ],
        },
      },
      { type: 'describe', sql: 'SELECT :x AS a, ? AS b' },
      { type: 'sequence', sql: 'CREATE TABLE seq_t(x); INSERT INTO seq_t VALUES (1); INSERT INTO seq_t VALUES (2);' },
      { type: 'close_sql', sql_id: 1 },
      { type: 'close' },
    ]);
    const [store, batch, desc, seq, closeSql] = body.results;
    expect(store).toEqual({ type: 'ok', response: { type: 'store_sql' } });
    const result = batch?.response?.result as { step_results: Array<{ rows: unknown[][] } | null>; step_errors: Array<{ code: string } | null> };
    expect(result.step_results[0]?.rows).toEqual([[{ type: 'integer', value: '42' }]]);
    expect(result.step_errors[1]).toMatchObject({ code: 'SQL_INPUT_ERROR' });
    expect(result.step_results.map((r) => r !== null)).toEqual([true, false, true, false, true, true]);
    expect(result.step_errors.map((r) => r !== null)).toEqual([false, true, false, false, false, false]);
    expect(desc?.response?.result).toEqual({
      params: [{ name: ':x' }, { name: null }],
      cols: [
        { name: 'a', decltype: null },
        { name: 'b', decltype: null },
      ],
      is_explain: false,
      is_readonly: true,
    });
    expect(seq).toEqual({ type: 'ok', response: { type: 'sequence' } });
    expect(closeSql).toEqual({ type: 'ok', response: { type: 'close_sql' } });
    expect(body.baton).toBeNull();
    expect((await client.execute('SELECT count(*) AS n FROM seq_t')).rows[0]?.n).toBe(2);
  });
});

describe('@libsql/client/web', () => {
  it('round-trips every value type', async () => {
    await client.execute('CREATE TABLE vals (id INTEGER PRIMARY KEY, v)');
    const values: InValue[] = [
      null,
      42n,
      2n ** 62n + 1n,
      -(2n ** 63n),
      3.25,
      -0.5,
      2.0,
      '',
      'plain',
      '平安建设 — 入户走访 🎉👨‍👩‍👧',
      new Uint8Array([0, 1, 2, 254, 255]),
    ];
    for (const v of values) await big.execute({ sql: 'INSERT INTO vals (v) VALUES (?)', args: [v] });
    const rs = await big.execute('SELECT v, typeof(v) AS t FROM vals ORDER BY id');
    const got = rs.rows.map((r) => r.v);
    expect(got.slice(0, 10)).toEqual(values.slice(0, 10));
    expect(got[10]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(got[10] as ArrayBuffer)]).toEqual([0, 1, 2, 254, 255]);
    expect(rs.rows.map((r) => r.t)).toEqual(['null', 'integer', 'integer', 'integer', 'real', 'real', 'real', 'text', 'text', 'text', 'blob']);
    expect(rs.columns).toEqual(['v', 't']);

    // Number mode: exact for safe integers, and the client refuses the rest rather than round them.
    expect((await client.execute('SELECT 9007199254740991 AS n')).rows[0]?.n).toBe(9007199254740991);
    await expect(client.execute('SELECT 9007199254740993 AS n')).rejects.toThrow(RangeError);
  });

  it('executes with positional and named arguments and reports rowid and changes', async () => {
    const early = { sql: 'INSERT INTO people (name, age) VALUES (:name, :age)', args: { name: 'early', age: 1 } };
    expect((await rejection(client.execute(early))).message).toContain('no such table: people');
    await client.execute('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT UNIQUE, age INTEGER)');
    const ins = await client.execute({ sql: 'INSERT INTO people (name, age) VALUES (?, ?)', args: ['王芳', 34] });
    expect(ins.rowsAffected).toBe(1);
    expect(ins.lastInsertRowid).toBe(1n);
    await client.execute({ sql: 'INSERT INTO people (name, age) VALUES (:name, @age)', args: { name: '李雷', age: 28 } });
    await client.execute({ sql: 'INSERT INTO people (name, age) VALUES ($name, :age)', args: { $name: 'Han', ':age': 51 } });
    const rs = await client.execute({ sql: 'SELECT name, age FROM people WHERE age > :min ORDER BY age', args: { min: 30 } });
    expect(rs.rows.map((r) => [r.name, r.age])).toEqual([
      ['王芳', 34],
      ['Han', 51],
    ]);
    expect(rs.columnTypes).toEqual(['TEXT', 'INTEGER']);
    await client.execute(early);
    const upd = await client.execute({ sql: 'UPDATE people SET age = age + 1 WHERE age < ?', args: [60] });
    expect(upd.rowsAffected).toBe(4);
    expect((await client.execute("SELECT age FROM people WHERE name = 'early'")).rows[0]?.age).toBe(2);
    const ret = await client.execute({ sql: 'DELETE FROM people WHERE name = ? RETURNING id', args: ['Han'] });
    expect(ret.rows.map((r) => r.id)).toEqual([3]);
    expect(ret.rowsAffected).toBe(1);
    const ddl = await client.execute('CREATE TABLE after_delete (x)');
    expect(ddl.rowsAffected).toBe(0);
  });

  it('reports a UNIQUE violation as SQLITE_CONSTRAINT, keeping the SQLite message', async () => {
    await client.execute('CREATE TABLE uniq (k TEXT UNIQUE)');
    await client.execute({ sql: 'INSERT INTO uniq VALUES (?)', args: ['a'] });
    const e = await rejection(client.execute({ sql: 'INSERT INTO uniq VALUES (?)', args: ['a'] }));
    expect(e.code).toBe('SQLITE_CONSTRAINT');
    expect(e.message).toContain('UNIQUE constraint failed: uniq.k');
  });

  it('runs batches in write, read and deferred mode, and rolls back a batch whose step fails', async () => {
    await client.execute('CREATE TABLE b (x INTEGER UNIQUE)');
    const w = await client.batch([{ sql: 'INSERT INTO b VALUES (?)', args: [1] }, 'INSERT INTO b VALUES (2)'], 'write');
    expect(w.map((r) => r.rowsAffected)).toEqual([1, 1]);
    const d = await client.batch(['INSERT INTO b VALUES (3)', 'SELECT count(*) AS n FROM b'], 'deferred');
    expect(d[1]?.rows[0]?.n).toBe(3);
    const r = await client.batch(['SELECT sum(x) AS s FROM b', 'SELECT max(x) AS m FROM b'], 'read');
    expect([r[0]?.rows[0]?.s, r[1]?.rows[0]?.m]).toEqual([6, 3]);

    const failed = await rejection(client.batch(['INSERT INTO b VALUES (4)', 'INSERT INTO b VALUES (1)', 'INSERT INTO b VALUES (5)'], 'write'));
    expect(failed.code).toBe('SQLITE_CONSTRAINT');
    const readWrite = await rejection(client.batch(['INSERT INTO b VALUES (6)'], 'read'));
    expect(readWrite.code).toBe('SQLITE_READONLY');
    expect((await client.execute('SELECT group_concat(x) AS xs FROM (SELECT x FROM b ORDER BY x)')).rows[0]?.xs).toBe('1,2,3');
  });

  it('commits and rolls back interactive transactions', async () => {
    await client.execute('CREATE TABLE tx (x INTEGER)');
    const t1 = await client.transaction('write');
    await t1.execute('INSERT INTO tx VALUES (1)');
    expect((await t1.execute('SELECT count(*) AS n FROM tx')).rows[0]?.n).toBe(1);
    await t1.batch(['INSERT INTO tx VALUES (2)', 'INSERT INTO tx VALUES (3)']);
    await t1.commit();
    const t2 = await client.transaction('deferred');
    await t2.execute('DELETE FROM tx');
    await t2.rollback();
    expect((await client.execute('SELECT count(*) AS n FROM tx')).rows[0]?.n).toBe(3);
  });

  it('does not let an EXPLAIN of a write hold the write lock', async () => {
    await client.execute('CREATE TABLE ex (x INTEGER)');
    const plan = await client.execute({ sql: 'EXPLAIN INSERT INTO ex VALUES (?)', args: [1] });
    expect(plan.columns).toContain('opcode');
    const tx = await client.transaction('write');
    await tx.execute({ sql: 'EXPLAIN INSERT INTO ex VALUES (:x)', args: { x: 1 } });
    await tx.execute({ sql: 'INSERT INTO ex VALUES (:x)', args: { x: 2 } });
    await tx.commit();
    // Had the EXPLAIN kept SQLite's write lock, this other stream's write would fail with SQLITE_BUSY.
    await big.execute('INSERT INTO ex VALUES (3)');
    expect((await client.execute('SELECT group_concat(x) AS xs FROM ex')).rows[0]?.xs).toBe('2,3');
  });

  it('runs executeMultiple', async () => {
    await client.executeMultiple(`
      CREATE TABLE multi (x TEXT);
      INSERT INTO multi VALUES ('a'); -- a comment
      INSERT INTO multi VALUES ('b;c');
    `);
    expect((await client.execute('SELECT group_concat(x, \'|\') AS xs FROM multi')).rows[0]?.xs).toBe('a|b;c');
  });

  it('runs migrate() with foreign keys off inside it and on outside', async () => {
    await client.migrate([
      'CREATE TABLE parent (id INTEGER PRIMARY KEY)',
      'CREATE TABLE child (pid INTEGER REFERENCES parent(id))',
      'INSERT INTO child VALUES (99)',
    ]);
    expect((await client.execute('SELECT pid FROM child')).rows[0]?.pid).toBe(99);
    const e = await rejection(client.execute('INSERT INTO child VALUES (100)'));
    expect(e.code).toBe('SQLITE_CONSTRAINT');
    const bad = await rejection(client.migrate(['CREATE TABLE never (x)', 'INSERT INTO nowhere VALUES (1)']));
    expect(bad.code).toBe('SQL_INPUT_ERROR');
    expect((await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'never'")).rows[0]?.n).toBe(0);
  });

  it('serialises concurrent write transactions from two clients while readers go on', async () => {
    await client.execute('CREATE TABLE counter (n INTEGER)');
    await client.execute('INSERT INTO counter VALUES (0)');
    const other = createClient({ url: server.url });
    const reader = createClient({ url: server.url });
    const a = await client.transaction('write');
    const n = (await a.execute('SELECT n FROM counter')).rows[0]?.n as number;
    // b's BEGIN IMMEDIATE queues behind a's write lock.
    const b = (async () => {
      const tx = await other.transaction('write');
      const m = (await tx.execute('SELECT n FROM counter')).rows[0]?.n as number;
      await tx.execute({ sql: 'UPDATE counter SET n = ?', args: [m + 1] });
      await tx.commit();
      return m;
    })();
    await a.execute({ sql: 'UPDATE counter SET n = ?', args: [n + 1] });
    // A plain read is not held up by the open write transactions, and does not see the uncommitted update.
    expect((await reader.execute('SELECT n FROM counter')).rows[0]?.n).toBe(0);
    await a.commit();
    expect(await b).toBe(1);
    expect((await client.execute('SELECT n FROM counter')).rows[0]?.n).toBe(2);
    other.close();
    reader.close();
  });

  it('works through drizzle-orm/libsql/web', async () => {
    const notes = sqliteTable('notes', {
      id: integer('id').primaryKey({ autoIncrement: true }),
      body: text('body').notNull(),
      big: integer('big', { mode: 'number' }),
    });
    const db = drizzle(client);
    await db.run(sql`CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, big INTEGER)`);
    const inserted = await db.insert(notes).values([{ body: '隐患已销号' }, { body: 'second', big: 7 }]).returning();
    expect(inserted.map((n) => n.id)).toEqual([1, 2]);
    await db.transaction(async (tx) => {
      await tx.update(notes).set({ big: 8 }).where(eq(notes.id, 2));
      await tx.insert(notes).values({ body: 'third' });
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(notes).values({ body: 'doomed' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [first, ...rest] = await db.batch([db.select().from(notes).where(eq(notes.id, 1)), db.select({ n: sql<number>`count(*)` }).from(notes)]);
    expect(first).toEqual([{ id: 1, body: '隐患已销号', big: null }]);
    expect(rest[0]).toEqual([{ n: 3 }]);
    expect(await db.select().from(notes).where(eq(notes.id, 2))).toEqual([{ id: 2, body: 'second', big: 8 }]);
  });
});

describe('stream expiry', () => {
  let expiring: LibsqlServer;
  beforeAll(async () => {
    expiring = await startLibsqlServer({ path: join(dir, 'expiry.db'), port: 0, streamIdleMs: 30 });
  });
  afterAll(() => expiring.close());

  it('rolls back an idle transaction, releases the lock, and answers its baton with STREAM_EXPIRED', async () => {
    const c = createClient({ url: expiring.url });
    await c.execute('CREATE TABLE e (x INTEGER)');
    const other = createClient({ url: expiring.url });
    const tx = await c.transaction('write');
    await tx.execute('INSERT INTO e VALUES (1)');
    // This writer queues behind the abandoned transaction and gets its turn when that expires.
    await other.execute('INSERT INTO e VALUES (2)');
    const e = await rejection(tx.execute('INSERT INTO e VALUES (3)'));
    expect(e.code).toBe('STREAM_EXPIRED');
    tx.close();
    await c.execute('INSERT INTO e VALUES (4)');
    expect((await c.execute('SELECT group_concat(x) AS xs FROM (SELECT x FROM e ORDER BY x)')).rows[0]?.xs).toBe('2,4');
    c.close();
    other.close();
  });
});

describe('in-memory database', () => {
  it('shares one database across streams, each its own connection', async () => {
    const mem = await startLibsqlServer({ port: 0 });
    const a = createClient({ url: mem.url });
    const b = createClient({ url: mem.url });
    try {
      await a.execute('CREATE TABLE m (x INTEGER)');
      const tx = await a.transaction('write');
      await tx.execute('INSERT INTO m VALUES (1)');
      // Another stream reads the last committed state at once, as with sqld's WAL.
      expect((await b.execute('SELECT count(*) AS n FROM m')).rows[0]?.n).toBe(0);
      await tx.commit();
      expect((await b.execute('SELECT count(*) AS n FROM m')).rows[0]?.n).toBe(1);
      const rolled = await b.transaction('write');
      await rolled.execute('INSERT INTO m VALUES (2)');
      await rolled.rollback();
      expect((await a.execute('SELECT count(*) AS n FROM m')).rows[0]?.n).toBe(1);
    } finally {
      a.close();
      b.close();
      await mem.close();
    }
  });
});
