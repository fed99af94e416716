// Two moves of one hazard and two tipster callbacks on one receipt, fired at the same instant from two clients,
// 20 times each, on libSQL over HTTP (two clients, their own streams: both reads can land before either write)
// and on the embedded database: exactly one wins, the other is refused with 409, the history has one entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray } from 'drizzle-orm';
import { hazardEvents, hazards, submissions } from '../../../src/db/schema.ts';
import { VALID } from '../../helpers/public-forms.ts';
import { BACKENDS, bearer, post, raceContext, type RaceContext } from '../../helpers/races.ts';

const ROUNDS = 20;
/** Twenty rounds of several requests over HTTP: a bound for a busy machine, not a speed expectation. */
const SLOW = { timeout: 90_000 };

describe.each(BACKENDS)('races on %s', (backend) => {
  let r: RaceContext;
  let office: Record<string, string>;
  let police: Record<string, string>;
  beforeAll(async () => {
    r = await raceContext(backend);
    office = await bearer(r.t, 'office');
    police = await bearer(r.t, 'police');
  }, 30_000);
  afterAll(async () => r?.close());

  /** A resident's tip through the API: its hazard and receipt. */
  async function tip() {
    const res = await post(r.clients[0], '/api/v1/forms/hazard-tip/submissions', VALID['hazard-tip']);
    expect(res.status).toBe(201);
    const id = res.body.id as number;
    const h = (await r.t.db.query.hazards.findFirst({ where: eq(hazards.submissionId, id) }))!;
    return { id: h.id, receipt: res.body.receipt as string };
  }

  const moves = (id: number, actions: string[]) =>
    r.t.db.select().from(hazardEvents).where(and(eq(hazardEvents.hazardId, id), inArray(hazardEvents.action, actions)));

  it('two moves of one hazard: one wins, the other is 409 ILLEGAL_TRANSITION, one entry in the history', SLOW, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const h = await tip();
      const assigned = await post(r.clients[0], `/api/v1/admin/hazards/${h.id}/transitions`, { action: 'assign', leadUnit: 'police', days: 5 }, office);
      expect(assigned.status).toBe(200);
      // The lead unit signs for it on one device and returns it on another at the same moment.
      const path = `/api/v1/unit/hazards/${h.id}/transitions`;
      const answers = await Promise.all([post(r.clients[0], path, { action: 'accept' }, police), post(r.clients[1], path, { action: 'return', reason: '不属于本单位职责' }, police)]);
      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status !== 200);
      expect(won, `round ${i}`).toHaveLength(1);
      // The loser is refused as illegal now; when the return won first, the hazard has left the unit, which then
      // no longer sees it at all (404, as for any hazard it does not lead or help with).
      const refusal = won[0]!.body.action === 'return' ? [[409, 'ILLEGAL_TRANSITION'], [404, 'NOT_FOUND']] : [[409, 'ILLEGAL_TRANSITION']];
      expect(refusal, `round ${i}`).toContainEqual([lost[0]!.status, lost[0]!.body.error]);
      const events = await moves(h.id, ['accept', 'return']);
      expect(events.map((e) => e.action), `round ${i}`).toEqual([won[0]!.body.action]);
      const [row] = await r.t.db.select().from(hazards).where(eq(hazards.id, h.id));
      expect(row!.state).toBe(won[0]!.body.state);
      // The winner's move is whole: a return lets go of the lead, a signature keeps it.
      expect(row!.leadUnitCode).toBe(row!.state === 'returned' ? null : 'police');
    }
  });

  it('two tipster callbacks on one receipt: one answer counts, the other is a 409, one entry in the history', SLOW, async () => {
    const refusals = new Set<string>();
    for (let i = 0; i < ROUNDS; i++) {
      const h = await tip();
      await r.t.db.update(hazards).set({ state: 'closed', leadUnitCode: 'police', closedAt: Date.parse('2014-11-04T02:00:00Z'), closedDay: '2014-11-04', closedOnTime: true }).where(eq(hazards.id, h.id));
      // Two taps of the same answer, or "fixed" and "not fixed" from two phones.
      const bodies = i % 2 === 0 ? [{ fixed: true }, { fixed: true }] : [{ fixed: true }, { fixed: false }];
      const path = `/api/v1/receipts/${h.receipt}/feedback`;
      const answers = await Promise.all([post(r.clients[0], path, bodies[0]), post(r.clients[1], path, bodies[1])]);
      const won = answers.filter((a) => a.status === 200);
      const lost = answers.filter((a) => a.status !== 200);
      expect(won, `round ${i}`).toHaveLength(1);
      expect(lost.map((a) => a.status), `round ${i}`).toEqual([409]);
      // Read after the winner wrote: "already answered" (or "not closed" once reopened); read before: the guard's refusal.
      expect(['FEEDBACK_GIVEN', 'NOT_CLOSED', 'ILLEGAL_TRANSITION'], `round ${i}`).toContain(lost[0]!.body.error);
      refusals.add(lost[0]!.body.error as string);
      const events = await moves(h.id, ['confirm_fixed', 'reopen']);
      expect(events, `round ${i}`).toHaveLength(1);
      const [row] = await r.t.db.select().from(hazards).where(eq(hazards.id, h.id));
      expect(row!.state).toBe(won[0]!.body.fixed ? 'closed' : 'reopened');
    }
    expect(refusals.size).toBeGreaterThan(0);
  });

  it('the same Idempotency-Key from two clients: one submission, the second answer is the first replayed', SLOW, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const key = `race-${backend.length}-${i}-${Math.random().toString(36).slice(2)}`;
      const body = { ...VALID['mass-feedback'], opinion: `第 ${i} 次` };
      const path = '/api/v1/forms/mass-feedback/submissions';
      const answers = await Promise.all([post(r.clients[0], path, body, { 'idempotency-key': key }), post(r.clients[1], path, body, { 'idempotency-key': key })]);
      expect(answers.map((a) => a.status), `round ${i}`).toEqual([201, 201]);
      expect(answers[0]!.body, `round ${i}`).toEqual(answers[1]!.body);
      expect(answers.map((a) => a.headers.get('idempotent-replayed')).sort(), `round ${i}`).toEqual(['true', null].sort());
      const rows = await r.t.db.select({ id: submissions.id, receipt: submissions.receipt }).from(submissions).where(eq(submissions.idempotencyKey, key));
      expect(rows, `round ${i}`).toEqual([{ id: answers[0]!.body.id, receipt: answers[0]!.body.receipt }]);
    }
  });
});
