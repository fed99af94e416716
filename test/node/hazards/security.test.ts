// Issue 16 on hazards: feedback only by a tip's own receipt (4), free text masked for every reader but the
// office (5), and "fixed" / "not fixed" at the same instant applying once — embedded and over libSQL HTTP (6).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { hazardEvents, hazards, submissions } from '../../../src/db/schema.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { storeSubmission } from '../../../src/submissions/store.ts';
import { transition } from '../../../src/hazards/service.ts';
import { openWebDb } from '../../../src/runtime/workers/db.ts';
import { migrateDb, openNodeDb } from '../../../src/runtime/node/db.ts';
import { seedOrganisation } from '../../../src/core/seed.ts';
import { startLibsqlServer } from '../../../tools/libsql-server/server.ts';
import { createApp } from '../../../src/app.tsx';
import organisation from '../../../forms/organisation.ts';
import forms from '../../../forms/index.ts';
import type { Db } from '../../../src/db/index.ts';
import { makeTestApp, testConfig, testDeps, type TestContext } from '../../helpers/app.ts';

const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;
const PHONE = '13912345678';
const OFFICE = { role: 'admin', unitCode: 'office', codeId: 0 } as const;

async function closedTip(t: Pick<TestContext, 'deps' | 'db'>) {
  const stored = await storeSubmission(t.deps, {
    form: hazardTip,
    answers: { category: 'rental-housing', place: `东风路12号 房东${PHONE}`, description: `楼道堆满杂物，房东电话 ${PHONE}，身份证 610303199001011234` },
    personal: {},
    unitCode: 'dongfeng-road-c1',
    source: 'public',
  });
  const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, stored.id) }))!;
  await transition(t.deps, { hazardId: h.id, actor: OFFICE, action: 'assign', input: { leadUnit: 'police', coUnits: ['work-safety'], days: 3, deadlineKind: 'calendar', note: `联系 ${PHONE}` } });
  return { receipt: stored.receipt, hazard: h };
}

const feedback = (t: { app: ReturnType<typeof createApp> }, receipt: string, fixed: boolean) =>
  t.app.request(`/api/v1/receipts/${receipt}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fixed }) });

describe('free text reaches only the office unmasked (finding 5)', () => {
  it('units, co-units and leaders see phone and ID numbers in a tip masked, by API and page; the office sees them', async () => {
    const t = await makeTestApp();
    const { hazard } = await closedTip(t);
    const read = async (unitCode: string, path: string, leader = false) => {
      const { code } = await issueAccessCode(t.db, { unitCode, leader });
      return (await t.app.request(path, { headers: { authorization: `Bearer ${code}` } })).text();
    };
    for (const [who, path, leader] of [
      ['police', `/api/v1/unit/hazards/${hazard.id}`, false],
      ['police', '/api/v1/unit/hazards', false],
      ['work-safety', `/api/v1/unit/hazards/${hazard.id}`, false],
      ['office', `/api/v1/admin/hazards/${hazard.id}`, true],
      ['office', '/api/v1/admin/hazards', true],
    ] as const) {
      const body = await read(who, path, leader);
      expect(body, `${who} ${path}`).toContain('东风路12号');
      expect(body, `${who} ${path}`).not.toContain(PHONE);
      expect(body, `${who} ${path}`).not.toContain('199001011234');
    }
    expect(await read('office', `/api/v1/admin/hazards/${hazard.id}`)).toContain(PHONE);
  });
});

describe('tipster feedback (findings 4 and 6)', () => {
  it('a unit’s ledger row gives no receipt to post feedback with, and its own on-the-spot fix cannot be confirmed for the public', async () => {
    const t = await makeTestApp();
    const { code } = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const res = await t.app.request('/api/v1/unit/forms/hazard-ledger/submissions', {
      method: 'POST',
      headers: { authorization: `Bearer ${code}`, 'content-type': 'application/json' },
      body: JSON.stringify({ category: 'school-surroundings', village: 'chencang-v1', address: '陈仓镇中心小学门口', description: '网吧', foundBy: '张三', foundOn: '2014-11-03', handling: 'on-spot', fixNote: '已劝离' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    const list = await t.app.request('/api/v1/unit/forms/hazard-ledger/submissions?day=2014-11-04', { headers: { authorization: `Bearer ${code}` } });
    expect(await list.text()).not.toMatch(/"receipt"/);
    const [row] = await t.db.select({ receipt: submissions.receipt }).from(submissions).where(eq(submissions.id, id));
    for (const fixed of [true, false]) expect((await feedback(t, row!.receipt, fixed)).status).toBe(404);
    const h = (await t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) }))!;
    expect(h.state).toBe('fixed_on_spot');
    const actions = (await t.db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, h.id))).map((e) => e.action);
    expect(actions).toEqual(['record_ledger']);
  });

  // Over HTTP, as the Worker and a Node server on Turso or sqld run it: every request its own stream and transaction.
  // (The embedded driver cannot run two transactions at once at all: :memory: refuses the second, a file waits on it.)
  it('"fixed" and "not fixed" at the same instant apply once, over libSQL HTTP', async () => {
    await withDatabaseFile(async (file) => {
      const server = await startLibsqlServer({ path: file, port: 0 });
      try {
        await expectOneApplies(openWebDb(server.url));
      } finally {
        await server.close();
      }
    });
  });
});

async function withDatabaseFile(run: (file: string) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'pingan-race-'));
  const file = join(dir, 'race.db');
  const local = await openNodeDb(`file:${file}`);
  await migrateDb(local);
  await seedOrganisation(local, organisation);
  local.$client.close();
  try {
    await run(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function expectOneApplies(db: Db) {
  const deps = testDeps({ db, config: testConfig(), now: () => new Date('2014-11-04T02:00:00Z') });
  const t = { db, deps, app: createApp(deps) };
  const { receipt, hazard } = await closedTip(t);
  await db.update(hazards).set({ state: 'closed' }).where(eq(hazards.id, hazard.id));
  const results = await Promise.all([feedback(t, receipt, true), feedback(t, receipt, false), feedback(t, receipt, true), feedback(t, receipt, false)]);
  expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  for (const r of results) expect([200, 409], await r.clone().text()).toContain(r.status);
  const events = await db.select().from(hazardEvents).where(eq(hazardEvents.hazardId, hazard.id));
  expect(events.filter((e) => e.action === 'confirm_fixed' || e.action === 'reopen')).toHaveLength(1);
}
