// Storing a submission (src/submissions/store.ts) called directly: the exact row, the personal row only when there
// is personal data, the ranking guard per address, unit and day, roll-ups, idempotency keys and form tokens, and
// what the hooks are handed. Written against the survivors of a Stryker run (issue 22).
import { createHmac } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import forms from '../../../forms/index.ts';
import type { Change } from '../../../src/core/changes.ts';
import type { Db } from '../../../src/db/index.ts';
import { formTokens, submissionPersonal, submissions, units } from '../../../src/db/schema.ts';
import { guard } from '../../../src/db/batch.ts';
import { PLUGINS } from '../../../src/plugins.ts';
import type { FormDefinition } from '../../../src/forms/types.ts';
import type { SubmissionHookContext } from '../../../src/submissions/hooks.ts';
import { addressKey, hashSubmission, RANKED_PER_ADDRESS, RECEIPT_PATTERN, storeSubmission, type StoreInput } from '../../../src/submissions/store.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';

const MASS = forms.find((f) => f.id === 'mass-feedback')!;
const ANSWERS = { satisfaction: 'satisfied', aware: true, participated: false, opinion: '希望多开展巡逻' };
const SECRET = 'test-secret-0123456789abcdef';

const store = (t: TestContext, input: Partial<StoreInput> = {}) => storeSubmission(t.deps, { form: MASS, answers: ANSWERS, personal: {}, source: 'public', ...input });

describe('the stored row', () => {
  it('holds the form, its version, the unit and roll-up, the source, the Beijing day, the answers and the metrics', async () => {
    // 17:30 UTC on 3 November is 01:30 on 4 November in Beijing.
    const t = await makeTestApp({ now: '2014-11-03T17:30:00Z' });
    const r = await store(t, { unitCode: 'chencang-v1', source: 'unit' });
    expect(r).toEqual({ id: 1, receipt: expect.stringMatching(RECEIPT_PATTERN), created: true });
    const [row] = await t.db.select().from(submissions);
    expect(row).toMatchObject({
      id: 1,
      formId: 'mass-feedback',
      formVersion: MASS.version,
      unitCode: 'chencang-v1',
      rollupCode: 'chencang',
      source: 'unit',
      createdAt: Date.parse('2014-11-03T17:30:00Z'),
      day: '2014-11-04',
      receipt: r.receipt,
      idempotencyKey: null,
      requestHash: null,
      addressKey: null,
      unranked: false,
      satisfaction: 'satisfied',
      aware: true,
      participated: false,
    });
    expect(JSON.parse(row!.payload)).toEqual(ANSWERS);
    expect(await t.db.select().from(submissionPersonal)).toEqual([]);
    expect(await t.db.select().from(formTokens)).toEqual([]);
  });

  it('keeps personal data in its own row, by the submission id', async () => {
    const t = await makeTestApp();
    await store(t);
    const r = await store(t, { personal: { name: '孙八', phone: '13912345678' } });
    const rows = await t.db.select().from(submissionPersonal);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.submissionId).toBe(r.id);
    expect(JSON.parse(rows[0]!.data)).toEqual({ name: '孙八', phone: '13912345678' });
    expect(JSON.parse((await t.db.select().from(submissions).where(eq(submissions.id, r.id)))[0]!.payload)).toEqual(ANSWERS);
  });

  it('an unknown or empty unit code is stored as unattributed', async () => {
    const t = await makeTestApp();
    await store(t, { unitCode: 'atlantis' });
    await store(t, { unitCode: '' });
    await store(t, { unitCode: null });
    const rows = await t.db.select({ unitCode: submissions.unitCode, rollupCode: submissions.rollupCode }).from(submissions);
    expect(rows).toEqual([
      { unitCode: null, rollupCode: null },
      { unitCode: null, rollupCode: null },
      { unitCode: null, rollupCode: null },
    ]);
  });
});

describe('roll-ups', () => {
  const rollup = async (t: TestContext, unitCode: string) => {
    const r = await store(t, { unitCode });
    return (await t.db.select({ rollupCode: submissions.rollupCode }).from(submissions).where(eq(submissions.id, r.id)))[0]!.rollupCode;
  };

  it('a village or community rolls up to its town or sub-district, a department to itself, the office to nothing', async () => {
    const t = await makeTestApp();
    expect(await rollup(t, 'chencang-v1')).toBe('chencang');
    expect(await rollup(t, 'chencang')).toBe('chencang');
    expect(await rollup(t, 'zhongshan-east-c2')).toBe('zhongshan-east');
    expect(await rollup(t, 'police')).toBe('police');
    expect(await rollup(t, 'office')).toBeNull();
  });

  it('a unit under the office rolls up to nothing, however deep', async () => {
    const t = await makeTestApp();
    await t.db.insert(units).values([
      { code: 'office-grid', name: '办公室网格', kind: 'village', parentCode: 'office' },
      { code: 'office-grid-1', name: '办公室网格一', kind: 'community', parentCode: 'office-grid' },
    ]);
    expect(await rollup(t, 'office-grid')).toBeNull();
    expect(await rollup(t, 'office-grid-1')).toBeNull();
  });

  it('a town 8 levels up is found, one 9 levels up is not (bad data is bounded)', async () => {
    const t = await makeTestApp();
    const chain = (prefix: string, length: number, top: string) =>
      Array.from({ length }, (_, i) => ({ code: `${prefix}${i}`, name: `${prefix}${i}`, kind: 'village' as const, parentCode: i + 1 < length ? `${prefix}${i + 1}` : top }));
    await t.db.insert(units).values([{ code: 'deep-town', name: '深镇', kind: 'town', parentCode: 'office' }, ...chain('a', 8, 'deep-town'), ...chain('b', 9, 'deep-town')]);
    expect(await rollup(t, 'a0')).toBe('deep-town');
    expect(await rollup(t, 'b0')).toBeNull();
  });

  it('the climb stops at the first town, sub-district or department', async () => {
    const t = await makeTestApp();
    await t.db.insert(units).values([
      { code: 'upper-dept', name: '上级部门', kind: 'department', parentCode: 'office' },
      { code: 'lower-town', name: '下级镇', kind: 'town', parentCode: 'upper-dept' },
      { code: 'lower-sub', name: '下级街道', kind: 'subdistrict', parentCode: 'upper-dept' },
      { code: 'lower-v', name: '下级村', kind: 'village', parentCode: 'lower-town' },
    ]);
    expect(await rollup(t, 'lower-v')).toBe('lower-town');
    expect(await rollup(t, 'lower-town')).toBe('lower-town');
    expect(await rollup(t, 'lower-sub')).toBe('lower-sub');
  });
});

describe('the ranking guard: ten anonymous answers per address, unit and day', () => {
  it('the address is kept only as its keyed digest', async () => {
    expect(await addressKey(SECRET, '203.0.113.9')).toBe(createHmac('sha256', SECRET).update('address:203.0.113.9').digest('hex').slice(0, 32));
    const t = await makeTestApp();
    await store(t, { unitCode: 'xiguan-c1', clientAddress: '203.0.113.9' });
    const [row] = await t.db.select({ addressKey: submissions.addressKey }).from(submissions);
    expect(row!.addressKey).toBe(await addressKey(SECRET, '203.0.113.9'));
  });

  it(`the ${RANKED_PER_ADDRESS + 1}th answer from one address for one unit on one day waits; other units, addresses and days count`, async () => {
    expect(RANKED_PER_ADDRESS).toBe(10);
    const t = await makeTestApp();
    const unranked = async (input: Partial<StoreInput>) => {
      const r = await store(t, input);
      return (await t.db.select({ u: submissions.unranked }).from(submissions).where(eq(submissions.id, r.id)))[0]!.u;
    };
    const same = { unitCode: 'xiguan-c1', clientAddress: '203.0.113.9' };
    for (let i = 0; i < 10; i++) expect(await unranked(same), `answer ${i + 1}`).toBe(false);
    expect(await unranked(same)).toBe(true);
    expect(await unranked(same)).toBe(true);
    expect(await unranked({ ...same, unitCode: 'xiguan-c2' })).toBe(false);
    expect(await unranked({ ...same, clientAddress: '198.51.100.7' })).toBe(false);
    // No address (a unit's own entry) or no unit: never held back.
    expect(await unranked({ unitCode: 'xiguan-c1' })).toBe(false);
    for (let i = 0; i < 11; i++) await store(t, { clientAddress: '203.0.113.9' });
    expect(await unranked({ clientAddress: '203.0.113.9' })).toBe(false);
    t.setNow('2014-11-04T16:30:00Z'); // 00:30 on 5 November in Beijing
    expect(await unranked(same)).toBe(false);
  });
});

describe('retries', () => {
  it('the request hash is keyed, sorted by field, and covers the form, the unit, the answers and the personal data', async () => {
    const base = await hashSubmission(SECRET, 'mass-feedback', { a: 1, b: 2 }, { name: '甲' }, 'police');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(base).toBe(createHmac('sha256', SECRET).update(JSON.stringify(['mass-feedback', 'police', { a: 1, b: 2 }, { name: '甲' }])).digest('hex'));
    expect(await hashSubmission(SECRET, 'mass-feedback', { b: 2, a: 1 }, { name: '甲' }, 'police')).toBe(base);
    expect(await hashSubmission(SECRET, 'mass-feedback', { a: 1 }, { z: 1, name: '甲' }, null)).toBe(
      createHmac('sha256', SECRET).update(JSON.stringify(['mass-feedback', null, { a: 1 }, { name: '甲', z: 1 }])).digest('hex'),
    );
    expect(await hashSubmission(SECRET, 'mass-feedback', { a: 1 }, {}, undefined)).toBe(await hashSubmission(SECRET, 'mass-feedback', { a: 1 }, {}, null));
    expect(await hashSubmission('another-secret-0123456789', 'mass-feedback', { a: 1, b: 2 }, { name: '甲' }, 'police')).not.toBe(base);
  });

  it('a key is stored with the hash of the request; the same key again answers with the first submission', async () => {
    const t = await makeTestApp();
    const first = await store(t, { idempotencyKey: 'k-1', unitCode: 'police', personal: { name: '甲' } });
    const [row] = await t.db.select().from(submissions);
    expect(row).toMatchObject({ idempotencyKey: 'k-1', requestHash: await hashSubmission(SECRET, 'mass-feedback', ANSWERS, { name: '甲' }, 'police') });
    expect(await store(t, { idempotencyKey: 'k-1', unitCode: 'police', personal: { name: '甲' } })).toEqual({ ...first, created: false });
    expect(await t.db.select().from(submissions)).toHaveLength(1);
    expect(await t.db.select().from(submissionPersonal)).toHaveLength(1);
  });

  it('a given request hash is the one stored and compared', async () => {
    const t = await makeTestApp();
    const first = await store(t, { idempotencyKey: 'k-2', requestHash: 'given-hash' });
    expect((await t.db.select({ h: submissions.requestHash }).from(submissions))[0]!.h).toBe('given-hash');
    // Different answers under the same key and the same given hash: the caller says it is the same request.
    expect(await store(t, { idempotencyKey: 'k-2', requestHash: 'given-hash', answers: { ...ANSWERS, opinion: '别的' } })).toEqual({ ...first, created: false });
  });

  it('the same key with another body is refused with the one 422 shape', async () => {
    const t = await makeTestApp();
    await store(t, { idempotencyKey: 'k-3' });
    const err = await store(t, { idempotencyKey: 'k-3', answers: { ...ANSWERS, opinion: '别的' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      status: 422,
      code: 'VALIDATION_FAILED',
      message: '这个 Idempotency-Key 已用于另一份内容不同的提交；新的提交请换一个新的 Key',
      details: { errors: [{ field: 'Idempotency-Key', message: '已用于另一份内容不同的提交，请换一个新的 Key' }] },
    });
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('an empty key is no key: two stores are two submissions', async () => {
    const t = await makeTestApp();
    const a = await store(t, { idempotencyKey: '' });
    const b = await store(t, { idempotencyKey: '' });
    expect(a.id).not.toBe(b.id);
    expect(b.created).toBe(true);
    expect(await t.db.select({ k: submissions.idempotencyKey, h: submissions.requestHash }).from(submissions)).toEqual([
      { k: null, h: null },
      { k: null, h: null },
    ]);
  });

  it('a form token is recorded with the submission; the same token again answers with the first one', async () => {
    const t = await makeTestApp();
    const first = await store(t, { formToken: 'tok-1' });
    expect(await t.db.select().from(formTokens)).toEqual([{ token: 'tok-1', createdAt: Date.parse('2014-11-04T02:00:00Z'), submissionId: first.id }]);
    expect(await store(t, { formToken: 'tok-1', answers: { ...ANSWERS, opinion: '第二次' } })).toEqual({ ...first, created: false });
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('a failure that is not a retry is not swallowed', async () => {
    const t = await makeTestApp({ deps: { plugins: { ...PLUGINS, submissionHooks: [(q) => [q.run(sql`INSERT INTO units (code, name, kind) VALUES ('police', 'x', 'department')`)]] } } });
    await expect(store(t, { idempotencyKey: 'k-4', formToken: 'tok-4' })).rejects.toThrow(/UNIQUE constraint failed: units\.code/);
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });
});

describe('what the hooks are handed', () => {
  it('the submission as stored, the answers, the personal data, the campaign, the location; the change is the form', async () => {
    const seen: SubmissionHookContext[] = [];
    const changes: Change[] = [];
    const t = await makeTestApp({
      now: '2014-11-03T17:30:00Z',
      deps: {
        plugins: {
          ...PLUGINS,
          submissionHooks: [(_q, ctx) => (seen.push(ctx), [])],
          changeHooks: [(_q, change) => (changes.push(change), [])],
        },
      },
    });
    const location = { lat: 34.36, lng: 107.24 } as never;
    const r = await store(t, { unitCode: 'atlantis', source: 'api', personal: { name: '甲' }, location });
    expect(seen).toHaveLength(1);
    const ctx = seen[0]!;
    expect(ctx.submission).toMatchObject({ receipt: r.receipt, formId: 'mass-feedback', unitCode: 'atlantis', day: '2014-11-04', createdAt: Date.parse('2014-11-03T17:30:00Z'), source: 'api' });
    expect(ctx).toMatchObject({ form: MASS, answers: ANSWERS, personal: { name: '甲' }, location });
    expect(ctx.campaign.id).toBeTypeOf('number');
    expect(ctx.deps).toBe(t.deps);
    const [found] = await t.db.all<{ id: number }>(sql`SELECT ${ctx.submission.idSql} AS id`);
    expect(found!.id).toBe(r.id);
    expect(changes).toEqual([{ kind: 'form', formId: 'mass-feedback', at: Date.parse('2014-11-03T17:30:00Z') }]);
  });
});

/** An error as libSQL throws it: the constraint's message some causes down. */
function constraintError(message: string, depth = 1): Error {
  let err = new Error(message);
  for (let i = 0; i < depth; i++) err = new Error(`wrapper ${i}`, { cause: err });
  return err;
}

/** The test database, but its batches first throw the given errors, one per batch; counts the batches. */
function failingBatches(t: TestContext, errors: Error[]) {
  let calls = 0;
  const db = Object.create(t.db, {
    batch: {
      value: (stmts: never) => {
        calls++;
        const err = errors.shift();
        return err ? Promise.reject(err) : t.db.batch(stmts);
      },
    },
  }) as Db;
  return { deps: { ...t.deps, db }, calls: () => calls };
}

describe('when the batch fails', () => {
  const input = (extra: Partial<StoreInput> = {}): StoreInput => ({ form: MASS, answers: ANSWERS, personal: {}, source: 'public', ...extra });

  it('a receipt already taken is drawn again, with a form token too', async () => {
    const t = await makeTestApp();
    for (const extra of [{}, { formToken: 'tok-r' }, { idempotencyKey: 'k-r' }]) {
      const f = failingBatches(t, [constraintError('SQLITE_CONSTRAINT: UNIQUE constraint failed: submissions.receipt')]);
      const r = await storeSubmission(f.deps, input(extra));
      expect(r.created).toBe(true);
      expect(f.calls()).toBe(2);
    }
    expect(await t.db.select().from(submissions)).toHaveLength(3);
  });

  it('after three draws more the receipt error is given up to the caller', async () => {
    const t = await makeTestApp();
    const errors = Array.from({ length: 6 }, () => constraintError('UNIQUE constraint failed: submissions.receipt'));
    const fifth = errors[3];
    const f = failingBatches(t, errors);
    await expect(storeSubmission(f.deps, input())).rejects.toBe(fifth);
    expect(f.calls()).toBe(4);
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });

  it('a key or token conflict whose first submission cannot be found is given up, not answered with nothing', async () => {
    const t = await makeTestApp();
    const byKey = constraintError('UNIQUE constraint failed: submissions.idempotency_key');
    await expect(storeSubmission(failingBatches(t, [byKey]).deps, input({ idempotencyKey: 'k-gone' }))).rejects.toBe(byKey);
    const byToken = constraintError('UNIQUE constraint failed: form_tokens.token');
    await expect(storeSubmission(failingBatches(t, [byToken]).deps, input({ formToken: 'tok-gone' }))).rejects.toBe(byToken);
    // A conflict on a key or token the submission did not carry is not a retry either.
    const stray = constraintError('UNIQUE constraint failed: form_tokens.token');
    await expect(storeSubmission(failingBatches(t, [stray]).deps, input({ idempotencyKey: 'k-new' }))).rejects.toBe(stray);
  });

  it('a repeated token under a new idempotency key answers with the token’s submission', async () => {
    const t = await makeTestApp();
    const first = await store(t, { formToken: 'tok-5', idempotencyKey: 'k-5a' });
    expect(await store(t, { formToken: 'tok-5', idempotencyKey: 'k-5b' })).toEqual({ ...first, created: false });
    expect(await t.db.select().from(submissions)).toHaveLength(1);
  });

  it('a failure that is no unique index is given up as it came', async () => {
    const t = await makeTestApp({ deps: { plugins: { ...PLUGINS, submissionHooks: [(q) => [guard(q, sql`0`, 'hook-failed')]] } } });
    await expect(store(t, { idempotencyKey: 'k-6', formToken: 'tok-6' })).rejects.toThrow(/GUARD_FAILED/);
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });

  it('the constraint is looked for five errors deep, no deeper, and a loop of causes ends', async () => {
    const t = await makeTestApp();
    const first = await store(t, { formToken: 'tok-7' });
    const at4 = constraintError('UNIQUE constraint failed: form_tokens.token', 4);
    expect(await storeSubmission(failingBatches(t, [at4]).deps, input({ formToken: 'tok-7' }))).toEqual({ ...first, created: false });
    const at5 = constraintError('UNIQUE constraint failed: form_tokens.token', 5);
    await expect(storeSubmission(failingBatches(t, [at5]).deps, input({ formToken: 'tok-7' }))).rejects.toBe(at5);
    const loop = new Error('outer') as Error & { cause?: unknown };
    loop.cause = { message: undefined, cause: loop };
    await expect(storeSubmission(failingBatches(t, [loop]).deps, input({ formToken: 'tok-7' }))).rejects.toBe(loop);
  });
});

describe('household visits', () => {
  const HEAD = { householdHead: '张三', address: '3组15号' };
  const row = async (t: TestContext, id: number) =>
    (await t.db.select({ key: submissions.householdKey, repeat: submissions.repeatVisit }).from(submissions).where(eq(submissions.id, id)))[0]!;

  it('a visit carries its household key and is marked a repeat of an earlier one; another form never does', async () => {
    const t = await makeTestApp();
    const visit = forms.find((f) => f.id === 'household-visit')!;
    const answers = { cadre: 1, place: 'chencang-v1', visitDate: '2014-11-04', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' };
    const a = await storeSubmission(t.deps, { form: visit, answers, personal: HEAD, unitCode: 'chencang-v1', source: 'unit' });
    const b = await storeSubmission(t.deps, { form: visit, answers, personal: HEAD, unitCode: 'chencang-v1', source: 'unit' });
    expect(await row(t, a.id)).toEqual({ key: expect.stringMatching(/^[0-9a-f]{32}$/), repeat: false });
    expect(await row(t, b.id)).toEqual({ key: (await row(t, a.id)).key, repeat: true });
    const other: FormDefinition = { ...visit, id: 'other-form' };
    const c = await storeSubmission(t.deps, { form: other, answers, personal: HEAD, unitCode: 'chencang-v1', source: 'unit' });
    expect(await row(t, c.id)).toEqual({ key: null, repeat: false });
  });
});

describe('receipt codes', () => {
  it('are exactly ten characters of the unambiguous alphabet', () => {
    expect(RECEIPT_PATTERN.test('ACDEFGHJKM')).toBe(true);
    expect(RECEIPT_PATTERN.test('34679XYWVU')).toBe(true);
    for (const bad of ['ACDEFGHJK', 'ACDEFGHJKMN', 'xACDEFGHJKM', 'ACDEFGHJKMx', 'BCDEFGHJKM', 'ACDEFGHJK0', 'acdefghjkm']) expect(RECEIPT_PATTERN.test(bad), bad).toBe(false);
  });
});
