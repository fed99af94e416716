// The local libSQL server answers as sqld does where a client can tell: rules from the Hrana 2/3 and HTTP v2 specs
// (tursodatabase/libsql docs/) and sqld's answers (libsql-server/src/hrana/{stmt,batch}.rs, http/stream.rs,
// connection/libsql.rs), driven by raw pipeline requests and by @libsql/client/web.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createClient, type Client } from '@libsql/client/web';
import { startLibsqlServer, type LibsqlServer } from '../../../tools/libsql-server/server.ts';
import { rejection } from '../../helpers/libsql-errors.ts';

type Result = { type: 'ok'; response: Record<string, unknown> } | { type: 'error'; error: { message: string; code: string } };
interface Answer {
  status: number;
  text: string;
  baton: string | null;
  results: Result[];
}

async function pipe(server: LibsqlServer, baton: string | null, requests: unknown[]): Promise<Answer> {
  const res = await fetch(`${server.url}/v2/pipeline`, { method: 'POST', body: JSON.stringify({ baton, requests }) });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, text, baton: null, results: [] };
  const body = JSON.parse(text) as { baton: string | null; results: Result[] };
  return { status: 200, text, baton: body.baton, results: body.results };
}

const int = (n: number) => ({ type: 'integer', value: String(n) });
const exec = (sql: string, args: unknown[] = [], named: Array<{ name: string; value: unknown }> = []) => ({
  type: 'execute',
  stmt: { sql, args, named_args: named, want_rows: true },
});
const codeOf = (r: Result | undefined) => (r?.type === 'error' ? r.error.code : 'ok');
const rowsOf = (r: Result | undefined) => ((r?.type === 'ok' ? r.response.result : null) as { rows: Array<Array<{ value?: string }>> } | null)?.rows;

/** One stream of raw requests, carrying its baton from response to response. */
function stream(server: LibsqlServer) {
  let baton: string | null = null;
  return async (...requests: unknown[]): Promise<Result[]> => {
    const answer = await pipe(server, baton, requests);
    expect(answer.status, answer.text).toBe(200);
    baton = answer.baton;
    return answer.results;
  };
}

let server: LibsqlServer;
let client: Client;

beforeAll(async () => {
  // ':memory:' (the default): every stream still opens its own connection to the same database.
  server = await startLibsqlServer({ port: 0, txnTimeoutMs: 60_000 });
  client = createClient({ url: server.url });
  await client.execute('CREATE TABLE t (x INTEGER)');
});

afterAll(async () => {
  client.close();
  await server.close();
});

describe('one statement per execute, arguments that match', () => {
  it.each([
    { sql: 'SELECT 1; SELECT 2', code: 'SQL_MANY_STATEMENTS' },
    { sql: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)", code: 'SQL_MANY_STATEMENTS' },
    { sql: 'SELECT 1; SELEC 2', code: 'SQL_MANY_STATEMENTS' },
    { sql: 'SELEC 1; SELECT 2', code: 'SQL_PARSE_ERROR' },
    { sql: '', code: 'SQL_NO_STATEMENT' },
    { sql: ' ; -- only a comment', code: 'SQL_NO_STATEMENT' },
    { sql: 'SELEC 1', code: 'SQL_PARSE_ERROR' },
    { sql: "SELECT 'unterminated", code: 'SQL_PARSE_ERROR' },
    { sql: 'SELECT * FROM nowhere', code: 'SQL_INPUT_ERROR' },
    { sql: "SELECT 'a;b' AS s;", code: 'ok' },
    { sql: 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END', code: 'ok' },
  ])('$sql → $code', async ({ sql, code }) => {
    const { results } = await pipe(server, null, [exec(sql)]);
    expect(codeOf(results[0])).toBe(code);
  });

  it('runs nothing of a multi-statement execute', async () => {
    await pipe(server, null, [exec('INSERT INTO t VALUES (7); INSERT INTO t VALUES (8)')]);
    expect((await client.execute('SELECT count(*) AS n FROM t WHERE x IN (7, 8)')).rows[0]?.n).toBe(0);
  });

  it.each([
    { sql: 'SELECT ?', args: [], named: [], code: 'ARGS_INVALID' },
    { sql: 'SELECT ?', args: [int(1), int(2)], named: [], code: 'ARGS_INVALID' },
    { sql: 'SELECT ?, ?', args: [int(1)], named: [], code: 'ARGS_INVALID' },
    { sql: 'SELECT 1', args: [int(1)], named: [], code: 'ARGS_INVALID' },
    { sql: 'SELECT :a', args: [], named: [{ name: 'b', value: int(1) }], code: 'ARGS_INVALID' },
    { sql: 'SELECT :a', args: [], named: [{ name: 'a', value: int(1) }, { name: 'b', value: int(2) }], code: 'ARGS_INVALID' },
    { sql: 'SELECT :a', args: [int(1)], named: [], code: 'ARGS_INVALID' },
    { sql: 'SELECT ?', args: [int(1)], named: [{ name: 'a', value: int(1) }], code: 'ARGS_BOTH_POSITIONAL_AND_NAMED' },
    { sql: 'SELECT :a, @a', args: [], named: [{ name: ':a', value: int(1) }], code: 'ARGS_INVALID' },
    { sql: 'SELECT :a, :a, $b', args: [], named: [{ name: ':a', value: int(1) }, { name: 'b', value: int(2) }], code: 'ok' },
    { sql: 'SELECT ?2, ?1', args: [int(1), int(2)], named: [], code: 'ok' },
  ])('$sql with $args.length positional and $named.length named → $code', async ({ sql, args, named, code }) => {
    const { results } = await pipe(server, null, [exec(sql, args, named)]);
    expect(codeOf(results[0])).toBe(code);
  });

  it('binds ?NNN by position and a repeated name once', async () => {
    const { results } = await pipe(server, null, [exec('SELECT ?2 AS a, ?1 AS b', [int(1), int(2)]), exec('SELECT :a + :a AS n', [], [{ name: 'a', value: int(21) }])]);
    expect(rowsOf(results[0])?.[0]?.map((v) => v.value)).toEqual(['2', '1']);
    expect(rowsOf(results[1])?.[0]?.[0]?.value).toBe('42');
  });

  it('gives @libsql/client/web the same codes', async () => {
    expect((await rejection(client.execute('SELECT 1; SELECT 2'))).code).toBe('SQL_MANY_STATEMENTS');
    expect((await rejection(client.execute({ sql: 'SELECT ?, ?', args: [1] }))).code).toBe('ARGS_INVALID');
    expect((await rejection(client.execute({ sql: 'SELECT :a', args: { a: 1, b: 2 } }))).code).toBe('ARGS_INVALID');
    expect((await rejection(client.execute('   '))).code).toBe('SQL_NO_STATEMENT');
    expect((await rejection(client.execute('SELEC 1'))).code).toBe('SQL_PARSE_ERROR');
  });

  it('fails a whole batch with a multi-statement step before running any step', async () => {
    const { results } = await pipe(server, null, [
      { type: 'batch', batch: { steps: [{ stmt: exec('INSERT INTO t VALUES (9)').stmt }, { stmt: exec('SELECT 1; SELECT 2').stmt }] } },
    ]);
    expect(codeOf(results[0])).toBe('SQL_MANY_STATEMENTS');
    expect((await client.execute('SELECT count(*) AS n FROM t WHERE x = 9')).rows[0]?.n).toBe(0);
  });

  it('reports rows read (rows returned: the engine cannot count rows scanned) and rows written', async () => {
    await client.execute('CREATE TABLE counted (x INTEGER)');
    const { results } = await pipe(server, null, [exec('INSERT INTO counted VALUES (1), (2), (3)'), exec('SELECT x FROM counted WHERE x > 1')]);
    expect(results[0]).toMatchObject({ type: 'ok', response: { result: { rows_written: 3, affected_row_count: 3 } } });
    expect(results[1]).toMatchObject({ type: 'ok', response: { result: { rows_read: 2, rows_written: 0 } } });
  });
});

describe('batons and streams', () => {
  it('answers an unknown, malformed or reused baton with HTTP 400', async () => {
    const first = await pipe(server, null, [exec('SELECT 1')]);
    const second = await pipe(server, first.baton, [exec('SELECT 2')]);
    expect(second.status).toBe(200);
    for (const baton of [first.baton, 'nonsense', `${String(second.baton).split('.')[0]}.forged`, 'AAAA.BBBB']) {
      expect((await pipe(server, baton, [exec('SELECT 3')])).status).toBe(400);
    }
  });

  it('ends the stream on a protocol error: a request after close, an unknown sql_id, a condition on a later step', async () => {
    for (const bad of [
      [{ type: 'close' }, exec('SELECT 1')],
      [exec('SELECT 1'), { type: 'execute', stmt: { sql_id: 41, want_rows: true } }],
      [{ type: 'batch', batch: { steps: [{ condition: { type: 'ok', step: 1 }, stmt: exec('SELECT 1').stmt }, { stmt: exec('SELECT 2').stmt }] } }],
    ]) {
      const s = await pipe(server, null, [exec('BEGIN IMMEDIATE'), exec('INSERT INTO t VALUES (10)')]);
      const answer = await pipe(server, s.baton, bad);
      expect(answer.status).toBe(400);
      expect((await pipe(server, s.baton, [exec('SELECT 1')])).status).toBe(400);
    }
    // Each stream's transaction was rolled back when it ended, and so let go of the write lock.
    expect((await client.execute('SELECT count(*) AS n FROM t WHERE x = 10')).rows[0]?.n).toBe(0);
  });

  it('answers an expired stream with 500 STREAM_EXPIRED and rolls its transaction back', async () => {
    const short = await startLibsqlServer({ port: 0, streamIdleMs: 20 });
    try {
      await pipe(short, null, [exec('CREATE TABLE e (x INTEGER)')]);
      const held = await pipe(short, null, [exec('BEGIN IMMEDIATE'), exec('INSERT INTO e VALUES (1)')]);
      // This writer waits for the lock, which the idle stream gives up when it expires.
      expect(codeOf((await pipe(short, null, [exec('INSERT INTO e VALUES (2)')])).results[0])).toBe('ok');
      const expired = await pipe(short, held.baton, [exec('SELECT 1')]);
      expect(expired.status).toBe(500);
      expect(JSON.parse(expired.text)).toMatchObject({ code: 'STREAM_EXPIRED' });
      expect(rowsOf((await pipe(short, null, [exec('SELECT group_concat(x) FROM e')])).results[0])?.[0]?.[0]?.value).toBe('2');
    } finally {
      await short.close();
    }
  });
});

describe('batches, sequences, stored SQL, describe, autocommit', () => {
  it('evaluates ok, error, not, and, or and is_autocommit as the spec says (a skipped step is neither ok nor error)', async () => {
    const s = stream(server);
    const step = (sql: string, condition?: unknown) => ({ condition, stmt: exec(sql).stmt });
    const [batch] = await s({
      type: 'batch',
      batch: {
        steps: [
          step('SELECT 1'),
          step('SELECT * FROM nowhere'),
          step('SELECT 2', { type: 'ok', step: 1 }),
          step('SELECT 3', { type: 'error', step: 2 }),
          step('SELECT 4', { type: 'and', conds: [{ type: 'ok', step: 0 }, { type: 'error', step: 1 }] }),
          step('SELECT 5', { type: 'or', conds: [{ type: 'ok', step: 2 }, { type: 'not', cond: { type: 'ok', step: 3 } }] }),
          step('SELECT 6', { type: 'is_autocommit' }),
        ],
      },
    });
    const result = (batch?.type === 'ok' ? batch.response.result : null) as { step_results: unknown[]; step_errors: unknown[] };
    expect(result.step_results.map((r) => r !== null)).toEqual([true, false, false, false, true, true, true]);
    expect(result.step_errors.map((r) => r !== null)).toEqual([false, true, false, false, false, false, false]);
  });

  it('runs a batch as one transaction the way @libsql/client sends it, and reports is_autocommit inside it', async () => {
    const s = stream(server);
    const step = (sql: string, condition?: unknown) => ({ condition, stmt: exec(sql).stmt });
    const [batch, auto] = await s(
      {
        type: 'batch',
        batch: {
          steps: [
            step('BEGIN'),
            step('INSERT INTO t VALUES (20)', { type: 'ok', step: 0 }),
            step('SELECT 1', { type: 'not', cond: { type: 'is_autocommit' } }),
            step('COMMIT', { type: 'ok', step: 2 }),
            step('ROLLBACK', { type: 'not', cond: { type: 'ok', step: 3 } }),
          ],
        },
      },
      { type: 'get_autocommit' },
    );
    const result = (batch?.type === 'ok' ? batch.response.result : null) as { step_results: unknown[] };
    expect(result.step_results.map((r) => r !== null)).toEqual([true, true, true, true, false]);
    expect(auto).toEqual({ type: 'ok', response: { type: 'get_autocommit', is_autocommit: true } });
  });

  it('stops a sequence at its first failing statement and reports that error', async () => {
    const s = stream(server);
    const [ok, failed, parse] = await s(
      { type: 'sequence', sql: 'CREATE TABLE sq (x); INSERT INTO sq VALUES (1);' },
      { type: 'sequence', sql: 'INSERT INTO sq VALUES (2); INSERT INTO nowhere VALUES (3); INSERT INTO sq VALUES (4)' },
      { type: 'sequence', sql: 'INSERT INTO sq VALUES (5); SELEC 6' },
    );
    expect([codeOf(ok), codeOf(failed), codeOf(parse)]).toEqual(['ok', 'SQL_INPUT_ERROR', 'SQL_PARSE_ERROR']);
    // A parse error anywhere runs nothing; a failing statement stops the ones after it.
    expect((await client.execute('SELECT group_concat(x) AS xs FROM sq')).rows[0]?.xs).toBe('1,2');
  });

  it('stores, uses and closes SQL texts per stream, and describes parameters and columns', async () => {
    const s = stream(server);
    const [store, used, closed, described] = await s(
      { type: 'store_sql', sql_id: 1, sql: 'SELECT :a * 2 AS n' },
      { type: 'execute', stmt: { sql_id: 1, named_args: [{ name: 'a', value: int(21) }] } },
      { type: 'close_sql', sql_id: 1 },
      { type: 'describe', sql: 'SELECT :x AS a, ?3 AS b' },
    );
    expect([codeOf(store), codeOf(closed)]).toEqual(['ok', 'ok']);
    expect(rowsOf(used)?.[0]?.[0]?.value).toBe('42');
    expect(described).toMatchObject({
      type: 'ok',
      response: { result: { params: [{ name: ':x' }, { name: null }, { name: '?3' }], is_explain: false, is_readonly: true } },
    });
  });
});

describe('write lock: a connection per stream, taken on first write', () => {
  it('lets two streams in two open deferred transactions both read, and refuses the second writer with SQLITE_BUSY', async () => {
    await client.execute('CREATE TABLE two (x INTEGER)');
    const a = stream(server);
    const b = stream(server);
    expect((await a(exec('BEGIN'), exec('SELECT count(*) FROM two'))).map(codeOf)).toEqual(['ok', 'ok']);
    expect((await b(exec('BEGIN'), exec('SELECT count(*) FROM two'))).map(codeOf)).toEqual(['ok', 'ok']);
    // a writes first and so takes the lock; b still reads its snapshot.
    expect(codeOf((await a(exec('INSERT INTO two VALUES (1)')))[0])).toBe('ok');
    expect(rowsOf((await b(exec('SELECT count(*) FROM two')))[0])?.[0]?.[0]?.value).toBe('0');
    // b has read, so it cannot wait for the lock (its snapshot would be stale): SQLITE_BUSY at once, as in SQLite.
    expect(codeOf((await b(exec('INSERT INTO two VALUES (2)')))[0])).toBe('SQLITE_BUSY');
    expect(codeOf((await a(exec('COMMIT')))[0])).toBe('ok');
    // Even with the lock free, b's snapshot predates a's commit.
    expect(codeOf((await b(exec('INSERT INTO two VALUES (2)')))[0])).toBe('SQLITE_BUSY');
    const [rollback, count] = await b(exec('ROLLBACK'), exec('SELECT count(*) FROM two'));
    expect(codeOf(rollback)).toBe('ok');
    expect(rowsOf(count)?.[0]?.[0]?.value).toBe('1');
  });

  it('does the same through @libsql/client/web interactive transactions', async () => {
    await client.execute('CREATE TABLE web (x INTEGER)');
    const other = createClient({ url: server.url });
    const a = await client.transaction('deferred');
    const b = await other.transaction('deferred');
    expect((await a.execute('SELECT count(*) AS n FROM web')).rows[0]?.n).toBe(0);
    expect((await b.execute('SELECT count(*) AS n FROM web')).rows[0]?.n).toBe(0);
    await a.execute('INSERT INTO web VALUES (1)');
    expect((await rejection(b.execute('INSERT INTO web VALUES (2)'))).code).toBe('SQLITE_BUSY');
    await a.commit();
    await b.rollback();
    expect((await client.execute('SELECT count(*) AS n FROM web')).rows[0]?.n).toBe(1);
    other.close();
  });

  it('does not take the lock at a plain BEGIN: another stream writes while the transaction is open', async () => {
    const a = stream(server);
    expect(codeOf((await a(exec('BEGIN')))[0])).toBe('ok');
    // Had BEGIN taken the lock, this write would wait for the (here 60 s) transaction timeout.
    expect(codeOf((await pipe(server, null, [exec('INSERT INTO t VALUES (30)')])).results[0])).toBe('ok');
    const [read, commit] = await a(exec('SELECT count(*) FROM t WHERE x = 30'), exec('COMMIT'));
    expect(rowsOf(read)?.[0]?.[0]?.value).toBe('1');
    expect(codeOf(commit)).toBe('ok');
  });

  it('takes the lock at BEGIN IMMEDIATE: a writer waits for the commit, then sees it', async () => {
    const a = stream(server);
    expect(codeOf((await a(exec('BEGIN IMMEDIATE')))[0])).toBe('ok');
    let done = false;
    const waiting = pipe(server, null, [exec('INSERT INTO t VALUES (41)'), exec('SELECT count(*) FROM t WHERE x IN (40, 41)')]).then((r) => {
      done = true;
      return r;
    });
    // A deferred transaction that has not read yet waits too, like SQLite's busy handler.
    const deferred = pipe(server, null, [exec('BEGIN'), exec('INSERT INTO t VALUES (42)'), exec('COMMIT')]);
    expect(codeOf((await a(exec('INSERT INTO t VALUES (40)')))[0])).toBe('ok');
    expect(done).toBe(false);
    expect(codeOf((await a(exec('COMMIT')))[0])).toBe('ok');
    expect(rowsOf((await waiting).results[1])?.[0]?.[0]?.value).toBe('2');
    expect((await deferred).results.map(codeOf)).toEqual(['ok', 'ok', 'ok']);
  });
});

describe('transaction timeout', () => {
  it('rolls back a transaction that has held the lock longer than the timeout: TRANSACTION_TIMEOUT for the rest of that request', async () => {
    let clock = 0;
    const timed = await startLibsqlServer({ port: 0, txnTimeoutMs: 5_000, now: () => clock });
    try {
      const s = stream(timed);
      await s(exec('CREATE TABLE tt (x INTEGER)'), exec('BEGIN'), exec('SELECT * FROM tt'));
      clock += 10_000;
      // A transaction that only reads holds no lock and does not time out; its first write starts the clock.
      expect(codeOf((await s(exec('INSERT INTO tt VALUES (1)')))[0])).toBe('ok');
      clock += 4_999;
      expect(codeOf((await s(exec('INSERT INTO tt VALUES (2)')))[0])).toBe('ok');
      clock += 1;
      const [batch, auto] = await s({ type: 'batch', batch: { steps: [{ stmt: exec('SELECT 1').stmt }, { stmt: exec('COMMIT').stmt }] } }, { type: 'get_autocommit' });
      const result = (batch?.type === 'ok' ? batch.response.result : null) as { step_errors: Array<{ code: string } | null> };
      expect(result.step_errors.map((e) => e?.code)).toEqual(['TRANSACTION_TIMEOUT', 'TRANSACTION_TIMEOUT']);
      expect(auto).toEqual({ type: 'ok', response: { type: 'get_autocommit', is_autocommit: true } });
      // The stream goes on in autocommit; the timed-out transaction's rows are gone.
      expect(rowsOf((await s(exec('SELECT count(*) FROM tt')))[0])?.[0]?.[0]?.value).toBe('0');
    } finally {
      await timed.close();
    }
  });

  it('lets a waiting writer take the lock from a transaction past its timeout; the holder then gets TRANSACTION_TIMEOUT', async () => {
    const timed = await startLibsqlServer({ port: 0, txnTimeoutMs: 30 });
    const c = createClient({ url: timed.url });
    try {
      await c.execute('CREATE TABLE st (x INTEGER)');
      const tx = await c.transaction('write');
      await tx.execute('INSERT INTO st VALUES (1)');
      // Waits at most the 30 ms left of tx's lock, then rolls tx back and writes.
      await c.execute('INSERT INTO st VALUES (2)');
      expect((await rejection(tx.execute('INSERT INTO st VALUES (3)'))).code).toBe('TRANSACTION_TIMEOUT');
      tx.close();
      expect((await c.execute('SELECT group_concat(x) AS xs FROM st')).rows[0]?.xs).toBe('2');
    } finally {
      c.close();
      await timed.close();
    }
  });
});
