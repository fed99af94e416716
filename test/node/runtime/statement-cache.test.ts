import { describe, expect, it } from 'vitest';
import Database from 'libsql';
import { createClient } from '@libsql/client';
import { cachePreparedStatements } from '../../../src/runtime/node/statement-cache.ts';

cachePreparedStatements();

describe('statements prepared once per connection (Node)', () => {
  it('reuses a statement by its SQL on one connection, not across connections, and drops the least recently used', () => {
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    const first = a.prepare('SELECT 1');
    expect(a.prepare('SELECT 1')).toBe(first);
    expect(b.prepare('SELECT 1')).not.toBe(first);
    for (let i = 0; i < 256; i++) a.prepare(`SELECT ${i + 2}`);
    expect(a.prepare('SELECT 1')).not.toBe(first);
    a.close();
    b.close();
  });

  it('a reused statement binds new arguments, survives a failed run and sees a schema change', async () => {
    const client = createClient({ url: ':memory:', intMode: 'number' });
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)');
    const insert = 'INSERT INTO t (v) VALUES (?)';
    await client.execute({ sql: insert, args: [1] });
    await client.execute({ sql: insert, args: [2] });
    await expect(client.execute({ sql: insert, args: [null] })).rejects.toThrow(/NOT NULL/);
    await client.execute({ sql: insert, args: [3] });
    // A query that fails part-way through its rows, then runs again.
    const risky = 'SELECT CASE WHEN v = ? THEN abs(-9223372036854775807 - 1) ELSE v END AS x FROM t ORDER BY id';
    await expect(client.execute({ sql: risky, args: [2] })).rejects.toThrow(/overflow/);
    expect((await client.execute({ sql: risky, args: [9] })).rows.map((r) => r.x)).toEqual([1, 2, 3]);
    const all = 'SELECT * FROM t ORDER BY id';
    expect((await client.execute(all)).columns).toEqual(['id', 'v']);
    await client.execute("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'x'");
    const after = await client.execute(all);
    expect(after.columns).toEqual(['id', 'v', 'w']);
    expect(after.rows.map((r) => [r.v, r.w])).toEqual([[1, 'x'], [2, 'x'], [3, 'x']]);
    client.close();
  });

  it('a batch refused part-way writes nothing and the same batch then commits', async () => {
    const client = createClient({ url: ':memory:', intMode: 'number' });
    await client.execute('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL UNIQUE)');
    const batch = (v: number, w: number) => [
      { sql: 'INSERT INTO t (v) VALUES (?)', args: [v] },
      { sql: 'INSERT INTO t (v) VALUES (?)', args: [w] },
    ];
    await expect(client.batch(batch(1, 1), 'write')).rejects.toThrow(/UNIQUE/);
    expect((await client.execute('SELECT count(*) AS n FROM t')).rows[0]!.n).toBe(0);
    await client.batch(batch(1, 2), 'write');
    expect((await client.execute('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v)).toEqual([1, 2]);
    client.close();
  });
});
